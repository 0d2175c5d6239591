import Adapters
import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One export fixture and what importing it must produce, as files next to it:
/// `<expected>.expected.csv` (the samples, SPEC §3 lines, in order), `<expected>.objects.txt`
/// (`object|account|published_at|title|url`) and `<expected>.failures.txt`
/// (`line|label|message`, the file's path written `FILE`). A missing file means "none".
struct ImportGoldenCase: CustomTestStringConvertible, Sendable {
    /// The fixture, relative to `Fixtures/`.
    var file: String
    /// The expected files' base name, relative to `Fixtures/`.
    var expected: String
    var platform: Platform
    var account: String? = "gh_test"
    var kind: String? = nil
    /// A mapping file of `samples/mappings/`.
    var mapping: String? = nil
    /// The report: kind, header line, data rows.
    var report: (kind: String, headerLine: Int, rows: Int)

    var testDescription: String { file + (mapping.map { " via " + $0 } ?? "") }
}

/// Every export kind through `ImportService`, from its fixture to its exact rows.
struct ImporterGoldenTests {
    static let today = CivilDate(year: 2025, month: 3, day: 10)!

    static let cases: [ImportGoldenCase] = [
        // WeChat 数据趋势, both versions, UTF-8, UTF-16 "Unicode text", GB18030 + CRLF + preamble.
        ImportGoldenCase(
            file: "wechat/exports/content_trend_v1.csv",
            expected: "wechat/exports/content_trend_v1",
            platform: .wechat,
            report: ("content_trend", 1, 4)
        ),
        ImportGoldenCase(
            file: "wechat/exports/content_trend_v1_utf16.txt",
            expected: "wechat/exports/content_trend_v1",
            platform: .wechat,
            report: ("content_trend", 1, 4)
        ),
        ImportGoldenCase(
            file: "wechat/exports/content_trend_v2_gb18030.csv",
            expected: "wechat/exports/content_trend_v2_gb18030",
            platform: .wechat,
            report: ("content_trend", 4, 5)
        ),
        // WeChat 单篇详情: four sheets, id from the file name; a link above the header.
        ImportGoldenCase(
            file: "wechat/exports/article_detail_2247501234_1.xlsx",
            expected: "wechat/exports/article_detail_2247501234_1",
            platform: .wechat,
            report: ("article_detail", 3, 1)
        ),
        ImportGoldenCase(
            file: "wechat/exports/article_detail_link.xlsx",
            expected: "wechat/exports/article_detail_link",
            platform: .wechat,
            kind: "article_detail",
            report: ("article_detail", 3, 1)
        ),
        // Channels.
        ImportGoldenCase(
            file: "channels/exports/posts.csv",
            expected: "channels/exports/posts",
            platform: .channels,
            account: "sph_test",
            report: ("posts", 1, 2)
        ),
        ImportGoldenCase(
            file: "channels/exports/posts_ugly_gb18030.csv",
            expected: "channels/exports/posts_ugly_gb18030",
            platform: .channels,
            account: "sph_test",
            report: ("posts", 2, 4)
        ),
        // Douyin.
        ImportGoldenCase(
            file: "douyin/exports/works.csv",
            expected: "douyin/exports/works",
            platform: .douyin,
            account: "dy_test",
            report: ("works", 1, 2)
        ),
        ImportGoldenCase(
            file: "douyin/exports/works.xlsx",
            expected: "douyin/exports/works_xlsx",
            platform: .douyin,
            account: "dy_test",
            report: ("works", 2, 3)
        ),
        ImportGoldenCase(
            file: "douyin/exports/works_gb18030.csv",
            expected: "douyin/exports/works_gb18030",
            platform: .douyin,
            account: "dy_test",
            report: ("works", 1, 3)
        ),
        // Mapped imports with the shipped mapping files.
        ImportGoldenCase(
            file: "toutiao/exports/works_UNVERIFIED.csv",
            expected: "toutiao/exports/works_UNVERIFIED",
            platform: .toutiao,
            account: "tt_test",
            mapping: "toutiao_works_UNVERIFIED.toml",
            report: ("works", 1, 1)
        ),
        ImportGoldenCase(
            file: "kuaishou/exports/works_EXAMPLE.csv",
            expected: "kuaishou/exports/works_EXAMPLE",
            platform: .kuaishou,
            account: "ks_test",
            mapping: "kuaishou_works_UNVERIFIED.toml",
            report: ("works", 1, 2)
        ),
        ImportGoldenCase(
            file: "weibo/exports/posts_EXAMPLE.csv",
            expected: "weibo/exports/posts_EXAMPLE",
            platform: .weibo,
            account: "5999000001",
            mapping: "weibo_posts_EXAMPLE.toml",
            report: ("posts", 1, 2)
        ),
        ImportGoldenCase(
            file: "bilibili/exports/videos_EXAMPLE.csv",
            expected: "bilibili/exports/videos_EXAMPLE",
            platform: .bilibili,
            account: "208259",
            mapping: "bilibili_videos_EXAMPLE.toml",
            report: ("videos", 1, 2)
        ),
        ImportGoldenCase(
            file: "bilibili/exports/account_daily_EXAMPLE.csv",
            expected: "bilibili/exports/account_daily_EXAMPLE",
            platform: .bilibili,
            account: nil,
            mapping: "account_daily_EXAMPLE.toml",
            report: ("account_daily", 1, 3)
        ),
        ImportGoldenCase(
            file: "channels/exports/posts.csv",
            expected: "channels/exports/posts_mapped",
            platform: .channels,
            account: "sph_test",
            mapping: "channels_posts.toml",
            report: ("posts", 1, 2)
        ),
    ]

