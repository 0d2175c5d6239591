import Collector

/// EII, the platform's published index, the composite and the rankings.
extension ReportContext {
    /// Period totals of an account's posts, each read at the fixed content age.
    struct ContentTotals {
        var views = 0.0
        var maxViews = 0.0
        var likes = 0.0
        var comments = 0.0
        var shares = 0.0
        var recommends = 0.0
        var maxLikes = 0.0
        var maxShares = 0.0
        var maxRecommends = 0.0
        var headlineViews = 0.0
        var headlineLikes = 0.0
        var headlineShares = 0.0
        var headlineRecommends = 0.0
        /// The figures some post of the period has no value of (``Figure``), in figure order:
        /// their totals are not known, since a missing value is not 0 (COUNTS_AND_TARGETS.md
        /// §1.2 Step 2) and a sum over the posts that have one is only a lower bound.
        var missing: [Figure] = []
        /// The figures whose total rests on an estimated value: approx over lower bound.
        var estimated: [Figure: Quality] = [:]
        /// The quality of ``maxViews`` when it is not exact: a `10万+` maximum is a lower bound
        /// (`≥`), not approximate like a total that also holds a `1.2万`.
        var maxViewsQuality: Quality?

        func lacks(_ figure: Figure) -> Bool { missing.contains(figure) }
    }

    /// A per-post figure of the indices, named by its metric (`views` stands for V, whichever
    /// of `views`/`viewers` a post has).
    enum Figure: String, CaseIterable {
        case views, likes, comments, shares, recommends
    }

    func contentTotals(of entry: RegistryEntry, posts: Posts) -> ContentTotals {
        var totals = ContentTotals()
        var missing = Set<Figure>()
        var reads: [(value: Int64, quality: Quality)] = []
        let age = Int64(rules.index.contentAgeDays) * 86400
        for post in posts.inPeriod {
            let target = post.time.adding(seconds: age)
            func value(_ metric: MetricName?, _ figure: Figure) -> Double {
                guard let metric,
                    let point = index.valueAtAge(
                        entry.platform,
                        entry.account,
                        object: post.object,
                        metric,
                        target: target
                    )
                else {
                    missing.insert(figure)
                    return 0
                }
                // A sum with an approximate part is approximate; else one with a lower bound is one.
                if point.quality != .exact, totals.estimated[figure] != .approx {
                    totals.estimated[figure] = point.quality
                }
                if figure == .views { reads.append((point.integer, point.quality)) }
                return point.double
            }
            let views = value(viewsMetric(entry, object: post.object), .views)
            let likes = value(.likes, .likes)
            let comments = value(.comments, .comments)
            let sharesMetric: MetricName =
                entry.platform == .wechat && !index.has(entry.platform, entry.account, object: post.object, .shares)
                ? Self.shareUsers : .shares
            let shares = value(sharesMetric, .shares)
            // 在看 is WeChat's alone: other platforms have no such figure to miss.
            let recommends = entry.platform == .wechat ? value(.recommends, .recommends) : 0
            totals.views += views
            totals.likes += likes
            totals.comments += comments
            totals.shares += shares
            totals.recommends += recommends
            totals.maxViews = max(totals.maxViews, views)
            totals.maxLikes = max(totals.maxLikes, likes)
            totals.maxShares = max(totals.maxShares, shares)
            totals.maxRecommends = max(totals.maxRecommends, recommends)
            // WeChat headline (头条) articles are the first of a push: msgid `<msg_data_id>_1`.
            if post.object.hasSuffix("_1") {
                totals.headlineViews += views
                totals.headlineLikes += likes
                totals.headlineShares += shares
                totals.headlineRecommends += recommends
            }
        }
        totals.missing = Figure.allCases.filter(missing.contains)
        totals.maxViewsQuality = Self.maximumQuality(reads)
        return totals
    }

