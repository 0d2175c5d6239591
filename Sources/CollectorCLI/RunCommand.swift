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
///
/// Files it keeps in `state_dir`, all named after the collector instance (with `-shard-K`
/// under `--shard K/N`): the lock `<instance>.lock`, the schedule `schedule-<instance>.tsv`
/// and its journal, the self-metrics `collector-<instance>.prom`; per service (a platform's
/// official API, its login-cookie web endpoints) the circuit breaker `circuit-<service>`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Collect into the data folder: every instance once with --once, else on the schedule until SIGINT/SIGTERM (SIGHUP reloads the configuration)."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Run every configured instance once, then exit (for cron, systemd timers, Kubernetes CronJobs).")
    var once = false

    @Option(name: .long, help: "Only this instance (its name or adapter type); repeat for several.")
    var only: [String] = []

    @Option(
        name: .long,
        help:
            "Only the accounts of shard K of N (K counts from 0), e.g. 0/4; the part files and state files get the suffix -shard-K."
    )
    var shard: String?

    @Flag(
        help:
            "With --once: only the accounts that are due by the schedule, so a timer more frequent than the interval collects each account once per interval and an interrupted run resumes where it stopped."
    )
    var due = false

    @OptionGroup var output: QuietOption

    func run() async throws {
        if due && !once {
            throw UsageError("--due goes with --once: the service always collects each account when it is due")
        }
        let setup = try Setup.load(options)
        let shard = try Self.parseShard(shard)
        let instances = try setup.selected(only: only)
        // Each shard writes its own part files (and keeps its own lock, schedule and metrics),
        // so shards never share a file even when they share the data and state folders.
        let settings = Self.sharded(setup.settings, shard)
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(
            stateDirectory: settings.stateDirectory,
            instance: settings.instance,
            purpose: once ? .tick : .service,
            calendar: settings.calendar,
            collects: true,
            shard: shard
        )
        defer { lock.release() }
        // Each layout has its own locks, so they do not meet: a run without --shard beside the
        // shards, or shards of two counts, would collect accounts twice. Checked with the lock
        // held, so of two layouts starting together at least one sees the other.
        try ShardLayoutConflict.check(
            stateDirectory: settings.stateDirectory,
            instance: setup.settings.instance,
            shard: shard,
            purpose: once ? .tick : .service
        )
        try Setup.finishInterruptedWrites(settings: settings, logger: logger)
        // Rows in two timezones would store one instant in two month folders (DataTimezone).
        try DataTimezone.check(settings: settings)
        // What a change of [collector] left behind, once per run (as `check` says it): another
        // instance name's self-metrics frozen in state_dir (OtherInstanceState), and a data
        // folder that holds nothing while the schedule says its accounts were collected
        // (DataFolderMoved). A listing of each folder; the schedule only when data_dir is empty.
        for other in OtherInstanceState.find(
            stateDirectory: settings.stateDirectory,
            instance: setup.settings.instance,
            configured: setup.configuredSections
        ) {
            logger.warning("\(other.warning(instance: setup.settings.instance))")
        }
        // A lower shard count left the state files of the shards it retired (their frozen
        // self-metrics keep the staleness alert firing).
        if let shard,
            let retired = RetiredShardFiles.find(
                stateDirectory: settings.stateDirectory,
                instance: setup.settings.instance,
                count: shard.count
            )
        {
            logger.warning("\(retired.warning(instance: setup.settings.instance))")
        }
        let dataFolderHoldsNothing = DataFolderMoved.holdsNothing(settings.dataDirectory)
        let store = try SampleStore(settings: settings, logger: logger, writers: instances.count)
        let state = try StateStore(directory: settings.stateDirectory)
        let schedule = try ScheduleTable(state: state, instance: settings.instance)
        // Renamed and removed sections, and accounts gone from the configuration, leave the
        // schedule at its next checkpoint; every section counts, not only those `--only` selects.
        schedule.keepOnly(setup.configuredAccounts)
        // Without --due a --once run collects every account, into the new folder too.
        if dataFolderHoldsNothing, due || !once,
            let moved = DataFolderMoved.find(
                dataDirectory: settings.dataDirectory,
                schedule: schedule,
                sections: instances.filter { type(of: $0).type != ImportAdapter.type }.map { ($0.name, $0.accounts) },
                now: CollectionRunner.systemClock().secondsSinceEpoch
            )
        {
            logger.warning("\(moved.warning(calendar: settings.calendar))")
        }
        for (path, count) in schedule.unreadableLines {
            // Skipped lines make their accounts due at once: say why a whole run collects again.
            let lines = count == 1 ? "1 line" : "\(count) lines"
            let message: String =
                "schedule file \(path) is damaged: \(lines) could not be read and were skipped, so their accounts"
                + " are collected now as if new; the file is written anew at the end of this run"
            logger.warning("\(message)")
        }
        let breaker = CircuitBreaker(state: state)
        let metrics = SelfMetrics(instance: settings.instance, formats: settings.formats)
        let metricsPath = state.path("collector-\(settings.instance).prom")
        if let previous = try? state.read("collector-\(settings.instance).prom") {
            // Every configured section, not only the selected ones: `--only` keeps the others'.
            metrics.carryOver(previous, configured: setup.configuredSections)
        }
        let budgets = RequestBudgets()
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: settings.concurrency))
        defer { http.shutdown() }
        let stop = StopFlag.installed(reload: !once) { [grace = settings.stopGrace] in
            // At a terminal, someone pressed Ctrl-C and waits: say why the run goes on, and how
            // to end it. Services (systemd, Kubernetes) stop quietly.
            guard Terminal.stderrIsTerminal, grace > .zero else { return }
            Terminal.endProgress()
            Terminal.writeError(
                "stopping: collections in flight get up to \(RunCommand.seconds(grace)) to finish (stop_grace); "
                    + "press Ctrl-C again to stop them now"
            )
        }
        let started = ContinuousClock.now
        let startedAt = CollectionRunner.systemClock()

        let makeRunner: @Sendable ([any Adapter], @escaping @Sendable () -> Bool) -> CollectionRunner = {
            selection,
            shouldStop in
            CollectionRunner(
                instances: selection,
                sink: store,
                shard: shard,
                logger: logger,
                // Off a terminal the runner then builds no progress line per account.
                progress: Terminal.stderrIsTerminal ? { @Sendable line in Terminal.progress(line) } : nil,
                shouldStop: shouldStop,
                schedule: schedule,
                breaker: breaker,
                metrics: metrics,
                stopGrace: settings.stopGrace,
                stopNow: { stop.isUrgent },
                makeContext: { adapter in
                    Contexts.make(
                        for: adapter,
                        http: http,
                        state: state,
                        settings: settings,
                        logger: logger,
                        budgets: budgets,
                        metrics: metrics
                    )
                }
            )
        }

        var summary = RunSummary()
        var failure: (any Error)?
        do {
            if once {
                summary = try await makeRunner(instances, { stop.isSet }).runOnce(onlyDue: due)
            } else {
                summary = try await ServiceLoop(
                    instances: instances,
                    settings: setup.settings,
                    schedule: schedule,
                    only: only,
                    options: options,
                    stop: stop,
                    logger: logger,
                    metrics: metrics,
                    makeScheduler: { selection, shouldStop in
                        ServiceScheduler(
                            runner: makeRunner(selection, shouldStop),
                            schedule: schedule,
                            metrics: metrics,
                            metricsPath: metricsPath,
                            sleep: { deadline in await stop.sleep(until: deadline, wake: shouldStop) },
                            shouldStop: shouldStop
                        )
                    }
                ).run()
            }
        } catch {
            failure = error
        }

        // Data first, then the state that refers to it: every due time in the schedule covers
        // samples that are durable by now.
        do {
            try store.close()
        } catch {
            failure = failure ?? error
        }
        do {
            try schedule.checkpoint()
        } catch {
            logger.warning("could not checkpoint the schedule (its journal keeps the due times): \(error)")
        }
        schedule.close()
        let duration = ContinuousClock.now - started
        metrics.recordRun(duration: duration, endedAt: CollectionRunner.systemClock())
        var metricsWritten = true
        do {
            try metrics.write(to: metricsPath)
        } catch {
            metricsWritten = false
            logger.warning("could not write the self-metrics: \(error)")
        }

        Terminal.endProgress()
        // A storage error ends the run before the instances hand back their counts: say what is
        // known instead of "0 rows written".
        // A service's summary covers its whole life, failures long since recovered included.
        let heading = once ? "summary" : "summary since the service started at \(settings.calendar.render(startedAt))"
        var lines = [
            failure == nil
                ? summary.text(heading: heading)
                : "summary: the run stopped on the error below; the rows written before it are intact,"
                    + " and a re-run collects the rest without duplicates"
        ]
        if let requests = metrics.requestSummary { lines.append(requests) }
        lines.append(
            "run took \(Self.seconds(duration)); "
                + (metricsWritten ? "self-metrics in \(metricsPath)" : "self-metrics not written (see above)")
        )
        if output.printsSummary(succeeded: failure == nil && summary.exitCode == 0) {
            Terminal.writeError(lines.joined(separator: "\n"))
        }
        if let failure { throw failure }
        // A service stopped by SIGTERM/SIGINT has done its job: exit 0 (SPEC §1).
        if once && summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }

    /// `--shard K/N` as given to `run` or `compact`.
    static func parseShard(_ shard: String?) throws -> Shard? {
        guard let shard else { return nil }
        guard let parsed = Shard(parsing: shard) else {
            throw UsageError("--shard \(shard): write K/N with 0 ≤ K < N, e.g. --shard 0/4")
        }
        return parsed
    }

    /// The settings of shard `shard`: its instance name gets `-shard-K`.
    static func sharded(_ settings: CollectorSettings, _ shard: Shard?) -> CollectorSettings {
        guard let shard else { return settings }
        var sharded = settings
        sharded.instance += "-shard-\(shard.index)"
        return sharded
    }

    /// `12.3 s`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = Int64((duration.secondsValue * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

