import ArgumentParser
import Collector

/// `collector export`: a whole range as one file for another tool.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a range of the data as one file: csv, jsonl, influx or openmetrics."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "csv, jsonl, influx or openmetrics.")
    var format: String

    @Option(name: .long, help: "First day (YYYY-MM-DD, inclusive, in the configured timezone).")
    var from: String?

    @Option(name: .long, help: "Last day (YYYY-MM-DD, inclusive).")
    var to: String?

    @Option(name: .long, help: "Only this platform; repeat for several.")
    var platform: [String] = []

    @Option(name: .shortAndLong, help: "The output file, replaced only by a whole export (default, or -: stdout).")
    var output: String?

    func run() async throws {
        let setup = try Setup.loadSettings(options, requireFile: false)
        guard let format = ExportFormat(rawValue: format) else {
            throw UsageError("--format \(format): use csv, jsonl, influx or openmetrics")
        }
        let from = try day(from, "--from")
        let to = try day(to, "--to")
        if let from, let to, from > to {
            throw UsageError("--from \(from) is after --to \(to): the range would be empty")
        }
        // Before the export is written: a refused export leaves an earlier file as it was.
        try DataTimezone.check(settings: setup.settings, isReading: true)
        if let output, output != "-" { try OutputPlacement.check(output, command: "export", settings: setup.settings) }
        let destination = try ExportOutput(option: output)
        if let notice = destination.notice { Terminal.writeError(notice) }
        let logger = Setup.makeLogger(calendar: setup.settings.calendar)
        let platforms = platform.map(Platform.init(rawValue:))
        try UnreadFiles.warn(
            settings: setup.settings,
            from: from,
            to: to,
            platforms: platforms,
            command: "export",
            logger: logger
        )
        let rows: Int
        do {
            rows = try Exporter.export(
                settings: setup.settings,
                format: format,
                from: from,
                to: to,
                platforms: platforms,
                fileDescriptor: destination.descriptor,
                outputName: destination.path ?? "standard output",
                logger: logger
            )
        } catch let error as StorageError {
            destination.discard()
            // Reads never meet a full disk: one that fills does so under the output or the
            // OpenMetrics spill, and nothing of the export is then kept.
            throw error.about(.output)
        } catch {
            destination.discard()
            throw error
        }
        try destination.commit()
        if destination.path != nil { Terminal.writeError("exported \(rows) samples") }
        if rows == 0 { Terminal.writeError(try Self.nothingMatched(settings: setup.settings)) }
    }

    /// Why an export can be empty, naming the platforms that do have data: a misspelt
    /// `--platform` or a range before the first sample should not pass for "no data".
    static func nothingMatched(settings: CollectorSettings) throws -> String {
        let platforms = try Exporter.platformsWithData(settings: settings)
        guard !platforms.isEmpty else { return EmptyStore.message("export", settings: settings) }
        return "export: no samples matched; platforms with data in \(settings.dataDirectory): "
            + platforms.map(\.rawValue).joined(separator: ", ")
    }

    private func day(_ text: String?, _ flag: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let date = CivilDate(parsing: text) else { throw UsageError("\(flag) \(text): write YYYY-MM-DD") }
        return date
    }
}