    /// The quality of the largest of `values`, nil when it is exact. Approximate when the largest
    /// is approximate on every post that has it; else a lower bound when any post's value is one
    /// (that post may have far more: the maximum is then at least the value shown); else
    /// approximate when an approximate value may exceed it; else exact. Used for a maximum read
    /// (Vmax) and for a unit's best followers value.
    static func maximumQuality(_ values: [(value: Int64, quality: Quality)]) -> Quality? {
        guard let top = values.map(\.value).max() else { return nil }
        if values.filter({ $0.value == top }).allSatisfy({ $0.quality == .approx }) { return .approx }
        if values.contains(where: { $0.quality == .lowerBound }) { return .lowerBound }
        let below = values.contains {
            $0.quality == .approx && FollowerInterval(value: $0.value, quality: .approx).upper > Double(top) + 1
        }
        return below ? .approx : nil
    }

    /// The quality of a figure computed from inputs of `qualities` that only grows with each
    /// (EII, the third-party indices): approximate when one is, else a lower bound when one is,
    /// else nil (exact).
    static func combinedQuality(_ qualities: [Quality?]) -> Quality? {
        if qualities.contains(.approx) { return .approx }
        return qualities.contains(.lowerBound) ? .lowerBound : nil
    }

    /// Followers at the end of the period and the net change over it: Σ new − lost when those
    /// exist in the period, else the last row of the period minus the last row before it (or
    /// the period's first row). Each is nil when no row tells it: unknown, not 0.
    func followerFigures(of entry: RegistryEntry) -> FollowerFigures {
        let end = index.latest(entry.platform, entry.account, .followers, before: periodEnd)
        var figures = FollowerFigures(followers: end?.double, followersQuality: end?.quality)
        if let flows = netNewFollowers(of: entry, from: input.period.from, to: input.period.to) {
            figures.change = flows.net
            figures.changeQuality = .exact
            return figures
        }
        // A latest row from before the period says nothing of the change over it: not 0, unknown.
        guard let end, end.time >= periodStart else { return figures }
        let start =
            index.latest(entry.platform, entry.account, .followers, before: periodStart)
            ?? index.points(entry.platform, entry.account, .followers).first { $0.time >= periodStart }
        figures.change = start.map { end.double - $0.double } ?? 0
        figures.changeQuality = Self.differenceQuality(end.quality, start?.quality ?? .exact)
        return figures
    }

    /// F and ΔF of an account, with the quality of the rows they rest on.
    struct FollowerFigures {
        var followers: Double?
        var followersQuality: Quality?
        var change: Double?
        var changeQuality: Quality?
    }

    /// An account of the report with its posts of the period and their totals, read before any
    /// index is computed: whether a figure is missing on a whole platform needs every account.
    struct MeasuredAccount {
        var unit: UnitProfile
        var entry: RegistryEntry
        var posts: Posts
        var totals: ContentTotals
        /// The days the account's collection covers when they are not the whole period
        /// (``ReportContext/collectedDays(since:until:)``).
        var collectedDays: ClosedRange<CivilDate>? = nil

        /// Whether the account has posts of the period with per-post figures: only those can
        /// have, or lack, a figure (n = 0 gives EII 0, and without content objects nothing is known).
        var hasPerPostFigures: Bool {
            posts.basis != .none && posts.basis != .postsNew && !posts.inPeriod.isEmpty
        }
    }

    /// The EII inputs among the per-post figures (在看 is WCI's only).
    static let eiiFigures: [Figure] = [.views, .likes, .comments, .shares]

    /// Per platform, the EII figures that no account with posts of the period has (each such
    /// account lacks them on some post): the platform or this deployment does not provide them,
    /// as Weibo's API gives no reads. They count 0 for every account of the platform alike, so
    /// the platform's EIIs stay comparable with each other and the units can be ranked. A figure
    /// that some accounts have and others lack is not here: those others have no EII, since a 0
    /// in their place would rank them below accounts measured with it (docs/reports.md §4.1).
    func uncollected(_ accounts: [MeasuredAccount]) -> [UncollectedFigures] {
        var platforms: [Platform] = []
        for account in accounts where !platforms.contains(account.entry.platform) {
            platforms.append(account.entry.platform)
        }
        return platforms.compactMap { platform in
            let measured = accounts.filter { $0.entry.platform == platform && $0.hasPerPostFigures }
            guard !measured.isEmpty else { return nil }
            let figures = Self.eiiFigures.filter { figure in measured.allSatisfy { $0.totals.lacks(figure) } }
            let partial = Self.eiiFigures.filter { figure in
                !figures.contains(figure) && measured.contains { $0.totals.lacks(figure) }
            }
            guard !figures.isEmpty || !partial.isEmpty else { return nil }
            // The third-party index stays strict (§4.3): it is only worth showing when it can be
            // reconciled with the evaluator's published list, which a term counted 0 prevents.
            let (name, needs) = indexFormula(platform, lacking: figures)
            return UncollectedFigures(
                platform: platform,
                figures: figures.map(\.rawValue),
                indexLeftEmpty: needs.contains(where: figures.contains) ? name : nil,
                partialFigures: partial.map(\.rawValue),
                accountsLacking: measured.filter { account in partial.contains(where: account.totals.lacks) }.count,
                accountsMeasured: measured.count
            )
        }
    }

