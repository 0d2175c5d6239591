public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs adapter instances once: every account of every instance, instances side by side and
/// the accounts of one instance in order (STYLE §9), writing into one sink.
///
/// Failures are recorded, never hidden: an account that fails is retried when the error says a
/// retry may help, then reported with its cause; an anti-bot or quota answer stops the rest of
/// that instance for this run, politely. Only a storage failure ends the run early (exit 3).
///
/// With a ``CircuitBreaker``, an anti-bot answer also opens the platform's breaker for the
/// instance's `cooldown`: later runs within the period skip the platform with one clear
/// failure per instance. With a ``ScheduleTable``, each account's next due time is recorded
/// once the samples of its collection are durable. With ``SelfMetrics``, every account's
/// outcome and every pass's duration is counted.
public struct CollectionRunner: Sendable {
    /// How often and how long to retry an account whose failure may pass.
    public struct RetryPolicy: Sendable, Hashable {
        /// Attempts per account, the first included.
        public var maxAttempts: Int
        /// The first backoff; each later one doubles, with jitter.
        public var initialBackoff: Duration
        /// The longest single wait, `Retry-After` included.
        public var maxBackoff: Duration
        /// Accounts in a row whose requests did not reach the platform, every retry spent
        /// (``HTTPError/meansUnreachable``), after which the instance stops for the run; 0 never.
        public var unreachableLimit: Int

