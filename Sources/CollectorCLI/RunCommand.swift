import Adapters
import ArgumentParser
import Collector
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector run`: collects into the data folder, once or on the schedule.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Collect into the data folder: every instance once with --once, else on the schedule until SIGINT/SIGTERM."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Run every configured instance once, then exit (for cron, systemd timers, Kubernetes CronJobs).")
    var once = false

    @Option(name: .long, help: "Only this instance (its name or adapter type); repeat for several.")
    var only: [String] = []

    @Option(name: .long, help: "Only the accounts of shard K of N (K counts from 0), e.g. 0/4.")
    var shard: String?

    func run() async throws {
        let setup = try Setup.load(options)
        let shard = try parsedShard()
        let instances = try setup.selected(only: only)
        let settings = setup.settings
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(stateDirectory: settings.stateDirectory, instance: settings.instance)
        defer { lock.release() }
        let store = try SampleStore(settings: settings, logger: logger)
        let state = try StateStore(directory: settings.stateDirectory)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: settings.concurrency))
        defer { http.shutdown() }
        let stop = StopFlag.installed()

        let summary: RunSummary
        let makeRunner = { (selection: [any Adapter]) in
            CollectionRunner(
                instances: selection,
                sink: store,
                shard: shard,
                logger: logger,
                progress: { Terminal.progress($0) },
                shouldStop: { stop.isSet },
                makeContext: { adapter in
                    Contexts.make(for: adapter, http: http, state: state, settings: settings, logger: logger)
                }
            )
        }
        if once {
            summary = try await makeRunner(instances).runOnce()
        } else {
            summary = try await ServiceLoop(instances: instances, stop: stop, makeRunner: makeRunner).run()
        }
        try store.close()
        Terminal.endProgress()
        Terminal.writeError(summary.text)
        if summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }

    private func parsedShard() throws -> Shard? {
        guard let shard else { return nil }
        guard let parsed = Shard(parsing: shard) else {
            throw UsageError("--shard \(shard): write K/N with 0 ≤ K < N, e.g. --shard 0/4")
        }
        return parsed
    }
}

/// Builds the context each adapter instance collects with.
enum Contexts {
    static func make(
        for adapter: any Adapter,
        http: any HTTPFetching,
        state: StateStore,
        settings: CollectorSettings,
        logger: Logger,
        dryRun: Bool = false
    ) -> AdapterContext {
        var logger = logger
        logger[metadataKey: "adapter"] = "\(adapter.name)"
        logger[metadataKey: "platform"] = "\(adapter.platform)"
        return AdapterContext(
            http: RateLimitedHTTPClient(base: http, rate: adapter.schedule.rate),
            state: state,
            calendar: settings.calendar,
            now: { Timestamp(secondsSinceEpoch: Int64(time(nil))) },
            logger: logger,
            isDryRun: dryRun
        )
    }
}
