import Synchronization

/// Collects the samples, catalogue rows and failures of one collection, passing samples and
/// catalogue rows on to the sink in chunks so that a large collection (an exec adapter's
/// million lines, an export of a million articles) never sits in memory whole.
///
/// A sink that takes chunks (the store) gets the samples in the compact form of
/// ``SampleChunk``, handed over as they are; any other sink gets `[Sample]` arrays.
///
/// Every sample is checked against what SPEC §3 and §4 say its metric can hold
/// (``MetricName/valueProblem(of:in:)``): a negative count, a number with a fraction for a
/// count, a rate above 1. Such a sample is not written; it is recorded as a failure of its
/// account (`invalidValue`, naming the adapter, account, object, metric and value), so the
/// run ends partial (exit 1) and the account's other samples are kept. This holds for every
/// adapter, built-in or not, since each adds its samples here. (The exec adapter's lines,
/// added as bytes, were checked by its parser, which rejects them with their line number.)
///
/// When the runner collects an account again after a failure, a snapshot the repeated attempt
/// observes unchanged keeps the first observation's time, so it is not written a second time
/// under a new one (``SnapshotMemo``).
///
/// Thread-safe: the state sits behind a `Mutex`, so an adapter may add from child tasks.
public final class SampleBatch: Sendable {
    private struct State {
        var pending: [Sample] = []
        /// The chunk being filled, for a chunk sink.
        var chunk = SampleChunk()
        /// An emptied chunk whose memory is reused for the next one.
        var spare: SampleChunk?
        var objects: [ContentObject] = []
        var failures: [CollectionFailure] = []
        var notices: [CollectionFailure] = []
        var counts = WriteCounts()
        var added = 0
        /// The value ranges of the metrics seen, for the check of each sample.
        var ranges = MetricRangeMemo()
        /// Samples refused in this collection (``refuse(_:problem:_:)``).
        var refused = 0
        /// Where the failure that counts the refusals beyond the listed ones sits in `failures`.
        var refusedSummary: Int?
        /// A failure of handing catalogue rows over from ``add(object:)`` (which cannot throw),
        /// thrown by the next call that can.
        var deferredFailure: (any Error)?
        /// The snapshots of the account being collected, once the runner asked for them
        /// (``observeSnapshots(since:)``).
        var snapshots: SnapshotMemo?
    }

    private let sink: any SampleSink
    private let chunkSink: (any SampleChunkSink)?
    private let chunkSize: Int
    private let adapter: String?
    private let state = Mutex(State())

    /// Catalogue rows handed to the sink at a time.
    static let objectChunkSize = 4096

    /// Refused samples listed one by one per collection; the rest are counted in one more
    /// failure, so that an adapter that gets every value wrong does not fill the memory and
    /// the summary with a million of them.
    package static let listedRefusals = 20

    /// Creates a batch writing to `sink` every `chunkSize` samples (and on ``commit()``).
    /// - Parameters:
    ///   - sink: Where the samples go.
    ///   - chunkSize: Samples handed to the sink at a time.
    ///   - adapter: The adapter instance that adds the samples, named by the failure of a
    ///     refused sample; the sample's platform when nil.
    public init(sink: any SampleSink, chunkSize: Int = 4096, adapter: String? = nil) {
        self.sink = sink
        chunkSink = sink as? any SampleChunkSink
        self.chunkSize = max(1, chunkSize)
        self.adapter = adapter
    }

    /// Adds a sample; may write a chunk to the sink, whose storage errors it throws. A sample
    /// whose value its metric cannot hold is recorded as a failure instead (see above).
    public func add(_ sample: Sample) throws {
        try add(sample, checked: true)
    }

