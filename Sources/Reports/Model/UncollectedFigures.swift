public import Collector

/// The EII figures a platform's accounts lack in the report (docs/reports.md §4.1).
///
/// A figure that **no** account of the platform has (``figures``) is one the platform, or the
/// way this deployment collects it, does not provide: Weibo's API gives no read count of a
/// status. It counts 0 in the EII of every account of the platform alike, so those accounts
/// stay comparable with each other and can be ranked. A figure that **some** accounts have and
/// others lack (``partialFigures``) leaves those others without EII and their units unranked: a
/// 0 in their place would rank them below accounts measured with it. The report says both once,
/// in its summary and under the ranking and influence tables, with what to collect.
public struct UncollectedFigures: Sendable, Hashable {
    /// The platform.
    public var platform: Platform
    /// The figures (`views`, `likes`, `comments`, `shares`) that no account of the platform with
    /// posts of the period has for all of its posts, in figure order: counted 0 for all.
    public var figures: [String]
    /// The platform's third-party index (`WCI V14.2`, `BCI`, …) when it needs one of
    /// ``figures`` and is therefore left empty for every account of the platform; nil when it
    /// needs none of them or the platform has none. A published index is only worth showing
    /// when it can be reconciled with the evaluator's list, which a term counted 0 prevents.
    public var indexLeftEmpty: String?
    /// The figures that some accounts of the platform have and others lack, in figure order.
    public var partialFigures: [String]
    /// How many accounts lack one of ``partialFigures`` (they have no EII).
    public var accountsLacking: Int
    /// How many accounts of the platform have posts of the period with per-post figures.
    public var accountsMeasured: Int

    /// Creates an entry.
    public init(
        platform: Platform,
        figures: [String],
        indexLeftEmpty: String? = nil,
        partialFigures: [String] = [],
        accountsLacking: Int = 0,
        accountsMeasured: Int = 0
    ) {
        self.platform = platform
        self.figures = figures
        self.indexLeftEmpty = indexLeftEmpty
        self.partialFigures = partialFigures
        self.accountsLacking = accountsLacking
        self.accountsMeasured = accountsMeasured
    }
}
