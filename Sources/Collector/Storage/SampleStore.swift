public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The flat-file time-series store of SPEC §3: `<data_dir>/<platform>/<YYYY-MM>/<instance>.<ext>`.
///
/// - The month is the sample's own month in the configured calendar.
/// - A row whose key (time, platform, account, object, metric) and value are already in the
///   partition (in any instance's file) is skipped; a different value is appended and
///   supersedes; an `approx` value, or a `lower_bound` not above it, never supersedes an
///   `exact` one (``KeyPrecedence``). The same
///   holds within one `write` call.
/// - Rows are encoded into a buffer and written whole, one `write(2)` per chunk of lines on an
///   `O_APPEND` descriptor, so a crash can tear only the last line; the next open cuts it.
/// - Memory stays flat: a partition's key index costs about 19–37 bytes per key (see
///   ``KeyIndex``), and only a few partitions stay open (least recently used first out; a
///   closed partition's index is rebuilt from its files when it is needed again). Catalogue
///   rows are staged outside memory until the next sync (``CatalogueStage``).
/// - Samples arrive as ``SampleChunk``s (``SampleBatch`` builds them; ``write(_:)`` packs its
///   array into one): the strings of a chunk are hashed and scanned once per distinct string,
///   and a row is looked up and encoded straight from the chunk's bytes.
///
/// Thread-safe: one mutex guards the open partitions, so writes from several adapters are
/// serialized (the disk is the bottleneck anyway).
public final class SampleStore: SampleChunkSink {
    private struct State {
        var partitions: [PartitionWriter.Key: PartitionWriter] = [:]
        var catalogues: [Platform: CatalogueStage] = [:]
        var times: TimeRenderer
        var clock: UInt64 = 0
        var closed = false
        /// Partitions opened so far (a reopening after an eviction counts again).
        var opened = 0
        /// The platform and month folders already looked at by ``warnIfShared(_:state:)``.
        var checkedFolders: Set<String> = []
    }

    private let dataDirectory: String
    private let instance: String
    private let formats: [OutputFormat]
    private let calendar: PlatformCalendar
    private let logger: Logger
    private let maximumOpenPartitions: Int
    private let indexBudgetBytes: Int
    private let state: Mutex<State>

    /// The key-index memory allowed per writer: an instance section writing at the same time as
    /// the others, each usually into a partition of its own.
    package static let indexBudgetPerWriter = 20 << 20
    /// The most writers the budget grows with (160 MB of key index at most).
    package static let budgetedWriters = 8

    /// How many times a partition was opened, each time reading its files for the key index:
    /// more than the partitions written means evictions made the store read some again.
    package var partitionsOpened: Int { state.withLock { $0.opened } }

    /// Opens the store under `settings.dataDirectory`, creating the folder.
    /// - Parameter writers: how many instance sections may write at the same time. Each gets
    ///   its own share of open partitions and key-index memory (20 MB, up to 8 writers): with
    ///   one budget for all, six exec sections backfilling a year each evicted the others'
    ///   partitions at every batch, and each reopening read a whole month file again (a re-run
    ///   of six took 12× as long as the six one after the other).
    /// - Throws: ``StorageError`` when the folder cannot be created or written to, or the
    ///   instance name cannot name a file.
    public convenience init(settings: CollectorSettings, logger: Logger, writers: Int = 1) throws(StorageError) {
        let writers = min(max(1, writers), Self.budgetedWriters)
        try self.init(
            settings: settings,
            logger: logger,
            maximumOpenPartitions: max(16, 4 * writers),
            indexBudgetBytes: Self.indexBudgetPerWriter * writers
        )
    }

    /// Opens the store with explicit limits on open partitions: at most
    /// `maximumOpenPartitions`, and their key indexes together within `indexBudgetBytes`
    /// (the partition in use always stays open).
    package init(
        settings: CollectorSettings,
        logger: Logger,
        maximumOpenPartitions: Int,
        indexBudgetBytes: Int
    ) throws(StorageError) {
        dataDirectory = settings.dataDirectory
        instance = settings.instance
        let configured = settings.formats.isEmpty ? [OutputFormat.csv] : settings.formats
        formats = OutputFormat.allCases.filter { configured.contains($0) }
        calendar = settings.calendar
        self.logger = logger
        self.maximumOpenPartitions = max(1, maximumOpenPartitions)
        self.indexBudgetBytes = indexBudgetBytes
        state = Mutex(State(times: TimeRenderer(calendar: settings.calendar)))
        guard CollectorSettings.isSafeInstanceName(instance) else {
            throw StorageError(
                path: dataDirectory,
                operation: "open",
                detail: "instance name \"\(instance)\" cannot name a file; use letters, digits, -, _ and . (not first)"
            )
        }
        try FileSystem.makeDirectories(dataDirectory)
        guard access(dataDirectory, W_OK | X_OK) == 0 else {
            throw StorageError(
                path: dataDirectory,
                operation: "open",
                errno: errno,
                detail: "the data folder is not writable; fix its owner or mode, or set data_dir"
            )
        }
        if let problem = DataFolder.sharingProblem(dataDirectory) {
            logger.warning("\(DataFolder.sharingWarning(dataDirectory, problem: problem))")
        }
    }

