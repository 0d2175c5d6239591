/// A value the precedence rule can order, where it can (``KeyPrecedence``).
protocol PrecedenceOrdered: Equatable {
    /// True when this value is certainly greater than `other`; false when it is not, or when
    /// the two cannot be compared (different scales, a fingerprint).
    func isKnownGreater(than other: Self) -> Bool
    /// True when this value, read as an `approx` count, is certainly greater than `other`:
    /// both are whole numbers and the lower end of this one's rounding interval
    /// (``KeyPrecedence/approxLowerEnd(_:)``) is above `other`.
    func isKnownGreaterAsApprox(than other: Self) -> Bool
}

/// A value as the store compares it: the fixed-point digits and the scale, so that `12` and
/// `12.0` are one value, as they are once written.
struct StoredValue: Hashable, PrecedenceOrdered {
    /// The digits with the sign.
    var mantissa: Int64
    /// Digits after the point, 0…18.
    var scale: UInt8

    init(mantissa: Int64, scale: UInt8) {
        self.mantissa = mantissa
        self.scale = scale
    }

    init(_ value: SampleValue) {
        switch value {
        case .integer(let integer): self.init(mantissa: integer, scale: 0)
        case .decimal(let decimal): self.init(mantissa: decimal.mantissa, scale: decimal.scale)
        }
    }

    /// The value as a sample holds it: an integer when there are no digits after the point.
    var sampleValue: SampleValue {
        scale == 0 ? .integer(mantissa) : .decimal(DecimalValue(mantissa: mantissa, scale: scale))
    }

    func isKnownGreater(than other: StoredValue) -> Bool {
        scale == other.scale && mantissa > other.mantissa
    }

    func isKnownGreaterAsApprox(than other: StoredValue) -> Bool {
        scale == 0 && other.scale == 0 && KeyPrecedence.approxLowerEnd(mantissa) > other.mantissa
    }
}

/// What ``KeyIndex`` keeps of a value and its quality in 5 bytes: the digits themselves when
/// they fit 32 bits (every count below 2.1 billion, every rate), else a 32-bit fingerprint of
/// them. Two different values beyond 32 bits could share a fingerprint (a chance of 1 in 4
/// billion per changed value), and the change would then be taken for a duplicate.
struct IndexedValue: PrecedenceOrdered {
    /// The digits, or their fingerprint.
    var payload: UInt32
    /// Bits 0–4 the scale, bit 7 set for a fingerprint; bits 5–6 hold the quality in
    /// ``metadata`` only.
    var form: UInt8

    /// Packs a value.
    @inline(__always)
    init(_ value: StoredValue) {
        if let small = Int32(exactly: value.mantissa) {
            payload = UInt32(bitPattern: small)
            form = value.scale & 0x1F
        } else {
            // splitmix64's finalizer: any bit of the digits moves every bit of the result.
            var mixed = UInt64(bitPattern: value.mantissa)
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            payload = UInt32(truncatingIfNeeded: mixed)
            form = value.scale & 0x1F | 0x80
        }
    }

    /// Unpacks the value part of a slot.
    @inline(__always)
    init(payload: UInt32, metadata: UInt8) {
        self.payload = payload
        form = metadata & 0x9F
    }

    /// Compares the digits when both are held whole at the same scale; a fingerprint has no
    /// order. A `lower_bound` beyond 2.1 billion therefore never supersedes an `exact` value,
    /// as before; the compacting merger, which sees whole values, keeps what was written.
    @inline(__always)
    func isKnownGreater(than other: IndexedValue) -> Bool {
        form & 0x80 == 0 && form == other.form
            && Int32(bitPattern: payload) > Int32(bitPattern: other.payload)
    }

    /// Whole numbers held whole only, like ``isKnownGreater(than:)``.
    @inline(__always)
    func isKnownGreaterAsApprox(than other: IndexedValue) -> Bool {
        form == 0 && other.form == 0
            && KeyPrecedence.approxLowerEnd(Int64(Int32(bitPattern: payload))) > Int64(Int32(bitPattern: other.payload))
    }

    /// The metadata byte of a slot holding this value with `quality`.
    @inline(__always)
    func metadata(quality: Quality) -> UInt8 {
        form | KeyPrecedence.qualityBits(quality)
    }
}
