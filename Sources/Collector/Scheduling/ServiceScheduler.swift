import Logging
import Synchronization

/// `collector run` as a service: every adapter instance on its own loop, collecting each
/// account when it is due (its ``ScheduleEntry`` in the ``ScheduleTable``), until asked to stop.
///
/// - **Rounds**: an instance's loop takes every account due now, runs them through the
///   ``CollectionRunner`` (`parallelAccounts` at a time), then looks again. An account still
///   running is never started again, so a round that overruns the interval delays the next
///   one instead of stacking on it.
/// - **Independence**: each instance has its own loop and its own budget, so a slow or stalled
///   platform only delays itself.
/// - **Breaker**: while the circuit breaker of the adapter's service is open the loop sleeps
///   until it closes, waking every ``breakerRecheck`` to read its file again (an operator may
///   delete it to close the breaker early); its accounts stay due.
/// - **Clock steps**: a due time further out than a collection now could have put it (one and a
///   half intervals plus the jitter, ``ScheduleTable/horizon(interval:jitter:)``) means the
///   wall clock went back; those accounts are due at once, as at a start, and one warning
///   says so. Without this a clock stepped back by a day (NTP correcting a clock that was
///   ahead, a VM snapshot restored) would hold the loop for that day.
/// - **Daily cap**: once the instance's daily request cap is used up (``DailyRequestCap``),
///   the loop sleeps until the cap resets (00:00 Beijing time) and its accounts stay due, as
///   for an open breaker: the refusal is logged once, by the account that met it, not again
///   each interval until midnight.
/// - **Unreachable platform**: accounts whose requests could not reach it (and those the
///   runner then skipped) are tried again after ``unreachableRetry`` (at most one interval).
///   When the runner stopped the instance for the pass (several accounts in a row missed the
///   platform), one warning says so, how many accounts were not tried, and when they are.
/// - **Stopping**: once `shouldStop` is true, no new account starts, and accounts in flight get
///   the runner's `stopGrace` to finish (their samples committed and due times recorded), then
///   are cancelled and stay due; ``run()`` returns.
/// - **Bookkeeping** after each round, one instance at a time: the schedule is checkpointed
///   when its journal has grown past the table, and the self-metrics file is rewritten.
///
/// Time is injected (`clock`, `sleep`), so tests drive it with a manual clock.
public final class ServiceScheduler: Sendable {
    /// How soon accounts that could not reach their platform are tried again (at most one
    /// interval): an outage of the network or the host should cost minutes, not an interval.
    public static let unreachableRetry: Int64 = 600

    /// How often a loop waiting for an open circuit breaker reads its file again, in seconds:
    /// deleting `state_dir/circuit-<service>` then closes it for the running service within
    /// a minute, without a restart.
    public static let breakerRecheck: Int64 = 60

    private let runner: CollectionRunner
    private let schedule: ScheduleTable
    private let metrics: SelfMetrics?
    private let metricsPath: String?
    private let clock: @Sendable () -> Timestamp
    private let sleep: @Sendable (Timestamp) async -> Void
    private let shouldStop: @Sendable () -> Bool
    /// Holds nothing: it lets one loop at a time checkpoint the schedule and write the metrics.
    private let bookkeeping = Mutex<Void>(())

    /// Creates a scheduler over the runner's instances and shard.
    /// - Parameters:
    ///   - runner: Runs the due accounts; its instances and shard are the service's.
    ///   - schedule: The due times; the runner must record into the same table.
    ///   - metrics: The self-metrics, written to `metricsPath` after each round.
    ///   - metricsPath: Where the self-metrics file goes (Prometheus text format).
    ///   - clock: The wall clock.
    ///   - sleep: Sleeps until a time, returning early once `shouldStop` is true, and when the
    ///     wall clock goes back (``WallClock/sleep(until:step:read:wake:)``): else a clock stepped
    ///     back by a day holds the loop for that day before it can pull its due times in.
    ///   - shouldStop: Whether to stop (SIGTERM, SIGINT, a configuration reload).
    public init(
        runner: CollectionRunner,
        schedule: ScheduleTable,
        metrics: SelfMetrics? = nil,
        metricsPath: String? = nil,
        clock: @escaping @Sendable () -> Timestamp = CollectionRunner.systemClock,
        sleep: @escaping @Sendable (Timestamp) async -> Void,
        shouldStop: @escaping @Sendable () -> Bool
    ) {
        self.runner = runner
        self.schedule = schedule
        self.metrics = metrics
        self.metricsPath = metricsPath
        self.clock = clock
        self.sleep = sleep
        self.shouldStop = shouldStop
    }