/// Builds the context each adapter instance collects with.
enum Contexts {
    /// The context of `adapter`: its HTTP client spends the instance's budget (and a shared
    /// credential's, for a ``SharedCredentialAdapter``) and, with `metrics`, counts requests;
    /// it follows a `GET`'s same-origin redirects above both, so each hop spends and counts.
    /// Without `budgets` (a one-off like `collector test`) a fresh budget of the instance's
    /// `rate` alone applies. An instance with a daily request cap (``DailyCappedSection``)
    /// counts its requests in `requestCounts`, by default `state` (which must then be writable).
    static func make(
        for adapter: any Adapter,
        http: any HTTPFetching,
        state: StateStore,
        settings: CollectorSettings,
        logger: Logger,
        dryRun: Bool = false,
        budgets: RequestBudgets? = nil,
        metrics: SelfMetrics? = nil,
        requestCounts: StateStore? = nil
    ) -> AdapterContext {
        var logger = logger
        logger[metadataKey: "adapter"] = "\(adapter.name)"
        logger[metadataKey: "platform"] = "\(adapter.platform)"
        var client: any HTTPFetching = http
        if let metrics { client = MeteredHTTPClient(base: client, platform: adapter.platform, metrics: metrics) }
        // Counted below the budgets, so that each request sent is counted (a retry, a redirect
        // hop that spends the budget too), and only for a section with a cap: the others'
        // requests pass as before.
        if let capped = adapter as? any DailyCappedSection, let limit = capped.dailyRequestCap {
            client = DailyRequestCap(
                base: client,
                instance: adapter.name,
                limit: limit,
                state: requestCounts ?? state,
                advice: UnofficialEndpointLimits.dailyCapAdvice(type: type(of: adapter).type),
                now: CollectionRunner.systemClock
            )
        }
        client = BudgetedHTTPClient(
            base: client,
            budgets: budgets?.budgets(for: adapter) ?? [RequestBudget(rate: adapter.schedule.rate)],
            wallClock: CollectionRunner.systemClock
        )
        // Above the budgets and the counters: each hop of a redirect is a request the platform
        // sees, so it waits for the rate and is counted with its own status.
        client = RedirectFollowingHTTPClient(base: client)
        return AdapterContext(
            http: client,
            state: state,
            calendar: settings.calendar,
            now: { Timestamp(secondsSinceEpoch: Int64(time(nil))) },
            logger: logger,
            isDryRun: dryRun
        )
    }
}
