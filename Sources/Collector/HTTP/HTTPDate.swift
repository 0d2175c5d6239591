/// An HTTP-date (RFC 9110 §5.6.7), as a `Retry-After` may carry it: parsed by hand, like the
/// project's other dates, with no Foundation formatter and no locale.
///
/// Reads the preferred form and the two obsolete ones a recipient must accept:
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year more than 50 years ahead of
///   `now` is the latest past year with those digits)
/// - asctime: `Sun Nov  6 08:49:37 1994`
///
/// The day name is not checked against the date: a sender that got it wrong still meant the date.
package enum HTTPDate {
    /// The instant `text` names, or nil when it is no HTTP-date.
    /// - Parameters:
    ///   - text: The header value.
    ///   - now: The wall clock, to place an RFC 850 two-digit year.
    package static func parse(_ text: some StringProtocol, now: Timestamp) -> Timestamp? {
        let tokens = Array(text.utf8).split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        guard let first = tokens.first, isDayName(first.filter { $0 != UInt8(ascii: ",") }) else { return nil }
        let hasComma = first.last == UInt8(ascii: ",")
        switch tokens.count {
        case 6 where hasComma && isGMT(tokens[5]):
            // IMF-fixdate: day, month, year, time.
            guard tokens[1].count == 2, tokens[3].count == 4, let day = number(tokens[1]),
                let month = month(tokens[2]), let year = number(tokens[3])
            else { return nil }
            return instant(year: year, month: month, day: day, time: tokens[4])
        case 4 where hasComma && isGMT(tokens[3]):
            // RFC 850: `06-Nov-94`.
            let parts = tokens[1].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let day = number(parts[0]),
                let month = month(parts[1]), let shortYear = number(parts[2])
            else { return nil }
            return instant(year: fullYear(shortYear, now: now), month: month, day: day, time: tokens[2])
        case 5 where !hasComma:
            // asctime: month, day (one or two digits), time, year.
            guard let month = month(tokens[1]), (1...2).contains(tokens[2].count), let day = number(tokens[2]),
                tokens[4].count == 4, let year = number(tokens[4])
            else { return nil }
            return instant(year: year, month: month, day: day, time: tokens[3])
        default:
            return nil
        }
    }

    /// RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the future is in
    /// the past century.
    private static func fullYear(_ shortYear: Int, now: Timestamp) -> Int {
        let currentYear = CivilDate(daysSinceEpoch: floorDays(now.secondsSinceEpoch)).year
        var year = currentYear - currentYear % 100 + shortYear
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    private static func instant(year: Int, month: Int, day: Int, time: some Collection<UInt8>) -> Timestamp? {
        let parts = time.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard let date = CivilDate(year: year, month: month, day: day), parts.count == 3,
            parts.allSatisfy({ $0.count == 2 }), let hour = number(parts[0]), let minute = number(parts[1]),
            let second = number(parts[2]), hour < 24, minute < 60, second <= 60
        else { return nil }
        let seconds = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(secondsSinceEpoch: seconds)
    }

    private static func floorDays(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    private static func number(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// 1…12 for `Jan`…`Dec`, case-insensitively.
    private static func month(_ name: some Collection<UInt8>) -> Int? {
        let lowered = String(decoding: name.map { $0 | 0x20 }, as: UTF8.self)
        return months.firstIndex(of: lowered).map { $0 + 1 }
    }

    /// `Sun` or `Sunday` (letters only: the name is not checked against the date).
    private static func isDayName(_ name: some Collection<UInt8>) -> Bool {
        name.count >= 3 && name.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
    }

    private static func isGMT(_ zone: some Collection<UInt8>) -> Bool {
        zone.elementsEqual("GMT".utf8)
    }
}
