import Adapters
import Collector
import CollectorTesting
import Testing

struct WeChatImporterTests {
    // MARK: - 用户增长

    private static let userGrowthLines = [
        ("2025-03-03", 182344, 60, 3), ("2025-03-04", 182408, 71, 7), ("2025-03-05", 182451, 52, 9),
        ("2025-03-06", 182433, 20, 38), ("2025-03-07", 182520, 95, 8),
    ].flatMap { day, total, new, lost in
        [
            "\(day)T00:00:00+08:00,wechat,gh_test,,followers,\(total),exact,import",
            "\(day)T00:00:00+08:00,wechat,gh_test,,followers_new,\(new),exact,import",
            "\(day)T00:00:00+08:00,wechat,gh_test,,followers_lost,\(lost),exact,import",
        ]
    }

    struct GrowthFile: CustomTestStringConvertible, Sendable {
        var name: String
        var headerLine: Int
        var format: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        GrowthFile(name: "export_user_growth.csv", headerLine: 1, format: "csv (UTF-8)"),
        GrowthFile(name: "user_growth_bom.csv", headerLine: 1, format: "csv (UTF-8)"),
        GrowthFile(name: "user_growth_gb18030.csv", headerLine: 1, format: "csv (GB18030)"),
        GrowthFile(name: "user_growth_crlf.csv", headerLine: 1, format: "csv (UTF-8)"),
        GrowthFile(name: "user_growth_utf16.txt", headerLine: 1, format: "tsv (UTF-16LE)"),
        GrowthFile(name: "user_growth_preamble.csv", headerLine: 4, format: "csv (UTF-8)"),
        GrowthFile(name: "user_growth.xlsx", headerLine: 2, format: "xlsx (sheet 用户增长)"),
    ])
    func importsEveryVariantOfTheUserGrowthExportAlike(file: GrowthFile) throws {
        let path = ImportFixtures.wechat(file.name)
        let (report, sink, batch) = try ImportFixtures.importFile(path)
        #expect(sink.samples.map { ImportFixtures.line($0) } == Self.userGrowthLines)
        #expect(batch.failures.isEmpty)
        #expect(
            report
                == ImportReport(
                    file: path,
                    format: file.format,
                    platform: .wechat,
                    kind: "user_growth",
                    account: "gh_test",
                    headerLine: file.headerLine,
                    rows: 5,
                    samples: 15,
                    failures: 0
                )
        )
    }

    @Test func stampsDaysAtMidnightOfTheConfiguredTimezone() throws {
        let utc = try #require(PlatformCalendar(identifier: "UTC"))
        let (_, sink, _) = try ImportFixtures.importFile(
            ImportFixtures.wechat("export_user_growth.csv"),
            calendar: utc
        )
        #expect(
            ImportFixtures.line(sink.samples[0], calendar: utc)
                == "2025-03-03T00:00:00+00:00,wechat,gh_test,,followers,182344,exact,import"
        )
    }

    @Test func importsRenamedColumns() throws {
        let (report, sink, _) = try ImportFixtures.importFile(ImportFixtures.wechat("user_growth_renamed.csv"))
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers,182344,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_new,60,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_lost,3,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers,182408,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers_new,71,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers_lost,7,exact,import",
            ]
        )
        #expect(report.rows == 2)
    }

    @Test func readsThousandsSeparatorsSkipsMissingCellsAndReportsBadOnes() throws {
        let path = ImportFixtures.wechat("user_growth_cells.csv")
        let (report, sink, batch) = try ImportFixtures.importFile(path)
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers,1182344,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_new,1060,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_lost,3,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers,1182408,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers_lost,7,exact,import",
                "2025-03-05T00:00:00+08:00,wechat,gh_test,,followers_new,52,exact,import",
                "2025-03-06T00:00:00+08:00,wechat,gh_test,,followers,1182433,exact,import",
                "2025-03-06T00:00:00+08:00,wechat,gh_test,,followers_lost,38,exact,import",
            ]
        )
        #expect(report.rows == 4)
        #expect(
            batch.failures == [
                CollectionFailure(
                    adapter: "import",
                    account: path,
                    object: "line 5",
                    label: "badCell",
                    message: "\(path):5: column 取消关注人数: \"abc\" is not a count: expected a digit, found \"a\"; "
                        + "the cell was skipped"
                )
            ]
        )
    }

    // MARK: - 已通知内容

    @Test func importsTheNotifiedArticlesExport() throws {
        let (report, sink, batch) = try ImportFixtures.importFile(ImportFixtures.wechat("export_notified_articles.csv"))
        let first = "2025-03-04T00:00:00+08:00,wechat,gh_test,2247501234_1"
        let second = "2025-03-06T00:00:00+08:00,wechat,gh_test,2247501240_1"
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "\(first),viewers,15320,exact,import",
                "\(first),completion_rate,0.6235,exact,import",
                "\(first),wechat_share_users,1203,exact,import",
                "\(first),wechat_delivered,181002,exact,import",
                "\(first),wechat_follows_after_read,41,exact,import",
                "\(second),viewers,8871,exact,import",
                "\(second),completion_rate,0.551,exact,import",
                "\(second),wechat_share_users,640,exact,import",
                "\(second),wechat_delivered,181455,exact,import",
                "\(second),wechat_follows_after_read,19,exact,import",
            ]
        )
        let calendar = ImportFixtures.calendar
        #expect(
            sink.objects == [
                ContentObject(
                    platform: .wechat,
                    object: "2247501234_1",
                    account: "gh_test",
                    publishedAt: calendar.startOfDay(try #require(CivilDate(year: 2025, month: 3, day: 4))),
                    title: "关于2025年春季学期开学工作的通知",
                    url:
                        "https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMA==&mid=2247501234&idx=1&sn=0000000000000000000000000000000a"
                ),
                ContentObject(
                    platform: .wechat,
                    object: "2247501240_1",
                    account: "gh_test",
                    publishedAt: calendar.startOfDay(try #require(CivilDate(year: 2025, month: 3, day: 6))),
                    title: "校园开放日预约指南（附交通路线）",
                    url:
                        "https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMA==&mid=2247501240&idx=1&sn=0000000000000000000000000000000b"
                ),
            ]
        )
        #expect(report.kind == "notified_articles")
        #expect(batch.failures.isEmpty)
    }

    @Test func importsTheFirstVersionWithTitlesOverSeveralLinesAndReportsBadCells() throws {
        let path = ImportFixtures.wechat("notified_articles_v1.csv")
        let (report, sink, batch) = try ImportFixtures.importFile(path)
        let a = "2025-03-04T00:00:00+08:00,wechat,gh_test,2247501234_1"
        let b = "2025-03-06T00:00:00+08:00,wechat,gh_test,2247501240_2"
        let c = "2025-03-07T00:00:00+08:00,wechat,gh_test,2247501250_3"
        let d = "2025-03-09T00:00:00+08:00,wechat,gh_test,2247501260_1"
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "\(a),views,19204,exact,import", "\(a),viewers,15320,exact,import", "\(a),shares,1480,exact,import",
                "\(a),completion_rate,0.6235,exact,import", "\(a),wechat_share_users,1203,exact,import",
                "\(a),wechat_delivered,181002,exact,import", "\(a),wechat_follows_after_read,41,exact,import",
                "\(b),views,10022,exact,import", "\(b),viewers,8871,exact,import",
                "\(b),completion_rate,0.551,exact,import", "\(b),wechat_share_users,640,exact,import",
                "\(b),wechat_delivered,181455,exact,import", "\(b),wechat_follows_after_read,19,exact,import",
                "\(c),views,1200,exact,import", "\(c),shares,15,exact,import",
                "\(c),wechat_share_users,12,exact,import", "\(c),wechat_delivered,181460,exact,import",
                "\(c),wechat_follows_after_read,0,exact,import",
                "\(d),views,120,exact,import", "\(d),viewers,100,exact,import", "\(d),shares,1,exact,import",
                "\(d),wechat_share_users,1,exact,import", "\(d),wechat_delivered,181480,exact,import",
                "\(d),wechat_follows_after_read,0,exact,import",
            ]
        )
        let beijing = PlatformCalendar.beijing
        #expect(
            sink.objects.map { [$0.object, $0.publishedAt.map(beijing.render) ?? "", $0.title] } == [
                ["2247501234_1", "2025-03-04T18:30:05+08:00", "关于2025年春季学期开学工作的通知"],
                ["2247501240_2", "2025-03-06T08:00:00+08:00", "校园开放日预约指南（附\"交通路线\"，A,B）"],
                ["2247501250_3", "2025-03-07T09:05:00+08:00", "家长必看"],
                ["2247501260_1", "2025-03-09T10:00:00+08:00", "完成率有误"],
            ]
        )
        #expect(report.headerLine == 2)
        #expect(report.rows == 5)
        #expect(
            batch.failures.map(\.message) == [
                "\(path):7: column 内容url holds \"https://mp.weixin.qq.com/s/AbCdEfGhIj\", which is not an article "
                    + "link with mid= and idx= (or a msgid such as 2247501234_1); the row was skipped",
                "\(path):8: column 阅读完成率: \"62.35\" is not a rate: a fraction without % must lie between -1 and 1 "
                    + "(write 12.22% for a percentage); the cell was skipped",
            ]
        )
        #expect(batch.failures.map(\.object) == ["line 7", "line 8"])
    }

    /// The benchmark kit's Python script (bench/py/notified_norm.py) wrote the expected rows
    /// from the same generated export; both must agree row for row.
    @Test func matchesTheReferenceScriptOnAGeneratedExport() throws {
        let (report, sink, batch) = try ImportFixtures.importFile(
            ImportFixtures.wechat("notified_generated.csv"),
            account: "gh_0123456789ab"
        )
        var reference = try CSVTable(path: ImportFixtures.wechat("notified_generated_expected.csv"))
        let expected = try allRows(&reference).dropFirst().map { $0.cells.joined(separator: ",") }
        #expect(sink.samples.map { ImportFixtures.line($0) }.sorted() == expected.sorted())
        #expect(expected.count == 2085)
        #expect(report.rows == 300)
        #expect(sink.objects.count == 300)
        #expect(batch.failures.isEmpty)
    }

    @Test(
        arguments: [
            ("https://mp.weixin.qq.com/s?__biz=MzA==&mid=2247501234&idx=1&sn=ab", "2247501234_1"),
            ("http://mp.weixin.qq.com/s?mid=12&idx=3", "12_3"),
            ("https://mp.weixin.qq.com/s?__biz=MzA==&amp;mid=2247501240&amp;idx=2", "2247501240_2"),
            (" 2247501250_3 ", "2247501250_3"),
            ("https://mp.weixin.qq.com/s?appmsgid=5&idx=1", nil),
            ("https://mp.weixin.qq.com/s/AbCdEfGhIj", nil),
            ("https://mp.weixin.qq.com/s?mid=&idx=1", nil),
            ("_1", nil), ("", nil),
        ] as [(String, String?)]
    )
    func identifiesArticlesByMidAndIdx(cell: String, object: String?) {
        #expect(WeChatImporter.articleID(cell) == object)
    }

    @Test func turnsAFailingStoreIntoAStorageError() throws {
        let batch = SampleBatch(sink: FailingSink(), chunkSize: 1)
        let error = try #require(throws: ImportError.self) {
            try ImportService.importFile(
                path: ImportFixtures.wechat("export_user_growth.csv"),
                platform: .wechat,
                kind: nil,
                account: "gh_test",
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
        }
        #expect(error.isStorageFailure)
        #expect(error.message == "writing the imported rows failed: No space left on device")
    }

    @Test func declaresOnlyValidMetricNames() {
        for kind in WeChatImporter.kinds {
            for metric in kind.metrics {
                #expect(MetricName.isValid(metric.name.rawValue, for: .wechat), "\(metric.name)")
            }
        }
    }
}

