import Synchronization

/// The accounts of one instance, handed out one at a time to the instance's workers, with what
/// stopped the instance, if anything did.
final class AccountQueue: Sendable {
    /// Why the instance stopped: accounts handed out after it are reported, not collected.
    struct Stop: Sendable {
        /// The failure that stopped it; its platform code goes to every skipped account.
        var failure: CollectionFailure
        /// Why, for the skipped accounts' message: `the instance stopped for this run after …`.
        var reason: String
        /// Whether the platform could not be reached (see ``noteReach(unreachable:limit:)``).
        var unreachable = false
    }

    private struct State {
        var next = 0
        var finished = 0
        var stop: Stop?
        /// Accounts in a row, in the order they finished, that could not reach the platform.
        var unreachableRun = 0
    }

    private let accounts: [String]
    private let state = Mutex(State())

    init(accounts: [String]) {
        self.accounts = accounts
    }

    /// The next account, and what stopped the instance (then the account is only reported).
    func next() -> (String, Stop?)? {
        state.withLock { state in
            guard state.next < accounts.count else { return nil }
            defer { state.next += 1 }
            return (accounts[state.next], state.stop)
        }
    }

    /// How many accounts were never handed out.
    var untaken: Int { state.withLock { accounts.count - $0.next } }

    /// Records that an account finished; returns how many have.
    func finished() -> Int {
        state.withLock { state in
            state.finished += 1
            return state.finished
        }
    }

    /// Stops the instance after `failure` (an anti-bot answer, a ban): accounts handed out from
    /// now on are reported, not collected.
    func stop(_ failure: CollectionFailure) {
        stop(
            Stop(
                failure: failure,
                reason: "the instance stopped for this run after \(failure.label) on account \(failure.account)"
            )
        )
    }

    /// Notes whether a finished account reached the platform: `unreachable` is its failure and
    /// the host when it did not. After `limit` accounts in a row did not, the instance stops:
    /// the host is down or cut off, and every further account would only wait out its retries.
    /// A `limit` of 0 never stops.
    func noteReach(unreachable: (failure: CollectionFailure, host: String)?, limit: Int) {
        state.withLock { state in
            guard let (failure, host) = unreachable else {
                state.unreachableRun = 0
                return
            }
            state.unreachableRun += 1
            guard limit > 0, state.unreachableRun >= limit, state.stop == nil else { return }
            state.stop = Stop(
                failure: failure,
                reason: "the instance stopped for this run after \(state.unreachableRun) accounts in a row could not "
                    + "reach \(host) (\(failure.label)); check the network and the host, the accounts stay due",
                unreachable: true
            )
        }
    }

    private func stop(_ stop: Stop) {
        state.withLock { state in
            if state.stop == nil { state.stop = stop }
        }
    }
}
