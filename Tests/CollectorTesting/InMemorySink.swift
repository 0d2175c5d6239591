public import Collector
import Synchronization

/// A sink that keeps in memory what reaches it, in order: the samples, the catalogue rows and
/// a log of the calls.
///
/// ```swift
/// let sink = InMemorySink()
/// let batch = SampleBatch(sink: sink)
/// try await adapter.collect(account: "a1", into: batch, context: context)
/// try batch.commit()
/// #expect(sink.samples.map(\.metric) == [.followers])
/// ```
public final class InMemorySink: SampleSink {
    private struct State {
        var samples: [Sample] = []
        var objects: [ContentObject] = []
        var syncs = 0
        var events: [String] = []
    }

    private let state = Mutex(State())
    private let noteAtSync: (@Sendable () -> String)?

    /// Creates an empty sink.
    ///
    /// - Parameter noteAtSync: Called at each `sync`; what it returns is added to that sync's
    ///   entry in ``events``, for tests that check what was true when the sink synced (a state
    ///   file saved, say).
    public init(noteAtSync: (@Sendable () -> String)? = nil) {
        self.noteAtSync = noteAtSync
    }

    /// The samples written, in order.
    public var samples: [Sample] { state.withLock { $0.samples } }
    /// The catalogue rows written, in order.
    public var objects: [ContentObject] { state.withLock { $0.objects } }
    /// How many times the sink was synced.
    public var syncs: Int { state.withLock { $0.syncs } }
    /// One entry per call, in order: `write followers views` (the metrics written),
    /// `objects 2` (the number of catalogue rows), and `sync`, or `sync, <note>` with
    /// `noteAtSync`.
    public var events: [String] { state.withLock { $0.events } }

    /// Keeps `samples`; each counts as written.
    public func write(_ samples: [Sample]) throws -> WriteCounts {
        state.withLock { state in
            state.samples += samples
            state.events.append((["write"] + samples.map(\.metric.rawValue)).joined(separator: " "))
        }
        return WriteCounts(written: samples.count)
    }

    /// Keeps `objects`.
    public func writeObjects(_ objects: [ContentObject]) throws {
        state.withLock { state in
            state.objects += objects
            state.events.append("objects \(objects.count)")
        }
    }

    /// Counts the sync and notes it in ``events``.
    public func sync() throws {
        let note = noteAtSync?()
        state.withLock { state in
            state.syncs += 1
            state.events.append(note.map { "sync, " + $0 } ?? "sync")
        }
    }
}
