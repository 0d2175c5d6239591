extension CollectionRunner {
    /// Queues the account's due time until its rows are durable, syncing the group when it is
    /// due (group commit: one store call and one fsync for many accounts, not one per account).
    /// - Returns: the counts of the rows a sync handed to the store, if one ran.
    func settle(
        _ adapter: any Adapter,
        account: String,
        startedAt: Timestamp,
        group: DurableGroup
    ) throws(StorageError) -> WriteCounts {
        guard group.add(DurableGroup.Item(adapter: adapter, account: account, startedAt: startedAt)) else {
            return WriteCounts()
        }
        return try sync(group, adapter: adapter)
    }

    /// Hands the rows of every worker's batch to the sink and makes them durable, then records
    /// the due times of the accounts the group covers.
    /// - Returns: the counts of the rows handed to the sink.
    func sync(_ group: DurableGroup, adapter: any Adapter) throws(StorageError) -> WriteCounts {
        try group.serialized { () throws(StorageError) in try syncSerialized(group, adapter: adapter) }
    }

    private func syncSerialized(_ group: DurableGroup, adapter: any Adapter) throws(StorageError) -> WriteCounts {
        let (items, batches) = group.drain()
        var counts = WriteCounts()
        do {
            for batch in batches { counts += try batch.flushTakingCounts() }
            // Rows a batch wrote when its chunk filled are in `counts` too: sync for them even
            // when no account is waiting.
            guard !items.isEmpty || counts != WriteCounts() else { return counts }
            try sink.sync()
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(path: "data", operation: "sync", detail: "\(error)")
        }
        metrics?.recordWrites(adapter: adapter.name, platform: adapter.platform, counts: counts)
        // The samples of these collections are durable by now: record the next due times,
        // with one append to the schedule's journal.
        guard let schedule, !items.isEmpty else { return counts }
        var random = SplitMix64()
        try schedule.advance(items.map { ($0.adapter.name, $0.account) }) { index, current in
            ScheduleEntry.next(
                after: current,
                startedAt: items[index].startedAt.secondsSinceEpoch,
                interval: items[index].adapter.schedule.interval,
                jitter: items[index].adapter.schedule.jitter,
                using: &random
            )
        }
        return counts
    }
}
