/// 教育新媒体影响力指数 (EII), the project's transparent per-platform index
/// (COUNTS_AND_TARGETS.md §3): four log components with published points, so every score can
/// be explained.
public struct EII: Sendable, Hashable {
    /// The inputs of one account, platform and period.
    public struct Inputs: Sendable, Hashable {
        /// Days in the period d (30 for a month).
        public var days: Double
        /// Posts published in the period n.
        public var posts: Double
        /// Reads or plays of those posts at the fixed age, V.
        public var views: Double
        /// The largest single-post V.
        public var maxViews: Double
        /// Likes L of those posts.
        public var likes: Double
        /// Comments C of those posts.
        public var comments: Double
        /// Shares S of those posts.
        public var shares: Double
        /// Followers at the end of the period F.
        public var followers: Double
        /// Net follower change over the period ΔF.
        public var followerChange: Double

        /// Creates inputs.
        public init(
            days: Double,
            posts: Double,
            views: Double,
            maxViews: Double,
            likes: Double,
            comments: Double,
            shares: Double,
            followers: Double,
            followerChange: Double
        ) {
            self.days = days
            self.posts = posts
            self.views = views
            self.maxViews = maxViews
            self.likes = likes
            self.comments = comments
            self.shares = shares
            self.followers = followers
            self.followerChange = followerChange
        }
    }

    /// The component weights w1…w4 (activity, reach, engagement, audience).
    public static let weights: [Double] = [0.10, 0.40, 0.25, 0.25]

    /// U1 activity, U2 reach, U3 engagement, U4 audience.
    public var components: [Double]
    /// `points_k = 100 · w_k · U_k`.
    public var points: [Double]
    /// `EII_p = Σ points_k`, 0 when the account published nothing.
    public var value: Double

    /// Computes the index of `x`.
    public init(_ x: Inputs) {
        let d = x.days
        let u1 = ln1(10 * per(x.posts, d))
        let u2 = 0.6 * ln1(per(x.views, d)) + 0.2 * ln1(per(x.views, x.posts)) + 0.2 * ln1(x.maxViews)
        let u3 = 0.4 * ln1(10 * per(x.shares, d)) + 0.4 * ln1(10 * per(x.comments, d)) + 0.2 * ln1(10 * per(x.likes, d))
        let u4 = 0.6 * ln1(x.followers) + 0.4 * ln1(10 * per(max(x.followerChange, 0), d))
        components = [u1, u2, u3, u4]
        points = zip(EII.weights, components).map { 100 * $0 * $1 }
        // EII = 0 for an account with no posts: WCI's convention and the 2-week inactivity rule.
        value = x.posts > 0 ? points.reduce(0, +) : 0
    }

    /// The composite `Σ_p w_p · EII_p` over a unit's required main accounts (a missing one counts 0).
    public static func composite(_ values: [(weight: Double, value: Double)]) -> Double {
        values.reduce(0) { $0 + $1.weight * $1.value }
    }
}
