import Collector
import Reports
import Testing

/// A report made before the period's last posts reach `content_age_days` reads their figures
/// early: every output says the content figures are provisional, and until when
/// (docs/reports.md §5).
struct ProvisionalContentTests {
    private static func report(now: String) throws -> Report {
        let samples = [
            TestData.followers("gh_qd", 1_000_000),
            Sample(
                time: TestData.day("2023-11-29", hour: 9),
                platform: .wechat,
                account: "gh_qd",
                object: "a1",
                metric: .views,
                value: .integer(5000),
                quality: .exact,
                source: .api
            ),
        ]
        let objects = [
            ContentObject(
                platform: .wechat,
                object: "a1",
                account: "gh_qd",
                publishedAt: TestData.day("2023-11-28", hour: 9)
            )
        ]
        return TestData.report(
            [TestData.entry("青岛市教育局", "city_bureau", city: "青岛", .wechat, "gh_qd")],
            samples,
            objects: objects,
            rules: try TestData.shandong(),
            now: now
        )
    }

    @Test func aReportBeforeTheLastPostsReachTheirAgeSaysItsContentFiguresAreProvisional() throws {
        let report = try Self.report(now: "2023-12-03")
        #expect(report.contentProvisional)
        #expect(report.contentFinalAt == "2023-12-05T09:00:00+08:00")

        let overview = try #require(report.tables.first { $0.id == "report" })
        let values = Dictionary(uniqueKeysWithValues: overview.rows.map { ($0[0], $0[1]) })
        #expect(values["period_state"] == "complete")
        #expect(values["content_state"] == "provisional")
        #expect(values["content_final_at"] == "2023-12-05T09:00:00+08:00")
        // After the older keys; `main_accounts_partly_collected` (session 13) follows them.
        #expect(
            overview.rows.suffix(3).map { $0[0] } == [
                "content_state", "content_final_at", "main_accounts_partly_collected",
            ]
        )

        let english = report.render(.markdown, language: .en)
        #expect(english.contains("Content figures are provisional until 2023-12-05T09:00:00+08:00"))
        let chinese = report.render(.markdown, language: .zh)
        #expect(chinese.contains("内容数据尚未最终确定，2023年12月5日 9:00 之前均为临时数据"))
        #expect(chinese.contains("| 内容数据状态 | 临时 |"))
        let html = report.render(.html, language: .zh)
        #expect(html.contains("内容数据尚未最终确定，2023年12月5日 9:00 之前均为临时数据"))
    }

    @Test func aReportAfterTheLastPostsReachTheirAgeIsFinal() throws {
        let report = try Self.report(now: "2023-12-06")
        #expect(!report.contentProvisional)
        let overview = try #require(report.tables.first { $0.id == "report" })
        #expect(overview.rows.first { $0[0] == "content_state" }?[1] == "final")
        #expect(!report.render(.markdown, language: .en).contains("provisional until"))
    }
}
