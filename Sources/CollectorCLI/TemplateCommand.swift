import Adapters
import ArgumentParser
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector template`: writes the self-report sheet for the units to fill, one row per
/// registry account, as CSV and XLSX (docs/imports.md "The self-report sheet").
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write the self-report sheet (CSV and XLSX) with one row per registry account."
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        name: .long,
        help: "The account registry CSV, relative to the working directory (default: [collector] registry)."
    )
    var registry: String?

    @Option(name: .long, help: "The day the figures describe, YYYY-MM-DD (default: today).")
    var date: String?

    @Option(
        name: .long,
        help: "Only the accounts of this unit (as the registry names it): a sheet to send to one unit."
    )
    var unit: String?

    @Option(
        name: .shortAndLong,
        help: "The file to write: NAME.csv or NAME.xlsx for one format, NAME for both (default: self_report_<date>)."
    )
    var output: String?

    func run() async throws {
        // Without a configuration file too (docs/imports.md: `template --registry accounts.csv`):
        // the sheet comes from the registry alone, and no data or state folder is read or made.
        let setup = try Setup.load(options, requireFile: false)
        let settings = setup.settings
        guard var accounts = try setup.accountRegistry(option: registry) else {
            throw UsageError("the template lists the registry's accounts: " + setup.registryAdvice())
        }
        var importHint = "collector import --platform any FILE"
        if let unit {
            guard let known = SelfReportImporter.registryUnit(named: unit, in: accounts) else {
                throw UsageError(SelfReportImporter.unknownUnitMessage(unit, option: "--unit", registry: accounts))
            }
            // A unit's own sheet: its rows only, and imported back under --unit, which refuses
            // the figures of any other unit's account.
            accounts = AccountRegistry(
                entries: accounts.entries.filter {
                    SelfReportImporter.comparable($0.unit) == SelfReportImporter.comparable(known)
                }
            )
            importHint = "collector import --platform any --unit '\(known)' FILE"
        }
        let day: CivilDate
        if let date {
            guard let parsed = CivilDate(parsing: date), parsed.description == date else {
                throw UsageError("--date \(date): write a day as YYYY-MM-DD")
            }
            day = parsed
        } else {
            day = settings.calendar.civilDate(of: Timestamp(secondsSinceEpoch: Int64(time(nil))))
        }
        let target = output ?? "self_report_\(day)"
        var written: [String] = []
        if !target.hasSuffix(".xlsx") {
            let path = target.hasSuffix(".csv") ? target : target + ".csv"
            try SelfReportTemplate.writeCSV(path: path, registry: accounts, date: day)
            written.append(path)
        }
        if !target.hasSuffix(".csv") {
            let path = target.hasSuffix(".xlsx") ? target : target + ".xlsx"
            try SelfReportTemplate.writeXLSX(path: path, registry: accounts, date: day)
            written.append(path)
        }
        Terminal.writeError(
            "self-report sheet for \(accounts.entries.count) accounts, \(day), written to "
                + written.joined(separator: " and ")
                + "; import the filled sheet with: \(importHint)"
        )
    }
}