    /// The name of the platform's third-party index and the per-post figures its formula needs,
    /// given the figures an account lacks (WCI "with shares" falls back to the classic form
    /// without shares); an empty name for a platform without one.
    func indexFormula(_ platform: Platform, lacking: [Figure]) -> (name: String, needs: [Figure]) {
        switch platform {
        case .wechat:
            var variant = rules.index.wciVariant
            if variant == .shares, lacking.contains(.shares) { variant = .classic }
            let needs: [Figure] =
                switch variant {
                case .classic: [.views, .recommends, .likes]
                case .shares: [.views, .recommends, .likes, .shares]
                case .v2, .oap: [.views, .recommends]
                }
            return (Self.wciName(variant), needs)
        case .weibo: return ("BCI", [.shares, .comments, .likes])
        case .douyin, .kuaishou, .channels: return ("VCI", [.shares, .comments, .likes])
        case .bilibili: return ("BVCI V2.0", [.views, .comments])
        default: return ("", [])
        }
    }

    /// Why EII cannot be computed for an account, or nil when it can. With n = 0 known, EII is
    /// 0 whatever else is missing; otherwise every term needs its figures, and a term fed with
    /// an absent figure as 0 would rank the account as uninfluential instead of unknown, except
    /// for the figures `countedZero` that no account of the platform has (``uncollected(_:)``).
    /// Collection over part of the period (`partial`) knows n only for those days.
    func unavailability(
        posts: Posts,
        totals: ContentTotals,
        followers: Double?,
        countedZero: [Figure],
        partial: Bool
    ) -> AccountInfluence.Unavailable? {
        if partial, posts.basis != .none { return .partialPeriod }
        switch posts.basis {
        case .none: return .noContentData
        case .postsNew: return posts.count == 0 ? nil : .noPostData
        default:
            if posts.inPeriod.isEmpty { return nil }
            // V, L, C, S feed U2 and U3; 在看 is not an EII input.
            if totals.missing.contains(where: { Self.eiiFigures.contains($0) && !countedZero.contains($0) }) {
                return .figuresNotCollected
            }
            return followers == nil ? .noFollowerData : nil
        }
    }

