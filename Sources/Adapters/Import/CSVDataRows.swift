import Collector

/// The data rows of a CSV (or TSV) export after its header: the table an importer reads, with
/// the rows whose values cannot be trusted left out and reported in the batch.
///
/// - A row with fewer cells than the header (counted to its last titled cell) is skipped, label
///   `shortRow`: its cells cannot be matched to their columns for sure. The first
///   ``BadCellLog/limitPerColumn`` are listed; one `shortRows` failure counts the rest.
/// - A last row the file ends inside of (``CSVTable/cutShortRow``) is skipped, label `cutShort`:
///   a download cut short ends that way, and the row's last cell may be cut (`18` of `182408`),
///   which would store a wrong value as exact. (A header the file ends inside of refuses the
///   whole file before this: ``ImportError/cutShortHeader(_:line:)``.)
/// - Bytes that are not valid text in the file's encoding (read as U+FFFD) are reported once,
///   label `invalidText`, naming the first row holding one: the importers refuse an id that
///   holds one (``RowImport/isRefusedID(_:_:column:advice:)``), but a title keeps it.
///
/// Blank rows (every cell empty) and summary rows (`合计`, …) pass through, short or not: they
/// hold no data, and the importers skip them. Rows with more cells than the header pass too:
/// Excel writes trailing empty cells wherever a title row is wider than the table.
struct CSVDataRows: Table {
    /// The underlying file, for its delimiter and encoding.
    private(set) var table: CSVTable
    private let headerWidth: Int
    private let batch: SampleBatch
    private var shortRows = 0
    private var finished = false

    /// Reads the rows of `table`, positioned after `header`, reporting into `batch`.
    init(_ table: CSVTable, header: MatchedHeader, batch: SampleBatch) {
        self.table = table
        self.table.withholdsCutShortRow = true
        self.batch = batch
        // Empty header cells at the end are no columns: a row may stop before them.
        headerWidth = (header.cells.lastIndex { !CellText.trimmed($0).isEmpty } ?? -1) + 1
    }

    var name: String { table.name }

    mutating func nextRow() throws(ImportError) -> TableRow? {
        while let row = try table.nextRow() {
            if keeps(number: row.number, count: row.cells.count, isBlank: row.isBlank, cells: { row.cells }) {
                return row
            }
        }
        finish()
        return nil
    }

    mutating func nextRow(into row: inout ByteRow) throws(ImportError) -> Bool {
        while try table.nextRow(into: &row) {
            if keeps(number: row.number, count: row.count, isBlank: row.isBlank, cells: { row.cells }) { return true }
        }
        finish()
        return false
    }

    /// Records the withheld last row and the short rows not listed one by one; does nothing
    /// the second time. The rows call it at the end of the file; call it too when an importer
    /// may stop before the end.
    ///
    /// - Returns: The failures recorded by this call.
    @discardableResult
    mutating func finish() -> Int {
        guard !finished else { return 0 }
        finished = true
        var recorded = 0
        let file = table.name
        if shortRows > BadCellLog.limitPerColumn {
            recorded += 1
            batch.recordFailure(
                CollectionFailure(
                    adapter: "import",
                    account: file,
                    object: "file",
                    label: "shortRows",
                    message: "\(file): \(shortRows) rows had fewer cells than the header and were not imported; "
                        + "\(shortRows - BadCellLog.limitPerColumn) more than the \(BadCellLog.limitPerColumn) listed"
                )
            )
        }
        if let line = table.firstInvalidLine {
            recorded += 1
            let count = table.invalidSequences
            let encoding = table.encoding?.rawValue ?? "UTF-8"
            batch.recordFailure(
                CollectionFailure(
                    adapter: "import",
                    account: file,
                    object: "line \(line)",
                    label: "invalidText",
                    message: "\(file):\(line): the file holds \(count == 1 ? "a byte" : "\(count) bytes") that "
                        + "\(count == 1 ? "is" : "are") not valid \(encoding) text, the first on this line (read as "
                        + "\u{FFFD}): the file looks damaged; a row whose id holds one was not imported, a title keeps "
                        + "\u{FFFD}; download the export again"
                )
            )
        }
        if let cut = table.cutShortRow {
            recorded += 1
            let what =
                switch cut {
                case .noLineEnd:
                    "the file ends inside this row (no line end): it looks cut short, as by an interrupted "
                        + "download; the row was not imported; download the export again (or end the line if the row "
                        + "is complete)"
                case .unclosedQuote:
                    "a quoted cell that starts on this line is never closed, so the rest of the file is inside it: "
                        + "the file looks cut short, as by an interrupted download; the row was not imported; download "
                        + "the export again (or close the quote if the row is complete)"
                }
            batch.recordFailure(
                CollectionFailure(
                    adapter: "import",
                    account: file,
                    object: "line \(cut.line)",
                    label: "cutShort",
                    message: "\(file):\(cut.line): " + what
                )
            )
        }
        return recorded
    }

    /// Whether the row on line `number` goes to the importer; a short row is reported instead.
    /// `cells` is asked for only when the row is short.
    private mutating func keeps(number: Int, count: Int, isBlank: Bool, cells: () -> [String]) -> Bool {
        guard count < headerWidth, !isBlank else { return true }
        let texts = cells()
        if let first = texts.first(where: { !CellText.trimmed($0).isEmpty }),
            CellText.isSummaryLabel(first)
        {
            return true
        }
        shortRows += 1
        guard shortRows <= BadCellLog.limitPerColumn else { return false }
        let file = table.name
        batch.recordFailure(
            CollectionFailure(
                adapter: "import",
                account: file,
                object: "line \(number)",
                label: "shortRow",
                message: "\(file):\(number): the row has \(count) \(count == 1 ? "cell" : "cells"), the header "
                    + "has \(headerWidth): cells are missing, so its values cannot be matched to their columns; "
                    + "the row was not imported; download the export again (or delete the line if it is a note, "
                    + "not data)"
            )
        )
        return false
    }
}