    /// Runs every instance on its loop until `shouldStop`.
    /// - Returns: the summary of everything collected.
    /// - Throws: ``StorageError`` when the store or the state folder cannot be written: every
    ///   loop stops at once (the service then exits 3), what was written stays.
    public func run() async throws -> RunSummary {
        let started = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for adapter in runner.adapters {
                group.addTask { try await self.loop(adapter, started: started) }
            }
            var total = RunSummary()
            for try await summary in group { total.merge(summary) }
            return total
        }
        afterRound(started: started)
        return total
    }

    /// The loop of one instance.
    private func loop(_ adapter: any Adapter, started: ContinuousClock.Instant) async throws -> RunSummary {
        let accounts = runner.accounts(of: adapter)
        let interval = max(1, adapter.schedule.interval.components.seconds)
        var queue = DueQueue()
        let start = clock().secondsSinceEpoch
        for (index, account) in accounts.enumerated() {
            let due = schedule.due(
                adapter: adapter.name,
                account: account,
                now: start,
                interval: adapter.schedule.interval,
                jitter: adapter.schedule.jitter
            )
            queue.push(DueQueue.Item(due: due, index: Int32(index)))
        }
        let horizon = ScheduleTable.horizon(interval: adapter.schedule.interval, jitter: adapter.schedule.jitter)
        let calendar = runner.makeContext(adapter).calendar
        var logger = runner.logger
        logger[metadataKey: "adapter"] = "\(adapter.name)"
        logger[metadataKey: "platform"] = "\(adapter.platform)"
        var total = RunSummary()
        var reportedTrip: CircuitBreaker.Trip?
        // Until when every request of the instance is refused (a used-up daily cap).
        var refusedUntil: Timestamp?
        // The file that holds a trip, named in the advice: the service's own, or the
        // platform-wide one an earlier version wrote.
        let breaker = runner.breaker
        let breakerFile = { (trip: CircuitBreaker.Trip) in
            breaker?.path(for: trip.service) ?? "the breaker's state file"
        }
        // The loop's previous reading of the wall clock: how far it went back, at least.
        var previous = start
        // Cancelled when another loop failed on the store (a full disk): that error ends the
        // service, so this loop must end too, not idle on until SIGTERM.
        while !shouldStop() && !Task.isCancelled, var first = queue.first {
            let now = clock()
            if first.due > now.secondsSinceEpoch + horizon {
                // Only a clock gone back puts the earliest due time out of a collection's reach.
                let moved = queue.pullIn(after: now.secondsSinceEpoch + horizon, to: now.secondsSinceEpoch)
                logger.warning(
                    "\(Self.clockWentBack(from: previous, to: now, moved: moved, calendar: calendar))",
                    metadata: ["accounts.due": "\(moved)"]
                )
                first = queue.first ?? first
            }
            previous = now.secondsSinceEpoch
            if let trip = runner.openTrip(for: adapter) {
                if trip != reportedTrip {
                    // Said once per trip; the accounts stay due.
                    let message = "circuit breaker open after \(trip.cause); waiting until it closes, or until "
                    logger.warning(
                        "\(message)\(breakerFile(trip)) is deleted",
                        metadata: ["until": "\(calendar.render(trip.until))", "accounts.due": "\(queue.count)"]
                    )
                    reportedTrip = trip
                }
                // Not past the next recheck: the file may be deleted meanwhile.
                await sleep(min(trip.until, now.adding(seconds: Self.breakerRecheck)))
                continue
            }
            if let closed = reportedTrip {
                if closed.until > now {
                    logger.warning(
                        "circuit breaker closed before its time (\(breakerFile(closed)) was deleted); collecting again",
                        metadata: ["accounts.due": "\(queue.count)"]
                    )
                }
                reportedTrip = nil
            }
            if let until = refusedUntil {
                // Not for longer than a day: a wall clock gone back would stretch the wait.
                if until > now && until.secondsSinceEpoch - now.secondsSinceEpoch <= 86_400 {
                    await sleep(until)
                    continue
                }
                refusedUntil = nil
                logger.info(
                    "the daily request cap was reset at \(calendar.render(until)); collecting again",
                    metadata: ["accounts.due": "\(queue.count)"]
                )
            }
            guard first.due <= now.secondsSinceEpoch else {
                await sleep(Timestamp(secondsSinceEpoch: first.due))
                continue
            }
            var round: [DueQueue.Item] = []
            while let item = queue.first, item.due <= now.secondsSinceEpoch, let popped = queue.pop() {
                round.append(popped)
            }
            let summary = try await runner.run(adapter, accounts: round.map { accounts[Int($0.index)] })
            total.merge(summary)
            let breakerOpen = runner.openTrip(for: adapter) != nil
            if let until = summary.refusedUntil, until > clock() { refusedUntil = until }
            // When the accounts that stay due are tried again: soon when the platform could not
            // be reached (an outage should cost minutes), else one interval later.
            let retry = summary.unreachable > 0 ? min(interval, Self.unreachableRetry) : interval
            if let reason = summary.stopReason, summary.skipped > 0, !breakerOpen, refusedUntil == nil {
                // The service has no closing summary per pass: what a `--once` run lists as
                // skipped accounts is said here, once per pass.
                let retryAt = calendar.render(now.adding(seconds: retry))
                logger.warning(
                    "\(reason); \(summary.skipped) account(s) not tried in this pass, tried again at \(retryAt)",
                    metadata: ["accounts.skipped": "\(summary.skipped)"]
                )
            }
            for item in round {
                if let entry = schedule.entry(adapter: adapter.name, account: accounts[Int(item.index)]),
                    entry.due > now.secondsSinceEpoch
                {
                    queue.push(DueQueue.Item(due: entry.due, index: item.index))
                } else if breakerOpen || refusedUntil != nil {
                    // Refused or not reached: due again as soon as the breaker closes, or the
                    // daily cap resets.
                    queue.push(item)
                } else {
                    // Not reached (soon again), or stopped early (a stop request, an instance
                    // stopped without a breaker): one interval later, as a pass-based schedule
                    // would.
                    queue.push(DueQueue.Item(due: now.secondsSinceEpoch + retry, index: item.index))
                }
            }
            afterRound(started: started)
        }
        return total
    }

    /// `the wall clock went back by at least 86398 s (it read …, now …): 2 account(s) due
    /// further out than one and a half intervals plus the jitter are due now, as at a start`.
    private static func clockWentBack(
        from previous: Int64,
        to now: Timestamp,
        moved: Int,
        calendar: PlatformCalendar
    ) -> String {
        var text = "the wall clock went back"
        let back = previous - now.secondsSinceEpoch
        if back > 0 {
            let before = calendar.render(Timestamp(secondsSinceEpoch: previous))
            text += " by at least \(back) s (it read \(before), now \(calendar.render(now)))"
        }
        return text + ": \(moved) account(s) due further out than one and a half intervals plus the jitter are due"
            + " now, as at a start"
    }

    /// Checkpoints the schedule when its journal outgrew it, and rewrites the metrics file.
    /// Failures are logged: the data and the journal are already safe.
    private func afterRound(started: ContinuousClock.Instant) {
        bookkeeping.withLock { _ in
            if schedule.journalLines >= max(1024, schedule.count) {
                do {
                    try schedule.checkpoint()
                } catch {
                    runner.logger.warning("could not checkpoint the schedule: \(error)")
                }
            }
            guard let metrics, let metricsPath else { return }
            metrics.recordRun(duration: ContinuousClock.now - started, endedAt: clock())
            do {
                try metrics.write(to: metricsPath)
            } catch {
                runner.logger.warning("could not write the self-metrics: \(error)")
            }
        }
    }
}
