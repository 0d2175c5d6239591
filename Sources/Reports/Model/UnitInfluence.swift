public import Collector

/// A unit's composite EII over its required main accounts, and its rank within its category and tier.
public struct UnitInfluence: Sendable, Hashable {
    /// EII_p of one weighted platform.
    public struct PlatformScore: Sendable, Hashable {
        /// The platform.
        public var platform: Platform
        /// Its weight in the composite.
        public var weight: Double
        /// The EII of the unit's main account there (the best, if it has two); nil when it has
        /// none, or when its EII cannot be computed (then ``unavailable`` says why).
        public var eii: Double?
        /// Why a main account on the platform has no EII.
        public var unavailable: AccountInfluence.Unavailable?
        /// With ``unavailable`` `figuresNotCollected`, the figures to collect (`likes`, …).
        public var notCollected: [String]
        /// The quality of ``eii`` when it rests on an estimate (``AccountInfluence/eiiQuality``).
        public var quality: Quality?
        /// With ``unavailable`` `partialPeriod`, the days the account's collection covers.
        public var collectedDays: ClosedRange<CivilDate>?

        /// Creates a score.
        public init(
            platform: Platform,
            weight: Double,
            eii: Double?,
            unavailable: AccountInfluence.Unavailable? = nil,
            notCollected: [String] = [],
            quality: Quality? = nil,
            collectedDays: ClosedRange<CivilDate>? = nil
        ) {
            self.platform = platform
            self.weight = weight
            self.eii = eii
            self.unavailable = unavailable
            self.notCollected = notCollected
            self.quality = quality
            self.collectedDays = collectedDays
        }
    }

    /// The unit.
    public var unit: UnitProfile
    /// The tier: the id of the follower rule that selects the unit, empty when none does.
    public var tier: String
    /// `Σ_p w_p · EII_p`, a missing platform counting 0; nil when a main account has no EII, or
    /// when the unit has no main account at all.
    public var composite: Double?
    /// EII_p per weighted platform, in weight order.
    public var platforms: [PlatformScore]
    /// 1 = highest composite within the category and tier (equal values to 2 decimals share a
    /// rank); nil for a unit without a composite, which is listed but not ranked.
    public var rank: Int?

    /// Whether the registry names a main account of the unit; without any, the unit is listed
    /// but not ranked (docs/reports.md §4.2).
    public var hasMainAccount: Bool

    /// Creates a row.
    public init(
        unit: UnitProfile,
        tier: String,
        composite: Double?,
        platforms: [PlatformScore],
        rank: Int?,
        hasMainAccount: Bool = true
    ) {
        self.unit = unit
        self.tier = tier
        self.composite = composite
        self.platforms = platforms
        self.rank = rank
        self.hasMainAccount = hasMainAccount
    }

    /// The quality of ``composite``: approximate when an EII_p it adds is, else a lower bound
    /// when one is, else nil (exact).
    public var compositeQuality: Quality? {
        guard composite != nil else { return nil }
        let qualities = platforms.map(\.quality)
        if qualities.contains(.approx) { return .approx }
        return qualities.contains(.lowerBound) ? .lowerBound : nil
    }

    /// The weighted platforms without a main account.
    public var missing: [Platform] { platforms.filter { $0.eii == nil && $0.unavailable == nil }.map(\.platform) }

    /// Why the unit has no composite: `no content data: wechat; figures not collected: weibo
    /// (likes comments); part of the period collected: douyin (2026-10-01..2026-10-02)`, the
    /// figures to collect or the days collected after their platform; empty when it has one.
    public var note: String {
        if !hasMainAccount { return AttainmentNote.noMainAccount.description }
        var platformsByReason: [(AccountInfluence.Unavailable, [String])] = []
        for score in platforms {
            guard let reason = score.unavailable else { continue }
            var name = score.platform.rawValue
            if !score.notCollected.isEmpty { name += " (\(score.notCollected.joined(separator: " ")))" }
            if let days = score.collectedDays { name += " (\(days.lowerBound)..\(days.upperBound))" }
            if let index = platformsByReason.firstIndex(where: { $0.0 == reason }) {
                platformsByReason[index].1.append(name)
            } else {
                platformsByReason.append((reason, [name]))
            }
        }
        return platformsByReason.map { "\($0.0.rawValue): " + $0.1.joined(separator: " ") }
            .joined(separator: "; ")
    }
}
