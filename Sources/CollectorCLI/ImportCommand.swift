import Adapters
import ArgumentParser
import Collector

/// `collector import`: imports back-office export files into the data folder.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import back-office export files (CSV, XLSX) into the data folder."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The platform the files come from: wechat, channels, douyin, …")
    var platform: String

    @Option(name: .long, help: "The export kind; detected from the headers when left out.")
    var kind: String?

    @Option(name: .long, help: "The account the files belong to, when the file does not name it.")
    var account: String?

    @Argument(help: "The export files.")
    var files: [String]

    func run() async throws {
        let setup = try Setup.load(options, requireFile: false)
        let settings = setup.settings
        let platform = Platform(rawValue: platform)
        var importers: [any ExportImporter.Type] = []
        var knownPlatforms = Set<String>()
        for importer in ImportAdapter.importers {
            let importerPlatform: Platform = importer.platform
            knownPlatforms.insert(importerPlatform.rawValue)
            if importerPlatform == platform { importers.append(importer) }
        }
        guard !importers.isEmpty else {
            let known = knownPlatforms.sorted().joined(separator: ", ")
            throw UsageError("--platform \(platform): no importer for it; platforms with importers: \(known)")
        }
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(stateDirectory: settings.stateDirectory, instance: settings.instance)
        defer { lock.release() }
        let store = try SampleStore(settings: settings, logger: logger)
        var summary = RunSummary()
        for (position, file) in files.enumerated() {
            Terminal.progress("importing \(position + 1)/\(files.count): \(file)")
            let batch = SampleBatch(sink: store)
            do {
                _ = try ImportService.importFile(
                    path: file,
                    platform: platform,
                    kind: kind,
                    account: account,
                    calendar: settings.calendar,
                    importers: importers,
                    into: batch
                )
                summary.succeeded += 1
            } catch {
                summary.failedAccounts += 1
                summary.failures.append(
                    CollectionFailure(adapter: "import", account: file, label: error.label, message: error.description)
                )
            }
            try batch.commit()
            summary.counts += batch.counts
            summary.failures += batch.failures
        }
        try store.close()
        Terminal.endProgress()
        Terminal.writeError(summary.text)
        if summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }
}
