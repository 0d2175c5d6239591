import Collector
import Reports
import Testing

/// An account whose data begins in the middle of the period was not dormant before: nothing is
/// known of those days. Its gap counts from the first day anything of it is known, and the
/// activity table says since when (docs/reports.md §3).
struct DataSinceTests {
    static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "bureau", kind: .target, comparison: .atLeast, threshold: 1000)]
    )

    static func post(_ account: String, _ object: String, _ date: String) -> ContentObject {
        ContentObject(platform: .wechat, object: object, account: account, publishedAt: TestData.day(date, hour: 9))
    }

    @Test func theGapOfAnAccountWhoseDataBeginsMidPeriodCountsFromItsFirstDay() throws {
        let report = TestData.report(
            [
                TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn"),
                TestData.entry("青岛市教育局", "bureau", .wechat, "gh_qd"),
            ],
            [
                // 济南: collected from the 15th, posts every 5 days from then.
                TestData.followers("gh_jn", 1200, on: "2023-11-15"), TestData.followers("gh_jn", 1300),
                // 青岛: collected all month, the same posts.
                TestData.followers("gh_qd", 1200, on: "2023-11-01"), TestData.followers("gh_qd", 1300),
            ],
            objects: ["2023-11-15", "2023-11-20", "2023-11-25", "2023-11-30"].flatMap { date in
                [Self.post("gh_jn", "jn-" + date, date), Self.post("gh_qd", "qd-" + date, date)]
            },
            rules: Self.rules
        )
        let rows = Dictionary(uniqueKeysWithValues: report.activity.map { ($0.account.account, $0) })
        let jinan = try #require(rows["gh_jn"])
        let qingdao = try #require(rows["gh_qd"])
        #expect(jinan.dataSince == CivilDate(year: 2023, month: 11, day: 15))
        #expect(jinan.longestGapDays == 4)
        #expect(jinan.dormant14d == false)
        #expect(qingdao.dataSince == nil)
        #expect(qingdao.longestGapDays == 14)
        #expect(qingdao.dormant14d == true)
        let chinese = try #require(report.tables(for: .zh).first { $0.id == "activity" })
        // `data_until` (数据止于) follows it.
        let column = try #require(chinese.columns.firstIndex(of: "数据始于"))
        #expect(column == chinese.columns.count - 2)
        #expect(chinese.rows.map { $0[column] }.sorted() == ["", "2023-11-15"])
    }

    /// A catalogue that lists posts older than the first followers row (an API's video list)
    /// knows the days before it; an account known from its posts alone (an articles export) has
    /// its first post as first row, which says nothing of the days before: no `data_since`, and
    /// its spell without posts from the 1st to the 19th is counted.
    @Test(arguments: [true, false])
    func earlierDaysAreKnownFromOlderPostsOrWithoutAccountRows(withFollowers: Bool) throws {
        let report = TestData.report(
            [TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn")],
            withFollowers
                ? [TestData.followers("gh_jn", 1200, on: "2023-11-15"), TestData.followers("gh_jn", 1300)] : [],
            objects: withFollowers
                ? [Self.post("gh_jn", "old", "2023-10-20"), Self.post("gh_jn", "new", "2023-11-20")]
                : [Self.post("gh_jn", "new", "2023-11-20")],
            rules: Self.rules
        )
        let row = try #require(report.activity.first)
        #expect(row.dataSince == nil)
        #expect(row.longestGapDays == 19)
        #expect(row.dormant14d == true)
    }
}
