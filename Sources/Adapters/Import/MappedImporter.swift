import Collector

/// Imports a sheet through a ``ColumnMapping`` (`collector import --mapping FILE`,
/// `[[adapters.import]] columns`): the mapping says which header holds which metric, and when
/// and for which object and account each row's values are stamped.
///
/// - time: by the mapping's ``ColumnMapping/TimeStamp`` rule, always 00:00 of a Beijing day in
///   the configured timezone.
/// - object: the `object` column; else, when the mapping has a title and a publishing time,
///   ``DerivedObjectID``; else the row is account-level.
/// - account: the `account` column (a sheet of several accounts), else `--account`.
/// - objects.csv: the title's first line, the link and the publishing time, when mapped.
struct MappedImporter {
    let mapping: ColumnMapping

    /// Imports the rows of `table` positioned after `header` (matched against the mapping's kind).
    func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        func column(_ role: ColumnMapping.Role) -> Int? {
            mapping.columnName(of: role).flatMap { header.index(of: $0) }
        }
        var metricEntries: [(String, MetricName, ValueKind)] = []
        for column in mapping.columns {
            // Every header of a metric is one column: the first header names it.
            guard case .metric(let name, let kind) = column.role, !metricEntries.contains(where: { $0.1 == name })
            else { continue }
            metricEntries.append((column.header, name, kind))
        }
        guard metricEntries.contains(where: { header.index(of: $0.0) != nil }) else {
            throw ImportError.mappingMismatch(
                table.name,
                line: header.line,
                mapping: mapping.origin,
                metricHeaders: mapping.columns.compactMap {
                    if case .metric = $0.role { return $0.header }
                    return nil
                },
                headersFound: header.cells.filter { !$0.allSatisfy(\.isWhitespace) }
            )
        }
        if let notice = MappedImporter.columnsNotRead(header, mapping: mapping, file: table.name) {
            batch.recordNotice(notice)
        }
        // A column refused for its unit is reported here; the rows' other columns still count.
        let metrics = header.metricColumns(metricEntries, file: table.name, batch: batch)
        let timeColumn = column(.time)
        let publishedColumn = column(.publishedAt)
        let objectColumn = column(.object)
        let accountColumn = column(.account)
        let titleColumn = column(.title)
        let urlColumn = column(.url)
        let fixedAccount = context.account
        if accountColumn == nil && fixedAccount == nil { throw ImportError.missingAccount(context.file) }
        let importDay = context.calendar.startOfDay(context.today)

