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
    /// A `lower_bound` or `approx` value that disproves a stored `exact` one supersedes it: the
    /// two cannot both hold, and the estimate is the newer word. This is how a cumulative total
    /// stamped on its publishing day (an article's reads, a work's plays, SPEC §3 imports)
    /// moves from an exact 95000 to a later `10万+`, or from an exact 9876 to a later `3.5w`;
    /// keeping the exact value would keep a stale total for good. A bound disproves the exact
    /// value when it is above it; an `approx` value when the whole of its conservative rounding
    /// interval is above it (``approxLowerEnd(_:)``), so that `1.2万` after an exact 12345 is
    /// rounding, not a change, and is ignored. Nothing supersedes an exact value from below:
    /// a display rounded down cannot tell a fall from rounding.
    @inline(__always)
    static func outcome<Value: PrecedenceOrdered>(
        value: Value,
        quality: Quality,
        storedValue: Value,
        storedQuality: Quality
    ) -> Outcome {
        if storedQuality == .exact && quality != .exact {
            if value == storedValue { return .duplicate }
            let disproves =
                quality == .lowerBound
                ? value.isKnownGreater(than: storedValue) : value.isKnownGreaterAsApprox(than: storedValue)
            return disproves ? .supersedes : .outranked
        }
        if value == storedValue && quality == storedQuality { return .duplicate }
        return .supersedes
    }

    /// The smallest whole number an `approx` count `value` can stand for, by the conservative
    /// interval of COUNTS_AND_TARGETS.md §1.3: q is the largest power of ten dividing the value,
    /// at most 10⁴ (10⁸ from 10⁸ on), and the interval is [value − q/2, value + q). `35000`
    /// (`3.5w`) is at least 34500; `12346` is 12346.
    static func approxLowerEnd(_ value: Int64) -> Int64 {
        guard value > 0 else { return value }
        let cap: Int64 = value >= 100_000_000 ? 100_000_000 : 10_000
        var step: Int64 = 1
        while step < cap, value % (step * 10) == 0 { step *= 10 }
        return value - step / 2
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

extension SampleValue {
    /// Whether this value with `quality`, read after `earlier` with `earlierQuality` for the same
    /// key, takes its place for a reader (SPEC §3, ``KeyPrecedence``): for libraries that reduce
    /// raw rows themselves, such as the reports' series.
    package func supersedes(_ earlier: SampleValue, quality: Quality, earlierQuality: Quality) -> Bool {
        KeyPrecedence.outcome(
            value: StoredValue(self),
            quality: quality,
            storedValue: StoredValue(earlier),
            storedQuality: earlierQuality
        ) == .supersedes
    }
}
