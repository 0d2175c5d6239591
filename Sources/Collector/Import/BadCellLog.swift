/// Reports the cells of an export that cannot be read, as `badCell` failures in the batch,
/// without letting a wholly wrong column flood memory: at most ``limitPerColumn`` failures per
/// column are listed, then one failure (label `badCells`) says how many more there were.
package struct BadCellLog {
    /// How many bad cells of one column are listed one by one.
    package static let limitPerColumn = 100
    /// The label of a row dated after the day of the import (``recordFutureDate(line:column:title:cell:date:latest:today:into:)``).
    package static let futureDateLabel = "futureDate"

    /// The file, as the failures name it.
    package let file: String
    private var counts: [Int: (title: String, count: Int)] = [:]

    /// Creates a log for `file`.
    package init(file: String) {
        self.file = file
    }

    /// Bad cells seen so far, listed or not.
    package private(set) var total = 0

    /// Records that cell `column` (headed `title`) of the row on `line` holds `value`, which is
    /// not `expected` (`an integer count such as 1,234 or -`); `skipsRow` when the whole row is
    /// left out for it (an article without its id, a day without its date).
    package mutating func record(
        line: Int,
        column: Int,
        title: String,
        value: String,
        expected: String,
        skipsRow: Bool = false,
        into batch: SampleBatch
    ) {
        total += 1
        let seen = (counts[column]?.count ?? 0) + 1
        counts[column] = (title, seen)
        guard seen <= BadCellLog.limitPerColumn else { return }
        let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
        batch.recordFailure(
            CollectionFailure(
                adapter: "import",
                account: file,
                object: "line \(line)",
                label: "badCell",
                message: "\(file):\(line): column \(title) holds \"\(shown)\", which is not \(expected); "
                    + (skipsRow ? "the row was skipped" : "the cell was skipped")
            )
        )
    }

    /// Records that cell `column` (headed `title`) of the row on `line` cannot be read for
    /// `reason` (which quotes the cell, as the count and measure parsers phrase it); `label`
    /// names the failure (`badCell`, or `futureDate` and `roundedID` for a readable cell the
    /// import refuses).
    package mutating func record(
        line: Int,
        column: Int,
        title: String,
        reason: String,
        skipsRow: Bool = false,
        label: String = "badCell",
        into batch: SampleBatch
    ) {
        total += 1
        let seen = (counts[column]?.count ?? 0) + 1
        counts[column] = (title, seen)
        guard seen <= BadCellLog.limitPerColumn else { return }
        batch.recordFailure(
            CollectionFailure(
                adapter: "import",
                account: file,
                object: "line \(line)",
                label: label,
                message: "\(file):\(line): column \(title): \(reason); "
                    + (skipsRow ? "the row was skipped" : "the cell was skipped")
            )
        )
    }

    /// What a date column of an export holds, which decides what to write instead of a date
    /// without its day.
    package enum DateRole: Sendable {
        /// The day a row's figures were counted (用户增长's 时间, a trend's 日期, a mapping's
        /// `time`): the day can be chosen, the month's last day or today.
        case countedDay
        /// When a post was published (发布时间, 发表时间, a mapping's `published_at`): a fact of
        /// the post, which only the back office knows; any day written in would be wrong, and
        /// for Douyin would give the work another id.
        case publishingTime
    }

    /// Records that cell `column` (headed `title`, holding dates in `role`) of the row on
    /// `line` holds `value`, which is no date (``DateTimeCell``); the row is skipped. A month
    /// and day without the year (`11-05`, `11/5`, `11月5日`: a back office's short display, or a
    /// cell retyped by hand) is named as such, with what to do, as the self-report sheet names
    /// it: the year is never guessed (around New Year the guess would be wrong). So is a month
    /// without its day (`2026-10`, `2026年10月`, also a workbook cell whose format shows no day,
    /// ``XLSXTable``): the day is never guessed either (a spreadsheet makes a typed `2026-10`
    /// the 1st of the month). What to write instead depends on `role`.
    package mutating func recordBadDate(
        line: Int,
        column: Int,
        title: String,
        value: String,
        role: DateRole,
        today: CivilDate,
        into batch: SampleBatch
    ) {
        let cell = value.trimmingSpaces
        if let example = DateTimeCell.exampleDay(ofDayless: cell, today: today) {
            let write =
                switch role {
                case .countedDay:
                    "write the day the figure was counted (such as \(example); \(DateTimeCell.workbookAdvice))"
                case .publishingTime:
                    // The example keeps the cell's month and leaves the day to be looked up:
                    // a made-up day would be copied.
                    "write the date and time the post was published, as the back office lists it (in the form "
                        + "\(example.prefix(7))-dd hh:mm; \(DateTimeCell.workbookAdvice))"
                }
            record(
                line: line,
                column: column,
                title: title,
                reason: "\"\(cell)\" is a month without its day; download the export again, or \(write), and import "
                    + "the file again",
                skipsRow: true,
                into: batch
            )
            return
        }
        guard let example = DateTimeCell.wholeDate(ofYearless: cell, year: today.year) else {
            record(
                line: line,
                column: column,
                title: title,
                value: value,
                expected: DateTimeCell.expected,
                skipsRow: true,
                into: batch
            )
            return
        }
        let time = cell.drop { $0 != " " }
        let write =
            switch role {
            case .countedDay:
                "write the whole date (such as \(example); \(DateTimeCell.workbookAdvice))"
            case .publishingTime:
                // With the cell's time of day, or room for it: a date alone would make the
                // time 00:00, and a Douyin work's id is made from the minute.
                "write the whole date and time the post was published, as the back office lists it (such as "
                    + "\(example)\(time.isEmpty ? " hh:mm" : time) if it was published in \(example.prefix(4)); "
                    + "\(DateTimeCell.workbookAdvice))"
            }
        record(
            line: line,
            column: column,
            title: title,
            reason: "\"\(cell)\" has no year; download the export again, or \(write), and import the file again",
            skipsRow: true,
            into: batch
        )
    }

    /// Records that the row on `line` is dated `date` (cell `cell` of column `column`, headed
    /// `title`), after `latest`, the last day an import takes (``ImportContext/latestDay``):
    /// label `futureDate`, the row skipped.
    package mutating func recordFutureDate(
        line: Int,
        column: Int,
        title: String,
        cell: String,
        date: CivilDate,
        latest: CivilDate,
        today: CivilDate,
        into batch: SampleBatch
    ) {
        let shown = cell == date.description ? cell : "\"\(cell)\" (\(date))"
        record(
            line: line,
            column: column,
            title: title,
            reason: "the date \(shown) is after "
                + (latest == today
                    ? "the day of the import (\(today))" : "\(latest), the day after the import (\(today))")
                + "; an export holds no days to come: correct the date (a wrong year?) or download the export again; "
                + "if this computer's clock is behind, set it right and import the file again (a file with such rows "
                + "is not recorded as imported)",
            skipsRow: true,
            label: Self.futureDateLabel,
            into: batch
        )
    }

    /// Records that cell `column` (headed `title`) of the row on `line` holds `cell`, an id
    /// Excel rewrote in scientific notation (``ExcelRoundedID``): label `roundedID`, the row
    /// skipped; `advice` says what to do (``ExcelRoundedID/exportAdvice`` or
    /// ``ExcelRoundedID/selfReportAdvice``).
    package mutating func recordRoundedID(
        line: Int,
        column: Int,
        title: String,
        cell: String,
        advice: String = ExcelRoundedID.exportAdvice,
        into batch: SampleBatch
    ) {
        record(
            line: line,
            column: column,
            title: title,
            reason: ExcelRoundedID.reason(cell, advice: advice),
            skipsRow: true,
            label: "roundedID",
            into: batch
        )
    }

    /// Records one failure per column that had more bad cells than were listed.
    package func finish(into batch: SampleBatch) {
        for (column, entry) in counts.sorted(by: { $0.key < $1.key }) where entry.count > BadCellLog.limitPerColumn {
            batch.recordFailure(
                CollectionFailure(
                    adapter: "import",
                    account: file,
                    object: "column \(column + 1)",
                    label: "badCells",
                    message: "\(file): column \(entry.title) had \(entry.count) bad cells; "
                        + "\(entry.count - BadCellLog.limitPerColumn) more than the \(BadCellLog.limitPerColumn) listed",
                    occurrences: entry.count - BadCellLog.limitPerColumn
                )
            )
        }
    }
}
