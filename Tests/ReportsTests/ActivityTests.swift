import Collector
import Reports
import Testing

struct ActivityTests {
    private static func article(_ id: String, on date: String, account: String = "gh_a") -> ContentObject {
        ContentObject(platform: .wechat, object: id, account: account, publishedAt: TestData.day(date, hour: 8))
    }

    private static func views(
        _ id: String,
        _ value: Int64,
        on date: String,
        _ quality: Quality = .exact,
        metric: MetricName = .views
    )
        -> Sample
    {
        Sample(
            time: TestData.day(date, hour: 12),
            platform: .wechat,
            account: "gh_a",
            object: id,
            metric: metric,
            value: .integer(value),
            quality: quality,
            source: .api
        )
    }

    private static let rules = RuleSet(source: "none", rules: [])
    private static let registry = [TestData.entry("单位", "other", .wechat, "gh_a")]

    @Test(arguments: [
        (["2023-11-01", "2023-11-14", "2023-11-27"], 12, false),
        (["2023-11-01", "2023-11-16", "2023-11-29"], 14, true),
        (["2023-11-15"], 15, true),
        (["2023-11-01", "2023-11-08", "2023-11-15", "2023-11-22", "2023-11-29"], 6, false),
    ])
    func flagsAFourteenDayWindowWithoutPosts(_ days: [String], _ longest: Int, _ dormant: Bool) throws {
        let objects = days.enumerated().map { Self.article("a\($0.offset)_1", on: $0.element) }
        let report = TestData.report(Self.registry, [], objects: objects, rules: Self.rules)
        let row = try #require(report.activity.first)
        #expect(row.posts == days.count)
        #expect(row.postsBasis == .publishedAt)
        #expect(row.longestGapDays == longest)
        #expect(row.dormant14d == dormant)
    }

    /// SD16-HIT counts views >= 100001: `10万+` is "more than 100000". A lower bound of 100000
    /// (another platform's `10万+`) says as much; an exact or approximate 100000 does not.
    @Test func countsTenWanPlusHitsFrom100001AndTheLowerBound() throws {
        let ids = ["wechat_cap", "other_cap", "exact_over", "exact_100k", "approx_100k", "below", "old_1"]
        let objects = ids.map { Self.article($0, on: $0 == "old_1" ? "2023-10-20" : "2023-11-05") }
        let samples = [
            Self.views("wechat_cap", 100_001, on: "2023-11-07", .lowerBound),
            Self.views("other_cap", 100_000, on: "2023-11-07", .lowerBound),
            Self.views("exact_over", 100_001, on: "2023-11-07"),
            Self.views("exact_100k", 100_000, on: "2023-11-07"),
            Self.views("approx_100k", 100_000, on: "2023-11-07", .approx),
            Self.views("below", 99_999, on: "2023-11-07", .lowerBound),
            Self.views("old_1", 500_000, on: "2023-11-07"),
        ]
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        #expect(report.activity.first?.hits == 3)
        #expect(report.activity.first?.hitMetric == "views")
    }

    /// Raw rows of one key and time given to the library are reduced by SPEC §3's rule, as the
    /// store reduces them: a `10万+` after an exact 95000 disproves it and counts as a hit; an
    /// approx 99000 after an exact 100001 cannot tell a fall from rounding and leaves it.
    @Test func rawRowsOfOneKeyAndTimeAreReducedAsTheStoreReducesThem() throws {
        let objects = [Self.article("disproved", on: "2023-11-05"), Self.article("kept", on: "2023-11-05")]
        let samples = [
            Self.views("disproved", 95_000, on: "2023-11-07"),
            Self.views("disproved", 100_000, on: "2023-11-07", .lowerBound),
            Self.views("kept", 100_001, on: "2023-11-07"),
            Self.views("kept", 99_000, on: "2023-11-07", .approx),
        ]
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        #expect(report.activity.first?.hits == 2)
    }

    @Test func usesViewersOnWeChatWhenViewsAreAbsent() throws {
        let objects = [Self.article("a_1", on: "2023-11-05"), Self.article("b_1", on: "2023-11-06")]
        let samples = [
            Self.views("a_1", 150_000, on: "2023-11-07", metric: .viewers),
            Self.views("b_1", 1000, on: "2023-11-07"),
        ]
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        #expect(report.activity.first?.hits == 1)
        #expect(report.activity.first?.hitMetric == "views+viewers")
    }

    @Test func countsObjectsFirstSeenInThePeriodWhenThePublicationTimeIsUnknown() throws {
        let samples = [
            Self.views("x", 10, on: "2023-10-31"), Self.views("y", 10, on: "2023-11-02"),
            Self.views("y", 20, on: "2023-11-03"), Self.views("z", 10, on: "2023-11-20"),
        ]
        let report = TestData.report(Self.registry, samples, rules: Self.rules)
        #expect(report.activity.first?.posts == 2)
        #expect(report.activity.first?.postsBasis == .firstSeen)
    }

    /// WeChat mids count per account: two accounts' articles share an id. Each account's posts
    /// and hits come from its own catalogue rows and samples.
    @Test func keepsTwoAccountsArticlesOfOneIDApart() throws {
        let shared = "2247483649_1"
        let objects = [
            Self.article(shared, on: "2023-11-05"), Self.article("2247483650_1", on: "2023-11-20"),
            Self.article(shared, on: "2023-10-20", account: "gh_b"),
        ]
        var samples = [Self.views(shared, 120_000, on: "2023-11-07"), Self.views("2247483650_1", 10, on: "2023-11-21")]
        var late = Self.views(shared, 500_000, on: "2023-11-07")
        late.account = "gh_b"
        samples.append(late)
        let registry = Self.registry + [TestData.entry("单位乙", "other", .wechat, "gh_b")]
        let report = TestData.report(registry, samples, objects: objects, rules: Self.rules)
        let a = try #require(report.activity.first { $0.account.account == "gh_a" })
        let b = try #require(report.activity.first { $0.account.account == "gh_b" })
        #expect(a.posts == 2)
        #expect(a.postsBasis == .publishedAt)
        #expect(a.hits == 1)
        // B's article came out in October: not a post of November, whatever its views.
        #expect(b.posts == 0)
        #expect(b.postsBasis == .publishedAt)
        #expect(b.hits == 0)
    }

