public import Collector

/// The conservative interval a stored count stands for (COUNTS_AND_TARGETS.md §1.3), so a
/// rounded `99.9万` is never taken for more than it says.
///
/// - `exact` v: [v, v + 1)
/// - `lower_bound` v (`10万+`): [v, ∞)
/// - `approx` v: [v − q/2, v + q), q = the largest power of ten dividing v, capped at 10⁴
///   (10⁸ when v ≥ 10⁸); q = 1 for v = 0.
public struct FollowerInterval: Sendable, Hashable {
    /// The stored value.
    public var point: Double
    /// The smallest value it may stand for.
    public var lower: Double
    /// The bound the value stays below (`.infinity` for a lower bound).
    public var upper: Double

    /// Creates the interval of a count with the given quality.
    public init(value: Int64, quality: Quality) {
        let v = Double(value)
        point = v
        switch quality {
        case .exact:
            lower = v
            upper = v + 1
        case .lowerBound:
            lower = v
            upper = .infinity
        case .approx:
            let q = Double(FollowerInterval.approxStep(value))
            lower = v - q / 2
            upper = v + q
        }
    }

    /// Creates an interval from its bounds (sums of intervals).
    public init(point: Double, lower: Double, upper: Double) {
        self.point = point
        self.lower = lower
        self.upper = upper
    }

    /// q of an `approx` value: the largest power of ten dividing it, capped at 10⁴, or at 10⁸ from 10⁸ up.
    public static func approxStep(_ value: Int64) -> Int64 {
        let magnitude = value.magnitude
        guard magnitude > 0 else { return 1 }
        let cap: UInt64 = magnitude >= 100_000_000 ? 100_000_000 : 10_000
        var step: UInt64 = 1
        while step < cap, magnitude % (step * 10) == 0 { step *= 10 }
        return Int64(step)
    }

    /// The judgement against "at least `threshold`": MET if lo ≥ T, NOT_MET if hi ≤ T (half-open),
    /// else INDETERMINATE.
    public func judge(atLeast threshold: Double) -> AttainmentStatus {
        if lower >= threshold { return .met }
        if upper <= threshold { return .notMet }
        return .indeterminate
    }

    /// The judgement against `op threshold`; counts are integers, so `> T` is `≥ T + 1`.
    public func judge(_ comparison: Comparison, _ threshold: Int64) -> AttainmentStatus {
        switch comparison.canonical {
        case .atLeast, .atLeastSign: judge(atLeast: Double(threshold))
        case .greaterThan: judge(atLeast: Double(threshold) + 1)
        case .lessThan: judge(atLeast: Double(threshold)).negated
        case .atMost, .atMostSign: judge(atLeast: Double(threshold) + 1).negated
        case .equal:
            // Exactly T: met only for an exact T, not met when T lies outside the interval.
            if lower == Double(threshold) && upper == Double(threshold) + 1 {
                .met
            } else if Double(threshold) < lower
                || Double(threshold) >= upper
            {
                .notMet
            } else {
                .indeterminate
            }
        }
    }

    /// The sum of intervals (a unit's main accounts together).
    public static func + (lhs: FollowerInterval, rhs: FollowerInterval) -> FollowerInterval {
        FollowerInterval(point: lhs.point + rhs.point, lower: lhs.lower + rhs.lower, upper: lhs.upper + rhs.upper)
    }
}
