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
    /// In a workbook, every sheet Excel shows whose header matches the kind of the first one
    /// that matches is imported, in workbook order; hidden sheets never are.
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
            guard error.label == "unknownKind" || error.label == "kindMismatch" else { throw error }
            guard let (other, kind) = otherPlatformKind(of: path, besides: platform, importers: importers) else {
                // Another platform's export that shares a kind's columns is refused by that
                // kind's absent columns: say which it has, and whose export they make it.
                guard let (kind, absent) = kindRefusingAbsentColumns(of: path, importers: importers) else {
                    throw error
                }
                var hinted = error
                hinted.message +=
                    "; it has \(absent.joined(separator: ", ")), which a \(kind.platform) \(kind.kind.name) export "
                    + "never has: "
                    + (kind.kind.absentColumnsAdvice.isEmpty
                        ? "it is most likely another platform's export; import it with that platform's --platform, "
                            + "and a column mapping where the platform has no built-in kind (docs/imports.md)"
                        : kind.kind.absentColumnsAdvice)
                throw hinted
            }
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
            if let matched = header(of: path, matchedBy: reader, platform: importer.platform) {
                return (importer.platform, matched.kind)
            }
        }
        return nil
    }

    /// The header of the file at `path` that `reader` matches; nil when it matches none or the
    /// file cannot be opened (these guesses only add advice to a refusal).
    private static func header(of path: String, matchedBy reader: Reader, platform: Platform) -> MatchedHeader? {
        switch try? TableOpener.open(path: path) {
        case .text(var table): try? match(&table, reader, platform: platform)
        case .records(var table): try? match(&table, reader, platform: platform)
        case .workbook(var table): try? match(&table, reader, platform: platform)
        case nil: nil
        }
    }

    /// The first built-in kind (of any platform, `platform`'s own included) whose header `path`
    /// would match but for the kind's ``ExportKind/absentColumns``, with those it has; only looked
    /// for once the file matched no kind at all.
    private static func kindRefusingAbsentColumns(
        of path: String,
        importers: [any ExportImporter.Type]
    ) -> ((platform: Platform, kind: ExportKind), [String])? {
        for importer in importers {
            for kind in importer.kinds where !kind.absentColumns.isEmpty {
                var unguarded = kind
                unguarded.absentColumns = []
                let reader = Reader.importer(importer, kinds: [unguarded], requested: false)
                guard let matched = header(of: path, matchedBy: reader, platform: importer.platform) else { continue }
                let absent = HeaderMatcher.absent(of: kind, in: matched.cells.map(HeaderMatcher.normalize))
                if !absent.isEmpty { return ((importer.platform, kind), absent) }
            }
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
        switch try TableOpener.open(path: path) {
        case .text(var table):
            let header = try match(&table, reader, platform: platform)
            // Rows are returned whole up to the header, so a row without its line end so far is
            // the header itself: the file ends inside it.
            if let line = table.unterminatedLine { throw ImportError.cutShortHeader(table.name, line: line) }
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
        case .workbook(let table):
            return try readWorkbook(table, reader, platform: platform, context: context, into: batch)
        }
    }

    /// Imports every sheet of a workbook whose header matches: the sheets Excel shows are
    /// tried in workbook order, the first that matches decides the kind, and every one of that
    /// kind is imported, in that order (docs/imports.md, "Sheets"). Sheets of no kind (notes,
    /// 说明) are passed over; a sheet of another kind, and a hidden sheet that would have
    /// matched, are named in a notice. Each sheet is checked as a file of its own
    /// (``IDColumnCheck``), all of them before any row is imported.
    private static func readWorkbook(
        _ opened: XLSXTable,
        _ reader: Reader,
        platform: Platform,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> ImportReport {
        let path = opened.name
        // The first matching sheet stays open for its import; the others are opened again then,
        // so that only one sheet's part is unpacked at a time.
        var first: (table: XLSXTable, header: MatchedHeader)?
        var sheets: [(name: String, header: MatchedHeader)] = []
        var otherKinds: [String] = []
        var refusal: ImportError?
        for name in opened.visibleSheetNames {
            var table = name == opened.sheetName ? opened : try opened.sheet(name)
            let header: MatchedHeader
            do {
                header = try match(&table, reader, platform: platform)
            } catch {
                guard !error.isStorageFailure, error.label == "unknownKind" || error.label == "kindMismatch" else {
                    throw error
                }
                refusal = refusal ?? error
                continue
            }
            if let kind = sheets.first?.header.kind, kind.name != header.kind.name {
                otherKinds.append("\(name) (\(header.kind.name))")
                continue
            }
            if first == nil { first = (table, header) }
            sheets.append((name, header))
        }
        // Hidden sheets are never imported; one that would have matched is named.
        var hidden: [String] = []
        for name in opened.hiddenSheetNames {
            guard var table = try? opened.sheet(name), let header = try? match(&table, reader, platform: platform)
            else { continue }
            if let kind = sheets.first?.header.kind, kind.name != header.kind.name { continue }
            hidden.append(name)
        }
        guard let first, let kind = sheets.first?.header.kind else {
            // `refusal` is set whenever no sheet matched, unless the workbook has no sheet.
            var error = refusal ?? ImportError.empty(path)
            if !hidden.isEmpty {
                error.message +=
                    "; the hidden \(hidden.count == 1 ? "sheet" : "sheets") \(hidden.joined(separator: ", ")) "
                    + "\(hidden.count == 1 ? "has" : "have") a matching header, but hidden sheets are not imported "
                    + "(a template, an old copy): if the data is there, unhide the sheet (right-click a sheet tab > "
                    + "Unhide, 右键工作表标签 → 取消隐藏), save the file and import it again"
            }
            throw error
        }
        if !hidden.isEmpty {
            batch.recordNotice(hiddenSheetsNotice(path, hidden, kind: kind.name))
        }
        if !otherKinds.isEmpty {
            batch.recordNotice(otherKindSheetsNotice(path, otherKinds, kind: kind.name))
        }
        // With several sheets, every message names the sheet its line is on.
        let several = sheets.count > 1
        if several {
            batch.recordNotice(severalSheetsNotice(path, sheets.map(\.name), kind: kind.name))
        }
        func label(_ table: inout XLSXTable) {
            if several { table.name = "\(path) [sheet \(table.sheetName)]" }
        }
        // Every sheet is checked before any row of the file is imported: rows go to the store as
        // they are read, so a refusal of the second sheet would leave the first one's in.
        for sheet in sheets {
            guard let check = idCheck(sheet.header, reader, platform: platform) else { continue }
            var again = try opened.sheet(sheet.name)
            label(&again)
            try check.check(&again) { $0.longNumberColumns }
        }
        var report = ImportReport(
            file: path,
            format: several
                ? "xlsx (sheets \(sheets.map(\.name).joined(separator: ", ")))"
                : "xlsx (sheet \(first.table.sheetName))",
            platform: context.platform,
            kind: kind.name,
            account: context.account ?? "(per row)",
            headerLine: first.header.line,
            rows: 0,
            samples: 0,
            failures: 0
        )
        for (position, sheet) in sheets.enumerated() {
            var table: XLSXTable
            if position == 0 {
                table = first.table
            } else {
                // Positioned after the header again: the same rows give the same header.
                table = try opened.sheet(sheet.name)
                _ = try match(&table, reader, platform: platform)
            }
            label(&table)
            var sheetContext = context
            sheetContext.file = table.name
            sheetContext.workbook = WorkbookSheets(names: opened.visibleSheetNames, current: sheet.name) {
                name throws(ImportError) in try XLSXTable(path: path, sheet: name)
            }
            let sheetReport = try run(&table, header: sheet.header, reader, context: sheetContext, into: batch)
            report.rows += sheetReport.rows
            report.samples += sheetReport.samples
            report.failures += sheetReport.failures
        }
        return report
    }

    /// The notice of a workbook whose `sheets` of `kind` were all imported: the same content
    /// or day on two of them keeps the later sheet's figures, as files given in order do.
    private static func severalSheetsNotice(_ path: String, _ sheets: [String], kind: String) -> CollectionFailure {
        CollectionFailure(
            adapter: "import",
            account: path,
            label: "severalSheets",
            message: "imported the \(sheets.count) \(kind) sheets \(sheets.joined(separator: ", ")) in this order: a "
                + "content (or day) on more than one of them keeps the figures of the last one, as with files imported "
                + "one after another; if a sheet holds an older download than a sheet after it, move it before that "
                + "sheet (drag its tab) and import the file again"
        )
    }

    /// The notice of hidden sheets of `path` with a `kind` header, which were not imported.
    private static func hiddenSheetsNotice(_ path: String, _ names: [String], kind: String) -> CollectionFailure {
        let one = names.count == 1
        return CollectionFailure(
            adapter: "import",
            account: path,
            label: "hiddenSheet",
            message: "the hidden \(one ? "sheet" : "sheets") \(names.joined(separator: ", ")) "
                + "\(one ? "has" : "have") a \(kind) header too and \(one ? "was" : "were") not imported: hidden sheets "
                + "are never imported (a template, an old copy); if one holds data to import, unhide it (right-click a "
                + "sheet tab > Unhide, 右键工作表标签 → 取消隐藏), save the file and import it again"
        )
    }

    /// The notice of sheets of `path` that match another kind than the `kind` imported.
    private static func otherKindSheetsNotice(_ path: String, _ sheets: [String], kind: String) -> CollectionFailure {
        let one = sheets.count == 1
        return CollectionFailure(
            adapter: "import",
            account: path,
            label: "otherSheet",
            message:
                "\(one ? "sheet" : "sheets") \(sheets.joined(separator: ", ")) \(one ? "is" : "are") another kind of "
                + "export than the \(kind) sheets imported, and \(one ? "was" : "were") not imported: a file is imported "
                + "as one kind; move \(one ? "that sheet" : "each of them") into a workbook of its own (right-click the "
                + "sheet tab > Move or Copy > (new book), 右键工作表标签 → 移动或复制 → (新工作簿)) and import that"
        )
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
