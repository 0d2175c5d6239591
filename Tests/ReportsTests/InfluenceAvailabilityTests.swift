import Collector
import Reports
import Testing

/// An index is computed only from the figures its terms need: a unit that only self-reports
/// account totals, or has no data at all, has no EII and no rank (docs/reports.md §4.1, §4.2).
struct InfluenceAvailabilityTests {
    private static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "city_bureau", kind: .target, comparison: .atLeast, threshold: 800_000)]
    )

    private static func sample(
        _ account: String,
        _ metric: MetricName,
        _ value: Int64,
        on date: String,
        object: String = "",
        platform: Platform = .wechat
    ) -> Sample {
        Sample(
            time: TestData.day(date, hour: 12),
            platform: platform,
            account: account,
            object: object,
            metric: metric,
            value: .integer(value),
            source: .import
        )
    }

    /// 济南 with articles and followers; 烟台 with a self-reported sheet (account totals only);
    /// 菏泽 with nothing at all.
    private static func report() -> Report {
        let entries = [
            TestData.entry("济南市教育局", "city_bureau", .wechat, "gh_jn"),
            TestData.entry("烟台市教育局", "city_bureau", .wechat, "gh_yt"),
            TestData.entry("菏泽市教育局", "city_bureau", .douyin, "dy_hz"),
        ]
        let samples = [
            TestData.followers("gh_jn", 900_000, on: "2023-10-31"),
            TestData.followers("gh_jn", 910_000),
            sample("gh_jn", .views, 20_000, on: "2023-11-09", object: "a_1"),
            sample("gh_jn", .likes, 300, on: "2023-11-09", object: "a_1"),
            sample("gh_jn", .comments, 40, on: "2023-11-09", object: "a_1"),
            sample("gh_jn", .shares, 90, on: "2023-11-09", object: "a_1"),
            sample("gh_jn", .recommends, 70, on: "2023-11-09", object: "a_1"),
            TestData.followers("gh_yt", 790_000, on: "2023-10-31"),
            TestData.followers("gh_yt", 801_234),
            sample("gh_yt", .posts, 1200, on: "2023-10-31"),
            sample("gh_yt", .posts, 1260, on: "2023-11-30"),
            sample("gh_yt", .views, 3_000_000, on: "2023-11-30"),
        ]
        let objects = [
            ContentObject(platform: .wechat, object: "a_1", account: "gh_jn", publishedAt: TestData.day("2023-11-05"))
        ]
        return TestData.report(entries, samples, objects: objects, rules: rules)
    }

    @Test func anAccountWithoutContentDataHasNoIndex() throws {
        let report = Self.report()
        let yantai = try #require(report.influence.first { $0.account.account == "gh_yt" })
        #expect(yantai.eii == nil)
        #expect(yantai.unavailable == .noContentData)
        #expect(yantai.posts == nil)
        #expect(yantai.indexValue == nil)
        #expect(yantai.followers == 801_234)
        let jinan = try #require(report.influence.first { $0.account.account == "gh_jn" })
        #expect(jinan.eii != nil && jinan.unavailable == nil)
    }

    @Test func onlyUnitsWithAnIndexAreRanked() throws {
        let ranking = Self.report().ranking
        #expect(ranking.map(\.unit.name) == ["济南市教育局", "烟台市教育局", "菏泽市教育局"])
        #expect(ranking.map(\.rank) == [1, nil, nil])
        #expect(ranking[0].composite != nil)
        #expect(ranking[1].composite == nil)
        #expect(ranking[1].note == "no content data: wechat")
        #expect(ranking[2].note == "no content data: douyin")
        #expect(ranking[1].missing == [.douyin, .weibo, .bilibili, .kuaishou, .toutiao])
    }

    @Test func tablesAndChartMarkTheUnrankedUnitsInsteadOfPrintingZero() throws {
        let report = Self.report()
        let ranking = try #require(report.tables.first { $0.id == "ranking" })
        let yantai = try #require(ranking.rows.first { $0[3] == "烟台市教育局" })
        let column = { (name: String) in ranking.columns.firstIndex(of: name) ?? -1 }
        #expect(yantai[column("rank")] == "")
        #expect(yantai[column("eii")] == "")
        #expect(yantai[column("eii_wechat")] == "")
        #expect(yantai[column("note")] == "no content data: wechat")

        let influence = try #require(report.tables.first { $0.id == "influence" })
        let cell = { (row: [String], name: String) in row[influence.columns.firstIndex(of: name) ?? 0] }
        let account = try #require(influence.rows.first { $0[3] == "gh_yt" })
        for name in ["n", "v", "v_max", "eii", "index_value"] { #expect(cell(account, name) == "", "\(name)") }
        #expect(cell(account, "followers") == "801234")
        #expect(cell(account, "note") == "no content data")

        let html = report.render(.html)
        #expect(html.contains("1. 济南市教育局"))
        #expect(html.contains("– 烟台市教育局"))
        #expect(html.contains("not ranked: no content data: wechat"))
        #expect(!html.contains("烟台市教育局 0.00"))
        #expect(!html.contains("1. 烟台市教育局"))
    }

    @Test func anAccountWithNoDataAtAllShowsEmptyFollowerCells() throws {
        let report = Self.report()
        let heze = try #require(report.influence.first { $0.account.account == "dy_hz" })
        #expect(heze.followers == nil)
        #expect(heze.followerChange == nil)
        let influence = try #require(report.tables.first { $0.id == "influence" })
        let row = try #require(influence.rows.first { $0[3] == "dy_hz" })
        for name in ["followers", "followers_change", "eii"] {
            #expect(row[influence.columns.firstIndex(of: name) ?? 0] == "", "\(name)")
        }
        #expect(report.ranking.first { $0.unit.name == "菏泽市教育局" }?.rank == nil)
    }

    @Test func postsNewAloneGivesNoIndexButKnownZeroPostsGivesZero() throws {
        let entries = [TestData.entry("单位", "city_bureau", .bilibili, "b1")]
        let some = TestData.report(
            entries,
            [
                TestData.followers("b1", 4900, on: "2023-11-01", platform: .bilibili),
                TestData.followers("b1", 5000, platform: .bilibili),
                Self.sample("b1", .postsNew, 3, on: "2023-11-10", platform: .bilibili),
            ],
            rules: Self.rules
        )
        #expect(some.influence.first?.unavailable == .noPostData)
        #expect(some.influence.first?.posts == 3)
        #expect(some.ranking.first?.rank == nil)

        let none = TestData.report(
            entries,
            [
                // Collected from the period's first day (data from the 10th only would be part of it).
                TestData.followers("b1", 4900, on: "2023-11-01", platform: .bilibili),
                TestData.followers("b1", 5000, platform: .bilibili),
                Self.sample("b1", .postsNew, 0, on: "2023-11-10", platform: .bilibili),
            ],
            rules: Self.rules
        )
        #expect(none.influence.first?.eii?.value == 0)
        #expect(none.ranking.first?.rank == 1)
    }

    @Test func postsWithoutAnyFollowersRowGiveNoIndex() throws {
        let report = TestData.report(
            [TestData.entry("单位", "city_bureau", .wechat, "gh_a")],
            [MetricName.views, .likes, .comments, .shares].map {
                Self.sample("gh_a", $0, 500, on: "2023-11-06", object: "a_1")
            },
            objects: [
                ContentObject(
                    platform: .wechat,
                    object: "a_1",
                    account: "gh_a",
                    publishedAt: TestData.day("2023-11-05")
                )
            ],
            rules: Self.rules
        )
        let row = try #require(report.influence.first)
        #expect(row.unavailable == .noFollowerData)
        #expect(row.eii == nil)
        #expect(row.posts == 1)
        #expect(report.ranking.first?.note == "no followers data: wechat")
    }
}
