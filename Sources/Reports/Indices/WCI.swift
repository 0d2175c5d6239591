#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// 微信传播指数 (WCI) of 清博指数 / GSData, in the versions COUNTS_AND_TARGETS.md §2.2 marks as
/// implementable. All logarithms are natural; `10万+` enters as 100001.
public enum WCI {
    /// Which WCI a report shows for WeChat accounts (rules file `[index] wci_variant`).
    public enum Variant: String, Sendable, Hashable, CaseIterable {
        /// V14.2 "classic": reads, 在看, likes (the default).
        case classic
        /// V14.2 with shares, the later revision.
        case shares
        /// V2.0: totals, per-article averages and maxima of reads and likes.
        case v2
        /// The O/A/P variant of the 浙江/宁夏 data-registry datasets.
        case oap
    }

    /// The period totals a WCI is computed from (COUNTS_AND_TARGETS.md §2.1).
    public struct Inputs: Sendable, Hashable {
        /// Days in the period (30 for a month).
        public var days: Double
        /// Articles published in the period.
        public var articles: Double
        /// Total reads R.
        public var reads: Double
        /// Total 在看 Z.
        public var recommends: Double
        /// Total 点赞 L.
        public var likes: Double
        /// Total shares RE.
        public var shares: Double
        /// Reads, 在看, likes and shares of headline (`_1`) articles.
        public var headlineReads: Double
        /// 在看 of headline articles.
        public var headlineRecommends: Double
        /// Likes of headline articles.
        public var headlineLikes: Double
        /// Shares of headline articles.
        public var headlineShares: Double
        /// The largest single-article reads.
        public var maxReads: Double
        /// The largest single-article 在看.
        public var maxRecommends: Double
        /// The largest single-article likes.
        public var maxLikes: Double
        /// The largest single-article shares.
        public var maxShares: Double

        /// Creates inputs; anything not given is 0.
        public init(
            days: Double,
            articles: Double,
            reads: Double,
            recommends: Double,
            likes: Double = 0,
            shares: Double = 0,
            headlineReads: Double = 0,
            headlineRecommends: Double = 0,
            headlineLikes: Double = 0,
            headlineShares: Double = 0,
            maxReads: Double,
            maxRecommends: Double,
            maxLikes: Double = 0,
            maxShares: Double = 0
        ) {
            self.days = days
            self.articles = articles
            self.reads = reads
            self.recommends = recommends
            self.likes = likes
            self.shares = shares
            self.headlineReads = headlineReads
            self.headlineRecommends = headlineRecommends
            self.headlineLikes = headlineLikes
            self.headlineShares = headlineShares
            self.maxReads = maxReads
            self.maxRecommends = maxRecommends
            self.maxLikes = maxLikes
            self.maxShares = maxShares
        }
    }

    /// The WCI of `inputs` in `variant`.
    public static func value(_ inputs: Inputs, variant: Variant) -> Double {
        switch variant {
        case .classic: v14Classic(inputs).wci
        case .shares: v14Shares(inputs)
        case .v2: v2(inputs).wci
        case .oap: oap(inputs).wci
        }
    }

    /// V2.0: `Read = 0.40·ln(R+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1)`, `Like` the same on 在看,
    /// `WCI = (0.8·Read + 0.2·Like)² × 10`.
    public static func v2(_ x: Inputs) -> (read: Double, like: Double, wci: Double) {
        let read = 0.40 * ln1(x.reads) + 0.45 * ln1(per(x.reads, x.articles)) + 0.15 * ln1(x.maxReads)
        let like =
            0.40 * ln1(x.recommends) + 0.45 * ln1(per(x.recommends, x.articles)) + 0.15 * ln1(x.maxRecommends)
        let core = 0.8 * read + 0.2 * like
        return (read, like, core * core * 10)
    }

    /// V14.2 classic: `f(r,z,l) = 0.85·ln(r+1) + 0.09·ln(10z+1) + 0.06·ln(10l+1)` over the
    /// dimensions O (per day, 0.6), A (per article, 0.2), H (headline per day, 0.1), P (maxima, 0.1);
    /// `WCI = (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × 12`.
    public static func v14Classic(_ x: Inputs) -> (o: Double, a: Double, h: Double, p: Double, wci: Double) {
        func f(_ r: Double, _ z: Double, _ l: Double) -> Double {
            0.85 * ln1(r) + 0.09 * ln1(10 * z) + 0.06 * ln1(10 * l)
        }
        let d = x.days
        let n = x.articles
        let o = f(per(x.reads, d), per(x.recommends, d), per(x.likes, d))
        let a = f(per(x.reads, n), per(x.recommends, n), per(x.likes, n))
        // The headline dimension uses per-day averages, not Rt/nt (the published implementation).
        let h = f(per(x.headlineReads, d), per(x.headlineRecommends, d), per(x.headlineLikes, d))
        let p = f(x.maxReads, x.maxRecommends, x.maxLikes)
        let core = 0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p
        return (o, a, h, p, core * core * 12)
    }

    /// V14.2 with shares: `f(r,z,l,e) = 0.70·ln(r+1) + 0.09·ln(10z+1) + 0.06·ln(10l+1) + 0.15·ln(10e+1)`,
    /// same dimensions, weights and scale as the classic form.
    public static func v14Shares(_ x: Inputs) -> Double {
        func f(_ r: Double, _ z: Double, _ l: Double, _ e: Double) -> Double {
            0.70 * ln1(r) + 0.09 * ln1(10 * z) + 0.06 * ln1(10 * l) + 0.15 * ln1(10 * e)
        }
        let d = x.days
        let n = x.articles
        let o = f(per(x.reads, d), per(x.recommends, d), per(x.likes, d), per(x.shares, d))
        let a = f(per(x.reads, n), per(x.recommends, n), per(x.likes, n), per(x.shares, n))
        let h = f(
            per(x.headlineReads, d),
            per(x.headlineRecommends, d),
            per(x.headlineLikes, d),
            per(x.headlineShares, d)
        )
        let p = f(x.maxReads, x.maxRecommends, x.maxLikes, x.maxShares)
        let core = 0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p
        return core * core * 12
    }

    /// The O/A/P variant: `O = 0.85·ln(R/d+1) + 0.15·ln(10·Z/d+1)`, A per article, P maxima;
    /// `WCI = (0.42·O + 0.42·A + 0.16·P)² × 10`.
    public static func oap(_ x: Inputs) -> (o: Double, a: Double, p: Double, wci: Double) {
        let o = 0.85 * ln1(per(x.reads, x.days)) + 0.15 * ln1(10 * per(x.recommends, x.days))
        let a = 0.85 * ln1(per(x.reads, x.articles)) + 0.15 * ln1(10 * per(x.recommends, x.articles))
        let p = 0.85 * ln1(x.maxReads) + 0.15 * ln1(10 * x.maxRecommends)
        let core = 0.42 * o + 0.42 * a + 0.16 * p
        return (o, a, p, core * core * 10)
    }
}

/// `ln(x + 1)`, the normalisation of every index here.
func ln1(_ x: Double) -> Double { log(x + 1) }

/// `total / count`, 0 when there is nothing to divide by (an account with no articles).
func per(_ total: Double, _ count: Double) -> Double { count > 0 ? total / count : 0 }
