import ArgumentParser
import Collector
import Reports

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector report`: targets, 10万+ hits and the influence ranking of a period, from the
/// stored time series.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build the period report: target attainment, 10万+ hits, influence index and rankings."
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        name: .long,
        help: "The account registry CSV, relative to the working directory (default: [collector] registry)."
    )
    var registry: String?

    @Option(
        name: .long,
        help:
            "The rules: a built-in set (shandong-2022-16) or a rules file's path (a relative path is taken from the working directory)."
    )
    var rules: String

    @Option(name: .long, help: "The period: a month (2026-11), a year (2026) or a range (2026-11-01..2026-11-15).")
    var period: String

    @Option(name: .long, help: "md, csv or html.")
    var format: String = "md"

    @Option(
        name: .long,
        help:
            "The language of the Markdown and HTML text: zh (default) or en. CSV keeps its English column keys and codes."
    )
    var lang: String?

    @Option(
        name: .shortAndLong,
        help:
            "The output file (default, or -: stdout); with --format csv, a folder (ending in /, or existing) gets one CSV per table."
    )
    var output: String?

    @Option(name: .long, help: "Build the report as of this time (RFC 3339), e.g. to reproduce an earlier one.")
    var asOf: String?

    func run() async throws {
        let setup = try Setup.loadSettings(options, requireFile: false)
        let settings = setup.settings
        let period: ReportPeriod
        do {
            period = try ReportPeriod.parse(self.period)
        } catch {
            throw UsageError("--period \(self.period): \(error)")
        }
        let formats: [String: ReportFormat] = ["md": .markdown, "markdown": .markdown, "csv": .csv, "html": .html]
        guard let reportFormat = formats[format] else { throw UsageError("--format \(format): use md, csv or html") }
        // Chinese by default: the report is read by education departments. Programs read the
        // CSV, whose keys and codes no language changes.
        guard let language = ReportLanguage(rawValue: lang ?? ReportLanguage.zh.rawValue) else {
            throw UsageError("--lang \(lang ?? ""): use zh or en")
        }
        if let output, output != "-" { try OutputPlacement.check(output, command: "report", settings: settings) }
        if reportFormat == .csv, let lang {
            Terminal.writeError("--lang \(lang) has no effect on CSV: its column keys and codes stay machine-readable")
        }
        guard let accounts = try setup.accountRegistry(option: registry) else {
            throw UsageError("a report needs the account registry: " + setup.registryAdvice())
        }
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet.load(named: rules)
        } catch {
            throw ConfigurationErrors(error.problems)
        }
        var now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
        if let asOf {
            guard let parsed = PlatformCalendar.parseRFC3339(asOf) else {
                throw UsageError("--as-of \(asOf): write RFC 3339 with an offset, e.g. 2026-12-01T09:00:00+08:00")
            }
            now = parsed
        }
        // A period that has not begun can only report every account as having no data: a
        // mistyped year, not a report anyone wants.
        let today = settings.calendar.civilDate(of: now)
        guard period.from <= today else {
            throw UsageError(
                "--period \(self.period) starts on \(period.from), after the report's date \(today)"
                    + " (--as-of, or now): nothing can be known about it yet"
            )
        }
        // The report's days are days in the configured timezone (DataTimezone).
        try DataTimezone.check(settings: settings, isReading: true)
        let logger = Setup.makeLogger(calendar: settings.calendar)
        // A report of an empty store lists every account as without data, which looks like a
        // collection that failed everywhere: say where the data was looked for.
        if try Exporter.platformsWithData(settings: settings).isEmpty {
            Terminal.writeError(EmptyStore.message("report", settings: settings))
        }
        // The report reads the whole history before the period too (first-seen posts, data_since).
        try UnreadFiles.warn(settings: settings, command: "report", logger: logger)
        let objects = try Exporter.objects(settings: settings, platforms: [])
        // The period and a month before it in full, the history before that reduced to the rows
        // the report reads (docs/reports.md §8): memory follows the period, not the store. Only
        // the HTML charts draw the main accounts' whole followers series.
        let samples = try ReportSamples.load(
            settings: settings,
            registry: accounts,
            objects: objects,
            period: period,
            today: today,
            followerHistory: reportFormat == .html,
            logger: logger
        )
        let input = ReportInput(
            registry: accounts,
            samples: samples,
            objects: objects,
            period: period,
            calendar: settings.calendar,
            now: now
        )
        let report = ReportBuilder.build(input, rules: ruleSet)
        // `-o -` is stdout, as for `export` and most Unix tools.
        let output = output == "-" ? nil : output
        if reportFormat == .csv, let output, Self.namesAFolder(output) {
            // One plain CSV per table, for tools that read one table per file (pandas, Excel).
            let folder = output.hasSuffix("/") ? output : output + "/"
            let files = report.csvFiles()
            do throws(StorageError) {
                try FileSystem.makeDirectories(output)
                for file in files { try FileSystem.writeAtomically(folder + file.name, Self.csvBytes(file.text)) }
            } catch {
                throw error.about(.output)
            }
            Terminal.writeError("report written to \(output): \(files.map(\.name).joined(separator: ", "))")
        } else if let output {
            let text = report.render(reportFormat, language: language)
            do throws(StorageError) {
                try FileSystem.writeAtomically(output, reportFormat == .csv ? Self.csvBytes(text) : Array(text.utf8))
            } catch {
                throw error.about(.output)
            }
            Terminal.writeError("report written to \(output)")
        } else {
            Terminal.write(fd: 1, report.render(reportFormat, language: language))
        }
    }

    /// A report CSV file's bytes: UTF-8 after a byte order mark. The files are meant for Excel
    /// (reports.md §5), which on a Chinese Windows reads a double-clicked CSV without one as
    /// GBK and garbles every unit name; pandas and DuckDB read the mark as UTF-8's. Standard
    /// output gets no mark: it goes to pipes and terminals, not to Excel.
    static func csvBytes(_ text: String) -> [UInt8] {
        [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// Whether `-o` names a folder: it ends in `/`, or it is an existing folder.
    private static func namesAFolder(_ path: String) -> Bool {
        path.hasSuffix("/") || DirectoryListing.isDirectory(path)
    }
}
