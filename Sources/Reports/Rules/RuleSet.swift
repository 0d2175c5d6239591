public import Collector

/// A rules file: one notice's follower targets as data with effective dates
/// (COUNTS_AND_TARGETS.md §4.2), plus the index settings its reports use.
///
/// Load it with ``load(path:)``, or ``load(named:)`` for a user's argument that may name a
/// built-in set; `rules/shandong-2022-16.toml` (built in as `shandong-2022-16`) encodes
/// 鲁教办函〔2022〕16号.
public struct RuleSet: Sendable, Hashable {
    /// When a target falls due.
    public enum Deadline: Sendable, Hashable, CustomStringConvertible {
        /// An instant with an offset: `2023-12-31T23:59:59+08:00`.
        case instant(Timestamp)
        /// The end of a calendar day in the report's timezone: `2023-12-31`.
        case day(CivilDate)

        /// The calendar day the deadline falls on in `calendar`.
        public func date(in calendar: PlatformCalendar) -> CivilDate {
            switch self {
            case .instant(let time): calendar.civilDate(of: time)
            case .day(let date): date
            }
        }

        /// The instant as a Unix second, or the day.
        public var description: String {
            switch self {
            case .instant(let time): "@" + time.description
            case .day(let date): date.description
            }
        }
    }

    /// The file the rules came from, for messages.
    public var path: String
    /// The notice, e.g. `鲁教办函〔2022〕16号 (2022-11-01)`.
    public var source: String
    /// The province or area the notice covers (may be empty).
    public var region: String
    /// The day the notice was issued, if given.
    public var issued: CivilDate?
    /// The default deadline of the targets.
    public var deadline: Deadline?
    /// The default metric of the rules (`followers`).
    public var metric: String
    /// The rules, in file order.
    public var rules: [Rule]
    /// Index weights and variants.
    public var index: IndexSettings

    /// Creates a rule set in code (tests, other sources); files go through ``parse(text:path:)``.
    public init(
        path: String = "",
        source: String,
        region: String = "",
        issued: CivilDate? = nil,
        deadline: Deadline? = nil,
        metric: String = "followers",
        rules: [Rule],
        index: IndexSettings = IndexSettings()
    ) {
        self.path = path
        self.source = source
        self.region = region
        self.issued = issued
        self.deadline = deadline
        self.metric = metric
        self.rules = rules
        self.index = index
    }

    /// Reads and validates a rules file.
    ///
    /// - Throws: ``ReportError`` listing every problem with its line, or the read failure.
    public static func load(path: String) throws(ReportError) -> RuleSet {
        let bytes: [UInt8]?
        do {
            bytes = try FileSystem.readFileIfPresent(path)
        } catch {
            throw ReportError(file: path, line: nil, message: "cannot read the rules file: \(error)")
        }
        guard let bytes else {
            // Where a relative path was looked for: a report is often run from another folder
            // than the rules' (the service's, /var/lib/collector), and a name alone reads the
            // built-in copy from any folder.
            let place =
                path.hasPrefix("/")
                ? ""
                : ": looked for \(FileSystem.absolute(path)) (a relative path is taken from the working directory, "
                    + "\(FileSystem.currentDirectory()))"
            throw ReportError(
                file: path,
                line: nil,
                message: "the rules file does not exist\(place); check the path, or name a rule set built into "
                    + "collector: \(builtInNames.joined(separator: ", "))"
            )
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReportError(file: path, line: nil, message: "the rules file is not valid UTF-8; save it as UTF-8")
        }
        return try parse(text: text, path: path)
    }

    /// Parses and validates the text of a rules file; `path` names it in messages.
    ///
    /// - Throws: ``ReportError`` listing every problem with its line.
    public static func parse(text: String, path: String) throws(ReportError) -> RuleSet {
        var parser = RuleSetParser(text: text, path: path)
        return try parser.parse()
    }

    /// The rules that judge followers of a unit with these registry values during `from…to`, in file order.
    public func followerRules(category: String, city: String, students: Int?, from: CivilDate, to: CivilDate) -> [Rule]
    {
        rules.filter {
            $0.judgesFollowers && $0.isEffective(from: from, to: to)
                && $0.selects(category: category, city: city, students: students)
        }
    }

    /// The deadline of `rule`: its own, else the file's.
    public func deadline(of rule: Rule) -> Deadline? {
        rule.kind == .target ? (rule.deadline ?? deadline) : nil
    }
}