    @Test func saysNothingWithoutContentData() throws {
        let report = TestData.report(Self.registry, [TestData.followers("gh_a", 10)], rules: Self.rules)
        let row = try #require(report.activity.first)
        #expect(row.postsBasis == AccountActivity.PostsBasis.none)
        #expect(row.posts == nil)
        #expect(row.dormant14d == nil)
    }

    @Test func anUnfinishedPeriodIsJudgedUpToToday() throws {
        let objects = [Self.article("a_1", on: "2023-11-01")]
        let report = TestData.report(Self.registry, [], objects: objects, rules: Self.rules, now: "2023-11-10")
        #expect(report.asOf == CivilDate(year: 2023, month: 11, day: 10))
        #expect(report.activity.first?.longestGapDays == 9)
        #expect(report.activity.first?.dormant14d == false)
    }

    @Test func readsContentValuesAtTheConfiguredAge() throws {
        let objects = [Self.article("a_1", on: "2023-11-05")]
        let samples = [
            Self.views("a_1", 500, on: "2023-11-06"), Self.views("a_1", 900, on: "2023-11-11"),
            Self.views("a_1", 1200, on: "2023-11-20"),
        ]
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        // Day 7 after 2023-11-05 08:00 is 2023-11-12 08:00: the 11-11 value.
        #expect(report.influence.first?.inputs.views == 900)
        #expect(report.activity.first?.hits == 0)
    }
}

extension ActivityTests {
    /// With no post in the period, `posts_basis` says how the account's posts are placed in
    /// time, from all its objects: `first_seen` for an exec adapter's, none of which has a
    /// `published_at`, not `published_at` (发布时间) from an empty count.
    @Test(arguments: [false, true])
    func anAccountWithoutPostsInThePeriodHasTheBasisOfItsObjects(catalogued: Bool) throws {
        let samples = [
            // September's post, still read in November: the account was collected.
            Self.views("0901_1", 100, on: "2023-09-02"), Self.views("0901_1", 120, on: "2023-11-15"),
            TestData.followers("gh_a", 20_000),
        ]
        let objects = catalogued ? [Self.article("0901_1", on: "2023-09-01")] : []
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        let row = try #require(report.activity.first)
        #expect(row.posts == 0)
        #expect(row.postsBasis == (catalogued ? .publishedAt : .firstSeen))
        #expect(report.influence.first?.eii?.value == 0, "n = 0 is known: EII 0")
    }
}

extension ActivityTests {
    private static func imported(_ id: String, _ value: Int64, on date: String, _ quality: Quality = .exact) -> Sample {
        var sample = views(id, value, on: date, quality)
        sample.time = TestData.day(date, hour: 0)
        sample.source = .import
        return sample
    }

    /// A hit is judged on the object's total so far, the largest of its points, not the
    /// latest-stamped one: an export's total is stamped at the publishing day (docs/imports.md,
    /// "As-of date"), before an older, smaller adapter snapshot, and the run order of the sources
    /// must not decide. Points compare by the lower end of their value range, so an exact 120000
    /// beats a `10万+`, a `10万+` an exact 95000, and a `10万+` of 100000 an exact 100000.
    @Test func judgesAHitOnTheLargestTotalWhicheverSourceStampedItLater() throws {
        let ids = ["export_later", "cap_over_snapshot", "exact_over_cap", "cap_100k", "approx_in_range", "no_hit"]
        let objects = ids.map { Self.article($0, on: "2023-11-05") }
        let samples = [
            Self.imported("export_later", 120_000, on: "2023-11-05"),
            Self.views("export_later", 95_000, on: "2023-11-20"),
            Self.imported("cap_over_snapshot", 100_001, on: "2023-11-05", .lowerBound),
            Self.views("cap_over_snapshot", 95_000, on: "2023-11-20"),
            Self.imported("exact_over_cap", 100_001, on: "2023-11-05", .lowerBound),
            Self.views("exact_over_cap", 99_000, on: "2023-11-10"),
            Self.views("exact_over_cap", 120_000, on: "2023-11-08"),
            Self.views("cap_100k", 100_000, on: "2023-11-20"),
            Self.imported("cap_100k", 100_000, on: "2023-11-05", .lowerBound),
            // An approximate 10万 (lower end 95000) is below an exact 99000: no hit either way.
            Self.imported("approx_in_range", 100_000, on: "2023-11-05", .approx),
            Self.views("approx_in_range", 99_000, on: "2023-11-20"),
            Self.imported("no_hit", 90_000, on: "2023-11-05"),
            Self.views("no_hit", 95_000, on: "2023-11-20"),
        ]
        let report = TestData.report(Self.registry, samples, objects: objects, rules: Self.rules)
        #expect(report.activity.first?.hits == 4)
        // Reversed file order gives the same count: which source ran last does not matter.
        let reversed = TestData.report(Self.registry, Array(samples.reversed()), objects: objects, rules: Self.rules)
        #expect(reversed.activity.first?.hits == 4)
    }
}
