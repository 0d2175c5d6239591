import ArgumentParser
import Collector

/// `collector compact`: one row per key, sorted by time, rewritten atomically.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite partitions atomically: one row per key (the last one wins), sorted by time."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Only this platform; repeat for several.")
    var platform: [String] = []

    @Option(
        name: .long,
        help: "The part files of shard K of N, as `run --shard K/N` writes them (main-shard-K.csv); once per shard."
    )
    var shard: String?

    @OptionGroup var output: QuietOption

    func run() async throws {
        let setup = try Setup.loadSettings(options)
        // A shard's files belong to its own instance name, and so does the lock that guards them.
        let shard = try RunCommand.parseShard(shard)
        let settings = RunCommand.sharded(setup.settings, shard)
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(
            stateDirectory: settings.stateDirectory,
            instance: settings.instance,
            purpose: .compact(shard: shard),
            calendar: settings.calendar,
            shard: shard
        )
        defer { lock.release() }
        try Setup.finishInterruptedWrites(settings: settings, logger: logger)
        // Rows in two timezones would store one instant in two month folders (DataTimezone).
        try DataTimezone.check(settings: settings)
        let platforms = platform.map(Platform.init(rawValue:))
        try UnreadFiles.warn(settings: settings, platforms: platforms, command: "compact", logger: logger)
        let report = try Compactor.compact(
            settings: settings,
            platforms: platforms.isEmpty ? nil : platforms,
            logger: logger
        )
        // A misspelt --platform should not pass for "nothing to do" (export says the same).
        let withData = try Exporter.platformsWithData(settings: settings)
        let missing = platform.filter { !withData.contains(Platform(rawValue: $0)) }
        if !missing.isEmpty {
            Terminal.writeError(
                "compact: no data for \(missing.joined(separator: ", ")); platforms with data in"
                    + " \(settings.dataDirectory): "
                    + (withData.isEmpty ? "none yet" : withData.map(\.rawValue).joined(separator: ", "))
            )
        }
        if output.printsSummary(succeeded: report.filesSkipped == 0 && missing.isEmpty) {
            Terminal.writeError("\(report)")
        }
    }
}
