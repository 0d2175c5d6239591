/// An ``HTTPFetching`` that spaces the requests of one adapter instance to its `rate`
/// (SPEC §2), then passes them to the base client.
///
/// Each instance owns one ``TokenBucket``; copies of the struct share it. With no rate, the
/// requests pass straight through.
///
/// A task cancelled while it waits throws `cancelled`; its reservation stays used, which only
/// makes the next request a little later.
public struct RateLimitedHTTPClient: HTTPFetching {
    /// The client that performs the requests.
    public let base: any HTTPFetching
    /// The instance's budget, if it has one.
    public let rate: Rate?
    private let bucket: TokenBucket?
    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a rate-limited client.
    ///
    /// - Parameters:
    ///   - base: The client that performs the requests.
    ///   - rate: The budget (`2/s`); nil for none.
    ///   - burst: How many requests may go at once after a quiet spell.
    ///   - now: A monotonic clock reading; tests inject a manual one.
    ///   - sleep: Waits for a duration; tests inject one that advances their clock.
    public init(
        base: any HTTPFetching,
        rate: Rate?,
        burst: Int = 1,
        now: @escaping @Sendable () -> Duration = RateLimitedHTTPClient.continuousNow,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.base = base
        self.rate = rate
        self.bucket = rate.map { TokenBucket(rate: $0, burst: burst) }
        self.now = now
        self.sleep = sleep
    }

    /// Waits for a token, then performs `request` with the base client.
    ///
    /// - Parameter request: The request.
    /// - Returns: The base client's response.
    /// - Throws: ``HTTPError``: the base client's, or `cancelled` when the task is cancelled
    ///   while it waits.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        if let bucket {
            let wait = bucket.reserve(at: now())
            if wait > .zero {
                do {
                    try await sleep(wait)
                } catch {
                    throw .cancelled(request)
                }
            }
            if Task.isCancelled { throw .cancelled(request) }
        }
        return try await base.fetch(request)
    }

    /// Time on the process's continuous clock since the first call: the default for `now`.
    public static let continuousNow: @Sendable () -> Duration = {
        let clock = ContinuousClock()
        let start = clock.now
        return { start.duration(to: clock.now) }
    }()
}
