import Adapters
import Collector
import CollectorTesting
import Testing

/// Cells as people type and format them in Excel or WPS on a Chinese Windows: a duration in a
/// time-formatted cell, a totals row typed with spaces or a colon, a date in full-width digits
/// (docs/imports.md, "Rules for every file").
struct ExcelCellFormsTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "cell-forms")
    }

    private static let today = CivilDate(year: 2026, month: 11, day: 27)!

    private func importFile(
        _ path: String,
        platform: Platform,
        account: String,
        mapping: String? = nil
    ) throws -> (samples: [String], failures: [String]) {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try ImportFixtures.importFile(
            path,
            platform: platform,
            account: account,
            mapping: mapping,
            today: Self.today,
            into: batch
        )
        try batch.commit()
        return (
            sink.samples.map { ImportFixtures.line($0) },
            batch.failures.map { "\($0.label)|" + $0.message.replacing(path, with: "FILE") }
        )
    }

    @Test func readsATimeFormattedCellOfADurationColumnAsThatDuration() throws {
        // 平均观看时长 in `mm:ss` cells: 0.0333… of a day (48:00) and 0.000555… (00:48).
        let result = try importFile(
            ImportFixtures.path("kuaishou/exports/works_time_cells.xlsx"),
            platform: .kuaishou,
            account: "ks_a",
            mapping: "kuaishou_works_UNVERIFIED.toml"
        )
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(
            result.samples.filter { $0.contains("avg_watch") }.map { $0.split(separator: ",")[5] } == ["2880", "48"]
        )
    }

    @Test(arguments: ["合　计", "合 计", "合计：", "合计:", " 总 计 ： "])
    func passesOverATotalsRowTypedWithSpacesOrAColon(label: String) throws {
        let path = try temporary.write(
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2025-03-03,60,3,57,182344\n\(label),60,3,57,\n",
            to: "growth.csv"
        )
        let result = try importFile(path, platform: .wechat, account: "gh_a")
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.samples.count == 3)
    }

    @Test func keepsRefusingACellThatOnlyContainsATotalsLabel() throws {
        let path = try temporary.write("时间,累积关注人数\n合计人数,5\n", to: "growth.csv")
        let result = try importFile(path, platform: .wechat, account: "gh_a")
        #expect(result.failures.map { $0.prefix(while: { $0 != "|" }) } == ["badCell"])
    }

    @Test func readsDatesInFullWidthDigitsAndSeparators() throws {
        let path = try temporary.write(
            "时间,累积关注人数\n２０２５－０３－０３,182344\n２０２５／３／４,182408\n２０２５年３月５日,182451\n"
                + "２０２５．０３．０６　１０：３０,182460\n",
            to: "growth.csv"
        )
        let result = try importFile(path, platform: .wechat, account: "gh_a")
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.samples.map { $0.prefix(10) } == ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"])
    }

    @Test func readsAMidnightDateTimeCellWithItsTimeAsTheCSVDownloadDoes() throws {
        // 发布时间 as `yyyy-mm-dd hh:mm:ss` cells: 00:00 (a serial without a fraction) and
        // 08:00; a third work's cell formatted `yyyy/m/d` is a day without time in both files.
        let workbook = try importFile(
            ImportFixtures.path("douyin/exports/works_midnight.xlsx"),
            platform: .douyin,
            account: "dyA"
        )
        let csv = try temporary.write(
            "作品名称,发布时间,播放量\n零点定时发布,2026-11-01 00:00:00,5000\n上午作品,2026-11-01 08:00:00,6000\n"
                + "只有日期,2026-11-02,7000\n",
            to: "works.csv"
        )
        let text = try importFile(csv, platform: .douyin, account: "dyA")
        #expect(workbook.failures.isEmpty, "\(workbook.failures)")
        #expect(workbook.samples == text.samples)
        #expect(
            workbook.samples.map { $0.split(separator: ",")[3].prefix(while: { $0 != "_" }) } == [
                "202611010000", "202611010800", "20261102",
            ]
        )
    }

    @Test func readsFormulaResultsAsExcelShowsThem() throws {
        // 播放量 `=1.13*10000` cached as 11299.999999999998, 完播率 `=0.1+0.2` as 0.30000000000000004.
        let result = try importFile(
            ImportFixtures.path("douyin/exports/works_formula_results.xlsx"),
            platform: .douyin,
            account: "dyA"
        )
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(
            result.samples.map { $0.split(separator: ",")[4...6].joined(separator: ",") } == [
                "views,11300,exact", "likes,2841,exact", "completion_rate,0.3,exact",
                "views,500,exact", "likes,7,exact", "completion_rate,0.1234,exact",
            ]
        )
    }
}
