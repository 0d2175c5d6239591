import Collector

/// Posts, 10万+ hits and dormant spells of one account.
extension ReportContext {
    /// The posts of an account that fall in the period.
    struct Posts {
        struct Post {
            var object: String
            /// `published_at`, else the first time a sample named the object.
            var time: Timestamp
            var published: Bool
        }

        /// Posts published (or first seen) in the period, oldest first.
        var inPeriod: [Post]
        /// Σ posts_new when the account has no content objects.
        var postsNew: (count: Int, days: Set<CivilDate>)?
        /// Whether any content object of the account is known.
        var hasObjects: Bool
        /// Whether anything of the account is known in the period: a row stamped in it, or a
        /// post published in it. Without either, its collection had stopped (or not yet reached
        /// the period): no posts is then not known, and the account has no content data.
        var collected = true
        /// Whether some of its objects have a `published_at`, and whether some have none (an
        /// exec adapter's never do): the basis of an account without a post in the period.
        var hasDatedObjects = false
        var hasUndatedObjects = false

        var basis: AccountActivity.PostsBasis {
            if !collected { return .none }
            if !hasObjects { return postsNew == nil ? .none : .postsNew }
            if inPeriod.isEmpty {
                // No post to go by: how the account's posts are placed in time, from all its
                // objects, rather than `published_at` for an account none of whose objects has one.
                if !hasUndatedObjects { return .publishedAt }
                return hasDatedObjects ? .mixed : .firstSeen
            }
            let published = inPeriod.filter(\.published).count
            if published == inPeriod.count { return .publishedAt }
            return published == 0 ? .firstSeen : .mixed
        }

        var count: Int? {
            switch basis {
            case .none: nil
            case .postsNew: postsNew?.count
            default: inPeriod.count
            }
        }
    }

    func posts(of entry: RegistryEntry) -> Posts {
        let key = SampleIndex.AccountKey(platform: entry.platform, account: entry.account)
        let seen = index.firstSeen[key] ?? [:]
        var published: [String: Timestamp?] = [:]
        for object in catalogue[key] ?? [] { published[object.object] = object.publishedAt }
        var all = Set(published.keys)
        all.formUnion(seen.keys)

        var inPeriod: [Posts.Post] = []
        for object in all {
            let post: Posts.Post
            if let time = published[object] ?? nil {
                post = Posts.Post(object: object, time: time, published: true)
            } else if let time = seen[object] {
                post = Posts.Post(object: object, time: time, published: false)
            } else {
                continue  // a catalogue row with no date and no sample cannot be placed in time
            }
            if input.period.contains(date(post.time)), post.time <= input.now { inPeriod.append(post) }
        }
        inPeriod.sort { ($0.time, $0.object) < ($1.time, $1.object) }

        var postsNew: (count: Int, days: Set<CivilDate>)?
        if all.isEmpty {
            for point in index.points(entry.platform, entry.account, .postsNew) where point.time < periodEnd {
                let day = date(point.time)
                guard input.period.contains(day) else { continue }
                var current = postsNew ?? (0, [])
                current.count += Int(point.integer)
                if point.integer > 0 { current.days.insert(day) }
                postsNew = current
            }
        }
        // A catalogued post of the period (even one no sample names) says the account was collected.
        let collected =
            !inPeriod.isEmpty || lastRow(of: entry).map { $0 >= periodStart } ?? false
        let dated = all.filter { (published[$0] ?? nil) != nil }.count
        return Posts(
            inPeriod: inPeriod,
            postsNew: postsNew,
            hasObjects: !all.isEmpty,
            collected: collected,
            hasDatedObjects: dated > 0,
            hasUndatedObjects: dated < all.count
        )
    }

    /// The time of the account's latest row before the period end, or of its latest catalogued
    /// post up to `now` when that is later: how far its collection is known to reach.
    func lastRow(of entry: RegistryEntry) -> Timestamp? {
        let key = SampleIndex.AccountKey(platform: entry.platform, account: entry.account)
        let posted = (catalogue[key] ?? []).compactMap(\.publishedAt).filter { $0 < periodEnd }.max()
        guard let row = index.lastRow[key] else { return posted }
        return max(row, posted ?? row)
    }

    /// The reads of a post: `views`, or on WeChat `viewers` when the object has no `views`.
    func viewsMetric(_ entry: RegistryEntry, object: String) -> MetricName? {
        if index.has(entry.platform, entry.account, object: object, .views) { return .views }
        if entry.platform == .wechat, index.has(entry.platform, entry.account, object: object, .viewers) {
            return .viewers
        }
        return nil
    }

