/// One table of a report as text cells: the common ground of the Markdown, CSV and HTML output.
public struct ReportTable: Sendable, Hashable {
    /// A stable identifier, also the CSV file name: `attainment`, `ranking`, ….
    public var id: String
    /// The heading.
    public var title: String
    /// A sentence on how the figures are obtained (Markdown and HTML only).
    public var note: String
    /// The column names, snake_case, in a stable order.
    public var columns: [String]
    /// The cells, already formatted; an empty cell means "not applicable" or "unknown".
    public var rows: [[String]]
    /// The positions of the columns that hold text from the registry or the rules (names,
    /// titles, notes), not numbers, dates or codes: the CSV output neutralises a cell there that
    /// a spreadsheet would run as a formula.
    public var textColumns: Set<Int>

    /// Creates a table.
    public init(
        id: String,
        title: String,
        note: String = "",
        columns: [String],
        textColumns: Set<Int> = [],
        rows: [[String]]
    ) {
        self.id = id
        self.title = title
        self.note = note
        self.columns = columns
        self.rows = rows
        self.textColumns = textColumns
    }
}
