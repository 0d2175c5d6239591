public import Logging
import Synchronization

/// Runs adapter instances once: every account of every instance, instances side by side and
/// the accounts of one instance in order (STYLE §9), writing into one sink.
///
/// Failures are recorded, never hidden: an account that fails is retried when the error says a
/// retry may help, then reported with its cause; an anti-bot or quota answer stops the rest of
/// that instance for this run, politely. Only a storage failure ends the run early (exit 3).
public struct CollectionRunner: Sendable {
    /// How often and how long to retry an account whose failure may pass.
    public struct RetryPolicy: Sendable, Hashable {
        /// Attempts per account, the first included.
        public var maxAttempts: Int
        /// The first backoff; each later one doubles, with jitter.
        public var initialBackoff: Duration
        /// The longest single wait, `Retry-After` included.
        public var maxBackoff: Duration

        /// Creates a policy.
        public init(maxAttempts: Int = 3, initialBackoff: Duration = .seconds(2), maxBackoff: Duration = .seconds(300))
        {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
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
    ///   - makeContext: the context of each instance.
    public init(
        instances: [any Adapter],
        sink: any SampleSink,
        shard: Shard? = nil,
        retry: RetryPolicy = RetryPolicy(),
        logger: Logger,
        progress: (@Sendable (String) -> Void)? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        makeContext: @escaping @Sendable (any Adapter) -> AdapterContext
    ) {
        self.instances = instances
        self.sink = sink
        self.shard = shard
        self.retry = retry
        self.logger = logger
        self.progress = progress
        self.shouldStop = shouldStop
        self.makeContext = makeContext
    }

    /// Runs every instance once.
    /// - Returns: the summary of the whole run.
    /// - Throws: ``StorageError`` when the store cannot write: the run stops, what was written stays.
    public func runOnce() async throws -> RunSummary {
        try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for instance in instances {
                group.addTask { try await run(instance) }
            }
            var total = RunSummary()
            for try await summary in group { total.merge(summary) }
            return total
        }
    }

    /// Runs the accounts of one instance: in order, or `parallelAccounts` at a time.
    func run(_ adapter: any Adapter) async throws -> RunSummary {
        let context = makeContext(adapter)
        let accounts = adapter.accounts.filter { shard?.contains(platform: adapter.platform, account: $0) ?? true }
        let queue = AccountQueue(accounts: accounts)
        let width = min(adapter.schedule.parallelAccounts, max(accounts.count, 1))
        return try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for _ in 0..<width {
                group.addTask {
                    var summary = RunSummary()
                    while !Task.isCancelled && !shouldStop(), let (account, stoppedBy) = queue.next() {
                        if let stoppedBy {
                            summary.failedAccounts += 1
                            summary.failures.append(
                                CollectionFailure(
                                    adapter: adapter.name,
                                    account: account,
                                    label: "skipped",
                                    platformCode: stoppedBy.platformCode,
                                    message:
                                        "not collected: the instance stopped for this run after \(stoppedBy.label) on account \(stoppedBy.account)"
                                )
                            )
                            continue
                        }
                        let outcome = try await collect(adapter, account: account, context: context)
                        summary.merge(outcome.summary)
                        if outcome.stopsInstance, let failure = outcome.summary.failures.last { queue.stop(failure) }
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
    }

    private struct Outcome {
        var summary = RunSummary()
        var stopsInstance = false
    }

    /// Collects one account, with retries; the samples of every attempt are kept.
    private func collect(_ adapter: any Adapter, account: String, context: AdapterContext) async throws -> Outcome {
        var logger = context.logger
        logger[metadataKey: "account"] = "\(account)"
        var context = context
        context.logger = logger
        var outcome = Outcome()
        var attempt = 1
        while true {
            let batch = SampleBatch(sink: sink)
            var failure: (any Error)?
            do {
                try await adapter.collect(account: account, into: batch, context: context)
            } catch let error as StorageError {
                throw error
            } catch {
                failure = error
            }
            // Whatever was collected before a failure is a valid observation: keep it.
            try batch.commit()
            outcome.summary.counts += batch.counts
            outcome.summary.failures += batch.failures
            guard let failure else {
                outcome.summary.succeeded += 1
                return outcome
            }
            let classified = classify(failure, adapter: adapter, account: account)
            if classified.retryable && attempt < retry.maxAttempts && !Task.isCancelled && !shouldStop() {
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
            var metadata: Logger.Metadata = ["error": "\(classified.failure.label)"]
            if let code = classified.failure.platformCode { metadata["error.code"] = "\(code)" }
            logger.warning("\(classified.failure.message)", metadata: metadata)
            outcome.summary.failedAccounts += 1
            outcome.summary.failures.append(classified.failure)
            outcome.stopsInstance = classified.stopsInstance
            return outcome
        }
    }

    private struct Classified {
        var failure: CollectionFailure
        var retryable: Bool
        var stopsInstance: Bool
        var retryAfter: Duration?
    }

    private func classify(_ error: any Error, adapter: any Adapter, account: String) -> Classified {
        switch error {
        case let error as AdapterError:
            var message = error.message
            if let requestID = error.requestID { message += " [request id \(requestID)]" }
            if error.action == .stopInstance {
                message += "; \(adapter.name) stops for the rest of this run"
            }
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
                retryAfter: error.retryAfter
            )
        case let error as HTTPError:
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: error.metricLabel,
                    message: error.description
                ),
                retryable: error.isRetryable,
                stopsInstance: false,
                retryAfter: nil
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

/// The accounts of one instance, handed out one at a time to the instance's workers, with the
/// failure that stopped the instance, if any.
private final class AccountQueue: Sendable {
    private struct State {
        var next = 0
        var finished = 0
        var stoppedBy: CollectionFailure?
    }

    private let accounts: [String]
    private let state = Mutex(State())

    init(accounts: [String]) {
        self.accounts = accounts
    }

    /// The next account, and the failure that stopped the instance (then the account is only reported).
    func next() -> (String, CollectionFailure?)? {
        state.withLock { state in
            guard state.next < accounts.count else { return nil }
            defer { state.next += 1 }
            return (accounts[state.next], state.stoppedBy)
        }
    }

    /// Records that an account finished; returns how many have.
    func finished() -> Int {
        state.withLock { state in
            state.finished += 1
            return state.finished
        }
    }

    /// Stops the instance: accounts handed out from now on are reported, not collected.
    func stop(_ failure: CollectionFailure) {
        state.withLock { state in
            if state.stoppedBy == nil { state.stoppedBy = failure }
        }
    }
}
