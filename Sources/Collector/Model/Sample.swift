/// One observation: exactly the eight columns of SPEC §3.
public struct Sample: Sendable, Hashable {
    /// When the value was observed, or 00:00 of the platform day it describes.
    public var time: Timestamp
    /// `wechat`, `channels`, `weibo`, …, or an exec adapter's name.
    public var platform: Platform
    /// The platform's stable account id as configured, never a display name.
    public var account: String
    /// Empty for account-level metrics; else the content id.
    public var object: String
    /// A SPEC §4 name, or `<platform>_<name>`.
    public var metric: MetricName
    /// An integer, or a decimal for rates.
    public var value: SampleValue
    /// `exact`, `approx` or `lower_bound`.
    public var quality: Quality
    /// `api`, `import`, `exec` or `web`.
    public var source: Source

    /// Creates a sample; `object` defaults to the account level and `quality` to `exact`.
    public init(
        time: Timestamp,
        platform: Platform,
        account: String,
        object: String = "",
        metric: MetricName,
        value: SampleValue,
        quality: Quality = .exact,
        source: Source
    ) {
        self.time = time
        self.platform = platform
        self.account = account
        self.object = object
        self.metric = metric
        self.value = value
        self.quality = quality
        self.source = source
    }
}
