/// A comparison operator of a rules file: `>=`, `>`, `<=`, `<`, `==` (also `≥`, `≤`).
///
/// "以上" in a notice includes the number (《民法典》第1259条), so it is `>=`; "超过" excludes it, `>`.
public enum Comparison: String, Sendable, Hashable, CaseIterable {
    /// At least (以上).
    case atLeast = ">="
    /// More than (超过).
    case greaterThan = ">"
    /// At most (以下).
    case atMost = "<="
    /// Less than (不满).
    case lessThan = "<"
    /// Exactly.
    case equal = "=="
    /// `≥`, as notices print it: the same as `>=`.
    case atLeastSign = "≥"
    /// `≤`: the same as `<=`.
    case atMostSign = "≤"

    /// The ASCII form: `≥` is `>=`.
    public var canonical: Comparison {
        switch self {
        case .atLeastSign: .atLeast
        case .atMostSign: .atMost
        default: self
        }
    }

    /// Whether `value op threshold` holds.
    public func holds(_ value: Int64, _ threshold: Int64) -> Bool {
        switch canonical {
        case .atLeast, .atLeastSign: value >= threshold
        case .greaterThan: value > threshold
        case .atMost, .atMostSign: value <= threshold
        case .lessThan: value < threshold
        case .equal: value == threshold
        }
    }
}
