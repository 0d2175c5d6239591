import Collector

/// A metric column of a matched header: the metric, the cell index, and how cells are read.
struct MetricColumn: Sendable, Hashable {
    var metric: MetricName
    var index: Int
    var kind: ValueKind
    /// The unit the header names (`播放量(万)`), for numbers without one of their own.
    var unit: HeaderUnit?
    /// The values `metric` admits, worked out once for the column rather than for each cell.
    var range: MetricName.ValueRange

    init(metric: MetricName, index: Int, kind: ValueKind, unit: HeaderUnit? = nil) {
        self.metric = metric
        self.index = index
        self.kind = kind
        self.unit = unit
        range = metric.valueRange
    }
}

extension MatchedHeader {
    /// The metric columns present, from `(canonical column name, metric, kind)` entries, each
    /// with the unit its header names (``HeaderUnit``). A column whose unit cannot be applied
    /// (`播放量(%)`, `播放量(十万)`) is left out, as its numbers would be stored in the wrong
    /// unit, and reported to `batch` naming `file` and the header's line (label `headerUnit`).
    func metricColumns(
        _ entries: [(String, MetricName, ValueKind)],
        file: String,
        batch: SampleBatch
    ) -> [MetricColumn] {
        entries.compactMap { name, metric, kind in
            guard let index = index(of: name) else { return nil }
            switch HeaderUnit.reading(header: title(ofCell: index), as: kind) {
            case .none:
                return MetricColumn(metric: metric, index: index, kind: kind)
            case .unit(let unit):
                return MetricColumn(metric: metric, index: index, kind: kind, unit: unit)
            case .refused(let reason):
                batch.recordFailure(
                    CollectionFailure(
                        adapter: "import",
                        account: file,
                        object: "line \(line)",
                        label: "headerUnit",
                        message: "\(file):\(line): column \(title(ofCell: index)): \(reason)"
                    )
                )
                return nil
            }
        }
    }

    /// The index of a required column (the matcher has checked it is there).
    func requiredIndex(of name: String) -> Int {
        // A required column is in `columns` whenever the header matched its kind.
        index(of: name) ?? 0
    }
}

/// The common part of importing rows: samples handed to the batch a few thousand at a time,
/// bad cells reported through ``BadCellLog``, catalogue rows added.
struct RowImport {
    let file: String
    let header: MatchedHeader
    let batch: SampleBatch
    private(set) var badCells: BadCellLog
    private var pending: [Sample] = []

    init(file: String, header: MatchedHeader, batch: SampleBatch) {
        self.file = file
        self.header = header
        self.batch = batch
        self.badCells = BadCellLog(file: file)
        pending.reserveCapacity(4096)
    }

    /// Adds a sample.
    mutating func append(_ sample: Sample) throws(ImportError) {
        pending.append(sample)
        if pending.count >= 4096 { try flush() }
    }

    /// Reads `columns` of `row` and adds a sample for each value; a bad cell is reported and
    /// skipped, the rest of the row goes on. `profiles` overrides `profile` for some metrics
    /// (WeChat reads, whose `10万+` means more than 100000).
    mutating func addMetrics(
        of row: TableRow,
        _ columns: [MetricColumn],
        profile: CountProfile = .default,
        profiles: [MetricName: CountProfile] = [:],
        time: Timestamp,
        platform: Platform,
        account: String,
        object: String = ""
    ) throws(ImportError) {
        for column in columns {
            switch CellReader.read(
                row[cell: column.index],
                as: column.kind,
                for: column.metric,
                range: column.range,
                profile: profiles[column.metric] ?? profile,
                unit: column.unit
            ) {
            case .missing:
                continue
            case .value(let value, let quality):
                try append(
                    Sample(
                        time: time,
                        platform: platform,
                        account: account,
                        object: object,
                        metric: column.metric,
                        value: value,
                        quality: quality,
                        source: .import
                    )
                )
            case .bad(let reason):
                badCell(row, column: column.index, reason: reason)
            }
        }
    }

    /// Reports cell `column` of `row` as unreadable for `reason`.
    mutating func badCell(_ row: TableRow, column: Int, reason: String, skipsRow: Bool = false) {
        badCells.record(
            line: row.number,
            column: column,
            title: header.title(ofCell: column),
            reason: reason,
            skipsRow: skipsRow,
            into: batch
        )
    }

    /// Reports cell `column` of `row`, which is not `expected`; the row is skipped.
    mutating func badRow(_ row: TableRow, column: Int, expected: String) {
        badCells.record(
            line: row.number,
            column: column,
            title: header.title(ofCell: column),
            value: row[cell: column],
            expected: expected,
            skipsRow: true,
            into: batch
        )
    }

    /// Reports cell `column` of `row`, which holds no date (one without its year or its day
    /// named as such, with advice for a column of `role`,
    /// ``BadCellLog/recordBadDate(line:column:title:value:role:today:into:)``); the row is skipped.
    mutating func badDate(_ row: TableRow, column: Int, role: BadCellLog.DateRole, today: CivilDate) {
        badCells.recordBadDate(
            line: row.number,
            column: column,
            title: header.title(ofCell: column),
            value: row[cell: column],
            role: role,
            today: today,
            into: batch
        )
    }