        var output = RowImport(file: table.name, header: header, batch: batch)
        var rows = 0
        // With a registry, the accounts a sheet names must be in it, as on the self-report
        // sheet: another platform's sheet saved into this folder names accounts of that one.
        let registered = context.options.registry.map { Set($0.accounts(for: mapping.platform)) }
        // Per account, read from objects.csv the first time a row of it needs an id.
        var catalogued: [String: CataloguedWorks] = [:]
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            if CellText.isSummaryRow(row) { continue }
            rows += 1
            var time = importDay
            var published: DateTimeCell?
            if let publishedColumn {
                let cell = row[cell: publishedColumn]
                published = DateTimeCell(cell)
                if published == nil {
                    // Needed when it stamps the row or makes its id; else only objects.csv misses it.
                    if mapping.timeStamp == .publishedDay || mapping.derivesObjectID {
                        output.badDate(row, column: publishedColumn, role: .publishingTime, today: context.today)
                        continue
                    }
                    if !CellText.trimmed(cell).isEmpty {
                        output.badCell(
                            row,
                            column: publishedColumn,
                            reason: "\"\(cell)\" is not \(DateTimeCell.expected)"
                        )
                    }
                }
            }
            if let published, let publishedColumn,
                output.isFuture(published.date, row, column: publishedColumn, context: context)
            {
                continue
            }
            switch mapping.timeStamp {
            case .time:
                guard let timeColumn, let day = DateTimeCell(row[cell: timeColumn]) else {
                    output.badDate(row, column: timeColumn ?? 0, role: .countedDay, today: context.today)
                    continue
                }
                if output.isFuture(day.date, row, column: timeColumn, context: context) { continue }
                time = context.calendar.startOfDay(day.date)
            case .publishedDay:
                if let published { time = context.calendar.startOfDay(published.date) }
            case .importDay:
                break
            }
            var account = fixedAccount ?? ""
            if let accountColumn {
                let cell = CellText.trimmed(row[cell: accountColumn])
                if !cell.isEmpty { account = cell }
                guard !account.isEmpty else {
                    output.badRow(row, column: accountColumn, expected: "an account id (or pass --account)")
                    continue
                }
                if !cell.isEmpty {
                    if output.isRefusedID(account, row, column: accountColumn) { continue }
                    if let registry = context.options.registry, let registered, !registered.contains(account) {
                        batch.recordFailure(
                            MappedImporter.unknownAccount(
                                account,
                                line: row.number,
                                file: table.name,
                                registry: registry,
                                platform: mapping.platform
                            )
                        )
                        continue
                    }
                }
            }
            var object = ""
            // The catalogued title of a work found across an Excel re-save (CataloguedWorks).
            var catalogueTitle: String?
            if let objectColumn {
                object = CellText.trimmed(row[cell: objectColumn])
                guard !object.isEmpty else {
                    output.badRow(row, column: objectColumn, expected: "a content id")
                    continue
                }
                if output.isRefusedID(object, row, column: objectColumn) { continue }
            } else if mapping.derivesObjectID, let titleColumn, let published {
                let title = row[cell: titleColumn]
                guard !CellText.trimmed(title).isEmpty else {
                    output.badRow(row, column: titleColumn, expected: "a title (the content id is derived from it)")
                    continue
                }
                // The API's id of the same work when the catalogue has it (the Douyin import's
                // rule): an account fed by the API and by this export counts each work once.
                if catalogued[account] == nil {
                    catalogued[account] = CataloguedWorks(
                        try context.options.knownObjects?.objects(platform: mapping.platform, account: account) ?? []
                    )
                }
                let work = catalogued[account]?.work(published: published, title: title)
                object = work?.id ?? DerivedObjectID.make(published: published, title: title)
                catalogueTitle = work?.title
            }
            try output.addMetrics(
                of: row,
                metrics,
                profile: mapping.countProfile,
                time: time,
                platform: mapping.platform,
                account: account,
                object: object
            )
            if !object.isEmpty && (titleColumn != nil || urlColumn != nil || published != nil) {
                batch.add(
                    object: ContentObject(
                        platform: mapping.platform,
                        object: object,
                        account: account,
                        publishedAt: published?.timestamp(calendar: context.calendar),
                        title: catalogueTitle ?? titleColumn.map { ContentObject.title(from: row[cell: $0]) } ?? "",
                        url: urlColumn.map { CellText.trimmed(row[cell: $0]) } ?? ""
                    )
                )
            }
        }
        try output.finish()
        return rows
    }

    /// The notice of the headers `header` has for a role another header of the same file
    /// already fills (`推荐量` and `展现量`, both `metric:impressions`): the first of the role's
    /// headers in character order is read (``ColumnMapping/columns`` are sorted, as a TOML table
    /// keeps no order), and the others are not, whatever they hold. Once per
    /// file, from the header alone: the rows pay nothing. Nil when no role has two headers.
    static func columnsNotRead(_ header: MatchedHeader, mapping: ColumnMapping, file: String) -> CollectionFailure? {
        let cells = header.cells.map(HeaderMatcher.normalize)
        var parts: [String] = []
        for column in header.kind.columns where !column.aliases.isEmpty {
            let present = HeaderMatcher.namesPresent(of: column, in: cells)
            guard present.count > 1, let role = mapping.columns.first(where: { $0.header == column.name })?.role
            else { continue }
            let titles = present.map { header.title(ofCell: $0.cell) }
            let unread = titles.dropFirst().joined(separator: ", ")
            let what: String
            switch role {
            case .metric(let name, _): what = "metric:\(name.rawValue)"
            default: what = role.description
            }
            let listed =
                titles.count == 2
                ? "\(titles[0]) and \(titles[1]) both"
                : titles.dropLast().joined(separator: ", ") + " and \(titles[titles.count - 1]) all"
            parts.append(
                "columns \(listed) map to \(what); \(titles[0]) was read and \(unread) not"
            )
        }
        guard !parts.isEmpty else { return nil }
        return CollectionFailure(
            adapter: "import",
            account: file,
            object: "line \(header.line)",
            label: "columnNotRead",
            message: "\(file):\(header.line): " + parts.joined(separator: "; ")
                + " (of the headers of one role, the one first in character order is read); to read another, "
                + "leave the one read out of \(mapping.origin)"
        )
    }

    /// The failure of a row naming `account`, which the registry does not list on `platform`:
    /// with the nearest registered account, and the platform the registry lists it under, if
    /// any (a sheet of another platform).
    static func unknownAccount(
        _ account: String,
        line: Int,
        file: String,
        registry: AccountRegistry,
        platform: Platform
    ) -> CollectionFailure {
        let elsewhere = registry.entries.filter { $0.account == account && $0.platform != platform }.map(\.platform)
        let hint =
            elsewhere.isEmpty
            ? ""
            : "the registry lists it as a \(elsewhere.map(\.rawValue).joined(separator: ", ")) account (a sheet of "
                + "another platform?); "
        return CollectionFailure(
            adapter: "import",
            account: file,
            object: "line \(line)",
            label: "unknownAccount",
            message: "\(file):\(line): "
                + SelfReportImporter.unknownAccountMessage(
                    platform,
                    account,
                    registry: registry,
                    tail: hint + "check the account cell and the file's folder, or add the account to the registry; "
                        + "the row was skipped"
                )
        )
    }
}
