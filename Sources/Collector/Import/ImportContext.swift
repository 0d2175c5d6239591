/// What an ``ExportImporter`` knows about the file it reads besides its rows: the file, the
/// platform, the calendar, the day of the import, the options, and the workbook's other sheets.
public struct ImportContext: Sendable {
    /// The file, for messages and failures.
    public var file: String
    /// The platform given with `--platform` (`any` for the self-report sheet).
    public var platform: Platform
    /// The configured timezone: day stamps.
    public var calendar: PlatformCalendar
    /// The day of the import in `calendar`: the stamp of snapshot exports, the limit of
    /// self-reported dates.
    public var today: CivilDate
    /// The options of the import.
    public var options: ImportOptions
    /// The workbook's sheets, when the file is an `.xlsx` workbook.
    public var workbook: WorkbookSheets?

    /// Creates a context.
    public init(
        file: String,
        platform: Platform,
        calendar: PlatformCalendar,
        today: CivilDate,
        options: ImportOptions = ImportOptions(),
        workbook: WorkbookSheets? = nil
    ) {
        self.file = file
        self.platform = platform
        self.calendar = calendar
        self.today = today
        self.options = options
        self.workbook = workbook
    }

    /// The last day a row may be dated: the day of the import in the configured timezone, or
    /// the day after when that timezone lies west of Beijing's. The back offices date their
    /// rows by Beijing's calendar, whose new day begins before that of a timezone west of it
    /// (an instance on UTC sees Beijing's new day from 16:00). A later date is refused
    /// (`futureDate`, docs/imports.md): no export holds days to come.
    public var latestDay: CivilDate {
        let start = calendar.startOfDay(today)
        return calendar.offsetSeconds(at: start) >= PlatformCalendar.beijing.offsetSeconds(at: start)
            ? today : today.adding(days: 1)
    }

    /// The account given with `--account` (or `account` in `[[adapters.import]]`).
    public var account: String? { options.account.flatMap { $0.isEmpty ? nil : $0 } }

    /// The account given, or ``ImportError/missingAccount(_:)`` for a file that does not name it.
    public func requireAccount() throws(ImportError) -> String {
        guard let account else { throw ImportError.missingAccount(file) }
        return account
    }
}

/// The sheets of an `.xlsx` workbook, for kinds that read more than one (WeChat 单篇详情).
public struct WorkbookSheets: Sendable {
    /// The sheet names, in workbook order.
    public var names: [String]
    /// The sheet whose header matched.
    public var current: String
    private let opener: @Sendable (String) throws(ImportError) -> any Table

    /// Creates access to a workbook's sheets; `opener` opens one by name.
    public init(
        names: [String],
        current: String,
        opener: @escaping @Sendable (String) throws(ImportError) -> any Table
    ) {
        self.names = names
        self.current = current
        self.opener = opener
    }

    /// Opens the sheet `name`, positioned on its first row.
    public func open(_ name: String) throws(ImportError) -> any Table {
        try opener(name)
    }
}
