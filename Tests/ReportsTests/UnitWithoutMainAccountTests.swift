import Collector
import Reports
import Testing

/// A unit with no main account at all is listed with the reason, not ranked with a composite of
/// zeros (rank 1 alone in its group), while a missing platform of a unit with a main account
/// still counts 0 (COUNTS_AND_TARGETS.md §3; docs/reports.md §4.2).
struct UnitWithoutMainAccountTests {
    @Test func aUnitWithoutAnyMainAccountIsNotRanked() throws {
        let rules = RuleSet(
            source: "test",
            rules: [Rule(id: "T", category: "primary_school", kind: .target, comparison: .atLeast, threshold: 20_000)]
        )
        let report = TestData.report(
            [
                TestData.entry("滨州实验小学", "primary_school", .wechat, "gh_bzsx", main: false),
                TestData.entry("滨州第二小学", "primary_school", .wechat, "gh_bz2"),
            ],
            [
                TestData.followers("gh_bzsx", 20_300),
                // Collected from the period's first day (data from the 9th only would be part of it).
                TestData.followers("gh_bz2", 20_900, on: "2023-11-01"),
                TestData.followers("gh_bz2", 21_000),
                // No post in the period, known: EII 0, ranked.
                Sample(
                    time: TestData.day("2023-11-09"),
                    platform: .wechat,
                    account: "gh_bz2",
                    metric: .postsNew,
                    value: .integer(0),
                    source: .api
                ),
            ],
            rules: rules
        )
        let ranking = report.ranking
        #expect(ranking.map(\.unit.name) == ["滨州第二小学", "滨州实验小学"])
        #expect(ranking.map(\.rank) == [1, nil])
        #expect(ranking[1].composite == nil)
        #expect(ranking[1].note == "no main account (main = yes) in the registry")
        let chinese = try #require(report.tables(for: .zh).first { $0.id == "ranking" })
        #expect(chinese.rows[1].last == "登记表中没有主账号（main = yes）")
        #expect(report.render(.html, language: .zh).contains("未排名：登记表中没有主账号（main = yes）"))
    }
}
