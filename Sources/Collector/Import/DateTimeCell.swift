/// A date cell of an export: `2025-03-04`, `2026/07/27`, `2025/3/4 9:05`, `2025-03-04 14:47:18`,
/// `20250304`, `2025年3月4日` (with or without 日, optionally followed by a time), or a spreadsheet serial number (`45720`, `45720.5`) whose date format was lost
/// on the way through a CSV (PLATFORMS.md §8).
///
/// The date is the Beijing calendar day the platform wrote; a time of day, when there is
/// one, is Beijing time as every platform's back office shows it.
package struct DateTimeCell: Sendable, Hashable {
    /// The calendar day.
    package var date: CivilDate
    /// Seconds after midnight, when the cell has a time.
    package var secondOfDay: Int64 = 0
    /// Whether the cell has a time of day.
    package var hasTime = false

    /// What a date cell should look like, for messages.
    package static let expected = "a date such as 2025-03-04, 2025/3/4 or 2025-03-04 14:47:18"

    /// `2026-11-25` for the cell `11/25` (or `11-25`, `11.25`, `11月25日`) in `year`: a date
    /// without its year, which is refused rather than guessed (around New Year the guess would
    /// be wrong), with the whole date as the example. Nil for anything else.
    package static func wholeDate(ofYearless cell: String, year: Int) -> String? {
        // A time after the day (`11-05 14:47`, a workbook's `mm-dd hh:mm` cell) changes nothing.
        var text = String(cell.prefix { $0 != " " })
        if text.count < cell.count,
            !cell.drop(while: { $0 != " " }).dropFirst().allSatisfy({ $0.isNumber || $0 == ":" })
        {
            return nil
        }
        if text.hasSuffix("日") || text.hasSuffix("号") { text.removeLast() }
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." || $0 == "月" }
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let month = Int(parts[0]), let day = Int(parts[1]),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        return date.description
    }

    /// An example day for the cell `2026-10` (or `2026/10`, `2026.10`, `2026年10月`): a month
    /// without its day, which is refused rather than guessed (a month-end figure stamped on the
    /// 1st, as a spreadsheet makes `2026-10` into 2026-10-01, would sit a month early). The
    /// example is the month's last day, or `today` within the current month. Nil for anything else.
    package static func exampleDay(ofDayless cell: String, today: CivilDate) -> String? {
        var text = cell
        if text.hasSuffix("月") { text.removeLast() }
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." || $0 == "年" }
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]),
            let first = CivilDate(year: year, month: month, day: 1),
            let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))
        else { return nil }
        return (first <= today && today < last ? today : last).description
    }

    /// What to do about a date cell without its day or year in a workbook: a cell typed again
    /// keeps its format, which would hide the part again.
    package static let workbookAdvice = "in Excel or WPS, give the cell a date format that shows it: 设置单元格格式 → 日期"

    /// Reads a cell's text.
    package init?(_ text: String) {
        var copy = text
        guard let cell = copy.withUTF8({ DateTimeCell($0) }) else { return nil }
        self = cell
    }

    /// Reads a cell's bytes.
    package init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var fields: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        var count = 0
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        var end = bytes.count
        while end > index, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let start = index
        // Up to six numbers: year, month, day (`-`, `/` or `.`), then hour, minute, second.
        var valid = true
        scan: while index < end && count < 6 {
            var value = 0
            var digits = 0
            while index < end, isDigit(bytes[index]), digits < 4 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0, count != 0 || digits == 4 else {
                valid = false
                break scan
            }
            switch count {
            case 0: fields.0 = value
            case 1: fields.1 = value
            case 2: fields.2 = value
            case 3: fields.3 = value
            case 4: fields.4 = value
            default: fields.5 = value
            }
            count += 1
            guard index < end else { break }
            let separator = bytes[index]
            switch count {
            case 1, 2:
                valid =
                    separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".")
            case 3:
                valid = separator == 0x20 || separator == UInt8(ascii: "T")
            case 4, 5:
                valid = separator == UInt8(ascii: ":")
            default:
                valid = false
            }
            guard valid else { break scan }
            index += 1
        }
        if valid, index == end, count == 3 || count >= 5,
            let date = CivilDate(year: fields.0, month: fields.1, day: fields.2),
            fields.3 < 24, fields.4 < 60, fields.5 < 60
        {
            self.date = date
            if count >= 5 {
                hasTime = true
                secondOfDay = Int64(fields.3 * 3600 + fields.4 * 60 + fields.5)
            }
            return
        }
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        // `２０２５－０３－０４`, typed with a Chinese input method in full-width mode: read as the
        // ASCII date, as counts are (COUNTS_AND_TARGETS.md §1).
        if let ascii = DateTimeCell.halfWidth(text) {
            var copy = ascii
            if let cell = copy.withUTF8({ DateTimeCell($0) }) {
                self = cell
                return
            }
            text = ascii
        }
        // `2025年3月4日`, as Chinese sheets and WPS format a date: read as `2025-3-4`. Only on
        // this slower path, so the numeric forms of large exports cost nothing more.
        if let numeric = DateTimeCell.numericForm(ofChinese: text) {
            var copy = numeric
            if let cell = copy.withUTF8({ DateTimeCell($0) }) {
                self = cell
                return
            }
            return nil
        }
        // Rarer forms (`20250304`) through the general day parser, without the time.
        if let date = CivilDate(parsing: text) {
            self.date = date
            return
        }
        guard let serial = DateTimeCell.serial(text) else { return nil }
        self = serial
    }

    /// `text` with full-width digits, separators (`－／．：`) and spaces (U+3000) made ASCII, or
    /// nil when it has none of them.
    private static func halfWidth(_ text: String) -> String? {
        var changed = false
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF0D, 0xFF0E, 0xFF0F, 0xFF1A:
                // The full-width forms sit 0xFEE0 above their ASCII letters.
                scalars.append(Unicode.Scalar(UInt8(scalar.value - 0xFEE0)))
                changed = true
            case 0x3000:
                scalars.append(" ")
                changed = true
            default:
                scalars.append(scalar)
            }
        }
        return changed ? String(scalars) : nil
    }

    /// `2025-3-4` for `2025年3月4日` (the 日 may be left out), `2025-3-4 9:05` for
    /// `2025年3月4日 9:05`; nil for a text without 年 right after four digits.
    private static func numericForm(ofChinese text: String) -> String? {
        let characters = Array(text)
        guard characters.count > 5, characters[4] == "年", characters[..<4].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var result = String(characters[..<4]) + "-"
        var index = 4 + 1
        func digits() -> String {
            let run = characters[index...].prefix { $0.isASCII && $0.isNumber }
            index += run.count
            return String(run)
        }
        let month = digits()
        guard !month.isEmpty, index < characters.count, characters[index] == "月" else { return nil }
        index += 1
        let day = digits()
        guard !day.isEmpty else { return nil }
        result += month + "-" + day
        if index < characters.count, characters[index] == "日" || characters[index] == "号" { index += 1 }
        // The rest may only be a time, after a space.
        let rest = String(characters[index...])
        guard rest.isEmpty || rest.first == " " else { return nil }
        return result + rest
    }

    /// A serial of the 1900 date system between 1982 and 2064 (25000…60000): what a date
    /// column becomes when a spreadsheet saves it without its format. Other numbers are no
    /// dates, so a count in the wrong column is not taken for one.
    private static func serial(_ text: String) -> DateTimeCell? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].count == 5, let days = Int64(parts[0]), (25000...60000).contains(days) else { return nil }
        var seconds: Int64 = 0
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), let fraction = Double("0." + parts[1]) else {
                return nil
            }
            seconds = Int64((fraction * 86400).rounded())
        }
        // Serials count from 1899-12-30 (the 1900 system, past its fictitious 1900-02-29).
        guard let epoch = CivilDate(year: 1899, month: 12, day: 30) else { return nil }
        var cell = DateTimeCell(date: CivilDate(daysSinceEpoch: epoch.daysSinceEpoch + days + seconds / 86400))
        if seconds % 86400 > 0 {
            cell.hasTime = true
            cell.secondOfDay = seconds % 86400
        }
        return cell
    }

    private init(date: CivilDate) {
        self.date = date
    }

    /// The moment the cell names: its Beijing time when it has one, else 00:00 of its day in
    /// `calendar` (a platform day, SPEC §3).
    package func timestamp(calendar: PlatformCalendar) -> Timestamp {
        // Beijing has kept +08:00 all day, every day, since 1991.
        hasTime
            ? PlatformCalendar.beijing.startOfDay(date).adding(seconds: secondOfDay) : calendar.startOfDay(date)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
