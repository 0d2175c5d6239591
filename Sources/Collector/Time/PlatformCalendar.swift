import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    // The list of zone names (`knownTimeZoneIdentifiers`) lives here, not in the essentials.
    import FoundationInternationalization
#else
    import Foundation
#endif

/// The configured timezone (SPEC §2 `timezone`): how times are written, which calendar day a
/// platform date means, and which month partition a sample belongs to.
///
/// This is the one place that asks Foundation about time zones; everything else works on
/// ``Timestamp`` and ``CivilDate``. Offsets are cached per quarter hour, so rendering a
/// million timestamps costs one zone lookup per distinct quarter hour.
public final class PlatformCalendar: Sendable {
    /// The IANA identifier, e.g. `Asia/Shanghai`.
    public let identifier: String
    private let timeZone: TimeZone
    private let offsets = Mutex<[Int64: Int32]>([:])

    /// Beijing time, the calendar of every platform's dates.
    public static let beijing = PlatformCalendar(validIdentifier: "Asia/Shanghai")

    /// Creates the calendar of an IANA timezone; nil when the identifier is not an IANA zone
    /// name (``isZoneName(_:)``).
    public init?(identifier: String) {
        guard Self.isZoneName(identifier), let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.timeZone = zone
    }

    /// Whether `identifier` is an IANA zone name: one of Foundation's list (`Asia/Shanghai`,
    /// `America/Chicago`), `UTC`, or an area/location name of the system's tz database that
    /// Foundation reads (`Asia/Kolkata`, and aliases such as `Asia/Saigon` or `US/Eastern`),
    /// which Foundation's list leaves out.
    ///
    /// Foundation also takes ICU abbreviations, and reads them its own way: `CST` is US Central
    /// time there, not China Standard Time, and `EST` a fixed −05:00 without daylight saving.
    /// Those are refused, and so are the tz database's old names without an area (`PRC`,
    /// `EST`, `Japan`), which ``suggestedZoneName(for:)`` turns into the area/location name of
    /// the same zone.
    public static func isZoneName(_ identifier: String) -> Bool {
        if zoneNames.contains(identifier) { return true }
        return identifier.contains("/") && SystemZoneDatabase.system.hasZone(identifier)
            && TimeZone(identifier: identifier) != nil
    }

    /// What to write instead of `identifier`, which ``isZoneName(_:)`` refused, when that is
    /// the same zone or a clear typo: `Asia/Shanghai` for China's abbreviations and names
    /// (`CST`, `PRC`, `Beijing`), `UTC` for `Etc/UTC`, the zone an old alias of the tz database
    /// links to (`Japan` → `Asia/Tokyo`), else the one zone name at most one edit away
    /// (`asia/shanghai`, `Asia/Shangai` → `Asia/Shanghai`). Nil for another abbreviation
    /// (`EST`), when no name or two names are that near, and for a near name with a digit:
    /// `Asia/Saigon` and `Asia/Yangon` are two edits apart, `Asia/Omsk` and `Asia/Tomsk` one,
    /// `Etc/GMT+8` and `Etc/GMT+9` one, each pair an hour or half an hour apart, so a wider
    /// guess would shift every time written.
    public static func suggestedZoneName(for identifier: String) -> String? {
        let folded = identifier.lowercased()
        if ["cst", "prc", "china", "beijing", "asia/beijing", "gmt+8", "utc+8", "utc+08:00"].contains(folded) {
            return "Asia/Shanghai"
        }
        if ["etc/utc", "etc/gmt", "utc+0", "gmt+0", "z", "zulu"].contains(folded) { return "UTC" }
        // An abbreviation (`EST`, `PDT`) is a few edits from unrelated names (`GMT`): no guess.
        let isAbbreviation = identifier.count <= 5 && identifier.allSatisfy { $0.isASCII && $0.isUppercase }
        if isAbbreviation { return nil }
        let listing = SystemZoneDatabase.system.listing()
        if let target = listing.links[identifier], isZoneName(target) { return target }
        var best: (name: String, distance: Int)?
        var tied = false
        for name in Set(sortedZoneNames + listing.names) where name != identifier && isZoneName(name) {
            let distance = KeySuggestion.editDistance(identifier, name)
            guard distance <= (name.contains(where: \.isNumber) ? 0 : 1) else { continue }
            if let found = best, found.distance < distance { continue }
            tied = best?.distance == distance
            best = (name, distance)
        }
        return tied ? nil : best?.name
    }

    /// `UTC+08:00`, `UTC-05:00`: the zone's offset at `time`, to show beside a suggested name.
    public func offsetText(at time: Timestamp) -> String {
        let offset = offsetSeconds(at: time)
        let magnitude = abs(offset)
        let hours = magnitude / 3600
        let minutes = magnitude % 3600 / 60
        return "UTC\(offset < 0 ? "-" : "+")\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
    }

