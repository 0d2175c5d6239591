/// One kind of back-office export file (WeChat 用户增长, 已通知内容, …): its columns, the other
/// names each column has had in other back-office versions, and the metrics it yields.
///
/// The same table finds the header row, detects the kind when `--kind` is left out (SPEC §1), and
/// maps the drifting header names onto one canonical name per column (PLATFORMS.md §10 "Parsing").
public struct ExportKind: Sendable, Hashable {
    /// The name used with `--kind` and in `[[adapters.import]] kind`: snake_case, unique per platform.
    public var name: String
    /// One sentence: where in the back office the file comes from, a colon, and what it holds
    /// (`用户分析 → 用户增长 "下载表格": daily new, lost and total followers.`).
    public var summary: String
    /// The columns the importer reads, required ones first.
    public var columns: [ExportColumn]
    /// The metrics the kind yields, for `collector adapters` and the conformance suite.
    public var metrics: [MetricDescriptor]
    /// Headers a file of this kind never has: a header row with one of them is another layout
    /// (another platform's export that shares the key and metric columns), not this kind.
    public var absentColumns: [String]
    /// Whose export a header row with ``absentColumns`` most likely is, and how to import it
    /// (`涨粉量 and 平均观看时长 are Kuaishou's …: import it with --platform kuaishou and …`); empty
    /// when the kind does not know.
    public var absentColumnsAdvice: String

    /// Creates a kind.
    public init(
        name: String,
        summary: String,
        columns: [ExportColumn],
        metrics: [MetricDescriptor],
        absentColumns: [String] = [],
        absentColumnsAdvice: String = ""
    ) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.metrics = metrics
        self.absentColumns = absentColumns
        self.absentColumnsAdvice = absentColumnsAdvice
    }

    /// Where in the back office the file is downloaded: ``summary`` up to its first `": "`.
    public var downloadedFrom: String {
        var previous: Character?
        for index in summary.indices {
            if previous == ":", summary[index] == " " { return String(summary[..<summary.index(before: index)]) }
            previous = summary[index]
        }
        return summary
    }

    /// The canonical names of the columns a header row must have to be of this kind.
    public var requiredColumnNames: [String] { columns.filter(\.isRequired).map(\.name) }
}

/// A column of an export kind: its canonical name and the other names it has carried.
public struct ExportColumn: Sendable, Hashable {
    /// The canonical name, as the current back office writes it; importers look columns up by it.
    public var name: String
    /// Other spellings, oldest or rarest last. The canonical name wins when a file has both.
    public var aliases: [String]
    /// Whether a header row must have this column (under any of its names) to match the kind.
    public var isRequired: Bool

    /// Creates a column.
    public init(_ name: String, aliases: [String] = [], required: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.isRequired = required
    }

    /// The canonical name, then the aliases: the order in which header cells are tried.
    public var allNames: [String] { [name] + aliases }
}
