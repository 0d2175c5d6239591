/// When one account is due next: its slot (`nominal`, the interval grid without jitter) and the
/// time it is really due (`due`, the slot plus a random share of the jitter).
///
/// Keeping the slot apart from the jittered time keeps an account on its grid: jitter spreads
/// the requests of many accounts but never accumulates into drift.
public struct ScheduleEntry: Sendable, Hashable {
    /// The slot, in seconds since the epoch.
    public var nominal: Int64
    /// When the account is due, in seconds since the epoch: `nominal` plus 0…jitter.
    public var due: Int64

    /// Creates an entry.
    public init(nominal: Int64, due: Int64) {
        self.nominal = nominal
        self.due = due
    }

    /// The entry after a collection that started at `startedAt`.
    ///
    /// The next slot is the first slot of the account's grid (the previous slot plus whole
    /// intervals) that lies more than half an interval after the start: a collection on time
    /// moves one interval on; a late one (the collector was down, or the run overran) skips the
    /// missed slots instead of catching up in a burst; an early one (`--once`) does not push the
    /// grid further out. An account seen for the first time starts its grid at `startedAt`.
    ///
    /// - Parameters:
    ///   - previous: The account's entry before this collection, if it had one.
    ///   - startedAt: When this collection started, in seconds since the epoch.
    ///   - interval: The instance's `interval` (at least one second is used).
    ///   - jitter: The instance's `jitter`: the due time is the slot plus 0…jitter, drawn anew.
    ///   - generator: The random source of the jitter.
    /// - Returns: The next entry; its `due` is never before `startedAt + interval / 2`.
    public static func next(
        after previous: ScheduleEntry?,
        startedAt: Int64,
        interval: Duration,
        jitter: Duration,
        using generator: inout some RandomNumberGenerator
    ) -> ScheduleEntry {
        let step = max(1, interval.components.seconds)
        let phase = previous?.nominal ?? startedAt
        let threshold = startedAt + step / 2
        // The smallest phase + k·step strictly greater than the threshold (k may be ≤ 0).
        let slots = floorDivide(threshold - phase, step) + 1
        let nominal = phase + slots * step
        let spread = max(0, jitter.components.seconds)
        let drawn = spread > 0 ? Int64.random(in: 0...spread, using: &generator) : 0
        return ScheduleEntry(nominal: nominal, due: nominal + drawn)
    }

    /// The entry after a collection, with the system's random source.
    public static func next(
        after previous: ScheduleEntry?,
        startedAt: Int64,
        interval: Duration,
        jitter: Duration
    ) -> ScheduleEntry {
        var generator = SystemRandomNumberGenerator()
        return next(after: previous, startedAt: startedAt, interval: interval, jitter: jitter, using: &generator)
    }

    private static func floorDivide(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient
    }
}
