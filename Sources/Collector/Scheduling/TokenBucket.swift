import Synchronization

/// A token bucket that hands out reservations: each call to ``reserve(at:)`` takes one token and
/// says how long the caller must wait for it.
///
/// Tokens arrive evenly, one per `rate.period / rate.count`; the bucket holds at most `burst`
/// of them, so after a quiet spell `burst` requests may go at once and the rest are spaced by
/// the interval. Reservations are handed out in call order, so concurrent callers queue
/// fairly instead of waking together.
///
/// Implemented as a generic cell rate algorithm: one "theoretical arrival time" instead of a
/// token count, so no timer is needed.
///
/// ```swift
/// let bucket = TokenBucket(rate: Rate(count: 2, per: .seconds(1)))
/// bucket.reserve(at: .zero)   // .zero
/// bucket.reserve(at: .zero)   // 0.5 seconds
/// ```
public final class TokenBucket: Sendable {
    /// The time between two tokens.
    public let interval: Duration
    /// How many tokens the bucket holds when full.
    public let burst: Int
    private let tolerance: Duration
    /// When the next token is due, on the caller's clock; nil before the first reservation.
    private let nextDue = Mutex<Duration?>(nil)

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - rate: The budget: `rate.count` tokens per `rate.period`.
    ///   - burst: How many requests may go at once after a quiet spell; at least 1.
    public init(rate: Rate, burst: Int = 1) {
        self.interval = rate.period / max(1, rate.count)
        self.burst = max(1, burst)
        self.tolerance = interval * (self.burst - 1)
    }

    /// Takes one token.
    ///
    /// - Parameter now: The current time on a monotonic clock, as a duration since any fixed
    ///   point; every call must use the same clock.
    /// - Returns: How long to wait before using the token; `.zero` when it is available now.
    public func reserve(at now: Duration) -> Duration {
        nextDue.withLock { nextDue in
            let due = max(nextDue ?? now, now)
            nextDue = due + interval
            let wait = due - tolerance - now
            return wait > .zero ? wait : .zero
        }
    }
}
