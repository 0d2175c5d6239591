/// Turns the rows of one platform's back-office export files into samples
/// (`collector import`, `[[adapters.import]]`; PLATFORMS.md §1.8, §1.11).
///
/// The import service opens the file, finds its header row and kind with ``kinds``, and then
/// hands the table, positioned after the header, to ``importRows(of:header:context:into:)``.
/// Register the type in `ImportAdapter.importers`.
///
/// ## Implementation requirements
/// - Declare every kind the importer reads in ``kinds``, with its required columns and the
///   header names of older back-office versions as aliases; emit only the metrics listed there.
/// - Read the rows with `nextRow()` until it returns nil, skipping blank rows.
/// - Take the account from the file when it names it, else from ``ImportContext/requireAccount()``.
/// - Stamp a value that describes a platform day at 00:00 of that day in `context.calendar`
///   (SPEC §3); read dates as Beijing calendar days (``DateTimeCell``).
/// - Read every count through ``CountString`` and every rate or duration through
///   ``MeasureString`` (``CellReader``).
/// - A missing value (`-`, empty) gives no sample, never 0.
/// - A cell that cannot be read is recorded with `batch.recordFailure` (label `badCell`, object
///   `line N`, a message naming the file, line, column and value) and the import goes on.
/// - Throw only when the file itself cannot be read further; wrap the batch's storage errors
///   in ``ImportError/storage(_:_:)``.
public protocol ExportImporter: Sendable {
    /// The platform whose exports this reads.
    static var platform: Platform { get }
    /// The export kinds this reads.
    static var kinds: [ExportKind] { get }

    /// Creates an importer.
    init()

    /// Imports the data rows of `table` (positioned after `header`, whose ``MatchedHeader/kind``
    /// is one of ``kinds``).
    ///
    /// - Returns: the number of data rows read.
    func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int
}
