public import Collector

/// The influence figures of one account in the period: EII with its components, and the
/// platform's published third-party index.
public struct AccountInfluence: Sendable, Hashable {
    /// Why an account has no EII: the formulas need figures the data does not hold, and an
    /// index computed from absent data would read as "no influence" (docs/reports.md §4.1).
    public enum Unavailable: String, Sendable, Hashable, CaseIterable {
        /// No content objects and no `posts_new`: not even the number of posts is known
        /// (typically a unit that only self-reports account totals).
        case noContentData = "no content data"
        /// Posts counted from `posts_new` only: n is known, but the reads and interactions of
        /// those posts (V, Vmax, L, C, S) are not.
        case noPostData = "no per-post data"
        /// Posts with figures, but no `followers` row: F is not known.
        case noFollowerData = "no followers data"
        /// Posts whose reads, likes, comments or shares were not collected (an export without
        /// those columns, an adapter that sends views only): a missing figure is not 0.
        case figuresNotCollected = "figures not collected"
        /// The account's collection covers only part of the period (it began after the first
        /// day, or stopped before the report day): n, V, L, C, S of the other days are unknown,
        /// and with d the whole period the index would read them as 0 (docs/reports.md §4.1).
        case partialPeriod = "part of the period collected"
    }

    /// The unit.
    public var unit: UnitProfile
    /// The registry row.
    public var account: RegistryEntry
    /// The EII inputs; figures the data does not hold are 0 here, so read them only when
    /// ``eii`` is not nil, and use ``posts``, ``followers`` and ``followerChange`` for display.
    public var inputs: EII.Inputs
    /// Posts of the period n, nil without content data.
    public var posts: Int?
    /// Followers at the end of the period F, nil without a `followers` row.
    public var followers: Double?
    /// Net follower change over the period ΔF, nil when nothing tells it.
    public var followerChange: Double?
    /// The quality of the followers row behind ``followers``.
    public var followersQuality: Quality?
    /// The quality of ``followerChange``: exact from follower flows or exact rows, approx when
    /// a row of the difference is an estimate.
    public var followerChangeQuality: Quality?
    /// The quality of each per-post total (`views`, `likes`, `comments`, `shares`) that rests on
    /// an estimate: `approx` when a post's value is approximate (a Weibo `1.2万`), else
    /// `lower_bound` when one is a lower bound (`10万+`); exact totals are not listed. `v_max`
    /// is the maximum's own: a `10万+` maximum is a lower bound even when the total is approximate.
    public var figureQualities: [String: Quality] = [:]
    /// The quality of ``eii`` when an input it uses rests on an estimate (nil: exact): `approx`
    /// when one is approximate, else `lower_bound` (EII grows with every input).
    public var eiiQuality: Quality?
    /// The same for ``indexValue``, from the inputs of the platform's index.
    public var indexQuality: Quality?
    /// The EII, nil when it cannot be computed (see ``unavailable``).
    public var eii: EII?
    /// Why ``eii`` is nil.
    public var unavailable: Unavailable?
    /// With ``unavailable`` `partialPeriod`, the days the account's collection covers.
    public var collectedDays: ClosedRange<CivilDate>?
    /// The per-post figures that some post of the period has no value of (`views`, `likes`,
    /// `comments`, `shares`, `recommends`): their totals are unknown, and so is every index
    /// that needs them (docs/reports.md §4.1).
    public var notCollected: [String]
    /// The figures of ``notCollected`` that no account of the platform has either
    /// (``UncollectedFigures``): they count 0 in ``eii`` for every account of the platform
    /// alike, rather than leaving it unknown (docs/reports.md §4.1). Their cells stay empty.
    public var countedZero: [String]
    /// The third-party index shown for the platform (`WCI V14.2`, `BCI`, `VCI`, `BVCI V2.0`), if any.
    public var indexName: String
    /// Its value, nil when the platform has none or its inputs are not known.
    public var indexValue: Double?

    /// Creates a row.
    public init(
        unit: UnitProfile,
        account: RegistryEntry,
        inputs: EII.Inputs,
        posts: Int?,
        followers: Double?,
        followerChange: Double?,
        eii: EII?,
        unavailable: Unavailable?,
        notCollected: [String] = [],
        countedZero: [String] = [],
        indexName: String,
        indexValue: Double?,
        followersQuality: Quality? = nil,
        followerChangeQuality: Quality? = nil,
        figureQualities: [String: Quality] = [:],
        eiiQuality: Quality? = nil,
        indexQuality: Quality? = nil,
        collectedDays: ClosedRange<CivilDate>? = nil
    ) {
        self.unit = unit
        self.account = account
        self.inputs = inputs
        self.posts = posts
        self.followers = followers
        self.followerChange = followerChange
        self.eii = eii
        self.unavailable = unavailable
        self.notCollected = notCollected
        self.countedZero = countedZero
        self.indexName = indexName
        self.indexValue = indexValue
        self.followersQuality = followersQuality
        self.followerChangeQuality = followerChangeQuality
        self.figureQualities = figureQualities
        self.eiiQuality = eiiQuality
        self.indexQuality = indexQuality
        self.collectedDays = collectedDays
    }
}
