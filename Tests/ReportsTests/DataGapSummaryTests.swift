import Collector
import Reports
import Testing

/// Main accounts without data are counted in the summary with what to do, although the unit's
/// status may not show them: a unit whose WeChat account falls short and whose Douyin account
/// has nothing is NOT_MET, and the category table counts no unit as NO_DATA (docs/reports.md §5).
struct DataGapSummaryTests {
    private static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "city_bureau", kind: .target, comparison: .atLeast, threshold: 800_000)]
    )

    /// 临沂: WeChat with followers and a post, Douyin with nothing at all. 青岛: WeChat with a
    /// post but no followers row. 烟台: WeChat with followers, no content.
    private static func report() -> Report {
        let entries = [
            TestData.entry("临沂市教育局", "city_bureau", .wechat, "gh_linyi"),
            TestData.entry("临沂市教育局", "city_bureau", .douyin, "dy_linyi"),
            TestData.entry("青岛市教育局", "city_bureau", .wechat, "gh_qingdao"),
            TestData.entry("烟台市教育局", "city_bureau", .wechat, "gh_yantai"),
        ]
        let samples = [
            TestData.followers("gh_linyi", 700_000),
            TestData.followers("gh_yantai", 900_000),
            Sample(
                time: TestData.day("2023-11-09", hour: 12),
                platform: .wechat,
                account: "gh_linyi",
                object: "a_1",
                metric: .views,
                value: .integer(1000),
                source: .api
            ),
            Sample(
                time: TestData.day("2023-11-09", hour: 12),
                platform: .wechat,
                account: "gh_qingdao",
                object: "b_1",
                metric: .views,
                value: .integer(1000),
                source: .api
            ),
        ]
        return TestData.report(entries, samples, rules: rules)
    }

    @Test func mainAccountsWithoutDataAreCountedInTheSummaryWithWhatToDo() throws {
        let report = Self.report()
        // The status rules stay: 临沂 is NOT_MET, and no unit of the category table is NO_DATA.
        #expect(report.units.first { $0.unit.name == "临沂市教育局" }?.status == .notMet)
        #expect(report.summary.first?.counts[.noData] == 1, "青岛 only")

        #expect(report.dataGaps.map(\.account.account) == ["dy_linyi", "gh_qingdao", "gh_yantai"])
        #expect(report.dataGaps.map(\.noFollowers) == [true, true, false])
        #expect(report.dataGaps.map(\.noContent) == [true, false, true])

        let overview = try #require(report.tables.first { $0.id == "report" })
        let values = Dictionary(uniqueKeysWithValues: overview.rows.map { ($0[0], $0[1]) })
        #expect(values["units_lacking_data"] == "3")
        #expect(values["main_accounts_without_followers"] == "2")
        #expect(values["main_accounts_without_content"] == "2")

        let chinese = report.render(.markdown, language: .zh)
        #expect(
            chinese.contains(
                "- 3 个单位的 3 个主账号本期缺少数据：2 个没有粉丝数记录，2 个没有内容数据（其中 1 个两者都没有）。"
            )
        )
        #expect(chinese.contains("检查采集器的配置和凭据（collector check），或用 collector test 测试该账号。"))
        #expect(chinese.contains("缺少数据的账号：临沂市教育局 抖音 dy_linyi（本期没有粉丝数记录，没有内容数据）；"))
        let english = report.render(.markdown, language: .en)
        #expect(english.contains("- 3 main accounts of 3 units lack data in the period: 2 without a followers row"))
        #expect(
            english.contains("Accounts: 临沂市教育局 douyin dy_linyi (no followers row in the period, no content data); ")
        )

        let html = report.render(.html, language: .zh)
        #expect(html.contains("<div class=\"card\"><span>缺少数据的单位</span><b>3</b></div>"))
        #expect(html.contains("<div class=\"card\"><span>缺少数据的主账号</span><b>3</b></div>"))
    }

    @Test func aReportWithEveryAccountMeasuredSaysSoWithZeros() throws {
        let report = TestData.report(
            [TestData.entry("烟台市教育局", "city_bureau", .wechat, "gh_yantai")],
            [
                // Collected from the period's first day: data from the 9th only would be part of it.
                TestData.followers("gh_yantai", 899_000, on: "2023-11-01"),
                TestData.followers("gh_yantai", 900_000),
                Sample(
                    time: TestData.day("2023-11-09", hour: 12),
                    platform: .wechat,
                    account: "gh_yantai",
                    metric: .postsNew,
                    value: .integer(3),
                    source: .api
                ),
            ],
            rules: Self.rules
        )
        #expect(report.dataGaps.isEmpty)
        #expect(!report.render(.markdown, language: .zh).contains("## 数据说明"))
        #expect(report.render(.html, language: .en).contains("<span>Main accounts lacking data</span><b>0</b>"))
    }
}
