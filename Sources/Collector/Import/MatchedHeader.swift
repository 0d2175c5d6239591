/// The header row of an export file, matched to an ``ExportKind``: which cell holds which of the
/// kind's columns, whatever the back-office version called it.
public struct MatchedHeader: Sendable, Hashable {
    /// The kind the header matched.
    public var kind: ExportKind
    /// The line (or sheet row) of the header.
    public var line: Int
    /// The header cells as written in the file.
    public var cells: [String]
    /// The cell index of each of the kind's columns present, by canonical name.
    public var columns: [String: Int]
    /// The non-blank rows above the header: titles, export ranges, notes.
    public var preamble: [TableRow]

    /// Creates a match.
    public init(kind: ExportKind, line: Int, cells: [String], columns: [String: Int], preamble: [TableRow] = []) {
        self.kind = kind
        self.line = line
        self.cells = cells
        self.columns = columns
        self.preamble = preamble
    }

    /// The index of the cell holding the column of canonical name `name`, when the file has it.
    public func index(of name: String) -> Int? { columns[name] }

    /// The header as written in the file for cell `index`, for messages.
    public func title(ofCell index: Int) -> String {
        index < cells.count ? cells[index] : "column \(index + 1)"
    }
}
