public import Collector

/// The `[index]` table of a rules file: composite weights, the WCI variant, the content age.
public struct IndexSettings: Sendable, Hashable {
    /// One platform's weight in the composite EII.
    public struct PlatformWeight: Sendable, Hashable {
        /// The platform.
        public var platform: Platform
        /// Its weight (the defaults sum to 1).
        public var weight: Double

        /// Creates a weight.
        public init(platform: Platform, weight: Double) {
            self.platform = platform
            self.weight = weight
        }
    }

    /// The default composite weights of COUNTS_AND_TARGETS.md §3 (in the spirit of MCCI).
    public static let defaultWeights: [PlatformWeight] = [
        PlatformWeight(platform: .wechat, weight: 0.30), PlatformWeight(platform: .douyin, weight: 0.25),
        PlatformWeight(platform: .weibo, weight: 0.15), PlatformWeight(platform: .bilibili, weight: 0.10),
        PlatformWeight(platform: .kuaishou, weight: 0.10), PlatformWeight(platform: .toutiao, weight: 0.10),
    ]

    /// The composite weights, heaviest first, ties by platform name (the column order of reports).
    public var platformWeights: [PlatformWeight]
    /// Which WCI the WeChat rows show.
    public var wciVariant: WCI.Variant
    /// The age in days at which content values are read (Qingbo: day 7 for weekly and monthly lists).
    public var contentAgeDays: Int

    /// Creates settings; the weights are put in report order.
    public init(
        platformWeights: [PlatformWeight] = IndexSettings.defaultWeights,
        wciVariant: WCI.Variant = .classic,
        contentAgeDays: Int = 7
    ) {
        self.platformWeights = platformWeights.sorted {
            $0.weight != $1.weight ? $0.weight > $1.weight : $0.platform < $1.platform
        }
        self.wciVariant = wciVariant
        self.contentAgeDays = contentAgeDays
    }

    /// The weight of `platform`, 0 when it has none.
    public func weight(of platform: Platform) -> Double {
        platformWeights.first { $0.platform == platform }?.weight ?? 0
    }
}
