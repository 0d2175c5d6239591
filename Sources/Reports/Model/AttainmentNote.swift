public import Collector

/// Why an attainment row has its status, or how a unit's status was reached, kept as data so
/// that each report language can word it; ``description`` is the English text of the CSV.
public enum AttainmentNote: Sendable, Hashable, CustomStringConvertible {
    /// One main account's status, in a unit's combined status.
    public struct AccountStatus: Sendable, Hashable {
        /// The account's platform.
        public var platform: Platform
        /// Its status under the rule.
        public var status: AttainmentStatus

        /// Creates an entry.
        public init(platform: Platform, status: AttainmentStatus) {
            self.platform = platform
            self.status = status
        }
    }

    /// The unit has no registry row with `main = yes`.
    case noMainAccount
    /// The main account has no `followers` row at all.
    case noFollowersRow
    /// The latest `followers` row is from this day, before the period.
    case staleFollowers(CivilDate)
    /// The interval straddles the threshold.
    case cannotDecide
    /// No follower rule exists for the category.
    case noRuleForCategory(String)
    /// The category's tiers select on enrolment, which the registry does not give.
    case studentsUnknown(category: String)
    /// The category has rules, but none selects the unit's city.
    case noRuleForCity(String)
    /// `each` or `any`: the statuses the unit's status was combined from.
    case combined(Rule.Aggregation, [AccountStatus])
    /// `sum`: the platforms whose intervals were added.
    case summed([Platform])
    /// Free text (rows made outside the engine).
    case text(String)

    /// The English note: `each: wechat MET, weibo INDETERMINATE`.
    public var description: String {
        switch self {
        case .noMainAccount: "no main account (main = yes) in the registry"
        case .noFollowersRow: "no followers row"
        case .staleFollowers(let day): "latest followers row is from \(day), before the period"
        case .cannotDecide: "the stored value cannot decide; obtain an exact count"
        case .noRuleForCategory(let category): "no follower rule for category \(category)"
        case .studentsUnknown(let category): "students unknown in the registry; the tiers of \(category) need it"
        case .noRuleForCity(let city): "no follower rule selects this unit (city \(city))"
        case .combined(let aggregation, let accounts):
            aggregation.rawValue + ": "
                + accounts.map { "\($0.platform) \($0.status.rawValue)" }.joined(separator: ", ")
        case .summed(let platforms): "sum: " + platforms.map(\.rawValue).joined(separator: " + ")
        case .text(let text): text
        }
    }
}
