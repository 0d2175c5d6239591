package import Collector

/// Weibo's `created_at` (PLATFORMS.md §8): `Mon Mar 03 09:30:00 +0800 2025`, the same in the
/// open API and on m.weibo.cn. Parsed by hand: the format is fixed and Foundation's date
/// formatters would bring locale rules into a hot loop over every post.
package enum WeiboDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The instant `text` names, or nil when it is not in Weibo's format (older web endpoints
    /// sent relative forms such as `5分钟前`, which name no stable instant).
    ///
    /// The weekday is not checked: it is redundant, and a wrong one does not make the date
    /// less usable.
    package static func parse(_ text: String) -> Timestamp? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 6 else { return nil }
        guard let month = months.firstIndex(of: String(fields[1])).map({ $0 + 1 }),
            let day = number(fields[2], digits: 1...2),
            let year = number(fields[5], digits: 4...4),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }

        let clock = fields[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
            let hour = number(clock[0], digits: 2...2), hour < 24,
            let minute = number(clock[1], digits: 2...2), minute < 60,
            let second = number(clock[2], digits: 2...2), second < 60
        else { return nil }

        let zone = fields[4]
        guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-",
            let hours = number(zone.dropFirst().prefix(2), digits: 2...2), hours <= 14,
            let minutes = number(zone.suffix(2), digits: 2...2), minutes < 60
        else { return nil }
        let offset = Int64(hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)

        let local = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(secondsSinceEpoch: local - offset)
    }

    /// A decimal number of `digits` ASCII digits.
    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count) else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
