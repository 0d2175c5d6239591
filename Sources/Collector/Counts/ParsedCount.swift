/// A count read from a display string or a JSON number (COUNTS_AND_TARGETS.md §1.2 output).
///
/// ``point`` feeds the SPEC `value` and the indices; ``lo`` and ``hi`` bound the true count and
/// feed target checks. Bounds are integers: the true count `v` satisfies `lo ≤ v < hi`.
public struct ParsedCount: Sendable, Hashable, CustomStringConvertible {
    /// The input as received (a JSON number as its decimal text).
    public let raw: String
    /// The point estimate (Step 7): the exact value, `base` for a unit string, `lo` when censored.
    public let point: Int64
    /// The smallest count the display allows (inclusive).
    public let lo: Int64
    /// The first count the display rules out (exclusive); nil for +∞ (a `+` suffix).
    public let hi: Int64?
    /// Whether the value is exact: no unit and no `+`.
    public let isExact: Bool
    /// Whether the display was censored with a `+` suffix (`10万+`, `999+`).
    public let isCensored: Bool
    /// The unit suffix, or nil for a plain number.
    public let unit: CountUnit?
    /// The unit factor U: 1 for a plain number, 10000 for 万.
    public let unitFactor: Int64
    /// The display step q = U × 10^−k (`1.2万` → 1000, `12万` → 10000); 1 for an exact count.
    public let step: DecimalValue
    /// The rounding mode the interval assumes (the profile's; irrelevant when exact).
    public let roundingMode: CountProfile.RoundingMode
    /// Whether clamping `lo` to the unit switch emptied the interval (`0.9万`): the display
    /// contradicts the platform's formatting. ``point`` is kept; ``lo`` == ``hi`` then.
    public let isInconsistent: Bool

    init(
        raw: String,
        point: Int64,
        lo: Int64,
        hi: Int64?,
        isExact: Bool,
        isCensored: Bool,
        unit: CountUnit?,
        step: DecimalValue,
        roundingMode: CountProfile.RoundingMode,
        isInconsistent: Bool
    ) {
        self.raw = raw
        self.point = point
        self.lo = lo
        self.hi = hi
        self.isExact = isExact
        self.isCensored = isCensored
        self.unit = unit
        self.unitFactor = unit?.factor ?? 1
        self.step = step
        self.roundingMode = roundingMode
        self.isInconsistent = isInconsistent
    }

    /// An exact count `value`: the interval `[value, value + 1)`.
    ///
    /// `value` must be below `Int64.max`, so that the exclusive upper bound exists.
    init(exact value: Int64, raw: String) {
        self.init(
            raw: raw,
            point: value,
            lo: value,
            hi: value + 1,
            isExact: true,
            isCensored: false,
            unit: nil,
            step: DecimalValue(mantissa: 1, scale: 0),
            roundingMode: .unknown,
            isInconsistent: false
        )
    }

    /// The SPEC §3 quality (§1.3): `exact`, `lower_bound` for a `+` suffix, else `approx`.
    public var quality: Quality {
        if isExact { return .exact }
        return isCensored ? .lowerBound : .approx
    }

    /// The SPEC `value` of the row: always the integer ``point``.
    public var sampleValue: SampleValue { .integer(point) }

    /// The interval `[lo, hi)` for attainment checks and sums.
    public var interval: ValueInterval { ValueInterval(lo: lo, hi: hi) }

    /// `1.2万 → 12000 [11500, 13000) approx`, for logs and test output.
    public var description: String {
        "\(raw) → \(point) \(interval) \(quality.rawValue)\(isInconsistent ? " inconsistent" : "")"
    }
}
