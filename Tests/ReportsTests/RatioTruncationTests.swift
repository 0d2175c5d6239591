import Collector
import Reports
import Testing

/// A ratio never contradicts its status (docs/reports.md §2.4): it is truncated, not rounded,
/// so 999990 of 1,000,000 reads 0.9999 (99.99%) beside NOT_MET, not 1.0000 (100.00%).
struct RatioTruncationTests {
    private static func row(_ report: Report, _ table: ReportTable, _ account: String) throws -> [String: String] {
        let row = try #require(table.rows.first { $0.contains(account) })
        return Dictionary(uniqueKeysWithValues: zip(table.columns, row))
    }

    @Test(arguments: [
        ("临沂", "city_bureau", Int?.none, Int64(999_990), "NOT_MET", "0.9999", "99.99%"),
        ("泰安", "undergraduate", 19_999, 79_999, "NOT_MET", "0.9999", "99.99%"),
        ("临沂", "city_bureau", nil, 1_000_000, "MET", "1.0000", "100.00%"),
        ("潍坊", "vocational", 12_000, 61_000, "MET", "1.0166", "101.66%"),
        ("泰安", "undergraduate", 19_999, 23_200, "NOT_MET", "0.2900", "29.00%"),
    ])
    func theRatioIsTruncatedTowardTheVerdict(
        city: String,
        category: String,
        students: Int?,
        followers: Int64,
        status: String,
        ratio: String,
        percent: String
    ) throws {
        let report = TestData.report(
            [TestData.entry("单位", category, city: city, students: students, .wechat, "gh_x")],
            [TestData.followers("gh_x", followers)],
            rules: try TestData.shandong()
        )
        let machine = try Self.row(report, try #require(report.tables.first { $0.id == "attainment" }), "gh_x")
        #expect(machine["status"] == status)
        #expect(machine["ratio"] == ratio)
        let human = try Self.row(report, try #require(report.tables(for: .en).first { $0.id == "attainment" }), "gh_x")
        #expect(human["ratio"] == percent)
        let chinese = try Self.row(
            report,
            try #require(report.tables(for: .zh).first { $0.id == "attainment" }),
            "gh_x"
        )
        #expect(chinese["完成率"] == percent)
    }

    /// "More than 1000" is reached at 1001: exactly 1000 is NOT_MET, 1 short, at 99.90%.
    @Test func aMoreThanRuleMeasuresTheRatioAndGapAgainstTheFirstCountThatMeetsIt() throws {
        let rules = RuleSet(
            source: "test",
            rules: [Rule(id: "T", category: "bureau", kind: .target, comparison: .greaterThan, threshold: 1000)]
        )
        let report = TestData.report(
            [TestData.entry("单位", "bureau", .wechat, "gh_x")],
            [TestData.followers("gh_x", 1000)],
            rules: rules
        )
        let row = try #require(report.attainment.first)
        #expect(row.status == .notMet)
        #expect(row.ratio == 0.999)
        #expect(row.gap == 1)
    }
}