        /// Creates a policy.
        public init(
            maxAttempts: Int = 3,
            initialBackoff: Duration = .seconds(2),
            maxBackoff: Duration = .seconds(300),
            unreachableLimit: Int = 3
        ) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.unreachableLimit = max(0, unreachableLimit)
        }
    }

    private let instances: [any Adapter]
    private let sink: any SampleSink
    private let makeContext: @Sendable (any Adapter) -> AdapterContext
    private let shard: Shard?
    private let retry: RetryPolicy
    private let logger: Logger
    private let progress: (@Sendable (String) -> Void)?
    private let shouldStop: @Sendable () -> Bool
    private let schedule: ScheduleTable?
    private let breaker: CircuitBreaker?
    private let metrics: SelfMetrics?
    private let clock: @Sendable () -> Timestamp

    /// Creates a runner.
    /// - Parameters:
    ///   - instances: the adapter instances to run.
    ///   - sink: where samples go.
    ///   - shard: only the accounts of this shard, when set.
    ///   - retry: the retry policy for passing failures.
    ///   - logger: the run's logger.
    ///   - progress: called with a short line after each account, for a terminal.
    ///   - shouldStop: checked between accounts: once true, accounts not yet started are left
    ///     for the next run (SIGINT/SIGTERM).
    ///   - schedule: where each account's next due time is recorded, after its samples are durable.
    ///   - breaker: the per-platform circuit breaker on anti-bot answers.
    ///   - metrics: where outcomes are counted.
    ///   - clock: the wall clock, for due times and the breaker.
    ///   - makeContext: the context of each instance.
    public init(
        instances: [any Adapter],
        sink: any SampleSink,
        shard: Shard? = nil,
        retry: RetryPolicy = RetryPolicy(),
        logger: Logger,
        progress: (@Sendable (String) -> Void)? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        schedule: ScheduleTable? = nil,
        breaker: CircuitBreaker? = nil,
        metrics: SelfMetrics? = nil,
        clock: @escaping @Sendable () -> Timestamp = CollectionRunner.systemClock,
        makeContext: @escaping @Sendable (any Adapter) -> AdapterContext
    ) {
        self.instances = instances
        self.sink = sink
        self.shard = shard
        self.retry = retry
        self.logger = logger
        self.progress = progress
        self.shouldStop = shouldStop
        self.schedule = schedule
        self.breaker = breaker
        self.metrics = metrics
        self.clock = clock
        self.makeContext = makeContext
    }

    /// The system's wall clock, to the second.
    public static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(secondsSinceEpoch: Int64(time(nil)))
    }

    /// The instances this runner runs.
    public var adapters: [any Adapter] { instances }

    /// The shard this runner collects, if any.
    public var selectedShard: Shard? { shard }

    /// The run's logger.
    public var runLogger: Logger { logger }

    /// Runs every instance once.
    /// - Parameter onlyDue: Only the accounts that are due by the schedule table (as the service
    ///   reads it), for `run --once --due`; the others count in ``RunSummary/notDue``. Without a
    ///   schedule table every account is due.
    /// - Returns: the summary of the whole run.
    /// - Throws: ``StorageError`` when the store cannot write: the run stops, what was written stays.
    public func runOnce(onlyDue: Bool = false) async throws -> RunSummary {
        try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for instance in instances {
                group.addTask { try await run(instance, onlyDue: onlyDue) }
            }
            var total = RunSummary()
            for try await summary in group { total.merge(summary) }
            return total
        }
    }

    /// Runs the accounts of one instance (those of the runner's shard): in order, or
    /// `parallelAccounts` at a time.
    func run(_ adapter: any Adapter, onlyDue: Bool = false) async throws -> RunSummary {
        var accounts = adapter.accounts.filter { shard?.contains(platform: adapter.platform, account: $0) ?? true }
        var notDue = 0
        if onlyDue, let schedule {
            let now = clock().secondsSinceEpoch
            let (interval, jitter) = (adapter.schedule.interval, adapter.schedule.jitter)
            let all = accounts.count
            accounts = accounts.filter { account in
                schedule.due(adapter: adapter.name, account: account, now: now, interval: interval, jitter: jitter)
                    <= now
            }
            notDue = all - accounts.count
        }
        var summary = try await run(adapter, accounts: accounts)
        summary.notDue += notDue
        return summary
    }

    /// Runs the given accounts of one instance, in order or `parallelAccounts` at a time,
    /// whatever their due times (the service scheduler decides which are due). The shard is
    /// not applied again.
    ///
    /// When the platform's circuit breaker is open, nothing is collected: the summary then
    /// holds one `circuitOpen` failure naming the cause and when the breaker closes, and every
    /// account counts as failed.
    /// - Returns: the summary of this pass.
    /// - Throws: ``StorageError`` when the store or the state folder cannot be written.
    public func run(_ adapter: any Adapter, accounts: [String]) async throws -> RunSummary {
        let clockStart = ContinuousClock.now
        let context = makeContext(adapter)
        if let trip = openTrip(for: adapter) {
            return skipped(adapter, accounts: accounts, trip: trip, calendar: context.calendar)
        }
        let queue = AccountQueue(accounts: accounts)
        let durable = DurableGroup()
        schedule?.reserveCapacity(accounts.count, adapter: adapter.name)
        let width = min(adapter.schedule.parallelAccounts, max(accounts.count, 1))
        var total = try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for _ in 0..<width {
                group.addTask {
                    var summary = RunSummary()
                    // One batch per worker for all its collections: their rows go to the store
                    // together at the group's sync, not per account.
                    let batch = SampleBatch(sink: sink)
                    durable.register(batch)
                    while !Task.isCancelled && !shouldStop(), let (account, stop) = queue.next() {
                        if let stop {
                            summary.failedAccounts += 1
                            if stop.unreachable { summary.unreachable += 1 }
                            summary.record(
                                CollectionFailure(
                                    adapter: adapter.name,
                                    account: account,
                                    label: "skipped",
                                    platformCode: stop.failure.platformCode,
                                    message: "not collected: \(stop.reason)"
                                )
                            )
                            continue
                        }
                        let outcome = try await collect(
                            adapter,
                            account: account,
                            into: batch,
                            context: context,
                            group: durable
                        )
                        summary.merge(outcome.summary)
                        if outcome.stopsInstance, let failure = outcome.summary.failures.last { queue.stop(failure) }
                        queue.noteReach(unreachable: outcome.unreachable, limit: retry.unreachableLimit)
                        let done = queue.finished()
                        progress?("\(adapter.name): \(done)/\(accounts.count) accounts")
                    }
                    return summary
                }
            }
            var total = RunSummary()
            for try await summary in group { total.merge(summary) }
            return total
        }
        // The accounts still waiting for a sync: their rows become durable, then their due times.
        total.counts += try sync(durable, adapter: adapter)
        metrics?.recordPass(
            adapter: adapter.name,
            platform: adapter.platform,
            duration: ContinuousClock.now - clockStart,
            accountsFailed: total.failedAccounts
        )
        return total
    }

    /// The open breaker of the adapter's platform, when the adapter uses the breaker.
    public func openTrip(for adapter: any Adapter) -> CircuitBreaker.Trip? {
        guard let breaker, adapter.schedule.cooldown > .zero else { return nil }
        return breaker.openTrip(for: adapter.platform, at: clock())
    }

    /// The summary of an instance left alone because its platform's breaker is open.
    private func skipped(
        _ adapter: any Adapter,
        accounts: [String],
        trip: CircuitBreaker.Trip,
        calendar: PlatformCalendar
    ) -> RunSummary {
        var summary = RunSummary()
        guard !accounts.isEmpty else { return summary }
        let failure = CollectionFailure(
            adapter: adapter.name,
            account: accounts.count == 1 ? accounts[0] : "*",
            label: "circuitOpen",
            platformCode: trip.platformCode,
            message: "\(accounts.count) account\(accounts.count == 1 ? "" : "s") not collected: \(adapter.platform)'s "
                + "circuit breaker is open until \(calendar.render(trip.until)) after \(trip.cause); delete "
                + "\(breaker?.state.path(CircuitBreaker.fileName(adapter.platform)) ?? "its state file") to try earlier"
        )
        summary.failedAccounts = accounts.count
        summary.record(failure)
        logger.warning(
            "\(failure.message)",
            metadata: ["adapter": "\(adapter.name)", "platform": "\(adapter.platform)", "error": "circuitOpen"]
        )
        metrics?.recordCircuit(platform: adapter.platform, openUntil: trip.until)
        metrics?.recordAccount(
            adapter: adapter.name,
            platform: adapter.platform,
            failures: [failure],
            succeeded: false,
            at: clock()
        )
        metrics?.recordPass(
            adapter: adapter.name,
            platform: adapter.platform,
            duration: .zero,
            accountsFailed: accounts.count
        )
        return summary
    }

    private struct Outcome {
        var summary = RunSummary()
        var stopsInstance = false
        /// The failure and host, when the account failed without reaching the platform.
        var unreachable: (failure: CollectionFailure, host: String)?
    }

    /// Collects one account into `batch` (started over for each attempt), with retries; the
    /// samples of every attempt are kept.
    private func collect(
        _ adapter: any Adapter,
        account: String,
        into batch: SampleBatch,
        context: AdapterContext,
        group: DurableGroup
    ) async throws -> Outcome {
        var logger = context.logger
        logger[metadataKey: "account"] = "\(account)"
        var context = context
        context.logger = logger
        var outcome = Outcome()
        var attempt = 1
        let startedAt = clock()
        var reportedPartials = Set<CollectionFailure>()
        defer {
            metrics?.recordAccount(
                adapter: adapter.name,
                platform: adapter.platform,
                failures: outcome.summary.failures,
                succeeded: outcome.summary.succeeded > 0,
                at: clock()
            )
        }
        while true {
            batch.beginCollection()
            var failure: (any Error)?
            do {
                try await adapter.collect(account: account, into: batch, context: context)
            } catch let error as StorageError {
                throw error
            } catch {
                failure = error
            }
            // Whatever was collected before a failure is a valid observation: it stays in the
            // batch, and reaches the store and the disk with the group's next sync, before the
            // account's due time is recorded (see `DurableGroup`).
            // A retry may meet the same partial failure again (the same invalid line): report
            // each once.
            for partial in batch.failures where reportedPartials.insert(partial).inserted {
                outcome.summary.record(partial)
            }
            guard let failure else {
                // Notices of a failed attempt would repeat on the retry: only a success's count.
                for notice in batch.notices { outcome.summary.recordNotice(notice) }
                outcome.summary.succeeded += 1
                outcome.summary.counts += try settle(adapter, account: account, startedAt: startedAt, group: group)
                return outcome
            }
            if failure is CancellationError {
                // The run is stopping (SIGTERM, or a storage error elsewhere, which is reported):
                // not this account's failure. It stays due for the next run.
                logger.info("interrupted: the run is stopping")
                return outcome
            }
            let classified = classify(failure, adapter: adapter, account: account)
            // A platform that asks for a longer wait than a retry may take is not asked again
            // in this run: the account is reported and tried at its next due time.
            let waitTooLong = classified.retryAfter.map { $0 > retry.maxBackoff } ?? false
            if classified.retryable && !waitTooLong && attempt < retry.maxAttempts && !Task.isCancelled
                && !shouldStop()
            {
                let wait = backoff(attempt: attempt, retryAfter: classified.retryAfter)
                logger.info(
                    "retrying after a passing failure",
                    metadata: [
                        "error": "\(classified.failure.label)", "attempt": "\(attempt)",
                        "wait.seconds": "\(wait.wholeSeconds)",
                    ]
                )
                try? await context.sleep(wait)
                attempt += 1
                continue
            }
            var reported = classified.failure
            if waitTooLong, let asked = classified.retryAfter {
                reported.message +=
                    "; the platform asked to wait \(asked.components.seconds) s, longer than a retry waits"
                    + " (\(retry.maxBackoff.components.seconds) s): tried again at the next due time"
            }
            if classified.tripsBreaker, let breaker, adapter.schedule.cooldown > .zero {
                let until = clock().adding(seconds: max(1, adapter.schedule.cooldown.components.seconds))
                try breaker.trip(
                    CircuitBreaker.Trip(
                        platform: adapter.platform,
                        until: until,
                        adapter: adapter.name,
                        account: account,
                        label: reported.label,
                        platformCode: reported.platformCode
                    )
                )
                // What happens next is said once, here: the adapter's message gives the cause.
                reported.message +=
                    "; \(adapter.name) stops, and \(adapter.platform) is left alone until"
                    + " \(context.calendar.render(until))"
                metrics?.recordCircuit(platform: adapter.platform, openUntil: until)
            } else if classified.stopsInstance {
                reported.message += "; \(adapter.name) stops for the rest of this run"
            }
            var metadata: Logger.Metadata = ["error": "\(reported.label)"]
            if let code = reported.platformCode { metadata["error.code"] = "\(code)" }
            logger.warning("\(reported.message)", metadata: metadata)
            outcome.summary.failedAccounts += 1
            outcome.summary.record(reported)
            outcome.stopsInstance = classified.stopsInstance
            if let host = classified.unreachableHost {
                outcome.unreachable = (reported, host)
                outcome.summary.unreachable += 1
            }
            // An account the platform refused, or could not be asked (the host was unreachable),
            // stays due: it is tried again when the instance runs next (after the breaker
            // closes, or from the next `--once --due` tick), not one whole interval later.
            if !classified.stopsInstance && classified.unreachableHost == nil {
                outcome.summary.counts += try settle(adapter, account: account, startedAt: startedAt, group: group)
            }
            return outcome
        }
    }

    private struct Classified {
        var failure: CollectionFailure
        var retryable: Bool
        var stopsInstance: Bool
        var retryAfter: Duration?
        var tripsBreaker = false
        /// The host the request could not reach (``HTTPError/meansUnreachable``).
        var unreachableHost: String?
    }

    /// Queues the account's due time until its rows are durable, syncing the group when it is
    /// due (group commit: one store call and one fsync for many accounts, not one per account).
    /// - Returns: the counts of the rows a sync handed to the store, if one ran.
    private func settle(
        _ adapter: any Adapter,
        account: String,
        startedAt: Timestamp,
        group: DurableGroup
    ) throws(StorageError) -> WriteCounts {
        guard group.add(DurableGroup.Item(adapter: adapter, account: account, startedAt: startedAt)) else {
            return WriteCounts()
        }
        return try sync(group, adapter: adapter)
    }

    /// Hands the rows of every worker's batch to the sink and makes them durable, then records
    /// the due times of the accounts the group covers.
    /// - Returns: the counts of the rows handed to the sink.
    private func sync(_ group: DurableGroup, adapter: any Adapter) throws(StorageError) -> WriteCounts {
        let (items, batches) = group.drain()
        var counts = WriteCounts()
        do {
            for batch in batches { counts += try batch.flushTakingCounts() }
            // Rows a batch wrote when its chunk filled are in `counts` too: sync for them even
            // when no account is waiting.
            guard !items.isEmpty || counts != WriteCounts() else { return counts }
            try sink.sync()
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(path: "data", operation: "sync", detail: "\(error)")
        }
        metrics?.recordWrites(adapter: adapter.name, platform: adapter.platform, counts: counts)
        // The samples of these collections are durable by now: record the next due times,
        // with one append to the schedule's journal.
        guard let schedule, !items.isEmpty else { return counts }
        var random = SplitMix64()
        try schedule.advance(items.map { ($0.adapter.name, $0.account) }) { index, current in
            ScheduleEntry.next(
                after: current,
                startedAt: items[index].startedAt.secondsSinceEpoch,
                interval: items[index].adapter.schedule.interval,
                jitter: items[index].adapter.schedule.jitter,
                using: &random
            )
        }
        return counts
    }

    private func classify(_ error: any Error, adapter: any Adapter, account: String) -> Classified {
        switch error {
        case let error as AdapterError:
            var message = error.message
            if let requestID = error.requestID { message += " [request id \(requestID)]" }
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: error.label,
                    platformCode: error.platformCode,
                    message: message
                ),
                retryable: error.action == .retry,
                stopsInstance: error.action == .stopInstance,
                retryAfter: error.retryAfter,
                tripsBreaker: error.hasSameKind(as: .antiBot(""))
            )
        case let error as HTTPError:
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: error.metricLabel,
                    // The label says the kind: `couldNotConnect: host/path: libcurl's detail`.
                    message: error.placeAndDetail
                ),
                retryable: error.isRetryable,
                stopsInstance: false,
                retryAfter: nil,
                unreachableHost: error.meansUnreachable ? error.host : nil
            )
        default:
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: "error",
                    message: "\(error)"
                ),
                retryable: false,
                stopsInstance: false,
                retryAfter: nil
            )
        }
    }

    /// Exponential backoff with jitter, at least `Retry-After`, at most `maxBackoff`.
    private func backoff(attempt: Int, retryAfter: Duration?) -> Duration {
        let exponential = retry.initialBackoff * (1 << min(attempt - 1, 16))
        let jittered = exponential + exponential * Double.random(in: 0..<0.25)
        return min(max(jittered, retryAfter ?? .zero), retry.maxBackoff)
    }
}