    /// Warns, once per folder and store, when other users could change what is in `folder`, a
    /// platform or month folder (``DataFolder/sharingProblem(_:)``). Costs a `stat` when a
    /// partition or catalogue is first opened, never per row.
    private func warnIfShared(_ folder: String, state: inout State) {
        guard state.checkedFolders.insert(folder).inserted, let problem = DataFolder.sharingProblem(folder) else {
            return
        }
        logger.warning("\(DataFolder.sharingWarning(folder, problem: problem))")
    }

    /// Writes samples to their partitions, skipping duplicates and outranked values. The rows
    /// reach the files in whole lines when the partition's buffer fills, and at the latest at
    /// ``sync()`` or ``close()``.
    /// - Throws: ``StorageError``; the rows that reached the files before stay, a partly
    ///   written buffer is cut from the files.
    public func write(_ samples: [Sample]) throws -> WriteCounts {
        var chunk = SampleChunk(capacity: samples.count)
        chunk.append(contentsOf: samples)
        return try write(chunk: chunk)
    }

    /// Writes a chunk of samples, as ``write(_:)`` does.
    package func write(chunk: SampleChunk) throws -> WriteCounts {
        try state.withLock { state throws(StorageError) -> WriteCounts in
            try write(chunk, state: &state)
        }
    }

    private func write(_ chunk: SampleChunk, state: inout State) throws(StorageError) -> WriteCounts {
        guard !state.closed else {
            throw StorageError(path: dataDirectory, operation: "write", detail: "the store is closed")
        }
        var counts = WriteCounts()
        guard !chunk.isEmpty else { return counts }

        // The partition of each row; a chunk usually has one or two.
        var keys: [PartitionWriter.Key] = []
        var slots = [Int32](repeating: 0, count: chunk.count)
        try chunk.withStorage { (rows, texts, strings) throws(StorageError) in
            var last: (platform: UInt32, month: Int32, slot: Int32)?
            for position in rows.indices {
                let row = rows[position]
                let month = state.times.monthNumber(of: Timestamp(secondsSinceEpoch: row.time))
                if let last, last.month == month, last.platform == row.platform {
                    slots[position] = last.slot
                    continue
                }
                let text = texts[Int(row.platform)]
                let name = String(decoding: strings[text.offset..<text.offset + text.count], as: UTF8.self)
                let key = PartitionWriter.Key(platform: Platform(rawValue: name), month: month)
                let slot: Int
                if let existing = keys.firstIndex(of: key) {
                    slot = existing
                } else {
                    guard Platform.isValidName(name) else {
                        throw StorageError(
                            path: dataDirectory,
                            operation: "write",
                            detail:
                                "platform name \"\(name)\" cannot name a folder (a-z, 0-9, _); nothing of this batch was written"
                        )
                    }
                    keys.append(key)
                    slot = keys.count - 1
                }
                slots[position] = Int32(slot)
                last = (row.platform, month, Int32(slot))
            }
        }

        for (slot, key) in keys.enumerated() {
            let writer = try openPartition(key, state: &state)
            do throws(StorageError) {
                // The rows stay in the writer's buffers until they fill (256 KiB) or the next
                // sync: a run over many accounts then appends in large writes, not one small
                // write(2) per account. They are whole lines either way, and the runner records
                // an account's due time only after a sync.
                try slots.withUnsafeBufferPointer { (slots) throws(StorageError) in
                    try writer.ingest(chunk, slots: slots, slot: Int32(slot), times: &state.times, counts: &counts)
                }
            } catch {
                // The index now holds rows that were cut from the files: drop it, the next
                // write rebuilds it from what the files really hold.
                writer.close()
                state.partitions[key] = nil
                throw error
            }
            try evict(keeping: key, state: &state)
        }
        return counts
    }

