import Adapters
import Collector
import Testing

struct HeaderMatcherTests {
    private func table(_ text: String) -> CSVTable {
        CSVTable(reader: TextReader(bytes: Array(text.utf8), name: "t.csv"))
    }

    @Test func findsTheHeaderBelowATitleAndLeavesTheTableOnTheFirstDataRow() throws {
        var table = table("公众号用户增长数据,,\n统计时间：2025-03-03 至 2025-03-07\n\n时间,累积关注人数,新关注人数\n2025-03-03,1,2\n")
        let header = try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        #expect(header.kind.name == "user_growth")
        #expect(header.line == 4)
        #expect(header.columns == ["时间": 0, "累积关注人数": 1, "新关注人数": 2])
        #expect(try table.nextRow() == TableRow(number: 5, cells: ["2025-03-03", "1", "2"]))
    }

    @Test func mapsRenamedHeadersThroughTheAliases() throws {
        var table = table("日期 ,累计关注人数,新增关注人数(人),取消关注人数（人）,净增\n")
        let header = try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        #expect(header.kind.name == "user_growth")
        #expect(header.columns == ["时间": 0, "累积关注人数": 1, "新关注人数": 2, "取消关注人数": 3])
        #expect(header.title(ofCell: 2) == "新增关注人数(人)")
    }

    @Test func prefersTheCanonicalNameWhenAFileHasBoth() throws {
        var table = table("内容url,发表时间,阅读人数,总阅读人数\n")
        let header = try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        #expect(header.kind.name == "notified_articles")
        #expect(header.index(of: "总阅读人数") == 3)
    }

    @Test func detectsBothVersionsOfTheNotifiedArticlesExport() throws {
        var first = table("内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n")
        var second = table("内容标题,发表时间,总阅读人数,总阅读次数,总分享人数,分享次数,阅读后关注人数,送达人数,阅读完成率,内容URL\n")
        #expect(try HeaderMatcher.match(&first, kinds: WeChatImporter.kinds, platform: .wechat).columns.count == 8)
        #expect(try HeaderMatcher.match(&second, kinds: WeChatImporter.kinds, platform: .wechat).columns.count == 10)
    }

