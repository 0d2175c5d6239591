import Synchronization

/// What the retries of single requests (``RetryingHTTPClient``) did during one attempt at an
/// account, for the runner to decide what the attempt's failure calls for.
///
/// Thread-safe: an adapter may send requests from child tasks.
final class RequestRetries: Sendable {
    private struct State {
        var spent = false
        var stopped = false
    }

    private let state = Mutex(State())

    /// Starts an attempt at the account afresh.
    func reset() {
        state.withLock { $0 = State() }
    }

    /// A request met a passing failure on every attempt it was given.
    func noteSpent() {
        state.withLock { $0.spent = true }
    }

    /// A stop came before a request's retry, which was not sent.
    func noteStopped() {
        state.withLock { $0.stopped = true }
    }

    /// Whether a request of this attempt had its retries, every one failing: collecting the
    /// whole account again would only repeat the requests before it, then the same failure.
    var spent: Bool { state.withLock { $0.spent } }

    /// Whether a stop left a request's retry unsent: the account stays due.
    var stopped: Bool { state.withLock { $0.stopped } }
}
