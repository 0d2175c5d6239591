import Collector

/// How an `.xlsx` workbook's cell formats show numbers (`xl/styles.xml`): a number, a date, a
/// date and time, or a date that leaves out its day or year, which a date column refuses.
extension XLSXTable {
    /// What a cell format shows a number as.
    enum NumberFormat: Equatable {
        /// The number itself (General, `0.00%`, `#,##0`).
        case number
        /// A date without a time of day (`yyyy/m/d`).
        case date
        /// A date with a time of day, or a time (`yyyy-mm-dd hh:mm:ss`, `mm:ss`).
        case dateAndTime
        /// A date that shows no day (`yyyy"年"m"月"`, `mmm-yy`) or no year (`m"月"d"日"`,
        /// `mm-dd hh:mm`), as ``shownPart(of:as:)`` quotes it.
        case partialDate(PartialDate)

        var showsTime: Bool {
            switch self {
            case .dateAndTime: true
            case .partialDate(let shown): shown.time != nil
            default: false
            }
        }
    }

    /// How a date format that leaves out the day or the year shows the rest, as far as a date
    /// column's message quotes it (``shownPart(of:as:)``).
    package struct PartialDate: Sendable, Hashable {
        /// The part the format does not show.
        package var missing: DatePart
        /// Whether it shows 年, 月 or 日 (`m"月"d"日"`, built-in 58).
        package var chinese = false
        /// Whether it puts a slash between month and day (`m/d`).
        package var slash = false
        /// The time of day it shows, if any: `hh:mm` or `hh:mm:ss`.
        package var time: TimeShown?

        /// The part of a time of day a format shows.
        package enum TimeShown: Sendable, Hashable {
            /// `hh:mm`.
            case minutes
            /// `hh:mm:ss`.
            case seconds
        }

        /// Creates the description.
        package init(missing: DatePart, chinese: Bool = false, slash: Bool = false, time: TimeShown? = nil) {
            self.missing = missing
            self.chinese = chinese
            self.slash = slash
            self.time = time
        }

        /// The description of the custom format `code`, which leaves out `missing`.
        init(code: String, missing: DatePart) {
            self.init(
                missing: missing,
                chinese: code.contains { "年月日".contains($0) },
                slash: XLSXTable.hasCode(code, in: ["/"]),
                time: XLSXTable.hasCode(code, in: ["s"])
                    ? .seconds : XLSXTable.showsTime(code) ? .minutes : nil
            )
        }
    }

    /// The part of a date that a cell's format does not show.
    package enum DatePart: Sendable, Hashable {
        /// `yyyy"年"m"月"`, `yyyy-mm`, `mmm-yy`: a month.
        case day
        /// `m"月"d"日"`, `d-mmm`, `mm-dd hh:mm`: a day of some year.
        case year
    }

    /// What each cell format (`cellXfs` index) shows a number as.
    static func parseNumberFormats(_ bytes: [UInt8], file: String) throws(ImportError) -> [NumberFormat] {
        var scanner = XMLPullScanner(bytes: bytes, name: file)
        var customFormats: [Int: String] = [:]
        var formatIDs: [Int] = []
        var inCellFormats = false
        while let event = try scanner.next() {
            switch event {
            case .start(let tag):
                if tag.name == "numFmt", let id = tag.attribute("numFmtId").flatMap({ Int($0) }) {
                    customFormats[id] = tag.attribute("formatCode") ?? ""
                } else if tag.name == "cellXfs" {
                    inCellFormats = !tag.isSelfClosing
                } else if tag.name == "xf" && inCellFormats {
                    formatIDs.append(tag.attribute("numFmtId").flatMap { Int($0) } ?? 0)
                }
            case .end("cellXfs"):
                inCellFormats = false
            default:
                continue
            }
        }
        return formatIDs.map { id in
            if let code = customFormats[id] {
                guard isDateFormat(code) else { return .number }
                if let missing = missingDatePart(code) {
                    return .partialDate(PartialDate(code: code, missing: missing))
                }
                return showsTime(code) ? .dateAndTime : .date
            }
            guard builtInDateFormats.contains(id) else { return .number }
            // None of them shows a time of day.
            if builtInMonthFormats.contains(id) {
                return .partialDate(PartialDate(missing: .day, chinese: id > 17 && id != 74))
            }
            if builtInDayOfYearFormats.contains(id) {
                return .partialDate(PartialDate(missing: .year, chinese: id > 16 && id != 73))
            }
            return builtInTimeFormats.contains(id) ? .dateAndTime : .date
        }
    }

    /// The built-in number formats that show dates or times, including the CJK ones.
    private static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
        .union(71...81)

    /// Those of ``builtInDateFormats`` that show a time of day: `h:mm` (18…21), `m/d/yy h:mm`
    /// (22), the CJK `h"时"mm"分"` ones (32…35, 55, 56), `mm:ss` (45…47) and the Thai ones (75…80).
    private static let builtInTimeFormats: Set<Int> = Set(18...22).union(32...35).union(45...47).union(55...56)
        .union(75...80)

    /// Those of ``builtInDateFormats`` that show a year and month but no day (ECMA-376 §18.8.30,
    /// the CJK ones as a Chinese Excel or WPS shows them): `mmm-yy` (17), `yyyy"年"m"月"` (27, 36,
    /// 50, 52, 57) and the Thai `mmm-yy` (74).
    private static let builtInMonthFormats: Set<Int> = [17, 27, 36, 50, 52, 57, 74]

