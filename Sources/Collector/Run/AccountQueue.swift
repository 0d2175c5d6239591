import Synchronization

/// The accounts of one instance, handed out one at a time to the instance's workers, with the
/// failure that stopped the instance, if any.
final class AccountQueue: Sendable {
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