    @Test func namesTheHeadersFoundAndTheKnownKindsWhenNothingMatches() throws {
        var table = table("title\n日期,渠道,阅读次数\n2025-03-04,全部,1\n")
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        }
        #expect(
            error.description
                == "t.csv: no known export kind matches; headers found: 日期, 渠道, 阅读次数; kinds known for wechat: "
                + "user_growth (用户分析 → 用户增长 \"下载表格\"; 时间, 累积关注人数, …), "
                + "notified_articles (内容分析 → 已通知内容; 内容url, 发表时间, 总阅读人数, …), "
                + "content_trend (内容分析 → 数据趋势 \"下载数据明细\"; 日期, 渠道, 阅读人数, …), "
                + "article_detail (单篇详情 \"下载数据明细\"; 阅读次数, 完读率, …)"
        )
    }

    /// 作品名称 and 发布时间 merged down over two rows, group labels merged above the metrics.
    private static let twoRowWorks =
        "作品名称,发布时间,基础数据,,,互动数据,\n,,播放量,完播率,平均播放时长,点赞量,评论量\n"
        + "视频A,2026-11-03 11:00:00,100,0.1,12,3,4\n"

    @Test func saysAHeaderOfTwoRowsMustBeMadeOneRow() throws {
        var table = table(Self.twoRowWorks)
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: DouyinImporter.kinds, platform: .douyin)
        }
        #expect(error.label == "unknownKind")
        #expect(
            error.description
                == "t.csv:1: the header spans two rows (line 1: 作品名称, 发布时间, 基础数据, 互动数据; line 2: 播放量, "
                + "完播率, 平均播放时长, 点赞量, 评论量), likeliest group labels merged above the column names; as one row "
                + "they would match kind works, but a header must be one row: make it one row, each column's name in "
                + "its own cell (unmerge the cells, move the names of the upper row down, delete what is left of the "
                + "upper row), and import the file again"
        )
        var asked = self.table(Self.twoRowWorks)
        let mismatch = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&asked, kinds: DouyinImporter.kinds, platform: .douyin, requested: true)
        }
        #expect(mismatch.label == "kindMismatch")
    }

    @Test func showsARowOfTextCellsAsTheHeadersFoundNotADataRowWithMoreCells() throws {
        // The same file given to another platform: no kind matches in one row or two.
        var table = table(Self.twoRowWorks)
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: ChannelsImporter.kinds, platform: .channels)
        }
        #expect(error.message.hasPrefix("no known export kind matches; headers found: 播放量, 完播率, 平均播放时长, 点赞量, 评论量;"))
    }

    @Test func namesTheMissingColumnsOfTheKindAskedFor() throws {
        var table = table("时间,新关注人数\n2025-03-04,1\n")
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: [WeChatImporter.userGrowth], platform: .wechat, requested: true)
        }
        #expect(
            error.description
                == "t.csv: the headers do not match kind user_growth: missing 累积关注人数; headers found: 时间, 新关注人数"
        )
    }

    /// With one kind to match (`--platform any`: the self-report sheet), the refusal names the
    /// columns the file lacks, in the sheet's language, and a header that looks like one of them
    /// but is read as another column.
    @Test(
        arguments: [
            (
                "月份,单位,平台,账号,账号名称,粉丝数\n2026-10,齐鲁理工大学,微信公众号,gh_a,齐鲁理工大学,102001\n",
                "; for self_report the file is missing 日期 (date)"
            ),
            (
                "月份,单位,平台,账号名称,粉丝数\n2026-10,齐鲁理工大学,微信公众号,齐鲁理工大学,102001\n",
                "; for self_report the file is missing 账号 (account; 账号名称 is read as the name), 日期 (date)"
            ),
            ("platform,account,month,followers\nwechat,gh_a,2026-10,1\n", "; for self_report the file is missing date"),
        ]
    )
    func namesTheMissingColumnsOfTheOnlyKindInTheSheetsLanguage(text: String, ending: String) throws {
        var table = table(text)
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: SelfReportImporter.kinds, platform: SelfReportImporter.platform)
        }
        #expect(error.label == "unknownKind")
        #expect(error.message.hasPrefix("no known export kind matches; headers found: "))
        #expect(error.message.hasSuffix(ending), "\(error.message)")
    }

    @Test func namesTheMissingColumnsOfTheKindAskedForInTheSheetsLanguage() throws {
        var table = table("平台,账号名称,日期\n微信,甲,2026-10-31\n")
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(
                &table,
                kinds: SelfReportImporter.kinds,
                platform: SelfReportImporter.platform,
                requested: true
            )
        }
        #expect(
            error.description
                == "t.csv: the headers do not match kind self_report: missing 账号 (account; 账号名称 is read as the "
                + "name); headers found: 平台, 账号名称, 日期"
        )
    }

    @Test func looksNoDeeperThanThirtyRows() throws {
        let text = String(repeating: "note\n", count: 30) + "时间,累积关注人数\n"
        var table = table(text)
        #expect(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        }
    }

    @Test func refusesAFileWithNoRows() throws {
        var table = table("\n\n")
        let error = try #require(throws: ImportError.self) {
            try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        }
        #expect(error.label == "empty")
    }

    @Test(arguments: [
        ("累积关注人数", "累积关注人数"), (" 内容 URL ", "内容url"), ("新关注人数（人）", "新关注人数(人)"),
        ("阅读\n人数", "阅读人数"),
    ])
    func normalizesHeaderNames(raw: String, normalized: String) {
        #expect(HeaderMatcher.normalize(raw) == normalized)
    }
}