    /// Those of ``builtInDateFormats`` that show a month and day but no year: `d-mmm` (16),
    /// `m"月"d"日"` (28, 29, 51, 53, 54, 58) and the Thai `d-mmm` (73).
    private static let builtInDayOfYearFormats: Set<Int> = [16, 28, 29, 51, 53, 54, 58, 73]

    /// The part of the date that a date format code does not show: the day (`yyyy"年"m"月"`,
    /// `yyyy-mm`, `mmm-yy`: it has a year, `y`, the era year `e` or the Buddhist year `b`, but no
    /// day of the month, `d` or `dd`) or the year (`m"月"d"日"`, `d-mmm`, `mm-dd hh:mm`); nil for a
    /// whole date, and for a time or anything else that shows neither (`h:mm`, `mm:ss`, `mmmm`).
    ///
    /// The serial of such a cell holds a whole date all the same, but its hidden part is likeliest
    /// one Excel made up when the cell was typed: `2026-10` becomes the 1st of October, `11/5` the
    /// 5th of November of the year it was typed in.
    package static func missingDatePart(_ code: String) -> DatePart? {
        var showsYear = false
        var showsDay = false
        var run: (letter: Character, count: Int)?
        func endRun() {
            guard let current = run else { return }
            switch current.letter {
            case "y", "e", "b": showsYear = true
            // `ddd` and `dddd` are the weekday's name, not the day of the month.
            case "d" where current.count <= 2: showsDay = true
            default: break
            }
            run = nil
        }
        for character in codeCharacters(code) {
            if let current = run, current.letter == character {
                run = (character, current.count + 1)
                continue
            }
            endRun()
            if character.isASCII && character.isLetter { run = (character, 1) }
        }
        endRun()
        if showsYear && !showsDay { return .day }
        if showsDay && !showsYear { return .year }
        return nil
    }

    /// The part of `date` (``dateText(serial:_:showsTime:)``: `2026-10-01`, `2026-11-05 14:47:00`)
    /// that a format described by `shown` shows, in the form the cell shows it as far as a date
    /// column's message needs: `2026-10` or `2026年10月` for a month, `11-05`, `11/5` or `11月5日`
    /// for a day without its year, with the time of day only when the format shows one
    /// (`11-05 14:47`), so that the text quoted is the text the user finds in the sheet. A date
    /// column refuses both, as it refuses the same text typed into a CSV: the day (or year)
    /// would be a guess. Anything else (a time below one day, `0:00:48`) comes back as it is.
    package static func shownPart(of date: String, as shown: PartialDate) -> String {
        let parts = date.prefix(10).split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]) else { return date }
        switch shown.missing {
        case .day:
            return shown.chinese ? "\(parts[0])年\(month)月" : "\(parts[0])-\(parts[1])"
        case .year:
            let monthAndDay =
                shown.chinese ? "\(month)月\(day)日" : shown.slash ? "\(month)/\(day)" : "\(parts[1])-\(parts[2])"
            // `dateText` wrote `hh:mm:ss` after a space, for a format that shows a time.
            let time = date.dropFirst(11)
            switch shown.time {
            case nil: return monthAndDay
            case .minutes: return monthAndDay + " " + time.prefix(5)
            case .seconds: return monthAndDay + " " + time.prefix(8)
            }
        }
    }

    /// Whether a custom format code shows a date or time: it has y, m, d, h or s outside quoted
    /// text, brackets (`[Red]`, `[$-804]`) and escaped characters.
    package static func isDateFormat(_ code: String) -> Bool {
        hasCode(code, in: ["y", "m", "d", "h", "s"])
    }

    /// Whether a date format code shows a time of day: it has h or s outside quoted text,
    /// brackets and escaped characters (an `m` alone is a month).
    package static func showsTime(_ code: String) -> Bool {
        // `[h]:mm` and `[mm]:ss` count elapsed hours or minutes inside their brackets.
        let elapsed = code.lowercased().split(separator: "[", omittingEmptySubsequences: false).dropFirst().contains {
            part in
            let inside = part.prefix { $0 != "]" }
            return !inside.isEmpty && inside.allSatisfy { "hms".contains($0) }
        }
        return elapsed || hasCode(code, in: ["h", "s"])
    }

    /// Whether `code` has one of `letters` outside quoted text, brackets and escapes.
    private static func hasCode(_ code: String, in letters: Set<Character>) -> Bool {
        codeCharacters(code).contains { letters.contains($0) }
    }

    /// The characters of a format code that say what it shows, lowercased: without quoted text
    /// (`"年"`), brackets (`[Red]`, `[$-804]`) and escaped characters (`\-`, `_)`, `*0`). Each of
    /// those leaves a space, so that the letters on either side do not join into one run
    /// (`d"日"d` is two `d`s, not `dd`).
    private static func codeCharacters(_ code: String) -> [Character] {
        var characters: [Character] = []
        var inQuote = false
        var inBracket = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
            } else if inQuote {
                if character == "\"" { inQuote = false }
            } else if inBracket {
                if character == "]" { inBracket = false }
            } else {
                switch character {
                case "\\", "_", "*": escaped = true
                case "\"": inQuote = true
                case "[": inBracket = true
                default:
                    characters.append(character)
                    continue
                }
            }
            if characters.last != " " { characters.append(" ") }
        }
        return characters
    }
}
