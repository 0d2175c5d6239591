public import Collector

/// One main account judged against one follower rule (COUNTS_AND_TARGETS.md §4.3), or a unit
/// that could not be judged (no main account, no rule), so no unit is ever dropped.
public struct AttainmentRow: Sendable, Hashable {
    /// When the target will be reached at the trailing 30-day pace.
    public enum Projection: Sendable, Hashable, CustomStringConvertible {
        /// Already met.
        case reached
        /// Never: the account is not growing.
        case never
        /// On this day.
        case on(CivilDate)

        /// `reached`, `never` or `2024-03-05`.
        public var description: String {
            switch self {
            case .reached: "reached"
            case .never: "never"
            case .on(let date): date.description
            }
        }
    }

    /// The unit.
    public var unit: UnitProfile
    /// The rule, when one selects the unit.
    public var rule: Rule?
    /// The main account, when the unit has one.
    public var account: RegistryEntry?
    /// The day of the `followers` row used.
    public var asOf: CivilDate?
    /// The stored followers value.
    public var followers: Int64?
    /// Its quality.
    public var quality: Quality?
    /// The interval it stands for.
    public var interval: FollowerInterval?
    /// The judgement.
    public var status: AttainmentStatus
    /// `point / T`.
    public var ratio: Double?
    /// `T − point` (negative: above the target).
    public var gap: Double?
    /// Days from the report day to the deadline (negative once passed).
    public var daysLeft: Int?
    /// `gap / days_left`, while both are positive.
    public var requiredDaily: Double?
    /// Trailing 30-day net growth (Σ new − lost, or from the followers series), scaled to 30 days.
    public var net30: Double?
    /// The quality of the pace behind ``net30`` and ``projection``: exact from 30 days of
    /// follower flows or exact rows, approx when a followers row it is computed from is an
    /// estimate (a difference of censored values is neither bound) or when it rests on fewer
    /// than 30 days and is extrapolated to them.
    public var paceQuality: Quality?
    /// When the target will be reached at that pace.
    public var projection: Projection?
    /// The largest followers value among the unit's main accounts.
    public var unitBest: Int64?
    /// The sum over the unit's main accounts.
    public var unitSum: Int64?
    /// Why a figure is missing, or how it was obtained.
    public var reason: AttainmentNote?
    /// ``reason`` in English (empty without one); setting it stores free text.
    public var note: String {
        get { reason?.description ?? "" }
        set { reason = newValue.isEmpty ? nil : .text(newValue) }
    }

    /// Creates a row.
    public init(
        unit: UnitProfile,
        rule: Rule?,
        account: RegistryEntry?,
        status: AttainmentStatus,
        note: String = ""
    ) {
        self.unit = unit
        self.rule = rule
        self.account = account
        self.status = status
        self.reason = note.isEmpty ? nil : .text(note)
    }
}
