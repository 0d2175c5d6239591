/// How exact a value is (SPEC §3 `quality`, COUNTS_AND_TARGETS.md §1.3).
public enum Quality: String, Sendable, Hashable, CaseIterable, Comparable {
    /// An exact count: a JSON integer, an export cell such as `1,234`.
    case exact
    /// Parsed from a rounded display such as `1.2万`.
    case approx
    /// Parsed from a censored display such as `10万+`: the true value is at least this.
    case lowerBound = "lower_bound"

    /// `exact` ranks highest (the store's precedence rule is ``KeyPrecedence``).
    var rank: Int {
        switch self {
        case .exact: 2
        case .approx: 1
        case .lowerBound: 0
        }
    }

    public static func < (lhs: Quality, rhs: Quality) -> Bool { lhs.rank < rhs.rank }
}
