import Collector
import Reports
import Testing

/// The Chinese report in the words of the departments that read it (review of session 16): no
/// codes left in its cells, no HTML entity in its Markdown, the video platforms' own terms,
/// dates written as Chinese prose writes them, and charts that keep the table's marks. The CSV
/// keeps its codes and ISO dates.
@Suite(.serialized)
struct ChineseReportWordingTests {
    /// The cells of column `column` of table `id` in `tables`.
    private static func cells(_ tables: [ReportTable], _ id: String, _ column: Int) throws -> [String] {
        try #require(tables.first { $0.id == id }).rows.map { $0[column] }
    }

    @Test func theWCIVariantAndTheRulesBasisAreNamedInChinese() throws {
        let report = try GoldenReportTests.build()
        let chinese = report.tables(for: .zh)
        let overview = try #require(chinese.first { $0.id == "report" }).rows
        #expect(overview.contains(["WCI 算法", "V14.2 经典版（阅读、在看、点赞）"]))
        let basis = try #require(report.tables.first { $0.id == "rules" }?.columns.firstIndex(of: "basis"))
        #expect(Set(try Self.cells(chinese, "rules", basis)) == ["通知原文"])
        // CSV keeps the codes, for programs.
        #expect(Set(try Self.cells(report.tables, "rules", basis)) == ["notice"])
        #expect(try #require(report.tables.first { $0.id == "report" }).rows.contains(["wci_variant", "classic"]))
    }

    @Test func markdownNeedsNoEntityForAComparison() throws {
        let report = try GoldenReportTests.build()
        let chinese = report.render(.markdown, language: .zh)
        #expect(chinese.contains("| 在校生 ＜ 20000 |"))
        let english = report.render(.markdown)
        #expect(english.contains("| students<20000 |") && english.contains("MET if lo >= target"))
        for text in [chinese, english] {
            for entity in ["&lt;", "&gt;", "&amp;"] { #expect(!text.contains(entity), "\(entity)") }
        }
    }

    @Test func videoPlatformsCountPlaysAndShares() throws {
        let report = try GoldenReportTests.build()
        let activity = try #require(report.tables(for: .zh).first { $0.id == "activity" })
        let metric = try #require(activity.columns.firstIndex(of: "阅读指标"))
        let byAccount = Dictionary(uniqueKeysWithValues: activity.rows.map { ($0[3], $0[metric]) })
        #expect(byAccount["dy_rzvc"] == "播放量")
        #expect(byAccount["ks_wfvc"] == "播放量")
        #expect(byAccount["gh_yantai"] == "阅读量")
        #expect(activity.columns.contains("10万+作品数"))
        let influence = try #require(report.tables(for: .zh).first { $0.id == "influence" })
        #expect(influence.columns.contains("阅读（播放）量 V") && influence.columns.contains("转发（分享） S"))
        // English and CSV say views on every platform.
        let english = try #require(report.tables(for: .en).first { $0.id == "activity" })
        #expect(english.rows.first { $0[3] == "dy_rzvc" }?[9] == "views")
    }

    @Test func chineseProseWritesDatesInChinese() throws {
        let markdown = try GoldenReportTests.build().render(.markdown, language: .zh)
        #expect(markdown.hasPrefix("# 政务新媒体统计报告（2023年11月）——依据"))
        #expect(markdown.contains("请于 2023年12月5日 8:30 之后重新生成报告"))
        #expect(markdown.contains("最新粉丝数记录为 2023年9月30日，早于本期"))
        #expect(!markdown.contains("T08:30:00+08:00 之"))
        // Table cells keep the ISO day, which sorts.
        #expect(markdown.contains("| 数据截至 | 2023-11-30 |"))
        let range = try GoldenReportTests.build(period: "2023-11-01..2023-12-31").render(.markdown, language: .zh)
        #expect(range.hasPrefix("# 政务新媒体统计报告（2023年11月1日至2023年12月31日）"))
        // English keeps the ISO forms.
        let english = try GoldenReportTests.build().render(.markdown)
        #expect(english.hasPrefix("# Report 2023-11: "))
        #expect(english.contains("make the report again after 2023-12-05T08:30:00+08:00"))
    }

    @Test func theRankingChartKeepsTheMarksAndNamesTiersByTarget() throws {
        let report = try GoldenReportTests.build()
        let chinese = report.render(.html, language: .zh)
        for expected in [
            "<title>青岛市教育局 ≈317.36</title>", "<title>烟台市教育局 ≥250.24</title>", ">≈317.36</text>",
            ">市教育局 · 100万档</text>", ">市教育局 · 80万档</text>", ">本科高校 · 10万档</text>",
        ] {
            #expect(chinese.contains(expected), "missing: \(expected)")
        }
        #expect(!chinese.contains("市教育局 · SD16-BUR-A"))
        let english = report.render(.html)
        #expect(english.contains(">city_bureau · SD16-BUR-A</text>"))
        #expect(english.contains("<title>青岛市教育局 ≈317.36</title>"))
    }
}