    private func openPartition(_ key: PartitionWriter.Key, state: inout State) throws(StorageError) -> PartitionWriter {
        state.clock += 1
        if let writer = state.partitions[key] {
            writer.lastUse = state.clock
            return writer
        }
        try evict(keeping: nil, reserving: 1, state: &state)
        if state.opened == 0 {
            // The first rows of this store: the folder records the timezone they are in, so a
            // later run with another one is refused (DataTimezone).
            try DataTimezone.recordIfAbsent(dataDirectory: dataDirectory, timezone: calendar.identifier)
        }
        state.opened += 1
        // Before the writer opens anything there, so that the warning explains a planted link.
        warnIfShared(dataDirectory + "/" + key.platform.rawValue, state: &state)
        warnIfShared(dataDirectory + "/" + key.platform.rawValue + "/" + key.monthText, state: &state)
        let writer = try PartitionWriter(
            key: key,
            dataDirectory: dataDirectory,
            instance: instance,
            formats: formats,
            calendar: calendar,
            logger: logger
        )
        writer.lastUse = state.clock
        state.partitions[key] = writer
        return writer
    }

    /// Closes least recently used partitions until at most `maximumOpenPartitions - reserving`
    /// are open and their indexes fit the budget; `keeping` stays open. Each closed one is
    /// fsynced first, so ``sync()`` keeps its promise.
    private func evict(
        keeping: PartitionWriter.Key?,
        reserving: Int = 0,
        state: inout State
    ) throws(StorageError) {
        while state.partitions.count > (keeping == nil ? 0 : 1) {
            let indexBytes = state.partitions.values.reduce(0) { $0 + $1.index.memoryBytes }
            guard state.partitions.count + reserving > maximumOpenPartitions || indexBytes > indexBudgetBytes else {
                return
            }
            guard
                let oldest = state.partitions.values.filter({ $0.key != keeping }).min(by: { $0.lastUse < $1.lastUse })
            else { return }
            state.partitions[oldest.key] = nil
            defer { oldest.close() }
            try oldest.sync()
        }
    }

    /// Adds or updates rows of `<data_dir>/<platform>/objects.csv`, one per account and object
    /// (non-empty new fields win).
    ///
    /// The rows are staged (see ``CatalogueStage``) and merged into each changed catalogue,
    /// rewritten atomically, at the next ``sync()`` or ``close()``: a collection may hand over
    /// a million rows in chunks and the catalogue is still rewritten once.
    public func writeObjects(_ objects: [ContentObject]) throws {
        try state.withLock { state throws(StorageError) in
            guard !state.closed else {
                throw StorageError(path: dataDirectory, operation: "write", detail: "the store is closed")
            }
            // Runs of one platform go to its stage together.
            var start = objects.startIndex
            while start < objects.endIndex {
                let platform = objects[start].platform
                var end = start + 1
                while end < objects.endIndex && objects[end].platform == platform { end += 1 }
                try catalogueStage(platform, state: &state).add(objects[start..<end], calendar: calendar)
                start = end
            }
        }
    }

    private func catalogueStage(_ platform: Platform, state: inout State) throws(StorageError) -> CatalogueStage {
        if let stage = state.catalogues[platform] { return stage }
        guard Platform.isValidName(platform.rawValue) else {
            throw StorageError(
                path: dataDirectory,
                operation: "write",
                detail: "platform name \"\(platform)\" cannot name a folder (a-z, 0-9, _)"
            )
        }
        let folder = try DataFolder.makeFolders([platform.rawValue], below: dataDirectory)
        warnIfShared(folder, state: &state)
        let stage = CatalogueStage(path: folder + "/" + ObjectCatalogue.fileName, folder: folder)
        state.catalogues[platform] = stage
        return stage
    }

    /// Merges the staged catalogue rows into their files; every stage is emptied, the first
    /// failure thrown.
    private func applyCatalogues(state: inout State) throws(StorageError) {
        var failure: StorageError?
        for platform in state.catalogues.keys.sorted() {
            do throws(StorageError) {
                try state.catalogues[platform]?.apply()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// Writes the buffered rows and fsyncs every file written since the last sync (and the
    /// folders of new files), after merging the staged catalogue rows into their files.
    public func sync() throws {
        try state.withLock { state throws(StorageError) in
            try applyCatalogues(state: &state)
            for (key, writer) in state.partitions {
                do throws(StorageError) {
                    try writer.sync()
                } catch {
                    // As in `write`: the index holds rows that were cut from the files.
                    writer.close()
                    state.partitions[key] = nil
                    throw error
                }
            }
        }
    }

    /// Syncs and closes every file; later writes fail. Closing twice does nothing.
    public func close() throws {
        try state.withLock { state throws(StorageError) in
            guard !state.closed else { return }
            state.closed = true
            var failure: StorageError?
            do throws(StorageError) {
                try applyCatalogues(state: &state)
            } catch {
                failure = error
            }
            state.catalogues.removeAll()
            let writers = state.partitions.values
            state.partitions.removeAll()
            for writer in writers {
                do throws(StorageError) {
                    try writer.sync()
                } catch {
                    failure = failure ?? error
                }
                writer.close()
            }
            if let failure { throw failure }
        }
    }
}
