public import Collector

/// A main account's followers over time against its threshold, for the report's charts.
public struct FollowerSeries: Sendable, Hashable {
    /// One stored followers value.
    public struct Point: Sendable, Hashable {
        /// Its day.
        public var date: CivilDate
        /// The value.
        public var value: Int64
        /// Its quality.
        public var quality: Quality

        /// Creates a point.
        public init(date: CivilDate, value: Int64, quality: Quality) {
            self.date = date
            self.value = value
            self.quality = quality
        }
    }

    /// `烟台市教育局 · wechat`.
    public var label: String
    /// The account id.
    public var account: String
    /// The unit's name, so a report can word the label in its own language.
    public var unit: String
    /// The account's platform (nil for series made without one).
    public var platform: Platform?
    /// The values up to the end of the period, oldest first.
    public var points: [Point]
    /// The rule's threshold, if a rule applies.
    public var threshold: Int64?
    /// The rule id.
    public var ruleID: String?
    /// The account's status.
    public var status: AttainmentStatus

    /// Creates a series.
    public init(
        label: String,
        account: String,
        points: [Point],
        threshold: Int64?,
        ruleID: String?,
        status: AttainmentStatus,
        unit: String = "",
        platform: Platform? = nil
    ) {
        self.label = label
        self.account = account
        self.points = points
        self.threshold = threshold
        self.ruleID = ruleID
        self.status = status
        self.unit = unit
        self.platform = platform
    }
}
