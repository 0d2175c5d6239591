import Adapters
import Collector
import CollectorTesting
import Logging
import Testing

/// Workbooks with the export on more than one sheet, as operators collect them (docs/imports.md,
/// "Sheets"): every sheet Excel shows with a header of the kind is imported, in workbook order;
/// hidden sheets never are; each sheet's ids are checked on their own, before any row is in.
@Suite(.serialized)
struct WorkbookSheetsTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "sheets")
    }

    private static let today = CivilDate(year: 2026, month: 11, day: 27)!

    private struct Imported {
        var report: ImportReport?
        var error: ImportError?
        var samples: [String]
        var failures: [String]
        var notices: [CollectionFailure]
    }

    /// Imports `path` into the real store of a fresh data folder and reads back what it kept.
    private func importFile(
        _ path: String,
        platform: Platform,
        account: String? = nil,
        mapping: String? = nil
    ) throws -> Imported {
        var settings = CollectorSettings()
        settings.dataDirectory = try temporary.createDirectory("data-\(UInt64.random(in: 0...UInt64.max))")
        let store = try SampleStore(settings: settings, logger: Logger(label: "test"))
        let batch = SampleBatch(sink: store, chunkSize: 3)
        var report: ImportReport?
        var thrown: ImportError?
        do {
            report = try ImportFixtures.importFile(
                path,
                platform: platform,
                account: account,
                mapping: mapping,
                today: Self.today,
                into: batch
            )
        } catch let error as ImportError {
            thrown = error
        }
        try batch.commit()
        try store.close()
        let samples = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [platform])
            .map { ImportFixtures.line($0) }
        return Imported(
            report: report,
            error: thrown,
            samples: samples,
            failures: batch.failures.map(\.description),
            notices: batch.notices
        )
    }

    /// The stored `metric` values, as `object=value`.
    private func values(_ samples: [String], _ metric: String) -> [String] {
        samples.map { $0.split(separator: ",").map(String.init) }.filter { $0[4] == metric }.map { "\($0[3])=\($0[5])" }
            .sorted()
    }

    @Test func importsEveryVisibleSheetOfTheKindInWorkbookOrder() throws {
        let path = ImportFixtures.path("douyin/exports/works_two_months.xlsx")
        let result = try importFile(path, platform: .douyin, account: "dyA")
        #expect(result.error == nil)
        // 开学典礼 is on both monthly sheets: November's later total is kept.
        #expect(
            values(result.samples, "views")
                == ["202609010900_7d18b6bb=150", "202610010800_a4454143=300"]
        )
        #expect(values(result.samples, "completion_rate").contains("202609010900_7d18b6bb=0.48"))
        let report = try #require(result.report)
        #expect(report.format == "xlsx (sheets 10月, 11月)")
        #expect(report.kind == "works")
        #expect(report.rows == 4)
        // A line of November's sheet is named with its sheet.
        #expect(
            result.failures
                == [
                    "import \(path) [sheet 11月] [line 3]: badCell: column 播放量: \"很多\" is not a count: "
                        + "expected a digit, found \"很\"; the cell was skipped"
                ],
            "\(result.failures)"
        )
        #expect(result.notices.map(\.label) == ["severalSheets"])
        #expect(
            result.notices.first?.message
                == "imported the 2 works sheets 10月, 11月 in this order: a content (or day) on more than one of them "
                + "keeps the figures of the last one, as with files imported one after another; if a sheet holds an "
                + "older download than a sheet after it, move it before that sheet (drag its tab) and import the file "
                + "again"
        )
    }

    @Test func neverImportsAHiddenSheetAndNamesOneThatWouldHaveMatched() throws {
        let result = try importFile(
            ImportFixtures.path("douyin/exports/works_hidden_template.xlsx"),
            platform: .douyin,
            account: "dyA"
        )
        #expect(result.error == nil)
        #expect(values(result.samples, "views") == ["202611041100_11f48756=300"])
        #expect(result.report?.format == "xlsx (sheet 作品数据)")
        #expect(result.failures.isEmpty)
        #expect(result.notices.map(\.label) == ["hiddenSheet"])
        #expect(
            result.notices.first?.message.hasPrefix(
                "the hidden sheet 模板 has a works header too and was not imported: hidden sheets are never imported"
            ) == true
        )
    }

    @Test func refusesAWorkbookWhoseDataIsOnlyOnAHiddenSheetNamingIt() throws {
        let result = try importFile(
            ImportFixtures.path("douyin/exports/works_hidden_data.xlsx"),
            platform: .douyin,
            account: "dyA"
        )
        let error = try #require(result.error)
        #expect(error.label == "unknownKind")
        #expect(
            error.message.hasSuffix(
                "; the hidden sheet 数据 has a matching header, but hidden sheets are not imported (a template, an old "
                    + "copy): if the data is there, unhide the sheet (right-click a sheet tab > Unhide, 右键工作表标签 → "
                    + "取消隐藏), save the file and import it again"
            ),
            "\(error.message)"
        )
        #expect(result.samples.isEmpty)
    }

    @Test func namesASheetOfAnotherKindInANotice() throws {
        let path = temporary.path("公众号.xlsx")
        let writer = try XLSXWriter(path: path, sheetName: "用户增长")
        try writer.append(["时间", "新关注人数", "累积关注人数"].map(XLSXWriter.Cell.text))
        try writer.append([.text("2026-11-03"), .number("60"), .number("182344")])
        writer.secondSheet = (
            name: "数据趋势",
            rows: [["日期", "渠道", "阅读人数"], ["2026-11-03", "全部", "900"]],
            widths: []
        )
        try writer.finish()
        let result = try importFile(path, platform: .wechat, account: "gh_a")
        #expect(result.error == nil)
        #expect(result.report?.kind == "user_growth")
        #expect(result.samples.count == 2)
        #expect(result.notices.map(\.label) == ["otherSheet"])
        #expect(
            result.notices.first?.message.hasPrefix(
                "sheet 数据趋势 (content_trend) is another kind of export than the user_growth sheets imported, and was "
                    + "not imported: a file is imported as one kind;"
            ) == true
        )
    }

    /// One post on two monthly sheets, its reads grown: the same post in two downloads, not two
    /// posts merged by Excel.
    @Test func checksEachSheetsIdsOnItsOwn() throws {
        let path = temporary.path("微博.xlsx")
        let writer = try XLSXWriter(path: path, sheetName: "10月")
        try writer.append(["微博ID", "发布时间", "微博内容", "阅读数"].map(XLSXWriter.Cell.text))
        try writer.append([.text("5139990000000001"), .text("2026-10-30 10:00"), .text("甲"), .number("5")])
        writer.secondSheet = (
            name: "11月",
            rows: [["微博ID", "发布时间", "微博内容", "阅读数"], ["5139990000000001", "2026-10-30 10:00", "甲(已编辑)", "9"]],
            widths: []
        )
        try writer.finish()
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        #expect(result.error == nil)
        #expect(values(result.samples, "views") == ["5139990000000001=9"])
    }

    @Test func refusesTheWholeWorkbookWhenALaterSheetRepeatsAnId() throws {
        let path = temporary.path("微博.xlsx")
        let writer = try XLSXWriter(path: path, sheetName: "10月")
        try writer.append(["微博ID", "发布时间", "微博内容", "阅读数"].map(XLSXWriter.Cell.text))
        try writer.append([.text("5139990000000001"), .text("2026-10-30 10:00"), .text("甲"), .number("5")])
        writer.secondSheet = (
            name: "11月",
            rows: [
                ["微博ID", "发布时间", "微博内容", "阅读数"],
                ["5139990000000000", "2026-11-01 10:00", "乙", "9"],
                ["5139990000000000", "2026-11-02 10:00", "丙", "7"],
            ],
            widths: []
        )
        try writer.finish()
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        let error = try #require(result.error)
        #expect(error.label == "duplicateID")
        #expect(error.file == "\(path) [sheet 11月]")
        #expect(error.line == 3)
        // Nothing of the file, the first sheet included.
        #expect(result.samples.isEmpty)
    }
}