    func activity(of entry: RegistryEntry, in unit: UnitProfile, posts: Posts) -> AccountActivity {
        let basis = posts.basis
        guard basis != .none else {
            return AccountActivity(
                unit: unit,
                account: entry,
                posts: nil,
                postsBasis: .none,
                hits: nil,
                hitMetric: "",
                longestGapDays: nil,
                dormant14d: nil
            )
        }
        var hits = 0
        var metrics = Set<MetricName>()
        for post in posts.inPeriod {
            guard let metric = viewsMetric(entry, object: post.object),
                // The largest total, not the latest-stamped: an export's newer total sits at the
                // publishing day, before an older snapshot (SampleIndex.total).
                let total = index.total(entry.platform, entry.account, object: post.object, metric)
            else { continue }
            metrics.insert(metric)
            if Self.isHit(total) { hits += 1 }
        }
        let hitMetric = [MetricName.views, .viewers].filter(metrics.contains).map(\.rawValue).joined(separator: "+")

        let postDays = basis == .postsNew ? posts.postsNew?.days ?? [] : Set(posts.inPeriod.map { date($0.time) })
        let since = dataSince(of: entry)
        let until = dataUntil(of: entry)
        let gap = longestGap(postDays: postDays, from: since ?? input.period.from, to: until ?? asOf)
        return AccountActivity(
            unit: unit,
            account: entry,
            posts: posts.count,
            postsBasis: basis,
            // Posts without any view metric (Weibo statuses often have none) leave the count unknown.
            hits: basis == .postsNew || (metrics.isEmpty && !posts.inPeriod.isEmpty) ? nil : hits,
            hitMetric: hitMetric,
            longestGapDays: gap,
            dormant14d: gap.map { $0 >= 14 },
            dataSince: since,
            dataUntil: until
        )
    }

    /// The last day the account's collection is known to reach, when that falls before the
    /// report day: its latest row of any kind in the period, or a later catalogued post. A unit
    /// whose collection stopped on the 10th (or whose files for the last days are not imported
    /// yet) was not dormant from the 11th: nothing is known of those days, and a 14-day spell
    /// without posts is a failing item (国办秘函〔2019〕19号) that must not be read into missing data.
    ///
    /// Nil for an account known from content alone (an articles export), as for ``dataSince(of:)``:
    /// an export stamped at each post's publication ends with the last post, and ending there
    /// would hide the very spell without posts that `dormant_14d` is there to show. Nil too when
    /// nothing of the account is known in the period: it then has no content data at all.
    func dataUntil(of entry: RegistryEntry) -> CivilDate? {
        let key = SampleIndex.AccountKey(platform: entry.platform, account: entry.account)
        guard index.firstAccountRow[key] != nil, let last = lastRow(of: entry), last >= periodStart else { return nil }
        let day = date(last)
        return day < asOf ? day : nil
    }

    /// The day the account's collection began, when it falls after the period's first day: its
    /// first account-level row (followers, flows), provided no post of it is known from before
    /// (a catalogue listing older posts knows the earlier days). A unit whose collection began
    /// on the 15th was not dormant on the 1st to the 14th: nothing is known of those days.
    ///
    /// Nil for an account known from content alone (an articles export): its first row is its
    /// first post, and taking that as the start would hide the very spell without posts that
    /// `dormant_14d` is there to show.
    func dataSince(of entry: RegistryEntry) -> CivilDate? {
        let key = SampleIndex.AccountKey(platform: entry.platform, account: entry.account)
        guard let first = index.firstAccountRow[key] else { return nil }
        let published = (catalogue[key] ?? []).compactMap(\.publishedAt)
        let seen = (index.firstSeen[key] ?? [:]).values
        if published.contains(where: { $0 < first }) || seen.contains(where: { $0 < first }) { return nil }
        let day = date(first)
        return day > input.period.from ? day : nil
    }

    /// The days an account's collection covers, from its ``dataSince(of:)`` and
    /// ``dataUntil(of:)``, when they are not the whole period up to the report day; nil when
    /// they are. The posts, reads and interactions of the other days are unknown, not 0: an
    /// index over them with d the whole period would rank a unit whose adapter broke on the
    /// 2nd as having no influence (docs/reports.md §4.1). While the period runs, today is not
    /// over for any account, so collection that reached yesterday covers it.
    func collectedDays(since: CivilDate?, until: CivilDate?) -> ClosedRange<CivilDate>? {
        let required = isRunning ? asOf.adding(days: -1) : asOf
        let stopsEarly = until.map { $0 < required } ?? false
        guard since != nil || stopsEarly else { return nil }
        let first = since ?? input.period.from
        let last = until ?? asOf
        return first <= last ? first...last : nil
    }

    /// The longest run of days without a post, from `first` to `last` (the report day, or the
    /// last day the account's collection reached).
    func longestGap(postDays: Set<CivilDate>, from first: CivilDate, to last: CivilDate) -> Int? {
        guard first <= last else { return nil }
        var longest = 0
        var run = 0
        var day = first
        while day <= last {
            run = postDays.contains(day) ? 0 : run + 1
            longest = max(longest, run)
            day = day.adding(days: 1)
        }
        return longest
    }
}
