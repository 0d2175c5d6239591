/// A point in time with second precision, as SPEC §3 writes it.
///
/// Rendering into the configured timezone is ``PlatformCalendar``'s job: a timestamp itself has
/// no zone.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64

    /// Creates a timestamp from Unix seconds.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Unix seconds, for logs and tests; files use ``PlatformCalendar/render(_:)``.
    public var description: String { String(secondsSinceEpoch) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    /// This timestamp moved by `seconds`.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }
}
