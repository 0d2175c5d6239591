/// A half-open integer interval `[lo, hi)` that holds a true count; `hi == nil` is +∞.
///
/// Stored SPEC rows carry no interval: ``recover(value:quality:displayStep:)`` rebuilds a
/// conservative one from `value` and `quality` (COUNTS_AND_TARGETS.md §1.3), and
/// ``attainment(threshold:)`` checks it against a follower target (§4.3).
public struct ValueInterval: Sendable, Hashable, CustomStringConvertible {
    /// The smallest possible count (inclusive).
    public let lo: Int64
    /// The first impossible count (exclusive); nil for +∞.
    public let hi: Int64?

    /// Creates `[lo, hi)`.
    public init(lo: Int64, hi: Int64?) {
        self.lo = lo
        self.hi = hi
    }

    /// Whether no count lies in the interval (an inconsistent display such as `0.9万`).
    public var isEmpty: Bool {
        guard let hi else { return false }
        return hi <= lo
    }

    /// Whether `value` lies in the interval.
    public func contains(_ value: Int64) -> Bool {
        guard value >= lo else { return false }
        guard let hi else { return true }
        return value < hi
    }

    /// `[11500, 13000)` or `[100001, ∞)`.
    public var description: String {
        "[\(lo), \(hi.map(String.init) ?? "∞"))"
    }

    // MARK: - Stored-row recovery (§1.3)

    /// The interval a stored row stands for (§1.3).
    ///
    /// - `exact`: `[v, v + 1)`.
    /// - `lower_bound`: `[v, ∞)`.
    /// - `approx`: `[v − q/2, v + q)` with `q = displayStep` when the platform profile has one,
    ///   else the largest power of ten dividing `v`, capped at 10⁴ (10⁸ when `v ≥ 10⁸`). That
    ///   `q` is never below the literal step of the original string, so the interval is never
    ///   narrower than the one the parser gave.
    public static func recover(value: Int64, quality: Quality, displayStep: Int64? = nil) -> ValueInterval {
        switch quality {
        case .exact:
            return ValueInterval(lo: value, hi: value == .max ? nil : value + 1)
        case .lowerBound:
            return ValueInterval(lo: value, hi: nil)
        case .approx:
            let step = displayStep.map { max($0, 1) } ?? defaultStep(for: value)
            // ⌈v − q/2⌉ = v − ⌊q/2⌋ for an integer v; q = 1 gives [v, v + 1).
            let (lo, loOverflow) = value.subtractingReportingOverflow(step / 2)
            let (hi, hiOverflow) = value.addingReportingOverflow(step)
            return ValueInterval(lo: loOverflow ? .min : lo, hi: hiOverflow ? nil : hi)
        }
    }

    /// The interval of a stored row under a platform profile: its display step, if it fixes one.
    public static func recover(value: Int64, quality: Quality, profile: CountProfile) -> ValueInterval {
        recover(value: value, quality: quality, displayStep: profile.displayStep(for: value))
    }

    /// The largest power of ten dividing `value`, capped at 10⁴, or 10⁸ from 10⁸ up.
    private static func defaultStep(for value: Int64) -> Int64 {
        let cap: Int64 = value >= 100_000_000 ? 100_000_000 : 10_000
        // Zero is divisible by every power: it gets the cap.
        var step: Int64 = 1
        while step < cap && value % (step * 10) == 0 {
            step *= 10
        }
        return step
    }

    // MARK: - Targets (§4.3)

    /// `met` if `lo ≥ T`, `notMet` if `hi ≤ T`, otherwise `indeterminate` (the interval
    /// straddles `T`, or it is empty because the display was inconsistent).
    public func attainment(threshold: Int64) -> Attainment {
        if isEmpty { return .indeterminate }
        if lo >= threshold { return .met }
        if let hi, hi <= threshold { return .notMet }
        return .indeterminate
    }

    // MARK: - Sums (§1.2 Step 8)

    /// The interval of a sum: `lo = Σlo`, `hi = Σhi`, +∞ if either bound is +∞.
    ///
    /// An overflowing upper bound becomes +∞ (still a true bound); an overflowing lower bound
    /// saturates at `Int64.max`, a sum no count reaches.
    public static func + (lhs: ValueInterval, rhs: ValueInterval) -> ValueInterval {
        let (lo, loOverflow) = lhs.lo.addingReportingOverflow(rhs.lo)
        var hi: Int64?
        if let left = lhs.hi, let right = rhs.hi {
            let (sum, overflow) = left.addingReportingOverflow(right)
            hi = overflow ? nil : sum
        }
        return ValueInterval(lo: loOverflow ? (lhs.lo < 0 ? .min : .max) : lo, hi: hi)
    }
}