    func influence(of account: MeasuredAccount, countedZero: [Figure]) -> AccountInfluence {
        let (unit, entry, posts, totals) = (account.unit, account.entry, account.posts, account.totals)
        let figures = followerFigures(of: entry)
        let days = Double(input.period.indexDays)
        let n = Double(posts.count ?? 0)
        // A figure no account of the platform has counts 0 for each of them, also for an account
        // that has it on some posts: a partial sum would set it apart from the others.
        func eiiInput(_ value: Double, _ figure: Figure) -> Double { countedZero.contains(figure) ? 0 : value }
        let inputs = EII.Inputs(
            days: days,
            posts: n,
            views: eiiInput(totals.views, .views),
            maxViews: eiiInput(totals.maxViews, .views),
            likes: eiiInput(totals.likes, .likes),
            comments: eiiInput(totals.comments, .comments),
            shares: eiiInput(totals.shares, .shares),
            followers: figures.followers ?? 0,
            followerChange: figures.change ?? 0
        )
        let unavailable = unavailability(
            posts: posts,
            totals: totals,
            followers: figures.followers,
            countedZero: countedZero,
            partial: account.collectedDays != nil
        )
        let (name, value) = publishedIndex(entry.platform, inputs: inputs, totals: totals)
        // The third-party indices need per-post figures like EII, each its own (BVCI also F):
        // none without content data, none over part of the period, and none when a figure of
        // its formula was not collected.
        let perPost = ![.noContentData, .noPostData, .partialPeriod].contains(unavailable)
        let known = perPost && (entry.platform != .bilibili || figures.followers != nil)
        // An index over an estimated input is itself one: each grows with every input, so a
        // lower bound gives a lower bound, an approximate value an approximate index. Figures
        // counted 0 for the whole platform are not inputs; nor is anything when n = 0 (EII 0).
        func quality(_ figure: Figure) -> Quality? {
            countedZero.contains(figure) ? nil : totals.estimated[figure]
        }
        let maxViewsQuality = countedZero.contains(.views) ? nil : totals.maxViewsQuality
        let eiiQuality =
            n > 0
            ? Self.combinedQuality(
                Self.eiiFigures.map(quality) + [
                    maxViewsQuality, figures.followersQuality, figures.changeQuality,
                ]
            ) : nil
        let indexNeeds = indexFormula(entry.platform, lacking: totals.missing).needs
        let indexQuality =
            n > 0
            ? Self.combinedQuality(
                indexNeeds.map { totals.estimated[$0] } + (indexNeeds.contains(.views) ? [totals.maxViewsQuality] : [])
                    + (entry.platform == .bilibili ? [figures.followersQuality, figures.changeQuality] : [])
            ) : nil
        var qualities = Dictionary(uniqueKeysWithValues: totals.estimated.map { ($0.key.rawValue, $0.value) })
        qualities["v_max"] = totals.maxViewsQuality
        return AccountInfluence(
            unit: unit,
            account: entry,
            inputs: inputs,
            posts: posts.count,
            followers: figures.followers,
            followerChange: figures.change,
            eii: unavailable == nil ? EII(inputs) : nil,
            unavailable: unavailable,
            notCollected: totals.missing.map(\.rawValue),
            countedZero: totals.missing.filter(countedZero.contains).map(\.rawValue),
            indexName: name,
            indexValue: known ? value : nil,
            followersQuality: figures.followersQuality,
            followerChangeQuality: figures.changeQuality,
            figureQualities: qualities,
            eiiQuality: unavailable == nil ? eiiQuality : nil,
            indexQuality: known && value != nil ? indexQuality : nil,
            collectedDays: unavailable == .partialPeriod ? account.collectedDays : nil
        )
    }

    /// The third-party index customary on the platform (COUNTS_AND_TARGETS.md §2), nil when a
    /// figure of its formula was not collected (``indexFormula(_:lacking:)``). WCI "with shares"
    /// is computed "when shares are collected" (§3): without them the classic V14.2 form, which
    /// has no RE term, is shown.
    func publishedIndex(_ platform: Platform, inputs: EII.Inputs, totals: ContentTotals) -> (String, Double?) {
        let (name, needs) = indexFormula(platform, lacking: totals.missing)
        guard !name.isEmpty, !needs.contains(where: totals.lacks) else { return (name, nil) }
        switch platform {
        case .wechat:
            let wci = WCI.Inputs(
                days: inputs.days,
                articles: inputs.posts,
                reads: totals.views,
                recommends: totals.recommends,
                likes: totals.likes,
                shares: totals.shares,
                headlineReads: totals.headlineViews,
                headlineRecommends: totals.headlineRecommends,
                headlineLikes: totals.headlineLikes,
                headlineShares: totals.headlineShares,
                maxReads: totals.maxViews,
                maxRecommends: totals.maxRecommends,
                maxLikes: totals.maxLikes,
                maxShares: totals.maxShares
            )
            var variant = rules.index.wciVariant
            if variant == .shares, totals.lacks(.shares) { variant = .classic }
            return (name, WCI.value(wci, variant: variant))
        case .weibo:
            return (
                name,
                PublishedIndices.bci(
                    posts: inputs.posts,
                    reposts: inputs.shares,
                    comments: inputs.comments,
                    likes: inputs.likes
                )
            )
        case .douyin, .kuaishou, .channels:
            return (
                name,
                PublishedIndices.vci(
                    posts: inputs.posts,
                    shares: inputs.shares,
                    comments: inputs.comments,
                    likes: inputs.likes
                )
            )
        case .bilibili:
            return (
                name,
                PublishedIndices.bvci(
                    videos: inputs.posts,
                    playsPerDay: per(inputs.views, inputs.days),
                    commentsPerDay: per(inputs.comments, inputs.days),
                    followers: inputs.followers,
                    followerIncrease: inputs.followerChange
                )
            )
        default:
            return (name, nil)
        }
    }

