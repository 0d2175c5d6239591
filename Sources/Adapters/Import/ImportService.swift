public import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Imports one back-office export file: opens it by its format, finds its header and kind,
/// and lets the platform's importer (or a column mapping) turn its rows into samples (SPEC §1
/// `collector import`).
public enum ImportService {
    /// Imports the file at `path` as an export of `platform` into `batch`, with only a kind
    /// and an account given.
    public static func importFile(
        path: String,
        platform: Platform,
        kind: String?,
        account: String?,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type],
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        try importFile(
            path: path,
            platform: platform,
            options: ImportOptions(kind: kind, account: account),
            calendar: calendar,
            importers: importers,
            into: batch
        )
    }

    /// Imports the file at `path` as an export of `platform` into `batch`.
    ///
    /// The batch is not committed: the caller commits once the files it imports are in (the
    /// command line after each file, the scheduler after an `[[adapters.import]]` run).
    ///
    /// A workbook is read from its first sheet; when no kind matches there, its other sheets
    /// are tried in order.
    ///
    /// - Parameters:
    ///   - path: The file: CSV or TSV (UTF-8, UTF-16 with BOM, GB18030), `.xlsx`, or JSON records.
    ///   - platform: The platform whose export it is (`--platform`; `any` for the self-report sheet).
    ///   - options: The kind, account, mapping and self-report settings.
    ///   - calendar: The configured timezone, for day stamps.
    ///   - importers: The importers to choose from, normally `ImportAdapter.importers`.
    ///   - batch: Where the samples, catalogue rows and row failures go.
    /// - Returns: What the import did.
    /// - Throws: ``ImportError`` when the file cannot be imported at all; its
    ///   ``ImportError/isStorageFailure`` tells a failing store apart.
    public static func importFile(
        path: String,
        platform: Platform,
        options: ImportOptions,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type],
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        let reader: Reader
        if let mapping = options.mapping {
            if let kind = options.kind, kind != mapping.kind {
                throw ImportError.unknownKindName(kind, platform: platform, kinds: [mapping.exportKind])
            }
            reader = .mapped(mapping)
        } else {
            guard let importer = importers.first(where: { $0.platform == platform }) else {
                throw ImportError.noImporter(path, platform: platform, known: importers.map { $0.platform })
            }
            var kinds = importer.kinds
            if let kind = options.kind {
                guard let chosen = kinds.first(where: { $0.name == kind }) else {
                    throw ImportError.unknownKindName(kind, platform: platform, kinds: kinds)
                }
                kinds = [chosen]
            }
            reader = .importer(importer, kinds: kinds, requested: options.kind != nil)
        }
        let today = options.today ?? calendar.civilDate(of: Timestamp(secondsSinceEpoch: Int64(time(nil))))
        let context = ImportContext(file: path, platform: platform, calendar: calendar, today: today, options: options)
        do {
            return try read(path: path, reader, platform: platform, context: context, into: batch)
        } catch {
            // A file dropped into the wrong platform's folder is the usual cause: say whose
            // export it looks like, instead of only listing this platform's kinds.
            guard error.label == "unknownKind" || error.label == "kindMismatch",
                let (other, kind) = otherPlatformKind(of: path, besides: platform, importers: importers)
            else { throw error }
            var hinted = error
            let belongs =
                other == SelfReportImporter.platform
                ? "the self-report sheet: import it with --platform any"
                : "a \(other) \(kind.name) export: import it with --platform \(other), or drop it into "
                    + "the folder of a \(other) [[adapters.import]] section"
            hinted.message += "; this file looks like \(belongs)"
            throw hinted
        }
    }

    /// The first of another platform's export kinds whose header `path` has, with its
    /// platform; only looked for once the file matched none of its own platform's kinds.
    private static func otherPlatformKind(
        of path: String,
        besides platform: Platform,
        importers: [any ExportImporter.Type]
    ) -> (Platform, ExportKind)? {
        for importer in importers where importer.platform != platform {
            let reader = Reader.importer(importer, kinds: importer.kinds, requested: false)
            let matched: MatchedHeader?
            switch try? TableOpener.open(path: path) {
            case .text(var table): matched = try? match(&table, reader, platform: importer.platform)
            case .records(var table): matched = try? match(&table, reader, platform: importer.platform)
            case .workbook(var table): matched = try? match(&table, reader, platform: importer.platform)
            case nil: return nil
            }
            if let matched { return (importer.platform, matched.kind) }
        }
        return nil
    }

    /// Opens `path` by its format, finds the header and imports the rows.
    private static func read(
        path: String,
        _ reader: Reader,
        platform: Platform,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        var context = context
        switch try TableOpener.open(path: path) {
        case .text(var table):
            let header = try match(&table, reader, platform: platform)
            if let check = idCheck(header, reader, platform: platform),
                case .text(var again) = try TableOpener.open(path: path)
            {
                try check.check(&again) { _ in [] }
            }
            // Short rows and a last row cut off by the end of the file are reported, not imported.
            var rows = CSVDataRows(table, header: header, batch: batch)
            var report = try run(&rows, header: header, reader, context: context, into: batch)
            // An importer may stop before the end (a second block); what it saw is still reported.
            report.failures += rows.finish()
            let separated = rows.table.delimiter == UInt8(ascii: "\t") ? "tsv" : "csv"
            report.format = "\(separated) (\(rows.table.encoding?.rawValue ?? "UTF-8"))"
            return report
        case .records(var table):
            let header = try match(&table, reader, platform: platform)
            if let check = idCheck(header, reader, platform: platform),
                case .records(var again) = try TableOpener.open(path: path)
            {
                try check.check(&again) { _ in [] }
            }
            var report = try run(&table, header: header, reader, context: context, into: batch)
            report.format = table.format
            return report
        case .workbook(var table):
            let names = table.sheetNames
            var header: MatchedHeader
            do {
                header = try match(&table, reader, platform: platform)
            } catch {
                guard !error.isStorageFailure, error.label == "unknownKind" || error.label == "kindMismatch" else {
                    throw error
                }
                var found: (XLSXTable, MatchedHeader)?
                for name in names where name != table.sheetName {
                    var other = try XLSXTable(path: path, sheet: name)
                    if let matched = try? match(&other, reader, platform: platform) {
                        found = (other, matched)
                        break
                    }
                }
                guard let found else { throw error }
                (table, header) = found
            }
            if let check = idCheck(header, reader, platform: platform) {
                var again = try XLSXTable(path: path, sheet: table.sheetName)
                try check.check(&again) { $0.longNumberColumns }
            }
            context.workbook = WorkbookSheets(names: names, current: table.sheetName) { name throws(ImportError) in
                try XLSXTable(path: path, sheet: name)
            }
            var report = try run(&table, header: header, reader, context: context, into: batch)
            report.format = "xlsx (sheet \(table.sheetName))"
            return report
        }
    }

    /// How the rows are read: by a platform's importer or through a mapping.
    private enum Reader {
        case importer(any ExportImporter.Type, kinds: [ExportKind], requested: Bool)
        case mapped(ColumnMapping)
    }

    /// The check of the id column before the rows are imported (``IDColumnCheck``), if the
    /// file has one.
    private static func idCheck(_ header: MatchedHeader, _ reader: Reader, platform: Platform) -> IDColumnCheck? {
        switch reader {
        case .importer: IDColumnCheck(header: header, platform: platform, mapping: nil)
        case .mapped(let mapping): IDColumnCheck(header: header, platform: platform, mapping: mapping)
        }
    }

    private static func match(
        _ table: inout some Table,
        _ reader: Reader,
        platform: Platform
    ) throws(ImportError) -> MatchedHeader {
        switch reader {
        case .importer(_, let kinds, let requested):
            try HeaderMatcher.match(&table, kinds: kinds, platform: platform, requested: requested)
        case .mapped(let mapping):
            try HeaderMatcher.match(&table, kinds: [mapping.exportKind], platform: platform, requested: true)
        }
    }

    private static func run(
        _ table: inout some Table,
        header: MatchedHeader,
        _ reader: Reader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        let failuresBefore = batch.failures.count
        let samplesBefore = batch.addedCount
        let rows: Int
        switch reader {
        case .importer(let importer, _, _):
            rows = try importer.init().importRows(of: &table, header: header, context: context, into: batch)
        case .mapped(let mapping):
            rows = try MappedImporter(mapping: mapping).importRows(
                of: &table,
                header: header,
                context: context,
                into: batch
            )
        }
        return ImportReport(
            file: table.name,
            format: "",
            platform: context.platform,
            kind: header.kind.name,
            account: context.account ?? "(per row)",
            headerLine: header.line,
            rows: rows,
            samples: batch.addedCount - samplesBefore,
            failures: batch.failures.count - failuresBefore
        )
    }
}
