/// The other published third-party indices of COUNTS_AND_TARGETS.md §2.3 that are verified:
/// BCI (Weibo), VCI (short video) and BVCI V2.0 (Bilibili).
public enum PublishedIndices {
    /// BCI 微博传播指数: `W1 = ln(posts+1)`, `W2 = 0.4·ln(reposts+1) + 0.4·ln(comments+1) + 0.2·ln(likes+1)`,
    /// `BCI = (0.2·W1 + 0.8·W2) × 160`, on period totals.
    public static func bci(posts: Double, reposts: Double, comments: Double, likes: Double) -> Double {
        let w1 = ln1(posts)
        let w2 = 0.4 * ln1(reposts) + 0.4 * ln1(comments) + 0.2 * ln1(likes)
        return (0.2 * w1 + 0.8 * w2) * 160
    }

    /// VCI 短视频自媒体影响力指数: the BCI formula with shares in place of reposts.
    public static func vci(posts: Double, shares: Double, comments: Double, likes: Double) -> Double {
        bci(posts: posts, reposts: shares, comments: comments, likes: likes)
    }

    /// BVCI V2.0 B站视频传播指数:
    /// `100 × [0.15·ln(X1+1) + 0.25·ln(X2+1) + 0.30·ln(X3+1) + 0.18·ln(X4+1) + 0.12·ln(X5+1)]`.
    ///
    /// - Parameters:
    ///   - videos: X1, videos uploaded in the period.
    ///   - playsPerDay: X2.
    ///   - commentsPerDay: X3.
    ///   - followers: X4, total followers.
    ///   - followerIncrease: X5 (a loss counts as 0).
    public static func bvci(
        videos: Double,
        playsPerDay: Double,
        commentsPerDay: Double,
        followers: Double,
        followerIncrease: Double
    ) -> Double {
        100
            * (0.15 * ln1(videos) + 0.25 * ln1(playsPerDay) + 0.30 * ln1(commentsPerDay) + 0.18 * ln1(followers)
                + 0.12 * ln1(max(followerIncrease, 0)))
    }
}