/// A table of rows given in advance: exercises ``Table``'s default `nextRow(into:)`, as any
/// table that only has `nextRow()` would.
private struct ArrayTable: Table {
    var name = "rows.xlsx"
    var rows: [TableRow]

    mutating func nextRow() throws(ImportError) -> TableRow? {
        rows.isEmpty ? nil : rows.removeFirst()
    }
}

struct WeChatImporterTableTests {
    /// Imports `table` for account `gh_test` through the header match, as `collector import` does.
    private static func importRows(of table: inout ArrayTable, today: CivilDate) throws -> (Int, InMemorySink) {
        let header = try HeaderMatcher.match(&table, kinds: WeChatImporter.kinds, platform: .wechat)
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let rows = try WeChatImporter().importRows(
            of: &table,
            header: header,
            context: ImportContext(
                file: table.name,
                platform: .wechat,
                calendar: ImportFixtures.calendar,
                today: today,
                options: ImportOptions(account: "gh_test")
            ),
            into: batch
        )
        try batch.commit()
        return (rows, sink)
    }

    @Test func importsArticlesFromATableWithoutAByteFastPath() throws {
        var table = ArrayTable(rows: [
            TableRow(number: 3, cells: ["内容url", "发表日期", "阅读人数", "内容标题"]),
            TableRow(number: 4, cells: ["2247501234_1", "2025-03-04", "1,532", "第一行\n第二行"]),
            TableRow(number: 5, cells: []),
            TableRow(number: 6, cells: ["2247501234_2", "2025-03-04", "-"]),
        ])
        let (rows, sink) = try Self.importRows(
            of: &table,
            today: try #require(CivilDate(year: 2025, month: 3, day: 10))
        )
        #expect(rows == 2)
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-04T00:00:00+08:00,wechat,gh_test,2247501234_1,viewers,1532,exact,import"
            ]
        )
        #expect(sink.objects.map(\.title) == ["第一行", ""])
    }

    /// WeChat's `10万+` means more than 100000: reads are stored as the lower bound 100001
    /// (COUNTS_AND_TARGETS.md §1.2 Step 6, the `wechat_reads` profile); other counts keep the
    /// default reading.
    @Test func storesTenWanPlusReadsAsTheLowerBound100001() throws {
        var table = ArrayTable(rows: [
            TableRow(number: 1, cells: ["内容url", "发表日期", "阅读人数", "阅读次数", "分享次数"]),
            TableRow(number: 2, cells: ["2247600002_1", "2026-10-09", "10万+", "10万+", "10万+"]),
        ])
        let (_, sink) = try Self.importRows(of: &table, today: try #require(CivilDate(year: 2026, month: 10, day: 20)))
        let prefix = "2026-10-09T00:00:00+08:00,wechat,gh_test,2247600002_1,"
        #expect(
            sink.samples.map { ImportFixtures.line($0) }.sorted() == [
                prefix + "shares,100000,lower_bound,import",
                prefix + "viewers,100001,lower_bound,import",
                prefix + "views,100001,lower_bound,import",
            ]
        )
    }
}
