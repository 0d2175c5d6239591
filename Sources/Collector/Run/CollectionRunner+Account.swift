import Logging

extension CollectionRunner {
    /// How one account's collection ended.
    struct Outcome {
        var summary = RunSummary()
        var stopsInstance = false
        /// The failure and how, when the account failed without reaching the platform's API.
        var missed: (failure: CollectionFailure, miss: AccountQueue.Miss)?
    }

    /// Collects one account into `batch` (started over for each attempt), with retries; the
    /// samples of every attempt are kept.
    ///
    /// A passing failure of one request (a timeout, a reset, a 429 or 5xx answer) is retried as
    /// that request (``RetryingHTTPClient``): the requests before it are not sent again. Only a
    /// passing failure the adapter meets otherwise — a platform's "busy" code in a good answer —
    /// makes the whole account be collected again; a snapshot that attempt observes unchanged
    /// keeps the first observation's time (``SnapshotMemo``), so it is no second row.
    ///
    /// A stop (``shouldStop``, or the cancellation that ends a stop's grace period) is no
    /// failure of the account's: an account cut off in flight or in a retry wait counts in
    /// ``RunSummary/interrupted`` and stays due.
    func collect(
        _ adapter: any Adapter,
        account: String,
        into batch: SampleBatch,
        context: AdapterContext,
        group: DurableGroup
    ) async throws -> Outcome {
        // The account's logger is built only when something is logged: most collections log
        // nothing, and a copy of the logger's metadata per account costs a polling run about
        // 1 % of its CPU.
        var context = context
        context.account = account
        let requests = RequestRetries()
        context.http = RetryingHTTPClient(
            base: context.http,
            policy: retry,
            shouldStop: shouldStop,
            context: context,
            retries: requests
        )
        batch.observeSnapshots(since: context.now())
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
            requests.reset()
            batch.beginCollection(repeatingAnAttempt: attempt > 1)
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
            // Cancelled: the stop's grace period ended (or a storage error elsewhere ends the
            // run, and is reported). Whatever the error says (`CancellationError`, a cancelled
            // request, a killed command), it is the run's doing, not the account's.
            if failure is CancellationError || Task.isCancelled {
                context.logger.info("interrupted: the run is stopping; the account stays due")
                outcome.summary.interrupted += 1
                return outcome
            }
            let classified = classify(failure, adapter: adapter, account: account)
            // A platform that asks for a longer wait than a retry may take is not asked again
            // in this run: the account is reported and tried at its next due time.
            let waitTooLong = classified.retryAfter.map { $0 > retry.maxBackoff } ?? false
            // A request whose retry a stop left unsent ends the account as a stop before the
            // account's own retry does; one that had its retries, all failing, is not sent
            // again by collecting the whole account anew.
            if requests.stopped
                || (classified.retryable && !requests.spent && !waitTooLong && attempt < retry.maxAttempts)
            {
                let wait = backoff(attempt: attempt, retryAfter: classified.retryAfter)
                if !isStopping {
                    context.logger.info(
                        "retrying after a passing failure",
                        metadata: [
                            "error": "\(classified.failure.label)", "attempt": "\(attempt)",
                            "wait.seconds": "\(wait.wholeSeconds)", "retry": "account",
                        ]
                    )
                    await waitUnlessStopping(wait, context: context)
                }
                // A stop during the wait (or before it) leaves the retry for the next run.
                if isStopping {
                    context.logger.info(
                        "not retried: the run is stopping; the account stays due",
                        metadata: ["error": "\(classified.failure.label)"]
                    )
                    outcome.summary.interrupted += 1
                    return outcome
                }
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
                let service = adapter.riskControlService
                try breaker.trip(
                    CircuitBreaker.Trip(
                        service: service,
                        until: until,
                        adapter: adapter.name,
                        account: account,
                        label: reported.label,
                        platformCode: reported.platformCode
                    )
                )
                // What happens next is said once, here: the adapter's message gives the cause.
                reported.message +=
                    "; \(adapter.name) stops, and \(service) is left alone until"
                    + " \(context.calendar.render(until))"
                metrics?.recordCircuit(service, openUntil: until)
            } else if classified.stopsInstance {
                reported.message += "; \(adapter.name) stops for the rest of this run"
            }
            var metadata: Logger.Metadata = ["error": "\(reported.label)"]
            if let code = reported.platformCode { metadata["error.code"] = "\(code)" }
            var logger = context.logger
            if let imported = failure as? ImportError {
                // An import's unit of work is its whole list of files (`account=files`): the file
                // that was being imported (when the disk filled up) is what helps.
                var fileContext = context
                fileContext.account = nil
                logger = fileContext.logger
                metadata["file"] = "\(imported.file)"
            }
            logger.warning("\(reported.message)", metadata: metadata)
            outcome.summary.failedAccounts += 1
            outcome.summary.record(reported)
            outcome.stopsInstance = classified.stopsInstance
            outcome.summary.refusedUntil = classified.refusedUntil
            if let miss = classified.missed {
                outcome.missed = (reported, miss)
                if case .unreachable = miss { outcome.summary.unreachable += 1 }
            }
            // An account the platform refused, or could not be asked (the host was unreachable,
            // or another server answered), stays due: it is tried again when the instance runs
            // next (after the breaker closes, or from the next `--once --due` tick), not one
            // whole interval later.
            if !classified.stopsInstance && classified.missed == nil {
                outcome.summary.counts += try settle(adapter, account: account, startedAt: startedAt, group: group)
            }
            return outcome
        }
    }

    /// Whether the run is stopping: a stop was requested, or the task was cancelled.
    var isStopping: Bool { Self.isStopping(shouldStop) }

    /// Whether a run whose stop request is `shouldStop` is stopping (or its task cancelled).
    static func isStopping(_ shouldStop: @Sendable () -> Bool) -> Bool { shouldStop() || Task.isCancelled }

    /// Waits `duration` through the context's sleep, in steps of at most a quarter second, and
    /// returns early once the run is stopping: a retry wait may be minutes long (`Retry-After`),
    /// and a stop must not wait it out.
    func waitUnlessStopping(_ duration: Duration, context: AdapterContext) async {
        await Self.wait(duration, context: context, unless: shouldStop)
    }

    /// ``waitUnlessStopping(_:context:)`` for a run whose stop request is `shouldStop`.
    static func wait(_ duration: Duration, context: AdapterContext, unless shouldStop: @Sendable () -> Bool) async {
        var remaining = duration
        while remaining > .zero && !isStopping(shouldStop) {
            let step = min(remaining, .milliseconds(250))
            try? await context.sleep(step)
            remaining -= step
        }
    }

    /// Exponential backoff with jitter, at least `Retry-After`, at most `maxBackoff`.
    func backoff(attempt: Int, retryAfter: Duration?) -> Duration {
        retry.backoff(attempt: attempt, retryAfter: retryAfter)
    }
}

extension CollectionRunner.RetryPolicy {
    /// Exponential backoff with jitter, at least `Retry-After`, at most `maxBackoff`.
    func backoff(attempt: Int, retryAfter: Duration?) -> Duration {
        let exponential = initialBackoff * (1 << min(attempt - 1, 16))
        let jittered = exponential + exponential * Double.random(in: 0..<0.25)
        return min(max(jittered, retryAfter ?? .zero), maxBackoff)
    }
}