    @Test(arguments: cases)
    func importsTheExactRowsOfEachFixture(golden: ImportGoldenCase) throws {
        let path = ImportFixtures.path(golden.file)
        let mapping = try golden.mapping.map {
            try ColumnMapping.load(path: ImportFixtures.mapping($0), platform: golden.platform)
        }
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink, chunkSize: 5)
        let report = try ImportService.importFile(
            path: path,
            platform: golden.platform,
            options: ImportOptions(kind: golden.kind, account: golden.account, mapping: mapping, today: Self.today),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        let samples = sink.samples.map { ImportFixtures.line($0) }
        let objects = sink.objects.map(ImportFixtures.objectLine)
        let failures = batch.failures.map {
            [$0.object ?? "", $0.label, $0.message.replacing(path, with: "FILE")].joined(separator: "|")
        }
        let base = ImportFixtures.path(golden.expected)
        if ImportFixtures.recording {
            try ImportFixtures.record(samples, to: base + ".expected.csv")
            try ImportFixtures.record(objects, to: base + ".objects.txt")
            try ImportFixtures.record(failures, to: base + ".failures.txt")
        }
        #expect(samples == ImportFixtures.lines(of: base + ".expected.csv"))
        #expect(objects == ImportFixtures.lines(of: base + ".objects.txt"))
        #expect(failures == ImportFixtures.lines(of: base + ".failures.txt"))
        #expect(report.kind == golden.report.kind)
        #expect(report.headerLine == golden.report.headerLine)
        #expect(report.rows == golden.report.rows)
        #expect(report.samples == samples.count)
        #expect(report.failures == failures.count)
    }

    /// The shipped Douyin mapping reads the export exactly as the built-in importer does: a
    /// changed layout is a change of the mapping file, not of the code.
    @Test func theDouyinMappingMatchesTheBuiltInImporter() throws {
        let path = ImportFixtures.path("douyin/exports/works.csv")
        func rows(_ mapping: ColumnMapping?) throws -> (samples: [String], objects: [String]) {
            let sink = InMemorySink()
            let batch = SampleBatch(sink: sink)
            _ = try ImportService.importFile(
                path: path,
                platform: .douyin,
                options: ImportOptions(account: "dy_test", mapping: mapping),
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
            try batch.commit()
            return (sink.samples.map { ImportFixtures.line($0) }.sorted(), sink.objects.map(ImportFixtures.objectLine))
        }
        let builtIn = try rows(nil)
        let mapped = try rows(
            try ColumnMapping.load(path: ImportFixtures.mapping("douyin_works.toml"), platform: .douyin)
        )
        #expect(builtIn.samples.count == 18)
        #expect(mapped.samples == builtIn.samples)
        #expect(mapped.objects == builtIn.objects)
    }
}
