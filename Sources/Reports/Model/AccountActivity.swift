public import Collector

/// Posting activity of one account in the period: posts, 10万+ hits, dormant spells.
public struct AccountActivity: Sendable, Hashable {
    /// Where the post count comes from.
    public enum PostsBasis: String, Sendable, Hashable {
        /// Objects with `published_at` in the period.
        case publishedAt = "published_at"
        /// Objects without `published_at`, counted on the day they were first seen.
        case firstSeen = "first_seen"
        /// Both of the above.
        case mixed
        /// The account-level `posts_new` metric (no content objects).
        case postsNew = "posts_new"
        /// No content data at all: nothing can be said.
        case none
    }

    /// The unit.
    public var unit: UnitProfile
    /// The registry row.
    public var account: RegistryEntry
    /// Posts in the period (nil without content data).
    public var posts: Int?
    /// Where the count comes from.
    public var postsBasis: PostsBasis
    /// Posts of the period with views ≥ 100001 (a `10万+` lower bound of 100000 counts too).
    public var hits: Int?
    /// The content metric the hits were read from: `views`, `viewers` (WeChat, when views are
    /// absent) or `views+viewers`.
    public var hitMetric: String
    /// The longest run of days in the period without a post, counted from ``dataSince`` and up
    /// to ``dataUntil`` when there are those.
    public var longestGapDays: Int?
    /// The first day anything of the account is known (a row, or a catalogued post), when that
    /// is after the period's first day: the days before it are not known to be without posts.
    public var dataSince: CivilDate?
    /// The last day the account's collection is known to reach (its latest row, or a later
    /// catalogued post), when that is before the report day: the days after it are not known
    /// to be without posts, and ``longestGapDays`` stops there.
    public var dataUntil: CivilDate?
    /// Whether some 14-day window of the period has no post (国办秘函〔2019〕19号).
    public var dormant14d: Bool?

    /// Creates a row.
    public init(
        unit: UnitProfile,
        account: RegistryEntry,
        posts: Int?,
        postsBasis: PostsBasis,
        hits: Int?,
        hitMetric: String,
        longestGapDays: Int?,
        dormant14d: Bool?,
        dataSince: CivilDate? = nil,
        dataUntil: CivilDate? = nil
    ) {
        self.unit = unit
        self.account = account
        self.posts = posts
        self.postsBasis = postsBasis
        self.hits = hits
        self.hitMetric = hitMetric
        self.longestGapDays = longestGapDays
        self.dormant14d = dormant14d
        self.dataSince = dataSince
        self.dataUntil = dataUntil
    }
}
