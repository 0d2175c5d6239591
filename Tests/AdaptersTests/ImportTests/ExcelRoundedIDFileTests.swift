import Adapters
import Collector
import CollectorTesting
import Testing

/// Ids Excel cut to 15 significant digits without leaving the text form `5.13999E+15`: a
/// workbook's id cell that is a number of 16 or more digits, and a CSV whose id column was
/// saved from a number format (`5139990000000000` twice). The whole file is refused, nothing of
/// it imported (docs/imports.md, "Ids rounded by Excel").
struct ExcelRoundedIDFileTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "rounded-ids")
    }

    private static let today = CivilDate(year: 2026, month: 11, day: 27)!

    /// Imports `path`, committing the batch whatever happens, as `collector import` does; returns
    /// the error and what reached the sink.
    private func importFile(
        _ path: String,
        platform: Platform,
        account: String? = nil,
        mapping: String? = nil
    ) throws -> (error: ImportError?, samples: [Sample], objects: [ContentObject]) {
        let sink = InMemorySink()
        // Small chunks: rows read before a refusal would reach the sink at once.
        let batch = SampleBatch(sink: sink, chunkSize: 7)
        var thrown: ImportError?
        do {
            try ImportFixtures.importFile(
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
        return (thrown, sink.samples, sink.objects)
    }

    // MARK: - Workbooks

    @Test(arguments: [
        ("weibo/exports/posts_excel_numeric_ids.xlsx", "weibo", "微博ID", "5139990000000000"),
        ("weibo/exports/posts_excel_e_notation.xlsx", "weibo", "微博ID", "5139990000000000"),
        ("douyin/exports/works_excel_numeric_ids.xlsx", "douyin", "作品ID", "7476543210987650000"),
        ("bilibili/exports/account_daily_excel_numeric_ids.xlsx", "bilibili", "账号", "3493000000000000"),
    ])
    func refusesAWorkbookWhoseIdCellIsANumberOfSixteenDigits(
        file: String,
        platform: String,
        column: String,
        shown: String
    ) throws {
        let platform = Platform(rawValue: platform)
        let mapping: String? =
            switch platform {
            case .weibo: "weibo_posts_EXAMPLE.toml"
            case .bilibili: "account_daily_EXAMPLE.toml"
            default: nil
            }
        let path = ImportFixtures.path(file)
        let result = try importFile(
            path,
            platform: platform,
            account: platform == .bilibili ? nil : "acct",
            mapping: mapping
        )
        let error = try #require(result.error)
        #expect(error.label == "roundedID")
        #expect(
            error.description
                == "\(path):2: column \(column) holds the id as the number \(shown), not as text: Excel keeps 15 "
                + "significant digits, so an id of 16 or more digits stored as a number has lost its last digits and "
                + "can no longer tell contents or accounts apart (two would merge into one); nothing of the file was "
                + "imported: import the original download, not a copy saved by Excel (to edit it in Excel, open it "
                + "with Data > From Text/CSV (数据 → 从文本/CSV) and set the column to Text; docs/file-format.md, "
                + "\"Excel\")"
        )
        #expect(result.samples.isEmpty)
        #expect(result.objects.isEmpty)
    }

    @Test func refusesTheWholeWorkbookWhenTheFirstLongNumberComesLate() throws {
        let path = temporary.path("微博.xlsx")
        let writer = try XLSXWriter(path: path, sheetName: "Sheet1")
        try writer.append(["微博ID", "发布时间", "微博内容", "阅读数"].map(XLSXWriter.Cell.text))
        // 300 posts with short ids, numbers too but exact, then one that lost digits.
        for index in 1...300 {
            try writer.append([
                .number("51399900\(10000 + index)"), .text("2026-11-01 10:00"), .text("帖\(index)"), .number("5"),
            ])
        }
        try writer.append([.number("5139990000000001"), .text("2026-11-02 10:00"), .text("晚"), .number("9")])
        try writer.finish()
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        #expect(result.error?.label == "roundedID")
        #expect(result.error?.line == 302)
        #expect(result.samples.isEmpty)
    }

    @Test func importsIdsOfFifteenDigitsStoredAsNumbersAndLongIdsStoredAsText() throws {
        let path = temporary.path("ok.xlsx")
        let writer = try XLSXWriter(path: path, sheetName: "Sheet1")
        try writer.append(["微博ID", "发布时间", "微博内容", "阅读数"].map(XLSXWriter.Cell.text))
        try writer.append([.number("513999000000001"), .text("2026-11-01 10:00"), .text("甲"), .number("5")])
        try writer.append([.text("5139990000000002"), .text("2026-11-02 10:00"), .text("乙"), .number("7")])
        try writer.finish()
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        #expect(result.error == nil)
        #expect(result.samples.map(\.object) == ["513999000000001", "5139990000000002"])
    }

    // MARK: - One id on two different rows

    @Test func refusesACSVWhereTwoPostsShareAnId() throws {
        let path = ImportFixtures.path("weibo/exports/posts_excel_number_format_gbk.csv")
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        let error = try #require(result.error)
        #expect(error.label == "duplicateID")
        #expect(
            error.description
                == "\(path):3: column 微博ID: the id 5139990000000000 is also on line 2, with another title "
                + "(\"【开学通知】关于2025年春季开学安排\" there, \"校园开放日 欢迎报名\" here); one id on two different rows "
                + "means two contents or accounts merged into one, likeliest because Excel rounded long ids (it keeps "
                + "15 significant digits, and a column formatted as a number is saved as 5139990000000000); nothing of "
                + "the file was imported: import the original download, not a copy saved by Excel (to edit it in "
                + "Excel, open it with Data > From Text/CSV (数据 → 从文本/CSV) and set the column to Text; "
                + "docs/file-format.md, \"Excel\")"
        )
        #expect(result.samples.isEmpty)
    }

    @Test func refusesTheWholeCSVWhenTheSharedIdComesLate() throws {
        var text = "微博ID,发布时间,微博内容,阅读数\n"
        for index in 1...300 { text += "51399900000\(10000 + index),2026-11-01 10:00,帖\(index),5\n" }
        text += "5139990000010001,2026-11-03 08:30,另一条,9\n"
        let path = try temporary.write(text, to: "late.csv")
        let result = try importFile(path, platform: .weibo, account: "5999000001", mapping: "weibo_posts_EXAMPLE.toml")
        #expect(result.error?.label == "duplicateID")
        #expect(result.error?.line == 302)
        #expect(
            result.error?.message.contains("also on line 2, with another title (\"帖1\" there, \"另一条\" here)") == true
        )
        #expect(result.samples.isEmpty)
    }

    @Test func refusesTwoAccountsMergedIntoOneOnASheetOfAccountFigures() throws {
        let path = try temporary.write(
            "账号,日期,粉丝数,视频数\n3493000000000000,2026-11-03,86310,341\n3493000000000000,2026/11/3,1200,20\n",
            to: "daily.csv"
        )
        let result = try importFile(path, platform: .bilibili, mapping: "account_daily_EXAMPLE.toml")
        #expect(result.error?.label == "duplicateID")
        #expect(
            result.error?.message.hasPrefix(
                "column 账号: the id 3493000000000000 is also on line 2, with other figures for the same account and "
                    + "day (2026-11-03); "
            ) == true
        )
        #expect(result.samples.isEmpty)
    }

    /// A day pasted twice on a hand-kept sheet, under an 8-digit mid Excel cannot round: the
    /// refusal says the day is on two rows and to keep one, not to blame Excel.
    @Test func saysPlainlyThatADayIsOnTwoRowsWhenExcelCannotHaveRoundedTheId() throws {
        let path = try temporary.write(
            "账号,日期,粉丝数\n12345678,2026-11-01,12000\n12345678,2026-11-02,12100\n12345678,2026-11-02,12150\n",
            to: "daily.csv"
        )
        let result = try importFile(path, platform: .bilibili, mapping: "account_daily_EXAMPLE.toml")
        let error = try #require(result.error)
        #expect(error.label == "duplicateID")
        #expect(
            error.description
                == "\(path):4: column 账号: the id 12345678 is also on line 3, with other figures for the same account "
                + "and day (2026-11-02); two rows of one account and day with different figures cannot both be right (a "
                + "corrected row pasted under the old one?): keep the right one, delete the other and import the file "
                + "again; nothing of the file was imported"
        )
        #expect(result.samples.isEmpty)
    }

    /// Two titles under a 15-digit id, or under a 16-digit one whose last digit Excel would
    /// have made 0: not Excel's doing.
    @Test(arguments: ["513999000000001", "5139990000000001", "BV1xx411c7mD"])
    func saysPlainlyThatAContentIdIsOnTwoRowsWhenExcelCannotHaveRoundedIt(id: String) throws {
        let path = try temporary.write(
            "微博ID,发布时间,微博内容,阅读数\n\(id),2026-11-01 10:00,甲,5\n\(id),2026-11-01 10:00,乙,6\n",
            to: "posts.csv"
        )
        let result = try importFile(path, platform: .weibo, account: "a", mapping: "weibo_posts_EXAMPLE.toml")
        let error = try #require(result.error)
        #expect(error.label == "duplicateID")
        #expect(
            error.message
                == "column 微博ID: the id \(id) is also on line 2, with another title (\"甲\" there, \"乙\" here); the id "
                + "names one content, so the two rows cannot both be right (two contents under one id, or a row edited "
                + "by hand?): correct the id of the wrong row or delete it, and import the file again; nothing of the "
                + "file was imported"
        )
    }

    @Test(arguments: [
        ("5139990000000000", true), ("7476543210987650000", true), ("5139990000000001", false),
        ("513999000000000", false), ("12345678", false), ("0513999000000000", false), ("5.13999E+15", false),
        ("BV1xx411c7mD0000", false),
    ])
    func tellsWhichIdsExcelMayHaveRounded(id: String, rounded: Bool) {
        #expect(ExcelRoundedID.mayBeRounded(id) == rounded)
    }

    @Test func passesARowRepeatedAsItIsAndOneAccountOnSeveralDays() throws {
        let daily = try temporary.write(
            "账号,日期,粉丝数\n3493000000000001,2026-11-03,86310\n3493000000000001,2026-11-04,86400\n"
                + "3493000000000001,2026-11-04,86400\n",
            to: "daily.csv"
        )
        let result = try importFile(daily, platform: .bilibili, mapping: "account_daily_EXAMPLE.toml")
        #expect(result.error == nil)
        #expect(result.samples.count == 3)
        let posts = try temporary.write(
            "微博ID,发布时间,微博内容,阅读数\n5139990000000001,2026-11-01 10:00,甲,5\n"
                + "5139990000000001,2026/11/1 10:00,甲,6\n",
            to: "posts.csv"
        )
        #expect(try importFile(posts, platform: .weibo, account: "a", mapping: "weibo_posts_EXAMPLE.toml").error == nil)
    }
}
