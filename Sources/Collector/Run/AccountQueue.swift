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
        /// Whether the platform could not be reached (see ``noteReach(missed:limit:)``).
        var unreachable = false
        /// Whether the warning of the failure that stopped the instance said so already (an
        /// anti-bot answer, a used-up daily cap): a stop after several accounts in a row missed
        /// the platform is said by no single account's warning.
        var announced = false
    }

    /// How an account's requests missed the platform's API.
    enum Miss: Sendable, Hashable {
        /// The host could not be reached: down, cut off, not resolved.
        case unreachable(host: String)
        /// Something other than the platform's API answered: another server's page (a wrong
        /// `base_url`), a proxy's, a login wall's, a redirect elsewhere.
        case otherServer
        /// The host answered, but every answer broke off in the body (a reset, broken chunk
        /// framing, fewer bytes than announced): a failing server or proxy, which every further
        /// account would only be sent through again.
        case brokenAnswer(host: String)
    }

    private struct State {
        var next = 0
        var finished = 0
        var stop: Stop?
        /// Accounts in a row, in the order they finished, whose requests missed the platform's API.
        var missedRun = 0
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

    /// What stopped the instance, if anything did.
    var stopped: Stop? { state.withLock { $0.stop } }

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
                reason: "the instance stopped for this run after \(failure.label) on account \(failure.account)",
                announced: true
            )
        )
    }

    /// Notes whether a finished account reached the platform's API: `missed` is its failure
    /// and how it missed, when it did not. After `limit` accounts in a row missed, the instance
    /// stops: the host is down or cut off, its answers break off, or `base_url` leads elsewhere, and every further
    /// account would only meet the same. A `limit` of 0 never stops.
    func noteReach(missed: (failure: CollectionFailure, miss: Miss)?, limit: Int) {
        state.withLock { state in
            guard let (failure, miss) = missed else {
                state.missedRun = 0
                return
            }
            state.missedRun += 1
            guard limit > 0, state.missedRun >= limit, state.stop == nil else { return }
            let after = "the instance stopped for this run after \(state.missedRun) accounts in a row"
            switch miss {
            case .unreachable(let host):
                state.stop = Stop(
                    failure: failure,
                    reason: "\(after) could not reach \(host) (\(failure.label)); check the network and the host, the "
                        + "accounts stay due",
                    unreachable: true
                )
            case .brokenAnswer(let host):
                state.stop = Stop(
                    failure: failure,
                    reason:
                        "\(after) got answers from \(host) that broke off in the body (\(failure.label)); check the "
                        + "server and any proxy in between, the accounts stay due"
                )
            case .otherServer:
                state.stop = Stop(
                    failure: failure,
                    reason: "\(after) were not answered by the platform's API (\(failure.label)); check base_url "
                        + "(host and path prefix) and any proxy in between, the accounts stay due"
                )
            }
        }
    }

    private func stop(_ stop: Stop) {
        state.withLock { state in
            if state.stop == nil { state.stop = stop }
        }
    }
}
