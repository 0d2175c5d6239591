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
/// With a ``CircuitBreaker``, an anti-bot answer also opens the breaker of the instance's
/// ``Adapter/riskControlService`` for its `cooldown`: later runs within the period skip every
/// instance of that service with one clear failure per instance. With a ``ScheduleTable``, each account's next due time is recorded
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
        /// Accounts in a row whose requests did not reach the platform's API, every retry spent
        /// (the host was unreachable, ``HTTPError/meansUnreachable``, or something else answered,
        /// ``AdapterError/missedTheAPI``), after which the instance stops for the run; 0 never.
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

    let instances: [any Adapter]
    let sink: any SampleSink
    let makeContext: @Sendable (any Adapter) -> AdapterContext
    let shard: Shard?
    let retry: RetryPolicy
    let logger: Logger
    let progress: (@Sendable (String) -> Void)?
    let shouldStop: @Sendable () -> Bool
    let schedule: ScheduleTable?
    let breaker: CircuitBreaker?
    let metrics: SelfMetrics?
    let clock: @Sendable () -> Timestamp
    /// How long collections in flight may go on once a stop is requested.
    let stopGrace: Duration
    /// Once true (a second SIGINT/SIGTERM), the grace period ends at once.
    let stopNow: @Sendable () -> Bool

    /// Creates a runner.
    /// - Parameters:
    ///   - instances: the adapter instances to run.
    ///   - sink: where samples go.
    ///   - shard: only the accounts of this shard, when set.
    ///   - retry: the retry policy for passing failures.
    ///   - logger: the run's logger.
    ///   - progress: called with a short line after each account, for a terminal.
    ///   - shouldStop: once true (SIGINT/SIGTERM, a reload), accounts not yet started are left
    ///     for the next run, retry waits end, and collections in flight get `stopGrace`.
    ///   - schedule: where each account's next due time is recorded, after its samples are durable.
    ///   - breaker: the per-platform circuit breaker on anti-bot answers.
    ///   - metrics: where outcomes are counted.
    ///   - clock: the wall clock, for due times and the breaker.
    ///   - stopGrace: how long collections in flight may go on once `shouldStop` is true; then
    ///     they are cancelled (requests, retry waits and commands end), and stay due.
    ///   - stopNow: once true (a second SIGINT/SIGTERM), the collections in flight are cancelled
    ///     without waiting for the rest of `stopGrace`.
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
        stopGrace: Duration = .seconds(10),
        stopNow: @escaping @Sendable () -> Bool = { false },
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
        self.stopGrace = stopGrace
        self.stopNow = stopNow
        self.makeContext = makeContext
    }

    /// What a task of a pass returns: a worker's summary, or the watcher's end (see
    /// ``watch(_:adapter:)``).
    enum Finished {
        case worker(RunSummary)
        case watcher(WriteCounts, graceOver: Bool)
    }

    /// Runs beside a pass's workers until they are done (it is then cancelled): syncs the
    /// group when its oldest account has waited a second with no other account finishing (a
    /// stalled request must not keep finished accounts' rows off the disk), and once the run
    /// is asked to stop, gives the collections in flight ``stopGrace`` to finish, or less once
    /// ``stopNow`` is true.
    /// - Returns: the counts of the rows it synced, and whether the grace period ran out.
    func watch(_ durable: DurableGroup, adapter: any Adapter) async throws -> Finished {
        var counts = WriteCounts()
        while !Task.isCancelled && !shouldStop() {
            try? await Task.sleep(for: .milliseconds(250))
            if durable.isOverdue { counts += try sync(durable, adapter: adapter) }
        }
        guard !Task.isCancelled else { return .watcher(counts, graceOver: false) }
        let graceEnds = ContinuousClock.now + stopGrace
        // In steps, so that a second signal is noticed within a quarter second.
        while !Task.isCancelled && !stopNow() && ContinuousClock.now < graceEnds {
            try? await Task.sleep(for: min(.milliseconds(250), ContinuousClock.now.duration(to: graceEnds)))
        }
        return .watcher(counts, graceOver: !Task.isCancelled)
    }

    /// The system's wall clock, to the second.
    public static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(secondsSinceEpoch: Int64(time(nil)))
    }

    /// The instances this runner runs.
    public var adapters: [any Adapter] { instances }

    /// The accounts of `adapter` this runner collects: those of its shard, or all of them.
    func accounts(of adapter: any Adapter) -> [String] {
        adapter.accounts.filter { shard?.contains(platform: adapter.platform, account: $0) ?? true }
    }

    /// Runs every instance once.
    /// - Parameter onlyDue: Only the accounts that are due by the schedule table (as the service
    ///   reads it, give or take ``ScheduleTable/tickTolerance(interval:)``: a tick that starts a
    ///   little early still takes them), for `run --once --due`; the others count in
    ///   ``RunSummary/notDue``. Without a schedule table every account is due.
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
        var accounts = self.accounts(of: adapter)
        var notDue = 0
        if onlyDue, let schedule {
            let now = clock().secondsSinceEpoch
            let (interval, jitter) = (adapter.schedule.interval, adapter.schedule.jitter)
            let all = accounts.count
            // A tick that starts a little before an account's due time takes it: waiting for
            // the next tick would make it a whole tick late (ScheduleTable.tickTolerance).
            let horizon = now + ScheduleTable.tickTolerance(interval: interval)
            accounts = accounts.filter { account in
                schedule.due(adapter: adapter.name, account: account, now: now, interval: interval, jitter: jitter)
                    <= horizon
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
    /// When the circuit breaker of the adapter's service is open, nothing is collected: the summary then
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
        var total = try await withThrowingTaskGroup(of: Finished.self) { group in
            for _ in 0..<width {
                group.addTask {
                    var summary = RunSummary()
                    // One batch per worker for all its collections: their rows go to the store
                    // together at the group's sync, not per account.
                    let batch = SampleBatch(sink: sink, adapter: adapter.name)
                    durable.register(batch)
                    while !isStopping, let (account, stop) = queue.next() {
                        if let stop {
                            summary.failedAccounts += 1
                            summary.skipped += 1
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
                        queue.noteReach(missed: outcome.missed, limit: retry.unreachableLimit)
                        let done = queue.finished()
                        progress?("\(adapter.name): \(done)/\(accounts.count) accounts")
                    }
                    return .worker(summary)
                }
            }
            group.addTask { try await watch(durable, adapter: adapter) }
            var total = RunSummary()
            var working = width
            while working > 0, let finished = try await group.next() {
                switch finished {
                case .worker(let summary):
                    total.merge(summary)
                    working -= 1
                case .watcher(let counts, let graceOver):
                    total.counts += counts
                    // In-flight collections had their grace period: cancel them (they end as
                    // interrupted, and stay due).
                    if graceOver { group.cancelAll() }
                }
            }
            // The workers are done: end the watcher, and take the rows it synced.
            group.cancelAll()
            while let finished = try await group.next() {
                if case .watcher(let counts, _) = finished { total.counts += counts }
            }
            return total
        }
        // Accounts no worker took, once the run was asked to stop.
        total.interrupted += queue.untaken
        if let stop = queue.stopped, !stop.announced { total.stopReason = stop.reason }
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

    /// The open breaker of the adapter's service, when the adapter uses the breaker.
    public func openTrip(for adapter: any Adapter) -> CircuitBreaker.Trip? {
        guard let breaker, adapter.schedule.cooldown > .zero else { return nil }
        return breaker.openTrip(for: adapter.riskControlService, at: clock())
    }

    /// The summary of an instance left alone because its service's breaker is open.
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
            message: "\(accounts.count) account\(accounts.count == 1 ? "" : "s") not collected: \(trip.service)'s "
                + "circuit breaker is open until \(calendar.render(trip.until)) after \(trip.cause); delete "
                + "\(breaker?.path(for: trip.service) ?? "its state file") to try earlier"
        )
        summary.failedAccounts = accounts.count
        summary.record(failure)
        logger.warning(
            "\(failure.message)",
            metadata: ["adapter": "\(adapter.name)", "platform": "\(adapter.platform)", "error": "circuitOpen"]
        )
        metrics?.recordCircuit(trip.service, openUntil: trip.until)
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
}
