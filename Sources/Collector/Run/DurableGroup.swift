import Synchronization

/// Accounts collected but not yet durable, with what their due times need, and the batches of
/// the workers that collected them: at a sync — every 1,024 accounts or every second, and at
/// the end of a pass — the runner hands the rows of every batch to the store, syncs the sink
/// once for the whole group, and only then records the due times. A due time never covers a
/// row a crash could lose, and a run over many accounts pays one store call and one fsync per
/// group, not per account.
final class DurableGroup: Sendable {
    struct Item: Sendable {
        var adapter: any Adapter
        var account: String
        var startedAt: Timestamp
    }

    private struct State {
        var items: [Item] = []
        var since = ContinuousClock.now
        var batches: [SampleBatch] = []
    }

    private let state = Mutex(State())
    /// Held through a whole sync: of two syncs at once, one could record due times while the
    /// other still holds (flushed from a batch, not yet written) the rows they cover.
    private let syncing = Mutex(())
    private static let maxItems = 1024
    private static let maxAge = Duration.seconds(1)

    /// Adds an item; returns whether the group should be synced now.
    func add(_ item: Item) -> Bool {
        state.withLock { state in
            if state.items.isEmpty { state.since = .now }
            state.items.append(item)
            return state.items.count >= Self.maxItems || ContinuousClock.now - state.since >= Self.maxAge
        }
    }

    /// Whether accounts have waited for a sync longer than a group may: no account finished
    /// for a while to trigger one.
    var isOverdue: Bool {
        state.withLock { !$0.items.isEmpty && ContinuousClock.now - $0.since >= Self.maxAge }
    }

    /// Runs `sync` (drain, flush, sync the sink, record due times) while no other sync runs.
    func serialized<T, E: Error>(_ sync: () throws(E) -> T) throws(E) -> T {
        try syncing.withLock { _ throws(E) in try sync() }
    }

    /// Adds the batch of a worker, flushed at every sync.
    func register(_ batch: SampleBatch) {
        state.withLock { $0.batches.append(batch) }
    }

    /// Takes every item, with the batches to flush before the sync. Everything a taken item
    /// collected was added to its batch before the item was: flushing after this call hands
    /// all of it to the store.
    func drain() -> (items: [Item], batches: [SampleBatch]) {
        state.withLock { state in
            defer { state.items.removeAll() }
            return (state.items, state.batches)
        }
    }
}
