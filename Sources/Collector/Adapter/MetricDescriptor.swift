/// A metric an adapter may emit, for `collector adapters` and the conformance suite.
public struct MetricDescriptor: Sendable, Hashable {
    /// Account-level or content-level.
    public enum Level: String, Sendable, Hashable {
        /// `object` is empty.
        case account
        /// `object` is a content id.
        case content
    }

    /// The metric.
    public var name: MetricName
    /// Its level.
    public var level: Level
    /// Where the value comes from on the platform.
    public var help: String

    /// Creates a descriptor.
    public init(_ name: MetricName, _ level: Level, _ help: String) {
        self.name = name
        self.level = level
        self.help = help
    }
}
