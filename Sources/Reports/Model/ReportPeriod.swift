public import Collector

/// The period a report covers: a calendar month (`2026-11`), a calendar year (`2026`) or any
/// span of days, both ends included.
public struct ReportPeriod: Sendable, Hashable, CustomStringConvertible {
    /// How a period was asked for, which sets its d (COUNTS_AND_TARGETS.md §2.1).
    public enum Kind: Sendable, Hashable {
        /// `2026-11`: d = 30, also for 31-day months.
        case calendarMonth
        /// `2026`: d = 365, also in leap years.
        case calendarYear
        /// `2026-11-01..2026-11-15`: d = the true number of days.
        case days
    }

    /// The first day.
    public var from: CivilDate
    /// The last day (included).
    public var to: CivilDate
    /// How the period was asked for.
    public var kind: Kind

    /// Whether the period is a whole calendar month (then d = 30, COUNTS_AND_TARGETS.md §2.1).
    public var isCalendarMonth: Bool { kind == .calendarMonth }

    /// The calendar month of `year`/`month`.
    public init?(year: Int, month: Int) {
        guard let first = CivilDate(year: year, month: month, day: 1) else { return nil }
        let next =
            month == 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: month + 1, day: 1)
        guard let next else { return nil }
        from = first
        to = next.adding(days: -1)
        kind = .calendarMonth
    }

    /// The calendar year `year`.
    public init?(year: Int) {
        guard let first = CivilDate(year: year, month: 1, day: 1), let last = CivilDate(year: year, month: 12, day: 31)
        else { return nil }
        from = first
        to = last
        kind = .calendarYear
    }

    /// A span of days; nil when `to` is before `from`.
    public init?(from: CivilDate, to: CivilDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
        kind = .days
    }

    /// Why a text is not a period, worded for the person who typed it.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// `the range ends (2026-10-01) before it starts (2026-10-31)`.
        public var description: String
    }

    /// Parses `2026-11` (a month), `2026` (a year) or `2026-11-01..2026-11-15` (a span), saying what is wrong
    /// when it cannot: a range whose ends are swapped is a different mistake from a typo.
    public static func parse(_ text: String) throws(ParseError) -> ReportPeriod {
        if let period = ReportPeriod(parsing: text) { return period }
        if let range = text.firstRange(of: ".."), let from = CivilDate(parsing: text[..<range.lowerBound]),
            let to = CivilDate(parsing: text[range.upperBound...]), to < from
        {
            throw ParseError(description: "the range ends (\(to)) before it starts (\(from))")
        }
        throw ParseError(description: "write a month (2026-11), a year (2026) or a range (2026-11-01..2026-11-15)")
    }

    /// Parses `2026-11` (a month), `2026` (a year) or `2026-11-01..2026-11-15` (a span); nil for anything else,
    /// including a range that ends before it starts (``parse(_:)`` says which).
    public init?(parsing text: String) {
        if let range = text.firstRange(of: "..") {
            guard let from = CivilDate(parsing: text[..<range.lowerBound]),
                let to = CivilDate(parsing: text[range.upperBound...])
            else { return nil }
            self.init(from: from, to: to)
            return
        }
        if text.utf8.count == 4, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let year = Int(text)
        {
            self.init(year: year)
            return
        }
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The number of calendar days in the period.
    public var calendarDays: Int { Int(to.daysSinceEpoch - from.daysSinceEpoch) + 1 }

    /// d of the index formulas (COUNTS_AND_TARGETS.md §2.1): 30 for a calendar month (also 31-day
    /// months), 365 for a calendar year (also leap years), else the true day count. A range that
    /// happens to cover a whole month or year is a custom period: its true days.
    public var indexDays: Int {
        switch kind {
        case .calendarMonth: 30
        case .calendarYear: 365
        case .days: calendarDays
        }
    }

    /// `2026-11`, `2026`, or `2026-11-01..2026-11-15`.
    public var description: String {
        switch kind {
        case .calendarMonth: from.monthText
        case .calendarYear: String(from.monthText.prefix(4))
        case .days: "\(from)..\(to)"
        }
    }

    /// Whether `date` lies in the period.
    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }
}
