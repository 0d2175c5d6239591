import Synchronization

/// The sink of `collector test` (SPEC §1): prints samples to a file descriptor (stdout) in the
/// CSV format of SPEC §3, header first, every sample as it comes (no deduplication), and
/// writes no file.
public final class CSVStreamSink: SampleSink {
    private struct State {
        var times: TimeRenderer
        var wroteHeader = false
        var bytes: [UInt8] = []
    }

    private let fileDescriptor: Int32
    private let state: Mutex<State>

    /// Prints to `fileDescriptor` (stdout by default), times in `calendar`.
    public init(fileDescriptor: Int32 = 1, calendar: PlatformCalendar) {
        self.fileDescriptor = fileDescriptor
        state = Mutex(State(times: TimeRenderer(calendar: calendar)))
    }

    /// Prints the samples (after the header, the first time); every sample counts as written.
    public func write(_ samples: [Sample]) throws -> WriteCounts {
        try state.withLock { state throws(StorageError) -> WriteCounts in
            state.bytes.removeAll(keepingCapacity: true)
            if !state.wroteHeader { ByteText.append(CSVFormat.headerText, to: &state.bytes) }
            for sample in samples {
                sample.withRowParts { CSVFormat.appendRow($0, times: &state.times, to: &state.bytes) }
            }
            try emit(&state)
            return WriteCounts(written: samples.count)
        }
    }

    /// Ignored: `collector test` writes no catalogue.
    public func writeObjects(_ objects: [ContentObject]) throws {}

    /// Prints the header if nothing was printed yet, so that an empty run still prints one.
    public func sync() throws {
        try state.withLock { state throws(StorageError) in
            guard !state.wroteHeader else { return }
            state.bytes.removeAll(keepingCapacity: true)
            ByteText.append(CSVFormat.headerText, to: &state.bytes)
            try emit(&state)
        }
    }

    private func emit(_ state: inout State) throws(StorageError) {
        let failure = state.bytes.withUnsafeBytes { bytes -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(fileDescriptor, bytes, path: "standard output")
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        state.wroteHeader = true
    }
}
