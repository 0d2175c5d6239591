/// A sink that takes samples as a ``SampleChunk``: ``SampleBatch`` then hands its chunks over
/// as they are, without building a `[Sample]`.
package protocol SampleChunkSink: SampleSink {
    /// Writes the chunk's samples, as ``SampleSink/write(_:)`` does.
    func write(chunk: SampleChunk) throws -> WriteCounts
}
