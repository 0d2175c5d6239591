public import Collector

/// Imports one back-office export file: opens it by its format, finds its header and kind,
/// and lets the platform's importer turn its rows into samples (SPEC §1 `collector import`).
public enum ImportService {
    /// Imports the file at `path` as an export of `platform` into `batch`.
    ///
    /// The batch is not committed: the caller commits once the files it imports are in (the
    /// command line after each file, the scheduler after an `[[adapters.import]]` run).
    ///
    /// - Parameters:
    ///   - path: The file: CSV or TSV (UTF-8, UTF-16 with BOM, GB18030) or `.xlsx`.
    ///   - platform: The platform whose export it is (`--platform`).
    ///   - kind: The export kind (`--kind`); detected from the headers when nil.
    ///   - account: The account the file belongs to (`--account`); required while no importer
    ///     reads the account from the file.
    ///   - calendar: The configured timezone, for day stamps.
    ///   - importers: The importers to choose from, normally `ImportAdapter.importers`.
    ///   - batch: Where the samples, catalogue rows and bad-cell failures go.
    /// - Returns: What the import did.
    /// - Throws: ``ImportError`` when the file cannot be imported at all; its
    ///   ``ImportError/isStorageFailure`` tells a failing store apart.
    public static func importFile(
        path: String,
        platform: Platform,
        kind: String?,
        account: String?,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type],
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        guard let importer = importers.first(where: { $0.platform == platform }) else {
            throw ImportError.noImporter(path, platform: platform, known: importers.map { $0.platform })
        }
        var kinds = importer.kinds
        if let kind {
            guard let chosen = kinds.first(where: { $0.name == kind }) else {
                throw ImportError.unknownKindName(kind, platform: platform, kinds: kinds)
            }
            kinds = [chosen]
        }
        let request = Request(
            platform: platform,
            kinds: kinds,
            kindRequested: kind != nil,
            account: account,
            calendar: calendar,
            importer: importer
        )
        switch try TableOpener.open(path: path) {
        case .text(var table):
            var report = try run(&table, request, into: batch)
            let separated = table.delimiter == UInt8(ascii: "\t") ? "tsv" : "csv"
            report.format = "\(separated) (\(table.encoding?.rawValue ?? "UTF-8"))"
            return report
        case .workbook(var table):
            var report = try run(&table, request, into: batch)
            report.format = "xlsx (sheet \(table.sheetName))"
            return report
        }
    }

    private struct Request {
        var platform: Platform
        var kinds: [ExportKind]
        var kindRequested: Bool
        var account: String?
        var calendar: PlatformCalendar
        var importer: any ExportImporter.Type
    }

    private static func run(
        _ table: inout some Table,
        _ request: Request,
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        let header = try HeaderMatcher.match(
            &table,
            kinds: request.kinds,
            platform: request.platform,
            requested: request.kindRequested
        )
        guard let account = request.account, !account.isEmpty else { throw ImportError.missingAccount(table.name) }
        let failuresBefore = batch.failures.count
        let samplesBefore = batch.addedCount
        let importer = request.importer.init()
        let rows = try importer.importRows(
            of: &table,
            header: header,
            kind: header.kind,
            account: account,
            calendar: request.calendar,
            into: batch
        )
        return ImportReport(
            file: table.name,
            format: "",
            platform: request.platform,
            kind: header.kind.name,
            account: account,
            headerLine: header.line,
            rows: rows,
            samples: batch.addedCount - samplesBefore,
            failures: batch.failures.count - failuresBefore
        )
    }
}
