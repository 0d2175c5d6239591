/// How many units of a category and tier (rule) have each status.
public struct AttainmentSummary: Sendable, Hashable {
    /// The SPEC §6 category.
    public var category: String
    /// The rule (tier), nil for units no rule selects.
    public var rule: Rule?
    /// Units per status.
    public var counts: [AttainmentStatus: Int]

    /// Creates a summary row.
    public init(category: String, rule: Rule?, counts: [AttainmentStatus: Int]) {
        self.category = category
        self.rule = rule
        self.counts = counts
    }

    /// All units of the row.
    public var units: Int { counts.values.reduce(0, +) }

    /// `city_bureau SD16-BUR-A`, for chart labels.
    public var label: String { rule.map { "\(category) \($0.id)" } ?? category }
}
