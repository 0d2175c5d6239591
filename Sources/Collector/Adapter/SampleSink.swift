/// Where collected samples go: the flat-file store, stdout under `collector test`, or memory in tests.
///
/// ## Implementation requirements
/// - `write` must be all-or-nothing per sample: a sample is either written whole or not at all.
/// - After `sync` returns, every sample written before it survives a crash.
public protocol SampleSink: Sendable {
    /// Writes samples, skipping those already stored with the same key and value.
    func write(_ samples: [Sample]) throws -> WriteCounts
    /// Adds or updates rows of the content catalogue.
    func writeObjects(_ objects: [ContentObject]) throws
    /// Makes everything written so far durable.
    func sync() throws
}

/// What a write did.
public struct WriteCounts: Sendable, Hashable {
    /// Rows appended.
    public var written: Int
    /// Rows skipped because the same key and value were already stored, or because a later
    /// line of the same exec run gave the key again (only the last value of a key is stored).
    public var duplicates: Int
    /// Rows skipped because an `approx` or `lower_bound` value may not supersede an `exact` one.
    public var outranked: Int

    /// Creates counts.
    public init(written: Int = 0, duplicates: Int = 0, outranked: Int = 0) {
        self.written = written
        self.duplicates = duplicates
        self.outranked = outranked
    }

    /// Adds two counts.
    public static func + (lhs: WriteCounts, rhs: WriteCounts) -> WriteCounts {
        WriteCounts(
            written: lhs.written + rhs.written,
            duplicates: lhs.duplicates + rhs.duplicates,
            outranked: lhs.outranked + rhs.outranked
        )
    }

    /// Adds `rhs` to `lhs`.
    public static func += (lhs: inout WriteCounts, rhs: WriteCounts) { lhs = lhs + rhs }
}
