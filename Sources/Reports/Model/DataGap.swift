public import Collector

/// A main account that lacks data in the period: no `followers` row in it, no content data at
/// all, or both; or collection that covers only part of the period. Attainment and influence list such an account among the others, each with a
/// row note; the report also counts them in its summary and says what to do (docs/reports.md §5),
/// because a unit's status (`NOT_MET` when another main account falls short) may not show it.
public struct DataGap: Sendable, Hashable {
    /// The unit.
    public var unit: UnitProfile
    /// The main account.
    public var account: RegistryEntry
    /// No `followers` row in the period (none at all, or only older ones): attainment is
    /// `NO_DATA` for the account.
    public var noFollowers: Bool
    /// No content objects and no `posts_new`: posts, hits and EII are unknown.
    public var noContent: Bool
    /// The days the account's collection covers, when it has content data but they are not the
    /// whole period up to the report day (it began late or stopped early): posts and EII of the
    /// other days are unknown, so the account has no EII and its unit is not ranked.
    public var collectedDays: ClosedRange<CivilDate>?

    /// Creates an entry.
    public init(
        unit: UnitProfile,
        account: RegistryEntry,
        noFollowers: Bool,
        noContent: Bool,
        collectedDays: ClosedRange<CivilDate>? = nil
    ) {
        self.unit = unit
        self.account = account
        self.noFollowers = noFollowers
        self.noContent = noContent
        self.collectedDays = collectedDays
    }
}
