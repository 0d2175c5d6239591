import Collector

/// The check of a file's id columns before any of its rows is imported: ids that Excel cut to
/// 15 significant digits refuse the whole file (docs/imports.md, "Ids rounded by Excel").
///
/// Excel keeps 15 significant digits. A sheet opened in Excel and saved again holds a 16-digit
/// 微博ID or a 19-digit 作品ID as a number that has lost its last digits, so two posts (or two
/// accounts) may share one id, and the second row's figures would silently replace the
/// first's. Two signs give it away:
/// - in a workbook, an id cell that is a *number* of 16 or more digits
///   (``XLSXTable/longNumberColumns``): whatever its digits, some are lost;
/// - in any file, one id on two rows that differ: for contents, another title or publishing
///   time; for accounts (a sheet of account figures), another row for the same day. An
///   identical row repeated passes: it merges nothing. An id Excel cannot have rounded (15
///   digits or fewer, not a number: ``ExcelRoundedID/mayBeRounded(_:)``) on two such rows is
///   refused all the same, the rows disagreeing about one content or day, with a message that
///   says so and leaves Excel out.
///
/// The text form (`5.13999E+15`) is refused row by row where the rows are read
/// (``RowImport/isRoundedID(_:_:column:advice:)``): it never equals another id.
///
/// The check reads the file once more, from a table of its own, before the importer reads it:
/// rows go to the store in chunks as they are read, so a refusal found halfway would leave the
/// rows before it imported. Only the id, title and time cells of each row are kept (an id and a
/// short digest per distinct id), so memory grows with the contents, not with the file.
struct IDColumnCheck {
    /// The id column, with what must agree between two rows of the same id.
    private enum Identity {
        /// A content id: the title and publishing time of its rows must agree.
        case object(title: Int?, published: Int?)
        /// An account id on a sheet of account figures: one row per account and day.
        case account(day: Int?)
        /// Only the cells' type is checked (the self-report sheet, whose rows it checks itself).
        case numberOnly

        var isAccount: Bool {
            if case .account = self { return true }
            return false
        }
    }

    private let idColumn: Int
    private let identity: Identity
    private let header: MatchedHeader
    private var advice = ExcelRoundedID.exportAdvice

    /// The check of `header`'s id column for a file read through `mapping` (nil for a built-in
    /// kind of `platform`), or nil when the file has no id column to check.
    init?(header: MatchedHeader, platform: Platform, mapping: ColumnMapping?) {
        self.header = header
        if let mapping {
            func column(_ role: ColumnMapping.Role) -> Int? {
                mapping.columnName(of: role).flatMap { header.index(of: $0) }
            }
            if let object = column(.object) {
                idColumn = object
                identity = .object(title: column(.title), published: column(.publishedAt))
            } else if let account = column(.account) {
                idColumn = account
                identity = .account(day: mapping.timeStamp == .time ? column(.time) : nil)
            } else {
                return nil
            }
            return
        }
        // The built-in kinds with an id column of their own: Douyin's 作品ID (optional; without
        // it the ids are derived from the title), WeChat Channels' 视频ID, the self-report sheet.
        switch (platform, header.kind.name) {
        case (.douyin, "works"):
            guard let id = header.index(of: "作品ID") else { return nil }
            idColumn = id
            identity = .object(title: header.index(of: "作品名称"), published: header.index(of: "发布时间"))
        case (.channels, "posts"):
            guard let id = header.index(of: "视频ID") else { return nil }
            idColumn = id
            identity = .object(title: header.index(of: "视频描述"), published: header.index(of: "发布时间"))
        case (SelfReportImporter.platform, SelfReportImporter.selfReport.name):
            guard let id = header.index(of: "account") else { return nil }
            idColumn = id
            identity = .numberOnly
            advice = ExcelRoundedID.selfReportAdvice
        default:
            return nil
        }
    }

    /// Reads the rows of `table` after the header and throws ``ImportError`` (`roundedID`,
    /// `duplicateID`) at the first id Excel has cut; `longNumbers` gives the columns of the row
    /// just read that hold a number of 16 or more digits (none for a text file).
    func check<T: Table>(_ table: inout T, longNumbers: (T) -> [Int]) throws(ImportError) {
        let title = header.title(ofCell: idColumn)
        var seen: [String: (line: Int, digest: [String])] = [:]
        while true {
            let next: TableRow?
            do {
                next = try table.nextRow()
            } catch {
                // A file that ends inside a quoted cell (cut off): the import reads the same
                // rows and reports that in its own words; the ids before it were checked.
                return
            }
            guard let row = next else { return }
            guard row.number > header.line, !row.isBlank, !CellText.isSummaryRow(row) else { continue }
            let id = CellText.trimmed(row[cell: idColumn])
            // The text form, and what no stored id may hold, are refused row by row where the
            // rows are read (``RowImport/isRefusedID(_:_:column:advice:)``).
            guard !id.isEmpty, !ExcelRoundedID.matches(id), RowImport.unstorableID(id) == nil else { continue }
            if longNumbers(table).contains(idColumn) {
                throw ImportError.roundedNumberID(
                    table.name,
                    line: row.number,
                    column: title,
                    value: id,
                    advice: advice
                )
            }
            let key: String
            let digest: [String]
            var difference = ""
            switch identity {
            case .numberOnly:
                continue
            case .object(let titleColumn, let publishedColumn):
                key = id
                digest = [
                    titleColumn.map { ContentObject.title(from: row[cell: $0]) } ?? "",
                    publishedColumn.map { IDColumnCheck.time(row[cell: $0]) } ?? "",
                ]
            case .account(let dayColumn):
                let day = dayColumn.map { IDColumnCheck.time(row[cell: $0]) }
                key = id + "\u{0}" + (day ?? "")
                digest = row.cells.map(CellText.trimmed)
                difference = "with other figures for the same account" + (day.map { " and day (\($0))" } ?? "")
            }
            guard let first = seen[key] else {
                seen[key] = (row.number, digest)
                continue
            }
            guard first.digest != digest else { continue }
            if case .object = identity {
                difference =
                    first.digest[0] != digest[0]
                    ? "with another title (\"\(first.digest[0])\" there, \"\(digest[0])\" here)"
                    : "with another publishing time (\(first.digest[1]) there, \(digest[1]) here)"
            }
            throw ImportError.duplicateID(
                table.name,
                line: row.number,
                column: title,
                id: id,
                firstLine: first.line,
                difference: difference,
                accountAndDay: identity.isAccount,
                advice: advice
            )
        }
    }

    /// A time cell as the day and time it means (`2025/3/4 9:05` and `2025-03-04 09:05` agree),
    /// else as written.
    private static func time(_ cell: String) -> String {
        guard let parsed = DateTimeCell(cell) else { return CellText.trimmed(cell) }
        guard parsed.hasTime else { return parsed.date.description }
        let second = parsed.secondOfDay
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parsed.date) \(two(second / 3600)):\(two(second % 3600 / 60))"
            + (second % 60 == 0 ? "" : ":" + two(second % 60))
    }
}
