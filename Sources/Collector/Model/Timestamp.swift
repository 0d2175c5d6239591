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

    /// The earliest time a moved timestamp takes: 0001-01-02T00:00:00Z, still year 1 in every timezone.
    public static let earliest = Timestamp(secondsSinceEpoch: -62_135_510_400)
    /// The latest time a moved timestamp takes: 9999-12-31T00:00:00Z, still year 9999 in every
    /// timezone, so that it renders with the four-digit year of SPEC §3.
    public static let latest = Timestamp(secondsSinceEpoch: 253_402_214_400)

    /// This timestamp moved by `seconds`, kept between ``earliest`` and ``latest``.
    ///
    /// Platforms supply some of these durations (a token's `expires_in`): one that answers
    /// 2^63 − 1 gets a token that expires in 9999, rather than an overflow that ends the process.
    public func adding(seconds: Int64) -> Timestamp {
        let (sum, overflow) = secondsSinceEpoch.addingReportingOverflow(seconds)
        if overflow { return seconds > 0 ? .latest : .earliest }
        return Timestamp(
            secondsSinceEpoch: min(max(sum, Self.earliest.secondsSinceEpoch), Self.latest.secondsSinceEpoch)
        )
    }
}