    /// ``offsetText(at:)`` by the system clock, for a message about a configured zone.
    public var currentOffsetText: String {
        offsetText(at: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)))
    }

    private static let zoneNames: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])
    /// In order, so that the candidates are the same on every run.
    private static let sortedZoneNames = zoneNames.sorted()

    private init(validIdentifier: String) {
        self.identifier = validIdentifier
        // Asia/Shanghai is in every tzdata; fall back to a fixed +08:00 if tzdata is missing.
        self.timeZone = TimeZone(identifier: validIdentifier) ?? TimeZone(secondsFromGMT: 8 * 3600)!
    }

    /// The zone's offset from UTC at `time`, in seconds.
    public func offsetSeconds(at time: Timestamp) -> Int {
        let bucket = time.secondsSinceEpoch >= 0 ? time.secondsSinceEpoch / 900 : (time.secondsSinceEpoch - 899) / 900
        if let cached = offsets.withLock({ $0[bucket] }) { return Int(cached) }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time.secondsSinceEpoch)))
        offsets.withLock { cache in
            if cache.count > 100_000 { cache.removeAll(keepingCapacity: true) }
            cache[bucket] = Int32(offset)
        }
        return offset
    }

    /// The local wall-clock fields of `time`.
    public func localTime(of time: Timestamp) -> LocalTime {
        let offset = offsetSeconds(at: time)
        let local = time.secondsSinceEpoch + Int64(offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secondOfDay = local - days * 86400
        return LocalTime(
            date: CivilDate(daysSinceEpoch: days),
            hour: Int(secondOfDay / 3600),
            minute: Int(secondOfDay % 3600 / 60),
            second: Int(secondOfDay % 60),
            offsetSeconds: offset
        )
    }

    /// The calendar day `time` falls on.
    public func civilDate(of time: Timestamp) -> CivilDate { localTime(of: time).date }

    /// `2025-03`: the month partition of `time` (SPEC §3: the sample's own month in this zone).
    public func partition(of time: Timestamp) -> String { civilDate(of: time).monthText }

    /// RFC 3339 with offset and second precision: `2025-03-04T00:00:00+08:00`.
    public func render(_ time: Timestamp) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        appendRendered(time, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``render(_:)``'s text to a byte buffer without building a `String`.
    public func appendRendered(_ time: Timestamp, to bytes: inout [UInt8]) {
        localTime(of: time).appendRFC3339(to: &bytes)
    }

    /// The instant of the local wall time `hour:minute:second` on `date`. In a DST gap the
    /// instant after the gap is taken; in an overlap, the earlier one.
    public func timestamp(date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Timestamp {
        let local = date.daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
        let first = local - Int64(offsetSeconds(at: Timestamp(secondsSinceEpoch: local)))
        let second = local - Int64(offsetSeconds(at: Timestamp(secondsSinceEpoch: first)))
        return Timestamp(secondsSinceEpoch: min(first, second) == max(first, second) ? first : max(first, second))
    }

    /// 00:00 of `date` in this zone: the stamp of every value that describes a platform day.
    public func startOfDay(_ date: CivilDate) -> Timestamp { timestamp(date: date) }

    /// The day before the day of `now` in this zone (WeChat's `end_date` limit).
    public func yesterday(now: Timestamp) -> CivilDate { civilDate(of: now).adding(days: -1) }

    /// Parses RFC 3339 with an offset or `Z` (`2026-11-25T00:00:00+08:00`); fractional seconds
    /// are dropped. A time without an offset is refused: SPEC §3 never writes one. So is a leap
    /// second (`:60`): a stamp has no second 60, and turning it into `:59` would make two
    /// different times one key.
    public static func parseRFC3339(_ text: some StringProtocol) -> Timestamp? {
        var bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for index in start..<start + count {
                let byte = bytes[index]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            hour < 24, minute < 60, second < 60,
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        bytes.removeAll()
        let local = date.daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(secondsSinceEpoch: local - Int64(offset))
    }
}

/// Wall-clock fields of a timestamp in a zone, with the offset that applied.
public struct LocalTime: Sendable, Hashable {
    /// The calendar day.
    public var date: CivilDate
    /// 0…23.
    public var hour: Int
    /// 0…59.
    public var minute: Int
    /// 0…59.
    public var second: Int
    /// The zone's offset from UTC, in seconds.
    public var offsetSeconds: Int

    func appendRFC3339(to bytes: inout [UInt8]) {
        func two(_ value: Int) {
            bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        let year = date.year
        bytes.append(UInt8(ascii: "0") + UInt8(year / 1000 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(year / 100 % 10))
        two(year % 100)
        bytes.append(UInt8(ascii: "-"))
        two(date.month)
        bytes.append(UInt8(ascii: "-"))
        two(date.day)
        bytes.append(UInt8(ascii: "T"))
        two(hour)
        bytes.append(UInt8(ascii: ":"))
        two(minute)
        bytes.append(UInt8(ascii: ":"))
        two(second)
        let offset = offsetSeconds
        bytes.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(offset)
        two(magnitude / 3600)
        bytes.append(UInt8(ascii: ":"))
        two(magnitude % 3600 / 60)
    }
}
