import Collector

/// Computes a ``Report`` from in-memory inputs: attainment of the follower targets, posting
/// activity, influence indices and rankings. Pure: no files, no clock, no network.
public enum ReportBuilder {
    /// Builds the report of `input` under `rules`.
    public static func build(_ input: ReportInput, rules: RuleSet) -> Report {
        let context = ReportContext(input: input, rules: rules)

        var attainment: [AttainmentRow] = []
        var unitRows: [UnitAttainment] = []
        var activity: [AccountActivity] = []
        var series: [FollowerSeries] = []
        var measured: [ReportContext.MeasuredAccount] = []
        for unit in context.units {
            let judged = context.attainment(of: unit)
            attainment += judged.rows
            unitRows += judged.units
            series += context.followerSeries(of: unit, rows: judged.rows)
            for entry in unit.entries {
                let posts = context.posts(of: entry)
                let row = context.activity(of: entry, in: unit, posts: posts)
                activity.append(row)
                measured.append(
                    ReportContext.MeasuredAccount(
                        unit: unit,
                        entry: entry,
                        posts: posts,
                        totals: context.contentTotals(of: entry, posts: posts),
                        collectedDays: context.collectedDays(since: row.dataSince, until: row.dataUntil)
                    )
                )
            }
        }
        // Which figures a platform lacks altogether is only known once every account is read.
        let uncollected = context.uncollected(measured)
        let influence = measured.map { account in
            context.influence(
                of: account,
                countedZero: uncollected.first { $0.platform == account.entry.platform }?.figures.compactMap(
                    ReportContext.Figure.init(rawValue:)
                ) ?? []
            )
        }
        let ranking = context.ranking(influence: influence, units: unitRows)
        let isRunning = context.isRunning
        let contentFinal = context.contentFinal(measured.flatMap(\.posts.inPeriod), running: isRunning)

        return Report(
            title: "Report \(input.period): \(rules.source)",
            period: input.period,
            asOf: context.asOf,
            generatedAt: input.calendar.render(input.now),
            rules: rules,
            deadline: rules.deadline?.date(in: input.calendar),
            attainment: attainment,
            units: unitRows,
            summary: context.summary(of: unitRows),
            activity: activity,
            influence: influence,
            ranking: ranking,
            uncollected: uncollected,
            dataGaps: context.dataGaps(measured),
            followerSeries: series,
            unitsSelected: Dictionary(
                uniqueKeysWithValues: rules.rules.map { rule in
                    (
                        rule.id,
                        context.units.filter {
                            rule.selects(category: $0.category, city: $0.city, students: $0.students)
                        }
                        .count
                    )
                }
            ),
            calendar: input.calendar,
            isRunning: isRunning,
            contentFinalAt: contentFinal.map(input.calendar.render),
            contentProvisional: contentFinal.map { input.now < $0 } ?? false
        )
    }
}

/// What every part of a report needs: the indexed samples, the catalogue, the period bounds.
struct ReportContext {
    let input: ReportInput
    let rules: RuleSet
    let index: SampleIndex
    let units: [UnitProfile]
    /// Catalogue rows per account.
    let catalogue: [SampleIndex.AccountKey: [ContentObject]]
    /// 00:00 of the period's first day.
    let periodStart: Timestamp
    /// The end of the period (exclusive), or just after `now` when the period is not over.
    let periodEnd: Timestamp
    /// The day the report speaks for: the period's last day, or today when the period is not over.
    let asOf: CivilDate

    static let shareUsers = MetricName(rawValue: "wechat_share_users")
    /// SD16-HIT counts posts with views >= 100001 (COUNTS_AND_TARGETS.md §4.2): `10万+` means
    /// "more than 100000", and exactly 100000 reads is not one.
    static let hitViews: Int64 = 100_001

    /// Whether a post's read count so far (``SampleIndex/total(_:_:object:_:)``) makes it a 10万+
    /// hit: at least 100001, or a lower bound of at least 100000. A lower bound v says "v or
    /// more" and is stored from a `+` display, so a `10万+` that a platform profile keeps as
    /// 100000 (not WeChat's 100001), or a WeChat row imported before that rule, still means more
    /// than 100000; an exact or approximate 100000 does not.
    static func isHit(_ point: SampleIndex.Point) -> Bool {
        point.integer >= hitViews || (point.quality == .lowerBound && point.integer >= hitViews - 1)
    }

    init(input: ReportInput, rules: RuleSet) {
        self.input = input
        self.rules = rules
        periodStart = input.calendar.startOfDay(input.period.from)
        periodEnd = min(input.calendar.startOfDay(input.period.to.adding(days: 1)), input.now.adding(seconds: 1))
        index = SampleIndex(samples: input.samples, cutoff: input.now, horizon: periodEnd)
        units = UnitProfile.units(of: input.registry)
        var catalogue: [SampleIndex.AccountKey: [ContentObject]] = [:]
        for object in input.objects {
            catalogue[SampleIndex.AccountKey(platform: object.platform, account: object.account), default: []].append(
                object
            )
        }
        self.catalogue = catalogue
        asOf = min(input.period.to, input.calendar.civilDate(of: input.now))
    }

    func date(_ time: Timestamp) -> CivilDate { input.calendar.civilDate(of: time) }

    /// Whether `now` is before the end of the period's last day: the report is partial.
    var isRunning: Bool { input.now < input.calendar.startOfDay(input.period.to.adding(days: 1)) }

    /// When the content figures are final: the youngest of `posts` reaches `content_age_days`
    /// (each post's figures are read at that age, and before it the latest earlier value stands
    /// in). While the period runs, posts may still come up to its last moment, so the end of
    /// the last day plus the age. Nil for a complete period without posts: nothing to wait for.
    func contentFinal(_ posts: [Posts.Post], running: Bool) -> Timestamp? {
        let age = Int64(rules.index.contentAgeDays) * 86400
        if running { return input.calendar.startOfDay(input.period.to.adding(days: 1)).adding(seconds: age) }
        return posts.map(\.time).max()?.adding(seconds: age)
    }

    /// Σ followers_new − Σ followers_lost over the days `from…to`, with the number of days that
    /// have either; nil when neither metric has a value there.
    func netNewFollowers(of entry: RegistryEntry, from: CivilDate, to: CivilDate) -> (net: Double, days: Int)? {
        var days = Set<CivilDate>()
        var net = 0.0
        for (metric, sign) in [(MetricName.followersNew, 1.0), (MetricName.followersLost, -1.0)] {
            for point in index.points(entry.platform, entry.account, metric) where point.time < periodEnd {
                let day = date(point.time)
                guard from <= day, day <= to else { continue }
                days.insert(day)
                net += sign * point.double
            }
        }
        return days.isEmpty ? nil : (net, days.count)
    }
}