    static func wciName(_ variant: WCI.Variant) -> String {
        switch variant {
        case .classic: "WCI V14.2"
        case .shares: "WCI V14.2 shares"
        case .v2: "WCI V2.0"
        case .oap: "WCI O/A/P"
        }
    }

    /// The composite EII of every unit, ranked within its category and tier. A unit whose main
    /// account on a weighted platform has no EII has no composite either: it is listed with the
    /// reason and not ranked, and the ranks count only the units that have one.
    func ranking(influence: [AccountInfluence], units unitRows: [UnitAttainment]) -> [UnitInfluence] {
        var tiers: [String: String] = [:]
        for row in unitRows where tiers[row.unit.name] == nil { tiers[row.unit.name] = row.rule?.id ?? "" }
        var rows: [UnitInfluence] = []
        for unit in units {
            let scores = rules.index.platformWeights.map { weight in
                let accounts = influence.filter {
                    $0.unit.name == unit.name && $0.account.main && $0.account.platform == weight.platform
                }
                // The best of two accounts is only known when both are.
                let unavailable = accounts.compactMap(\.unavailable).first
                // The figures to collect for EII: not collected, and not counted 0 platform-wide.
                let notCollected = Self.eiiFigures.map(\.rawValue).filter { figure in
                    accounts.contains { $0.notCollected.contains(figure) && !$0.countedZero.contains(figure) }
                }
                let best =
                    unavailable == nil ? accounts.filter { $0.eii != nil }.max { $0.eii!.value < $1.eii!.value } : nil
                return UnitInfluence.PlatformScore(
                    platform: weight.platform,
                    weight: weight.weight,
                    eii: best?.eii?.value,
                    unavailable: unavailable,
                    notCollected: unavailable == .figuresNotCollected ? notCollected : [],
                    quality: best?.eiiQuality,
                    collectedDays: accounts.first { $0.unavailable == unavailable }?.collectedDays
                )
            }
            // A unit with no main account at all has nothing to rank: a composite of zeros would
            // place it (rank 1 alone in its group) as if it had been measured.
            let hasMainAccount = unit.entries.contains(where: \.main)
            let composite =
                !hasMainAccount || scores.contains { $0.unavailable != nil }
                ? nil : EII.composite(scores.map { ($0.weight, $0.eii ?? 0) })
            rows.append(
                UnitInfluence(
                    unit: unit,
                    tier: tiers[unit.name] ?? "",
                    composite: composite,
                    platforms: scores,
                    rank: nil,
                    hasMainAccount: hasMainAccount
                )
            )
        }
        // Competition ranking (1, 2, 2, 4) on the values as printed, so equal-looking scores share a rank.
        func key(_ row: UnitInfluence) -> String { row.unit.category + "\u{0}" + row.tier }
        func printed(_ row: UnitInfluence) -> Double? { row.composite.map { ($0 * 100).rounded() } }
        for group in Set(rows.map(key)) {
            let members = rows.indices.filter { key(rows[$0]) == group }
            for position in members {
                guard let mine = printed(rows[position]) else { continue }
                rows[position].rank = 1 + members.filter { (printed(rows[$0]) ?? -.infinity) > mine }.count
            }
        }
        let ruleLines = Dictionary(rules.rules.map { ($0.id, $0.line) }, uniquingKeysWith: min)
        let unitOrder = Dictionary(units.enumerated().map { ($1.name, $0) }, uniquingKeysWith: min)
        return rows.sorted { lhs, rhs in
            // Unranked units close their group.
            let left = (Self.categoryRank(lhs.unit.category), ruleLines[lhs.tier] ?? Int.max, lhs.rank ?? Int.max)
            let right = (Self.categoryRank(rhs.unit.category), ruleLines[rhs.tier] ?? Int.max, rhs.rank ?? Int.max)
            if left != right { return left < right }
            if lhs.unit.category != rhs.unit.category { return lhs.unit.category < rhs.unit.category }
            return (unitOrder[lhs.unit.name] ?? 0) < (unitOrder[rhs.unit.name] ?? 0)
        }
    }
}
