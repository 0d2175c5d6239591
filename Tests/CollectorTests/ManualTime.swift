import Collector
import Synchronization

/// A clock that only moves when told to, or when someone sleeps on it.
final class ManualTime: Sendable {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var now: @Sendable () -> Duration { { self.state.withLock { $0.now } } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in
            self.state.withLock {
                $0.now += duration
                $0.sleeps.append(duration)
            }
        }
    }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var current: Duration { state.withLock { $0.now } }

    func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// A client spending `budgets` on this clock.
    func client(base: any HTTPFetching, budgets: [RequestBudget]) -> BudgetedHTTPClient {
        BudgetedHTTPClient(
            base: base,
            budgets: budgets,
            now: now,
            wallClock: { Timestamp(secondsSinceEpoch: 0) },
            sleep: sleep
        )
    }
}
