/// The judgement of an account (or a unit) against a follower threshold (COUNTS_AND_TARGETS.md §4.3).
public enum AttainmentStatus: String, Sendable, Hashable, CaseIterable {
    /// Certainly reached: the interval's lower end is at or above the threshold.
    case met = "MET"
    /// Certainly not reached: the interval lies below the threshold.
    case notMet = "NOT_MET"
    /// The stored value cannot tell (a rounded `100万`, a `lower_bound` below T): obtain an exact source.
    case indeterminate = "INDETERMINATE"
    /// The main account has no `followers` row in the period.
    case noData = "NO_DATA"
    /// The unit has no main account (`main = yes`) in the registry.
    case missingAccount = "MISSING_ACCOUNT"
    /// No follower rule selects the unit (its category has none, or its enrolment is unknown).
    case noRule = "NO_RULE"

    /// The status of the opposite condition (`<` is "not ≥").
    var negated: AttainmentStatus {
        switch self {
        case .met: .notMet
        case .notMet: .met
        default: self
        }
    }

    /// Combines the statuses of a unit's main accounts, treating NO_DATA as unknown:
    /// `each` is met only when all are, `any` when one is.
    static func combine(_ statuses: [AttainmentStatus], requireAll: Bool) -> AttainmentStatus {
        guard !statuses.isEmpty, !statuses.allSatisfy({ $0 == .noData }) else { return .noData }
        if requireAll {
            if statuses.allSatisfy({ $0 == .met }) { return .met }
            if statuses.contains(.notMet) { return .notMet }
        } else {
            if statuses.contains(.met) { return .met }
            if statuses.allSatisfy({ $0 == .notMet }) { return .notMet }
        }
        return .indeterminate
    }
}
