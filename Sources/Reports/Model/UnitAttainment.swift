/// A unit judged against one follower rule with the rule's aggregation (`each`, `any`, `sum`).
public struct UnitAttainment: Sendable, Hashable {
    /// The unit.
    public var unit: UnitProfile
    /// The rule, when one selects the unit.
    public var rule: Rule?
    /// How many main accounts the unit has.
    public var mainAccounts: Int
    /// The largest followers value among them.
    public var best: Int64?
    /// Their sum.
    public var sum: Int64?
    /// The unit's status under the rule's aggregation.
    public var status: AttainmentStatus
    /// How the status was reached.
    public var reason: AttainmentNote?
    /// ``reason`` in English (empty without one); setting it stores free text.
    public var note: String {
        get { reason?.description ?? "" }
        set { reason = newValue.isEmpty ? nil : .text(newValue) }
    }

    /// Creates a unit row.
    public init(
        unit: UnitProfile,
        rule: Rule?,
        mainAccounts: Int,
        best: Int64?,
        sum: Int64?,
        status: AttainmentStatus,
        reason: AttainmentNote?
    ) {
        self.unit = unit
        self.rule = rule
        self.mainAccounts = mainAccounts
        self.best = best
        self.sum = sum
        self.status = status
        self.reason = reason
    }
}
