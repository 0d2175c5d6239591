import Collector
import Reports
import Testing

/// The Chinese report: its golden file, its HTML, and a translation for every string, so no
/// English slips into a report for the education departments.
@Suite(.serialized)
struct ReportLocalizationTests {
    @Test func chineseMarkdownMatchesTheGolden() throws {
        GoldenReportTests.expectSameLines(
            try GoldenReportTests.build().render(.markdown, language: .zh),
            try FixtureReader.text(GoldenReportTests.golden + "/expected.zh.md"),
            "expected.zh.md"
        )
    }

    @Test(arguments: ReportText.allCases)
    func everyTextHasAChineseTranslation(_ key: ReportText) {
        #expect(ReportLocalization.chinese.texts[key] != nil, "\(key) has no Chinese text")
        #expect(ReportLocalization.english.texts[key] != nil, "\(key) has no English text")
    }

    @Test func everyTermHasAChineseName() {
        let missing = ReportLocalization.vocabulary.filter { ReportLocalization.chinese.terms[$0] == nil }
        #expect(missing.isEmpty, "no Chinese name for \(missing)")
    }

    /// The vocabulary must list what the tables really use, or the test above proves nothing.
    @Test func theVocabularyCoversEveryColumnOfTheTables() throws {
        let report = try GoldenReportTests.build()
        let vocabulary = Set(ReportLocalization.vocabulary)
        let platforms = Set(report.rules.index.platformWeights.map { "eii_\($0.platform)" })
        for table in report.tables {
            for column in table.columns where !platforms.contains(column) {
                #expect(vocabulary.contains("column." + column), "\(table.id).\(column) is not in the vocabulary")
            }
        }
        for category in Set(report.units.map(\.unit.category)) {
            #expect(vocabulary.contains("category." + category), "\(category)")
        }
    }

    /// Every heading and column name of the Chinese tables is Chinese: a fallback to a key
    /// (`days_left`) or to English would be ASCII.
    @Test func chineseTablesHaveNoEnglishHeadings() throws {
        let report = try GoldenReportTests.build()
        let chinese = report.tables(for: .zh)
        #expect(chinese.map(\.id) == report.tables.map(\.id))
        for table in chinese {
            for text in [table.title, table.note] + table.columns {
                #expect(text.unicodeScalars.contains { !$0.isASCII }, "\(table.id): \(text)")
            }
        }
        let cells = Set(chinese.flatMap { $0.rows.flatMap { $0 } })
        let codes = AttainmentStatus.allCases.map(\.rawValue) + ["city_bureau", "lower_bound", "published_at"]
        let shown = codes.filter(cells.contains)
        #expect(shown.isEmpty, "shown as codes: \(shown)")
    }

    @Test func chineseHTMLNamesStatusesCategoriesAndMarks() throws {
        let html = try GoldenReportTests.build().render(.html, language: .zh)
        for expected in [
            "<html lang=\"zh-CN\">",
            "<h1>政务新媒体统计报告（2023年11月）——依据鲁教办函〔2022〕16号 (2022-11-01)</h1>",
            "<div class=\"card\"><span>未达标</span><b>3</b></div>",
            "<div class=\"card\"><span>统计周期</span><b>2023年11月</b></div>",
            "<h2>分类达标情况</h2>", "<h2>粉丝数与目标</h2>", "<h2>主账号达标明细</h2>",
            ">各状态单位数</text>", ">市教育局 SD16-BUR-A</text>", ">市教育局 · 100万档</text>",
            "烟台市教育局 · 微信公众号",
            // The legend of the follower charts: each mark shape is named on the chart itself.
            ">精确值</text>", ">约数（如99.9万）</text>", ">下限（如10万+）</text>", ">目标线</text>",
            "<td class=\"status s-INDETERMINATE\">无法判定</td>",
            "<td class=\"num\">≥40,000</td>", "<td class=\"num\">≈99.90%</td>", "<td class=\"num\">100万</td>",
            "未排名：无内容数据：微博",
            "<footer>生成于 2023年12月1日 10:00",
        ] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
        for english in [">NOT_MET<", ">MET<", "city_bureau", "Units per status", "not ranked", ">exact<", "Generated"] {
            #expect(!html.contains(english), "English left: \(english)")
        }
    }

    @Test func englishHTMLHasTheLegendToo() throws {
        let html = try GoldenReportTests.build().render(.html)
        for expected in [">exact</text>", ">approx (99.9万)</text>", ">lower bound (10万+)</text>", ">target</text>"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
    }

    @Test func csvIsTheSameInEveryLanguage() throws {
        let report = try GoldenReportTests.build()
        #expect(report.render(.csv, language: .zh) == report.render(.csv, language: .en))
    }

    @Test func runningNoticeIsTranslated() throws {
        var report = try GoldenReportTests.build()
        report.isRunning = true
        let text = report.render(.markdown, language: .zh)
        #expect(text.contains("> **统计周期尚未结束。** 统计周期 2023年11月 尚未结束：数据截至 2023年11月30日（生成于 2023年12月1日 10:00）"))
        #expect(text.contains("d = 30（自然月）"))
    }
}
