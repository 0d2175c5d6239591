import Adapters
import ArgumentParser
import Collector

/// `collector import`: imports back-office export files into the data folder.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import back-office export files (CSV, XLSX, JSON) into the data folder."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The platform the files come from: wechat, channels, douyin, …")
    var platform: String

    @Option(name: .long, help: "The export kind; detected from the headers when left out.")
    var kind: String?

    @Option(name: .long, help: "The account the files belong to, when the file does not name it.")
    var account: String?

    @Option(name: .long, help: "A column mapping file (TOML) to read the files through; see samples/mappings.")
    var mapping: String?

    @Option(name: .long, help: "The account registry CSV for self-report sheets (default: [collector] registry).")
    var registry: String?

    @Option(name: .long, help: "Self-report sheets: the largest fall of a total against the stored value.")
    var maxDrop: String = "20%"

    @Argument(help: "The export files.")
    var files: [String]

    @OptionGroup var output: QuietOption

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
        guard !importers.isEmpty || mapping != nil else {
            let known = knownPlatforms.sorted().joined(separator: ", ")
            throw UsageError(
                "--platform \(platform): no importer for it; platforms with importers: \(known); "
                    + "for other exports pass --mapping FILE (samples/mappings has examples)"
            )
        }
        if let kind, mapping == nil {
            // Checked here, once, rather than reported as a failure of every file.
            let kinds = importers.flatMap { $0.kinds.map(\.name) }
            guard kinds.contains(kind) else {
                throw UsageError(
                    "--kind \(kind): not an export kind of \(platform); use one of: \(kinds.joined(separator: ", "))"
                )
            }
        }
        guard let maxDropShare = ImportOptions.parseMaxDrop(maxDrop) else {
            throw UsageError("--max-drop \(maxDrop): write a share such as 20% or 0.2")
        }
        let registryPath = registry ?? settings.registryPath
        var options = ImportOptions(
            kind: kind,
            account: account,
            mapping: try mapping.map { path throws(ConfigurationErrors) in
                try ColumnMapping.load(path: path, platform: platform)
            },
            registry: try registryPath.map { path throws(ConfigurationErrors) in try AccountRegistry.load(path: path) },
            maxDrop: maxDropShare
        )
        if platform == SelfReportImporter.platform {
            guard options.registry != nil else {
                throw UsageError(
                    "--platform any: self-report sheets are checked against the account registry; pass --registry "
                        + "accounts.csv, or --config with registry set in [collector]"
                )
            }
            options.previousValues = StoredPreviousValues(settings: settings)
        }
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(
            stateDirectory: settings.stateDirectory,
            instance: settings.instance,
            hint: RunLock.serviceHint
        )
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
                    options: options,
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
            for notice in batch.notices { summary.recordNotice(notice) }
        }
        try store.close()
        Terminal.endProgress()
        if output.printsSummary(succeeded: summary.exitCode == 0) { Terminal.writeError(summary.text) }
        if summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }
}
