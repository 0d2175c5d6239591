import Collector

/// How the table builders write cells. The machine style is the CSV contract: column keys,
/// codes and plain numbers (docs/reports.md §5). The human style is for Markdown and HTML:
/// the names of a ``ReportLocalization``, thousands separators, ratios as percentages, and
/// `≈` / `≥` on figures that rest on an approximate value or a lower bound.
struct TableStyle {
    let localization: ReportLocalization
    let isMachine: Bool

    /// The CSV tables.
    static let machine = TableStyle(localization: .english, isMachine: true)

    /// The Markdown and HTML tables in `language`.
    static func human(_ language: ReportLanguage) -> TableStyle {
        TableStyle(localization: .of(language), isMachine: false)
    }

    // MARK: - Words

    func text(_ key: ReportText, _ arguments: String...) -> String {
        localization.text(key, arguments: arguments)
    }

    /// The name of a code of `kind`; the machine style keeps the code.
    func term(_ kind: String, _ code: String) -> String { isMachine ? code : localization.term(kind, code) }

    func column(_ id: String) -> String { term("column", id) }
    func status(_ status: AttainmentStatus) -> String { term("status", status.rawValue) }
    func category(_ category: String) -> String { term("category", category) }
    func platform(_ platform: Platform) -> String { term("platform", platform.rawValue) }
    func yesNo(_ value: Bool) -> String { term("bool", value ? "yes" : "no") }

    /// The name of `metric` on `platform`: the video platforms' views are 播放量 and their shares
    /// 分享 in Chinese (``ReportLocalization/videoPlatforms``); the machine style keeps the code.
    func metric(_ metric: String, on platform: Platform) -> String {
        if !isMachine, ReportLocalization.videoPlatforms.contains(platform),
            let name = localization.terms["metric." + metric + ".video"]
        {
            return name
        }
        return term("metric", metric)
    }

    // MARK: - Dates in sentences

    /// A day in a sentence: `2023-09-30`, `2023年9月30日`. Table cells keep the ISO form.
    func day(_ day: CivilDate) -> String {
        text(
            .dateDay,
            String(day.year),
            String(day.month),
            String(day.day),
            Self.twoDigits(day.month),
            Self.twoDigits(day.day)
        )
    }

    /// A period in a sentence or title: `2023-11`, `2023年11月`, `2023年`, `2023年11月1日至2023年12月31日`.
    func period(_ period: ReportPeriod) -> String {
        switch period.kind {
        case .calendarMonth:
            text(.dateMonth, String(period.from.year), String(period.from.month), "", Self.twoDigits(period.from.month))
        case .calendarYear: text(.dateYear, String(period.from.year))
        case .days: text(.collectedSpan, day(period.from), day(period.to))
        }
    }

    /// An RFC 3339 moment in a sentence, in the offset it is written with (the configured
    /// timezone): `2023-12-05T08:30:00+08:00` as it is, or `2023年12月5日 8:30`; seconds only
    /// when there are any. Text of another form is returned as it is.
    func moment(_ rfc3339: String) -> String {
        let parts = rfc3339.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = CivilDate(parsing: parts[0]) else { return rfc3339 }
        let clock = Array(parts[1].prefix(8))
        guard clock.count == 8, clock[2] == ":", clock[5] == ":",
            let hour = Int(String(clock[0...1])), let minute = Int(String(clock[3...4])),
            let second = Int(String(clock[6...7]))
        else { return rfc3339 }
        let minutes = Self.twoDigits(minute) + (second == 0 ? "" : ":" + Self.twoDigits(second))
        return text(.dateMoment, day(date), String(hour), minutes, rfc3339)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// A list of codes or names: `wechat weibo` for machines, `微信公众号、微博` in Chinese.
    func list(_ items: [String]) -> String { items.joined(separator: text(.listSeparator)) }

    /// The sentence of an attainment note.
    func note(_ note: AttainmentNote?) -> String {
        guard let note else { return "" }
        if isMachine { return note.description }
        switch note {
        case .noMainAccount: return text(.noteNoMainAccount)
        case .noFollowersRow: return text(.noteNoFollowersRow)
        case .staleFollowers(let day): return text(.noteStaleFollowers, self.day(day))
        case .cannotDecide: return text(.noteCannotDecide)
        case .noRuleForCategory(let category): return text(.noteNoRuleForCategory, self.category(category))
        case .studentsUnknown(let category): return text(.noteStudentsUnknown, self.category(category))
        case .noRuleForCity(let city): return text(.noteNoRuleForCity, city)
        case .combined(let aggregation, let accounts):
            let statuses = accounts.map { text(.noteAccountStatus, platform($0.platform), status($0.status)) }
            return text(
                .labelled,
                term("aggregation", aggregation.rawValue),
                statuses.joined(separator: text(.noteSeparator))
            )
        case .summed(let platforms):
            return text(
                .labelled,
                term("aggregation", Rule.Aggregation.sum.rawValue),
                platforms.map(platform).joined(separator: " + ")
            )
        case .text(let text): return text
        }
    }

    // MARK: - Numbers

    /// A count: `12000`, or `12,000` for people.
    func count(_ value: Int) -> String { isMachine ? String(value) : NumberFormat.grouped(Double(value), 0) }

    /// A count of followers or reads.
    func integer(_ value: Int64) -> String { isMachine ? String(value) : NumberFormat.grouped(Double(value), 0) }

    /// A threshold: in Chinese `100万` as the notices print it, else like ``integer(_:)``.
    func target(_ value: Int64) -> String {
        if !isMachine, localization.language == .zh, let wan = NumberFormat.wan(value) { return wan }
        return integer(value)
    }

    /// `x` with `digits` decimals.
    func fixed(_ value: Double, _ digits: Int) -> String {
        isMachine ? NumberFormat.fixed(value, digits) : NumberFormat.grouped(value, digits)
    }

    /// `x` rounded to a whole number.
    func whole(_ value: Double) -> String { fixed(value, 0) }

    /// An interval bound: `inf` for machines, `∞` for people.
    func bound(_ value: Double) -> String { isMachine ? NumberFormat.plain(value) : NumberFormat.groupedPlain(value) }

    /// A share of the target: `0.9990`, or `99.90%` for people.
    func ratio(_ value: Double) -> String {
        isMachine ? NumberFormat.fixed(value, 4) : NumberFormat.grouped(value * 100, 2) + "%"
    }

    /// `text` marked when it rests on an estimate: `≈` for an approximate value, `lowerBound`
    /// (`≥`, or `≤` for a figure that falls as the value rises) for a lower bound. Machines
    /// read the quality column instead.
    func marked(_ text: String, _ quality: Quality?, lowerBound: String = "≥") -> String {
        guard !isMachine, !text.isEmpty, let quality else { return text }
        switch quality {
        case .exact: return text
        case .approx: return "≈" + text
        case .lowerBound: return lowerBound + text
        }
    }
}
