import Collector
import Synchronization

/// Remembers that m.weibo.cn rejected the cookie (`ok:-100`), so the instance's other accounts
/// fail at once instead of each knocking on the login wall again: fail closed.
final class WeiboCookieLatch: Sendable {
    /// The rejection: on which account, and when.
    struct Rejection: Sendable {
        var account: String
        var time: Timestamp
    }

    private let rejection = Mutex<Rejection?>(nil)

    /// The rejection, when one happened less than `window` seconds before `now`.
    func current(now: Timestamp, window: Int64) -> Rejection? {
        rejection.withLock { rejection in
            guard let found = rejection, now.secondsSinceEpoch - found.time.secondsSinceEpoch < window else {
                return nil
            }
            return found
        }
    }

    /// Records a rejection.
    func reject(account: String, at time: Timestamp) {
        rejection.withLock { $0 = Rejection(account: account, time: time) }
    }
}
