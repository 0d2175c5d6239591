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

    /// Whether `name` is a SPEC §4 name or an extension of the form `<platform>_<name>` for `platform`.
    public static func isValid(_ name: String, for platform: Platform) -> Bool {
        if standard.contains(MetricName(rawValue: name)) { return true }
        let prefix = platform.rawValue + "_"
        return name.hasPrefix(prefix) && name.utf8.count > prefix.utf8.count && Platform.isValidName(name)
    }
}
