/// A metric name of SPEC §4, or a platform extension named `<platform>_<name>`.
public struct MetricName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The snake_case name written to the files.
    public let rawValue: String

    /// Creates a metric name; ``isValid(_:)`` tells whether it may be written.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The name as written.
    public var description: String { rawValue }

    public static func < (lhs: MetricName, rhs: MetricName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Total followers at that time.
    public static let followers = MetricName(rawValue: "followers")
    /// Follows during the day.
    public static let followersNew = MetricName(rawValue: "followers_new")
    /// Unfollows during the day.
    public static let followersLost = MetricName(rawValue: "followers_lost")
    /// Accounts the account follows.
    public static let following = MetricName(rawValue: "following")
    /// Total posts.
    public static let posts = MetricName(rawValue: "posts")
    /// Posts published that day.
    public static let postsNew = MetricName(rawValue: "posts_new")
    /// Reads or plays: per day at account level, cumulative at content level.
    public static let views = MetricName(rawValue: "views")
    /// Unique readers.
    public static let viewers = MetricName(rawValue: "viewers")
    /// 点赞.
    public static let likes = MetricName(rawValue: "likes")
    /// 评论.
    public static let comments = MetricName(rawValue: "comments")
    /// 分享 or 转发.
    public static let shares = MetricName(rawValue: "shares")
    /// 收藏.
    public static let favorites = MetricName(rawValue: "favorites")
    /// WeChat 在看.
    public static let recommends = MetricName(rawValue: "recommends")
    /// Bilibili 投币.
    public static let coins = MetricName(rawValue: "coins")
    /// Bilibili 弹幕.
    public static let danmaku = MetricName(rawValue: "danmaku")
    /// 主页访问.
    public static let profileViews = MetricName(rawValue: "profile_views")
    /// 展现量 or 推荐量.
    public static let impressions = MetricName(rawValue: "impressions")
    /// 完播率 or 完读率, a decimal fraction 0–1.
    public static let completionRate = MetricName(rawValue: "completion_rate")

    /// The names of SPEC §4.
    public static let standard: Set<MetricName> = [
        .followers, .followersNew, .followersLost, .following, .posts, .postsNew, .views, .viewers, .likes,
        .comments, .shares, .favorites, .recommends, .coins, .danmaku, .profileViews, .impressions, .completionRate,
    ]

    /// Whether the metric's values are decimals (rates and durations) rather than integer
    /// counts: its name has the word `rate`, `ctr` or `seconds` (`completion_rate`,
    /// `douyin_completion_rate_5s`, `toutiao_ctr`, `douyin_avg_play_seconds`). Every other
    /// metric is a count, so one metric always has one type (an Influx field keeps its type).
    public var takesDecimals: Bool {
        var name = rawValue
        return name.withUTF8 { Self.takesDecimals(UnsafeRawBufferPointer($0)) }
    }

    /// ``takesDecimals`` of a name given as its UTF-8 bytes (the store's writers read names in place).
    static func takesDecimals(_ name: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        for end in 0...name.count where end == name.count || name[end] == UInt8(ascii: "_") {
            let word = UnsafeRawBufferPointer(rebasing: name[start..<end])
            if ByteText.equals(word, "rate") || ByteText.equals(word, "ctr") || ByteText.equals(word, "seconds") {
                return true
            }
            start = end + 1
        }
        return false
    }

    /// The built-in platform whose extension `name` is (`douyin` for `douyin_net_followers`),
    /// for messages about a metric written under another platform.
    public static func builtInOwner(of name: String) -> Platform? {
        Platform.builtIn.first { name.hasPrefix($0.rawValue + "_") }
    }

    /// Whether `name` is a SPEC §4 name or an extension of the form `<platform>_<name>` for `platform`.
    public static func isValid(_ name: String, for platform: Platform) -> Bool {
        if standard.contains(MetricName(rawValue: name)) { return true }
        let prefix = platform.rawValue + "_"
        return name.hasPrefix(prefix) && name.utf8.count > prefix.utf8.count && Platform.isValidName(name)
    }
}
