import Synchronization

/// Accounts whose rows are handed to the store but not yet synced, with what their due times need: the
/// runner syncs the sink once for the whole group — every 256 accounts or every second, and
/// at the end of a pass — and only then records their due times, so a due time never covers a
/// row a crash could lose, and a run over many accounts pays one fsync per group, not per account.
final class DurableGroup: Sendable {
    struct Item: Sendable {
        var adapter: any Adapter
        var account: String
        var startedAt: Timestamp
    }

    private struct State {
        var items: [Item] = []
        var since = ContinuousClock.now
    }

    private let state = Mutex(State())
    private static let maxItems = 256
    private static let maxAge = Duration.seconds(1)

    /// Adds an item; returns whether the group should be synced now.
    func add(_ item: Item) -> Bool {
        state.withLock { state in
            if state.items.isEmpty { state.since = .now }
            state.items.append(item)
            return state.items.count >= Self.maxItems || ContinuousClock.now - state.since >= Self.maxAge
        }
    }

    /// Takes every item; the caller syncs, then records them.
    func drain() -> [Item] {
        state.withLock { state in
            defer { state.items.removeAll() }
            return state.items
        }
    }
}