    /// Whether `date`, read from cell `column` of `row`, lies after the last day an import
    /// takes (``ImportContext/latestDay``); such a row is reported (`futureDate`) and must be
    /// skipped.
    mutating func isFuture(_ date: CivilDate, _ row: TableRow, column: Int, context: ImportContext) -> Bool {
        let latest = context.latestDay
        guard date > latest else { return false }
        badCells.recordFutureDate(
            line: row.number,
            column: column,
            title: header.title(ofCell: column),
            cell: CellText.trimmed(row[cell: column]),
            date: date,
            latest: latest,
            today: context.today,
            into: batch
        )
        return true
    }

    /// Whether `id`, read from cell `column` of `row`, must not be stored: it holds what no
    /// stored id may (``StoredID``: a control character, a backslash), or bytes that were not
    /// valid text in the file's encoding (U+FFFD, which would make a new, wrong id), both
    /// reported as `badCell`; or it is an id Excel rounded (``ExcelRoundedID``), reported as
    /// `roundedID` with `advice`. Such a row must be skipped.
    mutating func isRefusedID(
        _ id: String,
        _ row: TableRow,
        column: Int,
        advice: String = ExcelRoundedID.exportAdvice
    ) -> Bool {
        if let reason = Self.unstorableID(id) {
            badCell(row, column: column, reason: reason, skipsRow: true)
            return true
        }
        guard ExcelRoundedID.matches(id) else { return false }
        badCells.recordRoundedID(
            line: row.number,
            column: column,
            title: header.title(ofCell: column),
            cell: id,
            advice: advice,
            into: batch
        )
        return true
    }

    /// Why `id` cannot be stored as an id, for a `badCell` message; nil when it can.
    static func unstorableID(_ id: String) -> String? {
        let shown = "\"\(LogText.escapingControls(id.count > 60 ? String(id.prefix(60)) + "…" : id))\""
        // A U+FFFD in an id is always the reader's: no platform writes one into an id.
        if id.unicodeScalars.contains("\u{FFFD}") {
            return "\(shown) is not valid text: the file holds bytes here that its encoding cannot read (shown as "
                + "\u{FFFD}), and the id would be a new, wrong one; the file looks damaged: download the export again"
        }
        switch StoredID.problem(id) {
        case .controlCharacter:
            return "\(shown) holds a control character (a NUL, a line break, an escape), which no stored id may "
                + "hold (a line reader would break the stored row there); correct the cell or download the export again"
        case .backslash:
            return "\(shown) holds a backslash, which no stored id may hold (Influx line protocol cannot carry one "
                + "in a tag); no platform's ids have one: correct the cell or download the export again"
        case nil:
            return nil
        }
    }

    /// Hands the pending samples to the batch.
    mutating func flush() throws(ImportError) {
        guard !pending.isEmpty else { return }
        do {
            try batch.add(contentsOf: pending)
        } catch {
            throw ImportError.storage(file, error)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and reports the columns with more bad cells than were listed.
    mutating func finish() throws(ImportError) {
        try flush()
        badCells.finish(into: batch)
    }
}

/// Cell text helpers shared by the importers.
enum CellText {
    /// The text without white space (ASCII, full-width, no-break) at either end.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            isSpace(first) || isSpace(last)
        else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        return String(scalars)
    }

    /// The labels of summary rows under the data, which are no data.
    static let summaryLabels: Set<String> = ["合计", "总计", "汇总", "平均", "平均值", "总数", "总和"]

    /// Whether `cell` is one of ``summaryLabels``, compared without white space (`合　计`, `合 计`)
    /// and without a colon at the end (`合计：`, `合计:`), as people type totals rows.
    static func isSummaryLabel(_ cell: String) -> Bool {
        // Nearly every cell asked is a date, an id or a title (one per row of a large export):
        // only a short one that starts as a label does can be one, and the others cost no copy.
        guard cell.utf8.count <= 40,
            let first = cell.unicodeScalars.first(where: { !isLabelSpace($0) }),
            summaryLabelStarts.contains(first)
        else { return false }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: cell.unicodeScalars.filter { !isLabelSpace($0) })
        while let last = scalars.last, last == ":" || last == "：" { scalars.removeLast() }
        return summaryLabels.contains(String(scalars))
    }

    /// Whether `row` is a summary row under the data: one of ``summaryLabels`` in its first
    /// cell that is not blank.
    static func isSummaryRow(_ row: TableRow) -> Bool { isSummaryRow(cells: row.cells) }

    /// ``isSummaryRow(_:)`` for a row read as bytes.
    static func isSummaryRow(_ row: ByteRow) -> Bool { isSummaryRow(cells: row.cells) }

    private static func isSummaryRow(cells: [String]) -> Bool {
        guard let first = cells.first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return false }
        return isSummaryLabel(first)
    }

    /// The first characters of ``summaryLabels``.
    private static let summaryLabelStarts = Set(summaryLabels.compactMap(\.unicodeScalars.first))

    /// A space people type inside a label: ``isSpace(_:)``'s, en and em spaces.
    private static func isLabelSpace(_ scalar: Unicode.Scalar) -> Bool {
        isSpace(scalar) || scalar == "\u{2002}" || scalar == "\u{2003}"
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{3000}" || scalar == "\u{A0}" || scalar == "\u{FEFF}"
    }
}