    private func add(_ sample: Sample, checked: Bool) throws {
        if chunkSink != nil {
            let full = try state.withLock { state throws -> SampleChunk? in
                try Self.throwDeferredFailure(&state)
                guard let sample = checked ? admitted(sample, &state) : sample else { return nil }
                state.chunk.append(sample)
                state.added += 1
                return state.chunk.count >= chunkSize ? Self.takeChunk(&state) : nil
            }
            if let full { try write(full) }
            return
        }
        let chunk: [Sample]? = try state.withLock { state throws -> [Sample]? in
            try Self.throwDeferredFailure(&state)
            guard let sample = checked ? admitted(sample, &state) : sample else { return nil }
            state.pending.append(sample)
            state.added += 1
            guard state.pending.count >= chunkSize else { return nil }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if let chunk { try write(chunk) }
    }

    /// Adds a sample given as the bytes of its strings, read in place (the exec adapter's
    /// lines): a chunk sink gets them copied into the chunk, any other sink a ``Sample``.
    /// The value is not checked: the caller has (``MetricName/valueProblem(of:in:)``).
    ///
    /// For a chunk sink (the store), a sample of a key the chunk holds already is folded into
    /// that row where the store would end at the same value
    /// (``SampleChunk/appendFoldingKeys(time:platform:account:object:metric:value:quality:source:)``),
    /// and counted as a duplicate (or as outranked): re-running a command that prints a key twice
    /// writes nothing.
    package func add(
        time: Timestamp,
        platform: Platform,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer,
        value: SampleValue,
        quality: Quality,
        source: Source
    ) throws {
        guard chunkSink != nil else {
            try add(
                Sample(
                    time: time,
                    platform: platform,
                    account: String(decoding: account, as: UTF8.self),
                    object: String(decoding: object, as: UTF8.self),
                    metric: MetricName(rawValue: String(decoding: metric, as: UTF8.self)),
                    value: value,
                    quality: quality,
                    source: source
                ),
                checked: false
            )
            return
        }
        let full = try state.withLock { state throws -> SampleChunk? in
            try Self.throwDeferredFailure(&state)
            let folded = state.chunk.appendFoldingKeys(
                time: time,
                platform: platform,
                account: account,
                object: object,
                metric: metric,
                value: value,
                quality: quality,
                source: source
            )
            state.added += 1
            switch folded {
            case nil: break
            case .outranked?: state.counts.outranked += 1
            case .duplicate?, .supersedes?: state.counts.duplicates += 1
            }
            return state.chunk.count >= chunkSize ? Self.takeChunk(&state) : nil
        }
        if let full { try write(full) }
    }

    /// Adds several samples.
    public func add(contentsOf samples: some Sequence<Sample>) throws {
        for sample in samples { try add(sample) }
    }

    /// Adds an array of samples under one lock. For a chunk sink they are packed into the
    /// chunk; for another sink, a full chunk given while nothing is pending goes to the sink as
    /// it is, uncopied (importers hand over thousands of samples at a time). Each sample is
    /// checked as ``add(_:)`` checks it.
    public func add(contentsOf samples: [Sample]) throws {
        if chunkSink != nil {
            var start = 0
            while start < samples.count {
                let full = try state.withLock { state throws -> SampleChunk? in
                    try Self.throwDeferredFailure(&state)
                    let end = min(samples.count, start + chunkSize - state.chunk.count)
                    for position in start..<end {
                        guard let sample = admitted(samples[position], &state) else { continue }
                        state.chunk.append(sample)
                        state.added += 1
                    }
                    start = end
                    return state.chunk.count >= chunkSize ? Self.takeChunk(&state) : nil
                }
                if let full { try write(full) }
            }
            return
        }
        let chunk: [Sample]? = try state.withLock { state throws -> [Sample]? in
            try Self.throwDeferredFailure(&state)
            // The array is copied only when a sample is refused or given an earlier time.
            var samples = samples
            var kept: [Sample]?
            for position in samples.indices {
                let sample = admitted(samples[position], &state)
                if kept == nil, sample?.time != samples[position].time {
                    kept = Array(samples[..<position])
                }
                if let sample { kept?.append(sample) }
            }
            if let kept { samples = kept }
            state.added += samples.count
            if state.pending.isEmpty && samples.count >= chunkSize { return samples }
            state.pending.append(contentsOf: samples)
            guard state.pending.count >= chunkSize else { return nil }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if let chunk { try write(chunk) }
    }

    /// Adds or updates a content-catalogue row. Rows go to the sink a few thousand at a time
    /// (the store stages them and merges them into its catalogue at ``commit()``); a failure
    /// to hand them over is thrown by the next call that can throw.
    public func add(object: ContentObject) {
        let objects: [ContentObject]? = state.withLock { state in
            state.objects.append(object)
            guard state.objects.count >= Self.objectChunkSize else { return nil }
            defer { state.objects.removeAll(keepingCapacity: true) }
            return state.objects
        }
        guard let objects else { return }
        do {
            try sink.writeObjects(objects)
        } catch {
            state.withLock { $0.deferredFailure = $0.deferredFailure ?? error }
        }
    }

    /// Records a failure that did not stop the collection (one object, one line, one account).
    public func recordFailure(_ failure: CollectionFailure) {
        state.withLock { $0.failures.append(failure) }
    }

    /// Names `adapter` as the instance of the failures recorded after the first `count`: the
    /// import code records row failures as `import`, and an `[[adapters.import]]` section
    /// gives them its own name.
    public func assignFailures(after count: Int, to adapter: String) {
        state.withLock { state in
            for index in state.failures.indices.dropFirst(count) { state.failures[index].adapter = adapter }
        }
    }

    /// Records a notice: something the collection did that is no failure but that the user
    /// should hear of (a self-reported value that replaces a different stored one). Notices
    /// appear in the summary and leave the exit code alone.
    public func recordNotice(_ notice: CollectionFailure) {
        state.withLock { $0.notices.append(notice) }
    }

    /// Writes everything pending and makes it durable: after this returns, the samples added
    /// so far survive a crash. Exec adapters call it before saving a cursor.
    public func commit() throws {
        try flush()
        try sink.sync()
    }

    /// Hands everything pending to the sink without waiting for the disk: the samples are
    /// counted, in the store's buffers or files, not yet durable. The runner flushes the
    /// batches of all its workers, then calls ``SampleSink/sync()`` once for the whole group of
    /// accounts (group commit) before it records their due times.
    public func flush() throws {
        let (samples, objects) = try state.withLock { state throws -> ([Sample], [ContentObject]) in
            try Self.throwDeferredFailure(&state)
            // The chunk is written where it is, under the lock: a flush hands over a few rows
            // (a worker's share of a group), and swapping the chunk out and back would cost
            // more than the write.
            if let chunkSink, !state.chunk.isEmpty {
                state.counts += try chunkSink.write(chunk: state.chunk)
                state.chunk.removeAll()
            }
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.objects.removeAll()
            }
            return (state.pending, state.objects)
        }
        if !samples.isEmpty { try write(samples) }
        if !objects.isEmpty { try sink.writeObjects(objects) }
    }

    /// Flushes, then returns the counts of the rows handed to the sink since the last call and
    /// starts them over: the runner adds them up at each group sync, for the batches of all
    /// its workers.
    package func flushTakingCounts() throws -> WriteCounts {
        try flush()
        return state.withLock { state in
            defer { state.counts = WriteCounts() }
            return state.counts
        }
    }

    /// Starts another collection on the batch: its failures and added samples are counted
    /// afresh, while samples not yet handed to the sink stay for the next ``flush()``. The
    /// runner keeps one batch per worker and flushes all of them at a group sync, so a
    /// collection of a few samples costs no store call of its own.
    /// - Parameter repeatingAnAttempt: The collection repeats an earlier attempt at the same
    ///   account (after ``observeSnapshots(since:)``): a snapshot it observes unchanged keeps
    ///   the earlier attempt's time, so it is no second row (``SnapshotMemo``).
    package func beginCollection(repeatingAnAttempt: Bool = false) {
        state.withLock { state in
            state.failures.removeAll()
            state.notices.removeAll()
            state.added = 0
            state.refused = 0
            state.refusedSummary = nil
            state.snapshots?.repeating = repeatingAnAttempt
        }
    }

    /// Starts noting the snapshots of one account's collection, begun at `since` by the
    /// adapter's clock, for the attempts that may repeat it (``beginCollection(repeatingAnAttempt:)``);
    /// forgets those of the account before.
    package func observeSnapshots(since: Timestamp) {
        state.withLock { state in
            if state.snapshots == nil {
                state.snapshots = SnapshotMemo(since: since)
            } else {
                state.snapshots?.begin(since: since)
            }
        }
    }

    /// Rows written, duplicates and outranked rows skipped, so far (since the counts were last
    /// taken by ``flushTakingCounts()``).
    public var counts: WriteCounts { state.withLock { $0.counts } }

    /// Samples added so far (written or not).
    public var addedCount: Int { state.withLock { $0.added } }

    /// Failures recorded so far.
    public var failures: [CollectionFailure] { state.withLock { $0.failures } }

    /// Notices recorded so far (``recordNotice(_:)``).
    public var notices: [CollectionFailure] { state.withLock { $0.notices } }

    // MARK: - Checking values

    /// `sample` when its value is one its metric can hold, else nil, the sample recorded as
    /// refused. The usual sample (a count of 0 or more) costs a lookup of its metric's range
    /// and two comparisons: no string is read or made. While the runner notes an account's
    /// snapshots, an admitted one may come back with an earlier attempt's time (``SnapshotMemo``).
    private func admitted(_ sample: Sample, _ state: inout State) -> Sample? {
        let range = state.ranges.range(of: sample.metric)
        if let problem = sample.metric.valueProblem(of: sample.value, in: range) {
            refuse(sample, problem: problem, &state)
            return nil
        }
        guard state.snapshots != nil else { return sample }
        return state.snapshots?.stamp(sample)
    }

    /// Records `sample` as a failure of its account: listed while fewer than
    /// ``listedRefusals`` were, then counted in one more failure.
    private func refuse(_ sample: Sample, problem: String, _ state: inout State) {
        state.refused += 1
        let adapter = self.adapter ?? sample.platform.rawValue
        if state.refused <= Self.listedRefusals {
            state.failures.append(
                CollectionFailure(
                    adapter: adapter,
                    account: sample.account,
                    object: sample.object.isEmpty ? nil : sample.object,
                    label: Self.refusalLabel,
                    message: "\(sample.metric) = \(sample.value) \(problem); the value was not written"
                        + " (the account's other values were): the adapter read the platform's answer wrongly"
                        + " or the platform changed it; report it to the adapter's maintainer"
                )
            )
            return
        }
        let more = state.refused - Self.listedRefusals
        let what =
            more == 1
            ? "value that its metric cannot hold, as above, was"
            : "values that their metrics cannot hold, as above, were"
        let object = sample.object.isEmpty ? "" : " of object \(sample.object)"
        let message = "\(more) more \(what) not written (the last: \(sample.metric) = \(sample.value)\(object))"
        if let index = state.refusedSummary, state.failures.indices.contains(index) {
            state.failures[index].message = message
            state.failures[index].occurrences = more
        } else {
            state.refusedSummary = state.failures.count
            state.failures.append(
                CollectionFailure(
                    adapter: adapter,
                    account: sample.account,
                    label: Self.refusalLabel,
                    message: message,
                    occurrences: more
                )
            )
        }
    }

    /// The label of a refused sample's failure.
    static let refusalLabel = "invalidValue"

    // MARK: - Writing

    private func write(_ samples: [Sample]) throws {
        let counts = try sink.write(samples)
        state.withLock { $0.counts += counts }
    }

    /// Writes a chunk taken from the state, then gives its memory back for the next one.
    private func write(_ chunk: consuming SampleChunk) throws {
        // `chunkSink` is set whenever a chunk was filled.
        guard let chunkSink else { return }
        let counts = try chunkSink.write(chunk: chunk)
        chunk.removeAll()
        state.withLock { state in
            state.counts += counts
            state.spare = chunk
        }
    }

    /// The chunk being filled, replaced by the spare one (or a new one).
    private static func takeChunk(_ state: inout State) -> SampleChunk {
        var next = state.spare ?? SampleChunk()
        state.spare = nil
        swap(&next, &state.chunk)
        return next
    }

    private static func throwDeferredFailure(_ state: inout State) throws {
        if let failure = state.deferredFailure {
            state.deferredFailure = nil
            throw failure
        }
    }
}
