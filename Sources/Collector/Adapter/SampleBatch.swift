import Synchronization

/// Collects the samples, catalogue rows and failures of one collection, passing samples on to
/// the sink in chunks so that a large collection (an exec adapter's million lines) never sits
/// in memory whole.
///
/// Thread-safe: the state sits behind a `Mutex`, so an adapter may add from child tasks.
public final class SampleBatch: Sendable {
    private struct State {
        var pending: [Sample] = []
        var objects: [ContentObject] = []
        var failures: [CollectionFailure] = []
        var counts = WriteCounts()
        var added = 0
    }

    private let sink: any SampleSink
    private let chunkSize: Int
    private let state = Mutex(State())

    /// Creates a batch writing to `sink` every `chunkSize` samples (and on ``commit()``).
    public init(sink: any SampleSink, chunkSize: Int = 4096) {
        self.sink = sink
        self.chunkSize = max(1, chunkSize)
    }

    /// Adds a sample; may write a chunk to the sink, whose storage errors it throws.
    public func add(_ sample: Sample) throws {
        let chunk: [Sample]? = state.withLock { state in
            state.pending.append(sample)
            state.added += 1
            guard state.pending.count >= chunkSize else { return nil }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if let chunk { try write(chunk) }
    }

    /// Adds several samples.
    public func add(contentsOf samples: some Sequence<Sample>) throws {
        for sample in samples { try add(sample) }
    }

    /// Adds an array of samples under one lock; a full chunk given while nothing is pending goes
    /// to the sink as it is, uncopied (importers hand over thousands of samples at a time).
    public func add(contentsOf samples: [Sample]) throws {
        let chunk: [Sample]? = state.withLock { state in
            state.added += samples.count
            if state.pending.isEmpty && samples.count >= chunkSize { return samples }
            state.pending.append(contentsOf: samples)
            guard state.pending.count >= chunkSize else { return nil }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if let chunk { try write(chunk) }
    }

    /// Adds or updates a content-catalogue row; written at ``commit()``.
    public func add(object: ContentObject) {
        state.withLock { $0.objects.append(object) }
    }

    /// Records a failure that did not stop the collection (one object, one line, one account).
    public func recordFailure(_ failure: CollectionFailure) {
        state.withLock { $0.failures.append(failure) }
    }

    /// Writes everything pending and makes it durable: after this returns, the samples added
    /// so far survive a crash. Exec adapters call it before saving a cursor.
    public func commit() throws {
        let (samples, objects) = state.withLock { state in
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.objects.removeAll()
            }
            return (state.pending, state.objects)
        }
        if !samples.isEmpty { try write(samples) }
        if !objects.isEmpty { try sink.writeObjects(objects) }
        try sink.sync()
    }

    /// Rows written, duplicates and outranked rows skipped, so far.
    public var counts: WriteCounts { state.withLock { $0.counts } }

    /// Samples added so far (written or not).
    public var addedCount: Int { state.withLock { $0.added } }

    /// Failures recorded so far.
    public var failures: [CollectionFailure] { state.withLock { $0.failures } }

    private func write(_ samples: [Sample]) throws {
        let counts = try sink.write(samples)
        state.withLock { $0.counts += counts }
    }
}
