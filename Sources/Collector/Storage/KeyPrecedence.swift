/// The precedence rule of SPEC §3, shared by the writer, compaction and export.
enum KeyPrecedence {
    /// What a new row for a stored key does.
    enum Outcome {
        /// Same value (and no better quality): nothing to write.
        case duplicate
        /// An `approx` or `lower_bound` value against an `exact` one it does not disprove: ignored.
        case outranked
        /// A different value, or a better quality: it replaces the stored row.
        case supersedes
    }

    /// The outcome of a row `(value, quality)` arriving after a stored `(storedValue, storedQuality)`.
    ///
    /// An equal value with a better quality (`exact` after `approx`) supersedes, so that the
    /// last row of the key says `exact`; an equal value with a worse one is a duplicate.
    ///
    /// A `lower_bound` above a stored `exact` value supersedes it: the two cannot both hold, and
    /// the bound is the newer word. This is how a cumulative total stamped on its publishing
    /// day (an article's reads, SPEC §3 imports) moves from an exact 95000 to a later `10万+`;
    /// keeping 95000 would lose the 10万+ article. A bound at or below the exact value agrees
    /// with it and is ignored. An `approx` value never supersedes an `exact` one: the store
    /// does not know its rounding interval, so it cannot tell disagreement from rounding.
    @inline(__always)
    static func outcome<Value: PrecedenceOrdered>(
        value: Value,
        quality: Quality,
        storedValue: Value,
        storedQuality: Quality
    ) -> Outcome {
        if storedQuality == .exact && quality != .exact {
            if value == storedValue { return .duplicate }
            return quality == .lowerBound && value.isKnownGreater(than: storedValue) ? .supersedes : .outranked
        }
        if value == storedValue && quality == storedQuality { return .duplicate }
        return .supersedes
    }

    /// The quality stored in ``KeyIndex`` metadata (bits 5–6).
    @inline(__always)
    static func quality(ofMetadata metadata: UInt8) -> Quality {
        switch (metadata >> 5) & 0x3 {
        case 0: .exact
        case 1: .approx
        default: .lowerBound
        }
    }

    /// A quality's bits in ``KeyIndex`` metadata.
    @inline(__always)
    static func qualityBits(_ quality: Quality) -> UInt8 {
        switch quality {
        case .exact: 0
        case .approx: 1 << 5
        case .lowerBound: 2 << 5
        }
    }

    /// Applies the rule to the key `hash` of `index`: stores the row's value when it is new or
    /// supersedes, and tells what the row does (nil: a new key).
    @inline(__always)
    static func offer(
        hash: UInt64,
        value: StoredValue,
        quality: Quality,
        to index: KeyIndex
    ) -> Outcome? {
        let packed = IndexedValue(value)
        let (slot, found) = index.probe(hash)
        guard found else {
            index.insert(hash, at: slot, payload: packed.payload, metadata: packed.metadata(quality: quality))
            return nil
        }
        let stored = index.metadata(at: slot)
        let outcome = outcome(
            value: packed,
            quality: quality,
            storedValue: IndexedValue(payload: index.payload(at: slot), metadata: stored),
            storedQuality: Self.quality(ofMetadata: stored)
        )
        if outcome == .supersedes {
            index.update(at: slot, payload: packed.payload, metadata: packed.metadata(quality: quality))
        }
        return outcome
    }
}
