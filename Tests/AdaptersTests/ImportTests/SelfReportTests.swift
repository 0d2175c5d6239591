import Adapters
import Collector
import CollectorTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Stored values handed to the drop check without a store.
struct StubPreviousValues: PreviousValues {
    var values: [(Platform, String, MetricName, PreviousValue)]

    func lastValue(
        platform: Platform,
        account: String,
        metric: MetricName,
        before date: CivilDate
    ) throws(ImportError) -> PreviousValue? {
        values.filter { $0.0 == platform && $0.1 == account && $0.2 == metric && $0.3.date < date }
            .map(\.3).max { $0.date < $1.date }
    }

    func value(
        platform: Platform,
        account: String,
        metric: MetricName,
        on date: CivilDate
    ) throws(ImportError) -> PreviousValue? {
        values.last { $0.0 == platform && $0.1 == account && $0.2 == metric && $0.3.date == date }?.3
    }
}

/// The units' self-report sheet: the template, and the checks on the way back.
@Suite(.serialized)
struct SelfReportTests {
    static let today = CivilDate(year: 2025, month: 3, day: 8)!

    static func registry() throws -> AccountRegistry {
        try AccountRegistry.load(path: ImportFixtures.path("any/exports/accounts.csv"))
    }

    static let stored = StubPreviousValues(values: [
        (
            .wechat, "gh_0123456789ab", .followers,
            PreviousValue(date: CivilDate(year: 2025, month: 3, day: 1)!, value: 182_000)
        ),
        (.wechat, "gh_0123456789ab", .posts, PreviousValue(date: CivilDate(year: 2025, month: 3, day: 1)!, value: 805)),
        (.douyin, "dy_jinan", .followers, PreviousValue(date: CivilDate(year: 2025, month: 3, day: 1)!, value: 14_000)),
    ])

    private func importSheet(
        _ path: String,
        kind: String? = nil,
        registry: AccountRegistry?,
        previous: (any PreviousValues)? = SelfReportTests.stored,
        maxDrop: DecimalValue = ImportOptions.defaultMaxDrop
    ) throws -> (ImportReport, InMemorySink, SampleBatch) {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let report = try ImportService.importFile(
            path: path,
            platform: SelfReportImporter.platform,
            options: ImportOptions(
                kind: kind,
                registry: registry,
                maxDrop: maxDrop,
                previousValues: previous,
                today: Self.today
            ),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        return (report, sink, batch)
    }

    static let expectedSamples = [
        "2025-03-08T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182900,exact,import",
        "2025-03-08T00:00:00+08:00,wechat,gh_0123456789ab,,posts,812,exact,import",
        "2025-03-08T00:00:00+08:00,wechat,gh_0123456789ab,,views,3120,exact,import",
        "2025-03-08T00:00:00+08:00,douyin,dy_jinan,,followers,12000,approx,import",
        "2025-03-08T00:00:00+08:00,douyin,dy_jinan,,posts,95,exact,import",
        "2025-03-08T00:00:00+08:00,channels,sph_school,,posts,40,exact,import",
        "2025-03-08T00:00:00+08:00,channels,sph_school,,views,800,exact,import",
        "2025-03-07T00:00:00+08:00,wechat,gh_0123456789ab,,posts,800,exact,import",
    ]

    /// The built-in platforms as the messages list them, so a new platform does not break the
    /// expected messages.
    static let builtInNames = Platform.builtIn.map(\.rawValue).joined(separator: ", ")

    static let expectedFailures = [
        "line 4|badCell|FILE:4: column followers: \"很多\" is not a count: expected a digit, found \"很\"; the cell was skipped",
        "line 5|futureDate|FILE:5: the date 2025-03-09 is after the day of the import (2025-03-08); correct it; the row "
            + "was skipped",
        "line 6|unknownAccount|FILE:6: weibo account \"5999000002\" is not in the account registry; did you mean "
            + "\"5999000001\" of 某中学? Check the platform and account cells against the registry; the row was skipped",
        "line 7|badCell|FILE:7: column platform holds \"kuaishou2\", which is not a platform: \(builtInNames); the row "
            + "was skipped",
        "line 8|drop|FILE:8: followers of wechat account \"gh_0123456789ab\" fell from 182000 on 2025-03-01 to 140000 on "
            + "2025-03-07, by 23.1%, more than the 20% allowed (max_drop); the value was skipped: check it, correct the "
            + "sheet and import it again",
    ]

    @Test(arguments: ["any/exports/self_report_filled.csv", "any/exports/self_report_filled.xlsx"])
    func checksEveryRowAndImportsTheRest(file: String) throws {
        let path = ImportFixtures.path(file)
        let (report, sink, batch) = try importSheet(path, registry: try Self.registry())
        #expect(sink.samples.map { ImportFixtures.line($0) } == Self.expectedSamples)
        #expect(
            batch.failures.map {
                [$0.object ?? "", $0.label, $0.message.replacing(path, with: "FILE")].joined(separator: "|")
            }
                == Self.expectedFailures
        )
        #expect(report.kind == "self_report")
        #expect(report.account == "(per row)")
        #expect(report.rows == 8)
    }

    @Test func takesTheKindAskedForAndAllowsALargerDropWhenConfigured() throws {
        let path = ImportFixtures.path("any/exports/self_report_filled.csv")
        let (_, sink, batch) = try importSheet(
            path,
            kind: "self_report",
            registry: try Self.registry(),
            maxDrop: DecimalValue(mantissa: 25, scale: 2)
        )
        #expect(sink.samples.count == 9)
        #expect(!batch.failures.contains { $0.label == "drop" })
    }

    @Test func needsTheRegistry() throws {
        let path = ImportFixtures.path("any/exports/self_report_filled.csv")
        let error = try #require(throws: ImportError.self) { try importSheet(path, registry: nil) }
        #expect(
            error.description
                == "\(path): a self-report sheet is checked against the account registry; pass --registry accounts.csv, "
                + "or --config with registry set in [collector]"
        )
    }

    @Test func checksADropAgainstAnEarlierRowOfTheSameSheet() throws {
        let path = "/tmp/self-report-\(getpid()).csv"
        try FileSystem.writeAtomically(
            path,
            Array(
                """
                单位,平台,账号,日期,粉丝数,发文总数
                某中学,微博,5999000001,2025-03-05,1000,50
                某中学,微博,5999000001,2025-03-06,500,51

                """.utf8
            )
        )
        defer { unlink(path) }
        let (_, sink, batch) = try importSheet(path, registry: try Self.registry(), previous: nil)
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-05T00:00:00+08:00,weibo,5999000001,,followers,1000,exact,import",
                "2025-03-05T00:00:00+08:00,weibo,5999000001,,posts,50,exact,import",
                "2025-03-06T00:00:00+08:00,weibo,5999000001,,posts,51,exact,import",
            ]
        )
        #expect(batch.failures.map(\.label) == ["drop"])
    }

    /// The registry may list accounts of an exec adapter's platform; the template gives them rows,
    /// so those rows must import back.
    @Test func acceptsTheRegistrysOwnPlatformsAndNamesThemWhenAPlatformIsUnknown() throws {
        let entry = { (platform: String, account: String) in
            RegistryEntry(
                unit: "某中学",
                category: "middle_school",
                city: "济南",
                students: nil,
                platform: Platform(rawValue: platform),
                account: account,
                name: account,
                main: true,
                line: 2
            )
        }
        let registry = AccountRegistry(entries: [entry("wechat", "gh_1"), entry("xiaohongshu", "5f1e0a")])
        let path = "/tmp/self-report-exec-\(getpid()).csv"
        try FileSystem.writeAtomically(
            path,
            Array(
                """
                unit,platform,account,date,followers
                某中学,XiaoHongShu,5f1e0a,2025-03-05,4200
                某中学,xiaohongshu,5f1e0a,2025-03-06,
                某中学,douban,5f1e0a,2025-03-05,10

                """.utf8
            )
        )
        defer { unlink(path) }
        let (_, sink, batch) = try importSheet(path, registry: registry, previous: nil)
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-05T00:00:00+08:00,xiaohongshu,5f1e0a,,followers,4200,exact,import"
            ]
        )
        #expect(batch.failures.count == 1)
        #expect(
            batch.failures.first?.message.hasSuffix(
                "column platform holds \"douban\", which is not a platform: \(Self.builtInNames), xiaohongshu; the row "
                    + "was skipped"
            ) == true,
            "\(batch.failures)"
        )
    }

    @Test(
        arguments: [
            (100, 80, "0.2", false), (100, 79, "0.2", true), (100, 120, "0.2", false), (0, 0, "0.2", false),
            (1_000_000, 999_999, "0", true), (7_000_000_000_000_000_000, 1, "20%", true),
        ] as [(Int64, Int64, String, Bool)]
    )
    func refusesOnlyAFallOfMoreThanTheShare(old: Int64, new: Int64, share: String, refused: Bool) throws {
        let maxDrop = try #require(ImportOptions.parseMaxDrop(share))
        #expect(SelfReportImporter.fell(from: old, to: new, by: maxDrop) == refused)
    }

    @Test func readsTheDropLimit() {
        #expect(ImportOptions.parseMaxDrop("20%") == DecimalValue(mantissa: 2, scale: 1))
        #expect(ImportOptions.parseMaxDrop("0.35") == DecimalValue(mantissa: 35, scale: 2))
        #expect(ImportOptions.parseMaxDrop("150%") == nil)
        #expect(ImportOptions.parseMaxDrop("-5%") == nil)
        #expect(ImportOptions.parseMaxDrop("many") == nil)
    }

    @Test(
        arguments: [
            (40_001, 9_999_999, "10", true), (50_000, 500_000, "10", false), (50_000, 500_001, "10", true),
            (40, 900, "10", false), (100, 1_101, "10", true), (0, 5_000, "10", false), (100, 1_101, "20x", false),
            (7_000_000_000_000_000, 9_000_000_000_000_000_000, "10×", true),
        ] as [(Int64, Int64, String, Bool)]
    )
    func refusesOnlyARiseOfMoreThanTheFactorAndTheAllowance(
        old: Int64,
        new: Int64,
        factor: String,
        refused: Bool
    )
        throws
    {
        let maxRise = try #require(ImportOptions.parseMaxRise(factor))
        #expect(SelfReportImporter.rose(from: old, to: new, by: maxRise) == refused)
    }

    @Test func readsTheRiseLimit() {
        #expect(ImportOptions.parseMaxRise("10") == 10)
        #expect(ImportOptions.parseMaxRise("2.5x") == 2.5)
        #expect(ImportOptions.parseMaxRise(" 100× ") == 100)
        #expect(ImportOptions.parseMaxRise("0.5") == nil)
        #expect(ImportOptions.parseMaxRise("20%") == nil)
        #expect(ImportOptions.parseMaxRise("-10") == nil)
        #expect(ImportOptions.parseMaxRise("inf") == nil)
        #expect(ImportOptions.describeRise(10) == "10×")
        #expect(ImportOptions.describeRise(2.5) == "2.5×")
    }

    // MARK: - Rows checked against the registry

    /// The folder of the sheets and stores written by the tests; removed when the test ends.
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "self-report")
    }

    private static func entry(
        _ unit: String,
        _ platform: Platform,
        _ account: String,
        _ name: String,
        line: Int
    ) -> RegistryEntry {
        RegistryEntry(
            unit: unit,
            category: "other",
            city: "济南",
            students: nil,
            platform: platform,
            account: account,
            name: name,
            main: true,
            line: line
        )
    }

    /// A registry with the tester's accounts (docs/imports.md, "The self-report sheet").
    static let units = AccountRegistry(entries: [
        entry("济南市教育局", .wechat, "gh_jinan", "济南教育", line: 2),
        entry("青岛ABC中学（东校区）", .wechat, "gh_qdabc", "青岛ABC中学", line: 3),
        entry("济宁丙学院", .wechat, "gh_jnbing", "济宁丙学院", line: 4),
        entry("淄博职业学院", .douyin, "dy_zbvc", "淄博职院抖音", line: 5),
        entry("烟台辛小学", .wechat, "gh_ytxin", "烟台辛小", line: 6),
    ])

    /// Writes `text` as a sheet and imports it against ``units``.
    private func importText(
        _ text: String,
        previous: (any PreviousValues)? = nil
    ) throws -> (path: String, samples: [String], failures: [String], notices: [String]) {
        let path = try temporary.write(text, to: "sheet-\(UInt64.random(in: 0...UInt64.max)).csv")
        let (_, sink, batch) = try importSheet(path, registry: Self.units, previous: previous)
        func lines(_ records: [CollectionFailure]) -> [String] {
            records.map {
                [$0.object ?? "", $0.label, $0.message.replacing(path, with: "FILE")].joined(separator: "|")
            }
        }
        return (path, sink.samples.map { ImportFixtures.line($0) }, lines(batch.failures), lines(batch.notices))
    }

    @Test func refusesARowWhoseUnitDoesNotOwnTheAccount() throws {
        let result = try importText(
            """
            单位,平台,账号,名称,日期,粉丝数
            烟台市教育局,wechat,gh_jnbing,济宁丙学院,2025-03-08,100300
             济南市 教育局\u{3000},wechat,gh_jinan,济南教育,2025-03-08,5000
            青岛ａｂｃ中学(东校区),wechat,gh_qdabc,青岛ABC中学,2025-03-08,6000
            ,douyin,dy_zbvc,淄博职院抖音,2025-03-08,7000

            """
        )
        #expect(
            result.failures == [
                "line 2|unitMismatch|FILE:2: wechat account \"gh_jnbing\" belongs to 济宁丙学院 in the account "
                    + "registry (line 4), but the row's unit is 烟台市教育局; the row was skipped: correct the account "
                    + "(or the unit) in the sheet and import it again, or, if the account has changed hands, its unit "
                    + "in the registry"
            ]
        )
        // Spacing, full-width letters and brackets, and an empty unit cell are no mismatch.
        #expect(
            result.samples == [
                "2025-03-08T00:00:00+08:00,wechat,gh_jinan,,followers,5000,exact,import",
                "2025-03-08T00:00:00+08:00,wechat,gh_qdabc,,followers,6000,exact,import",
                "2025-03-08T00:00:00+08:00,douyin,dy_zbvc,,followers,7000,exact,import",
            ]
        )
        // Without --unit, a sheet of several units is imported and says so.
        #expect(
            result.notices == [
                "|severalUnits|FILE: the sheet holds figures for 3 units (济南市教育局 1 row, 青岛ABC中学（东校区） 1 row, "
                    + "淄博职业学院 1 row), imported as a sheet filled for several units; if it came from one unit, "
                    + "import it with --unit UNIT, which refuses the rows of other units' accounts"
            ]
        )
    }

    @Test func importsARowWhoseNameDiffersAndSaysSo() throws {
        let result = try importText(
            """
            unit,platform,account,name,date,followers
            济南市教育局,wechat,gh_jinan,济南教育发布,2025-03-08,5000
            济南市教育局,wechat,gh_jinan,济南 教育,2025-03-07,4990
            济南市教育局,wechat,gh_jinan,,2025-03-06,4980

            """
        )
        #expect(result.failures.isEmpty)
        #expect(result.samples.count == 3)
        #expect(
            result.notices == [
                "line 2|nameMismatch|FILE:2: the name 济南教育发布 differs from the registry's name 济南教育 of "
                    + "wechat account \"gh_jinan\" (济南市教育局); the row was imported: if the account was renamed, "
                    + "update its name in the registry"
            ]
        )
    }

    // MARK: - Columns

    /// A monthly sheet kept by hand (docs/imports.md, "The self-report sheet"): `发文数` is the
    /// posts of the month, `阅读量` the reads of the month, neither the running total nor the
    /// day's reads the sheet's `posts` and `views` are.
    @Test func refusesACountThatMayBeOfAPeriodAndNamesTheHeaderToWrite() throws {
        let result = try importText(
            """
            日期,单位,平台,账号,名称,粉丝数,发文数,阅读量
            2025-01-31,济宁丙学院,微信公众号,gh_jnbing,济宁丙学院,100512,44,35000
            2025-02-28,济宁丙学院,微信公众号,gh_jnbing,济宁丙学院,101234,20,21000

            """
        )
        #expect(
            result.samples == [
                "2025-01-31T00:00:00+08:00,wechat,gh_jnbing,,followers,100512,exact,import",
                "2025-02-28T00:00:00+08:00,wechat,gh_jnbing,,followers,101234,exact,import",
            ]
        )
        #expect(
            result.failures == [
                "line 1|ambiguousColumn|FILE:1: column 发文数 was not imported: the self-report sheet's posts is "
                    + "发文总数, the running total to that day (截至该日累计), and 发文数 is read as the posts of a period "
                    + "(a month's, as collector's own report uses 发文数), which the sheet cannot import: if the column "
                    + "holds the running total to that day (截至该日累计), name it 发文总数 and import the sheet again; "
                    + "otherwise delete the column",
                "line 1|ambiguousColumn|FILE:1: column 阅读量 was not imported: the self-report sheet's views is "
                    + "当日阅读量, the reads or plays of that day alone (该日一天), and 阅读量 is read as the reads of a "
                    + "day, of a period or of all time, which the sheet cannot import: if the column holds the reads "
                    + "or plays of that day alone (该日一天), name it 当日阅读量 and import the sheet again; otherwise "
                    + "delete the column",
            ]
        )
        #expect(result.notices.isEmpty)
    }

    @Test func readsTheHeadersThatSayTheCountIsATotalOrOfTheDay() throws {
        let result = try importText(
            """
            日期,平台,账号,粉丝总数,累计作品数,当日播放量
            2025-03-07,抖音,dy_zbvc,7000,130,2400

            """
        )
        #expect(
            result.samples == [
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,followers,7000,exact,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,posts,130,exact,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,views,2400,exact,import",
            ]
        )
        #expect(result.failures.isEmpty && result.notices.isEmpty)
    }

    /// A WeChat "10万+" read is the lower bound 100001, as in WeChat's own exports
    /// (COUNTS_AND_TARGETS.md §1.2 Step 6); another platform's "10万+" is 100000. Until session
    /// 16 the sheet read both as 100000.
    @Test func readsAWeChatTenWanPlusReadAsMoreThanOneHundredThousand() throws {
        let result = try importText(
            """
            日期,平台,账号,当日阅读量
            2025-03-07,微信公众号,gh_jinan,10万+
            2025-03-07,抖音,dy_zbvc,10万+

            """
        )
        #expect(
            result.samples == [
                "2025-03-07T00:00:00+08:00,wechat,gh_jinan,,views,100001,lower_bound,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,views,100000,lower_bound,import",
            ]
        )
    }

    /// The headers as the template's 填报说明 and the messages describe the columns, with the
    /// note in brackets (`发文总数（截至该日累计）`): the note is no unit, and the column is read.
    /// Until session 15 each was refused as `headerUnit` for the 日 or 天 in its note.
    @Test func readsAHeaderWithTheTemplatesNoteInBrackets() throws {
        let result = try importText(
            """
            日期,平台,账号,粉丝总数（该日总数）,发文总数（截至该日累计）,当日阅读量（该日一天）
            2025-03-07,抖音,dy_zbvc,7000,130,2400

            """
        )
        #expect(
            result.samples == [
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,followers,7000,exact,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,posts,130,exact,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,views,2400,exact,import",
            ]
        )
        #expect(result.failures.isEmpty && result.notices.isEmpty)
    }

    /// Every way of saying that a posts header is the running total (累计 before it or in
    /// brackets after it) and that a views header is of that day (当日 or 当天) is read, for
    /// each spelling of the count (数 or 量, 发文, 发布 or 作品, 阅读 or 播放); until session 15
    /// `当日阅读数` and `累计发文量` were only named in the `columnNotRead` notice.
    @Test(
        arguments: [
            ("累计发文量", "当日阅读数"), ("发布总数", "当日播放数"), ("发文数（累计）", "阅读量（当日）"),
            ("累计发布数", "当天阅读量"), ("作品数(累计)", "播放数（当天）"), ("累计作品量", "当天播放量"),
        ]
    )
    func readsEveryHeaderThatSaysTheCountIsATotalOrOfTheDay(posts: String, views: String) throws {
        let result = try importText("日期,平台,账号,\(posts),\(views)\n2025-03-07,抖音,dy_zbvc,130,2400\n")
        #expect(
            result.samples == [
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,posts,130,exact,import",
                "2025-03-07T00:00:00+08:00,douyin,dy_zbvc,,views,2400,exact,import",
            ]
        )
        #expect(result.failures.isEmpty && result.notices.isEmpty)
    }

    /// The spellings without a time are refused alike (`作品量` as `作品数`, `播放数` as `播放量`).
    @Test func refusesEverySpellingOfACountThatMayBeOfAPeriod() throws {
        let result = try importText("日期,平台,账号,作品量,播放数\n2025-03-07,抖音,dy_zbvc,13,2400\n")
        #expect(result.samples.isEmpty)
        #expect(result.failures.map { $0.split(separator: "|")[1] } == ["ambiguousColumn", "ambiguousColumn"])
        #expect(result.failures.allSatisfy { $0.contains("column 作品量 was not") || $0.contains("column 播放数 was not") })
    }

    @Test func saysThatAPeriodCountIsNoTotalWhenPostsFall() throws {
        let result = try importText(
            """
            日期,平台,账号,发文总数
            2025-01-31,wechat,gh_jnbing,44
            2025-02-28,wechat,gh_jnbing,20

            """
        )
        #expect(
            result.failures == [
                "line 3|drop|FILE:3: posts of wechat account \"gh_jnbing\" fell from 44 on 2025-01-31 to 20 on "
                    + "2025-02-28, by 54.5%, more than the 20% allowed (max_drop); posts is the running total to that "
                    + "day (发文总数, 截至该日累计), and a count of one period, such as a month's posts, is not a total; "
                    + "the value was skipped: check it, correct the sheet and import it again"
            ]
        )
    }

    /// A sheet kept by hand has columns of its own: they are named once, at the header, not
    /// per row, and a clear header of a metric makes another header of it one of them.
    @Test func namesTheColumnsNothingReadsOncePerSheet() throws {
        let result = try importText(
            """
            日期,单位,平台,账号,账号名称,粉丝数,发文总数,本月发文数,10万+篇数,,发文数
            2025-02-28,济宁丙学院,微信公众号,gh_jnbing,济宁丙学院,101234,820,43,1,,43
            2025-03-07,济宁丙学院,微信公众号,gh_jnbing,济宁丙学院,103456,830,40,1,,40

            """
        )
        #expect(result.samples.count == 4)
        #expect(result.failures.isEmpty)
        #expect(
            result.notices == [
                "line 1|columnNotRead|FILE:1: columns not read: 本月发文数, 10万+篇数, 发文数 (a self-report sheet holds "
                    + "one day's figures per account and reads only the columns of `collector template`: 单位 unit, "
                    + "平台 platform, 账号 account, 名称 name, 日期 date, 粉丝总数 followers, 发文总数 posts, 当日阅读/播放量 "
                    + "views, 备注 notes; counts of a month or another period, such as the posts or 10万+ articles of "
                    + "a month, cannot be imported from it); the other columns were read"
            ]
        )
    }

    @Test(
        arguments: [
            (
                "douyin,dy_zbcv",
                "douyin account \"dy_zbcv\" is not in the account registry; did you mean \"dy_zbvc\" of 淄博职业学院? "
                    + "Check the platform and account cells against the registry; the row was skipped"
            ),
            (
                "wechat,GH_YTXIN",
                "wechat account \"GH_YTXIN\" is not in the account registry; did you mean \"gh_ytxin\" of 烟台辛小学 "
                    + "(account ids are case-sensitive)? Check the platform and account cells against the registry; "
                    + "the row was skipped"
            ),
            (
                "wechat,gh_qingdao_other",
                "wechat account \"gh_qingdao_other\" is not in the account registry; check the platform and account "
                    + "cells against the registry; the row was skipped"
            ),
            (
                "weibo,gh_ytxin",
                "weibo account \"gh_ytxin\" is not in the account registry; check the platform and account cells "
                    + "against the registry; the row was skipped"
            ),
        ]
    )
    func namesTheNearestAccountOfThePlatform(cells: String, message: String) throws {
        let result = try importText("unit,platform,account,date,followers\n,\(cells),2025-03-08,10\n")
        #expect(result.failures == ["line 2|unknownAccount|FILE:2: " + message])
        #expect(result.samples.isEmpty)
    }

    @Test(
        arguments: [
            ("2025年3月7日", "2025-03-07"),
            ("2025年03月07日 00:00", "2025-03-07"),
            ("2025年3月7", "2025-03-07"),
            ("2025/3/6", "2025-03-06"),
            ("2025/03/06", "2025-03-06"),
            ("2025-03-05 00:00", "2025-03-05"),
            (
                "3/4",
                "line 2|badCell|FILE:2: column date: \"3/4\" has no year; write the whole date, such as 2025-03-04 "
                    + "(\(DateTimeCell.workbookAdvice)); the row was skipped"
            ),
            (
                "3月4日",
                "line 2|badCell|FILE:2: column date: \"3月4日\" has no year; write the whole date, such as 2025-03-04 "
                    + "(\(DateTimeCell.workbookAdvice)); the row was skipped"
            ),
            (
                "2025-02",
                "line 2|badCell|FILE:2: column date: \"2025-02\" is a month without its day; write the day the figure "
                    + "was counted, such as 2025-02-28 (\(DateTimeCell.workbookAdvice)); the row was skipped"
            ),
            (
                "2025年3月",
                "line 2|badCell|FILE:2: column date: \"2025年3月\" is a month without its day; write the day the "
                    + "figure was counted, such as 2025-03-08 (\(DateTimeCell.workbookAdvice)); the row was skipped"
            ),
            (
                "2025年13月1日",
                "line 2|badCell|FILE:2: column date holds \"2025年13月1日\", which is not a date such as 2025-03-04, "
                    + "2025/3/4 or 2025-03-04 14:47:18; the row was skipped"
            ),
        ]
    )
    func readsWholeDatesAndRefusesOneWithoutItsYear(cell: String, expected: String) throws {
        let result = try importText("unit,platform,account,date,followers\n济南市教育局,wechat,gh_jinan,\(cell),10\n")
        if expected.hasPrefix("line") {
            #expect(result.failures == [expected])
            #expect(result.samples.isEmpty)
        } else {
            #expect(result.failures.isEmpty)
            #expect(result.samples == ["\(expected)T00:00:00+08:00,wechat,gh_jinan,,followers,10,exact,import"])
        }
    }

    /// A workbook's date cell whose format shows no day (`yyyy"年"m"月"`, `mmm-yy`: what a
    /// spreadsheet makes of a typed `2025-02`, whose serial is then the 1st) or no year
    /// (`m"月"d"日"`) is refused as the same text is, naming what the cell shows; whole dates, in
    /// custom and built-in formats, with a time or a weekday, are read.
    @Test func refusesAWorkbookDateCellThatShowsNoDayOrNoYear() throws {
        let path = ImportFixtures.path("any/exports/self_report_date_formats.xlsx")
        let (_, sink, batch) = try importSheet(path, registry: try Self.registry(), previous: nil)
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-02T00:00:00+08:00,wechat,gh_0123456789ab,,followers,180011,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_0123456789ab,,followers,180012,exact,import",
                "2025-03-05T00:00:00+08:00,wechat,gh_0123456789ab,,followers,180013,exact,import",
                "2025-03-06T00:00:00+08:00,wechat,gh_0123456789ab,,followers,180014,exact,import",
                "2025-03-07T00:00:00+08:00,wechat,gh_0123456789ab,,followers,180015,exact,import",
            ]
        )
        let month = "is a month without its day; write the day the figure was counted, such as 2025-02-28 "
        let year = "has no year; write the whole date, such as 2025-03-04 "
        let cells = [
            "\"2025年2月\" " + month, "\"2025-02\" " + month, "\"2025-02\" " + month, "\"2025-02\" " + month,
            "\"2025年2月\" " + month, "\"3月4日\" " + year, "\"3月4日\" " + year, "\"03-04\" " + year,
            "\"03-04 14:47\" " + year,
        ]
        let lines = cells.indices.map { $0 + 2 } + [16, 17, 18]
        let shown = cells + ["\"3/4\" " + year, "\"3月4日\" " + year, "\"03-04 14:47:05\" " + year]
        #expect(
            batch.failures.map { $0.message.replacing(path, with: "FILE") }
                == zip(lines, shown).map { line, cell in
                    "FILE:\(line): column 日期: \(cell)(\(DateTimeCell.workbookAdvice)); the row was skipped"
                }
        )
    }

    // MARK: - Values that replace stored ones

    /// Imports `text` as a sheet into the store under `settings`, as `collector import` does:
    /// a fresh ``StoredPreviousValues`` per import.
    private func importIntoStore(
        _ text: String,
        settings: CollectorSettings
    ) throws -> (counts: WriteCounts, failures: [String], notices: [String], summary: String) {
        let path = try temporary.write(text, to: "sheet-\(UInt64.random(in: 0...UInt64.max)).csv")
        let store = try SampleStore(settings: settings, logger: Logger(label: "test"))
        let batch = SampleBatch(sink: store)
        _ = try ImportService.importFile(
            path: path,
            platform: SelfReportImporter.platform,
            options: ImportOptions(
                registry: Self.units,
                previousValues: StoredPreviousValues(settings: settings),
                today: Self.today
            ),
            calendar: settings.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        try store.close()
        var summary = RunSummary()
        summary.succeeded = 1
        summary.counts = batch.counts
        for failure in batch.failures { summary.record(failure) }
        for notice in batch.notices { summary.recordNotice(notice) }
        func lines(_ records: [CollectionFailure]) -> [String] {
            records.map {
                [$0.object ?? "", $0.label, $0.message.replacing(path, with: "FILE")].joined(separator: "|")
            }
        }
        return (batch.counts, lines(batch.failures), lines(batch.notices), summary.text.replacing(path, with: "FILE"))
    }

    @Test func reportsAValueThatReplacesAnotherOfTheSameDayAndRefusesALargeFall() throws {
        var settings = CollectorSettings()
        settings.dataDirectory = temporary.path("data")
        settings.calendar = ImportFixtures.calendar
        let original = """
            unit,platform,account,date,followers,posts,views
            济南市教育局,wechat,gh_jinan,2025-03-06,790000,828,31000
            济南市教育局,wechat,gh_jinan,2025-03-07,801234,830,29000

            """
        let first = try importIntoStore(original, settings: settings)
        #expect(first.counts == WriteCounts(written: 6))
        #expect(first.failures.isEmpty && first.notices.isEmpty)

        // The same sheet again replaces nothing and says nothing.
        let again = try importIntoStore(original, settings: settings)
        #expect(again.counts == WriteCounts(duplicates: 6))
        #expect(again.failures.isEmpty && again.notices.isEmpty)

        // A corrected re-send: each changed value is named, with the one it replaces.
        let corrected = try importIntoStore(
            """
            unit,platform,account,date,followers,posts,views
            济南市教育局,wechat,gh_jinan,2025-03-07,780000,835,28000
            济南市教育局,wechat,gh_jinan,2025-03-07,,,28500

            """,
            settings: settings
        )
        #expect(corrected.failures.isEmpty)
        #expect(
            corrected.notices == [
                "line 2|valueReplaced|FILE:2: replaced 801234 (stored) with 780000 for followers of wechat account "
                    + "\"gh_jinan\" on 2025-03-07",
                "line 2|valueReplaced|FILE:2: replaced 830 (stored) with 835 for posts of wechat account "
                    + "\"gh_jinan\" on 2025-03-07",
                "line 2|valueReplaced|FILE:2: replaced 29000 (stored) with 28000 for views of wechat account "
                    + "\"gh_jinan\" on 2025-03-07",
                "line 3|valueReplaced|FILE:3: replaced 28000 (line 2 of the sheet) with 28500 for views of wechat "
                    + "account \"gh_jinan\" on 2025-03-07",
            ]
        )
        #expect(
            corrected.summary.split(separator: "\n").prefix(2) == [
                "summary: 4 rows written, 0 duplicates skipped; 1 ok, 0 failed, 4 notices",
                "  notice: import FILE [line 2]: valueReplaced: replaced 801234 (stored) with 780000 for followers of "
                    + "wechat account \"gh_jinan\" on 2025-03-07",
            ]
        )

        // A fall of more than max_drop against the value of the same day is refused, although
        // it is the only value of its day in the sheet; an estimate does not replace an exact
        // value, so it is neither checked nor named.
        let typo = try importIntoStore(
            """
            unit,platform,account,date,followers,views
            济南市教育局,wechat,gh_jinan,2025-03-07,80123,2.9万

            """,
            settings: settings
        )
        #expect(
            typo.failures == [
                "line 2|drop|FILE:2: followers of wechat account \"gh_jinan\" on 2025-03-07 would fall from 780000 "
                    + "(stored) to 80123, by 89.7%, more than the 20% allowed (max_drop); the value was skipped: check "
                    + "it, correct the sheet and import it again (if the value it replaces is the wrong one, import "
                    + "with a larger --max-drop)"
            ]
        )
        #expect(typo.notices.isEmpty)
        #expect(typo.counts == WriteCounts(outranked: 1))
        #expect(
            try StoredPreviousValues(settings: settings).value(
                platform: .wechat,
                account: "gh_jinan",
                metric: .followers,
                on: CivilDate(year: 2025, month: 3, day: 7)!
            ) == PreviousValue(date: CivilDate(year: 2025, month: 3, day: 7)!, value: 780_000)
        )
    }

    // MARK: - Old and new templates

    @Test func importsASheetOfTheOldTemplateWithEnglishHeaders() throws {
        // Byte for byte what `collector template` wrote before the headers became bilingual.
        let path = try temporary.write(
            [0xEF, 0xBB, 0xBF]
                + Array(
                    ("unit,platform,account,name,date,followers,posts,views,notes\r\n"
                        + "济南市教育局,wechat,gh_0123456789ab,济南教育发布,2025-03-08,182900,812,3120,\r\n").utf8
                ),
            to: "old_template.csv"
        )
        let (report, sink, batch) = try importSheet(path, registry: try Self.registry())
        #expect(report.headerLine == 1)
        #expect(Array(sink.samples.map { ImportFixtures.line($0) }) == Array(Self.expectedSamples.prefix(3)))
        #expect(batch.failures.isEmpty)
        // Every column of the template is read: no `columnNotRead`.
        #expect(batch.notices.isEmpty)
    }

    @Test func importsAFilledSheetOfTheNewTemplate() throws {
        let template = temporary.path("new_template.csv")
        try SelfReportTemplate.writeCSV(path: template, registry: try Self.registry(), date: Self.today)
        let text = String(decoding: try #require(try FileSystem.readFileIfPresent(template)), as: UTF8.self)
        let path = try temporary.write(
            text.replacing(",2025-03-08,,,,", with: ",2025-03-08,182900,812,3120,", maxReplacements: 1),
            to: "filled.csv"
        )
        let (report, sink, batch) = try importSheet(path, registry: try Self.registry())
        // The note above the header is passed over.
        #expect(report.headerLine == 2)
        #expect(report.rows == 4)
        #expect(Array(sink.samples.map { ImportFixtures.line($0) }) == Array(Self.expectedSamples.prefix(3)))
        #expect(batch.failures.isEmpty)
        // Every column of the template is read: no `columnNotRead`.
        #expect(batch.notices.isEmpty)
    }

    // MARK: - The template

    @Test func listsOneRowPerRegistryAccount() throws {
        let rows = SelfReportTemplate.rows(registry: try Self.registry(), date: Self.today)
        #expect(
            rows == [
                [
                    "单位 unit", "平台 platform", "账号 account", "名称 name", "日期 date", "粉丝总数 followers",
                    "发文总数 posts", "当日阅读/播放量 views", "备注 notes",
                ],
                ["济南市教育局", "微信公众号", "gh_0123456789ab", "济南教育发布", "2025-03-08", "", "", "", ""],
                ["济南市教育局", "抖音", "dy_jinan", "济南教育", "2025-03-08", "", "", "", ""],
                ["某中学", "视频号", "sph_school", "某中学视频号", "2025-03-08", "", "", "", ""],
                ["某中学", "微博", "5999000001", "某中学微博", "2025-03-08", "", "", "", ""],
            ]
        )
    }

    @Test func writesACSVExcelOpensAsUTF8() throws {
        let registry = AccountRegistry(entries: [
            RegistryEntry(
                unit: "某中学, 东校区",
                category: "middle_school",
                city: "济南",
                students: nil,
                platform: .wechat,
                account: "gh_1",
                name: "\"某中学\"发布",
                main: true,
                line: 2
            )
        ])
        let path = "/tmp/self-report-template-\(getpid()).csv"
        defer { unlink(path) }
        try SelfReportTemplate.writeCSV(path: path, registry: registry, date: Self.today)
        let bytes = try #require(try FileSystem.readFileIfPresent(path))
        #expect(
            bytes
                == [0xEF, 0xBB, 0xBF]
                + Array(
                    ("\"" + SelfReportTemplate.csvNote + "\"\r\n"
                        + "单位 unit,平台 platform,账号 account,名称 name,日期 date,粉丝总数 followers,发文总数 posts,"
                        + "当日阅读/播放量 views,备注 notes\r\n"
                        + "\"某中学, 东校区\",微信公众号,gh_1,\"\"\"某中学\"\"发布\",2025-03-08,,,,\r\n").utf8
                )
        )
    }

    @Test func writesLongNumericIdsSoThatExcelKeepsThemAndReadsThemBack() throws {
        func entry(_ platform: Platform, _ account: String, line: Int) -> RegistryEntry {
            RegistryEntry(
                unit: "兰山区第一中学",
                category: "middle_school",
                city: "临沂",
                students: nil,
                platform: platform,
                account: account,
                name: account,
                main: line == 2,
                line: line
            )
        }
        let registry = AccountRegistry(entries: [
            entry(.bilibili, "3493000000000001", line: 2), entry(.weibo, "5999000001", line: 3),
            entry(.kuaishou, "0123", line: 4),
        ])
        let template = temporary.path("ids.csv")
        try SelfReportTemplate.writeCSV(path: template, registry: registry, date: Self.today)
        let text = String(decoding: try #require(try FileSystem.readFileIfPresent(template)), as: UTF8.self)
        let lines = text.split(separator: "\r\n").dropFirst(2).map(String.init)
        #expect(
            lines == [
                "兰山区第一中学,哔哩哔哩,\"=\"\"3493000000000001\"\"\",3493000000000001,2025-03-08,,,,",
                "兰山区第一中学,微博,5999000001,5999000001,2025-03-08,,,,",
                "兰山区第一中学,快手,\"=\"\"0123\"\"\",0123,2025-03-08,,,,",
            ]
        )
        // Filled in and imported as written (a program that shows the formula as text), and as
        // Excel saves it: the formula's text, the id whole.
        let filled = text.replacing(",2025-03-08,,,,", with: ",2025-03-08,120,5,,")
        let asExcelSaves = filled.replacing("\"=\"\"3493000000000001\"\"\"", with: "3493000000000001")
            .replacing("\"=\"\"0123\"\"\"", with: "0123")
        for (index, sheet) in [filled, asExcelSaves].enumerated() {
            let path = try temporary.write(sheet, to: "filled\(index).csv")
            let (_, sink, batch) = try importSheet(path, registry: registry, previous: nil)
            #expect(batch.failures.isEmpty, "\(batch.failures)")
            #expect(Set(sink.samples.map(\.account)) == ["3493000000000001", "5999000001", "0123"])
        }
    }

    @Test func writesAWorkbookThatReadsBackAsTheSameRows() throws {
        let registry = try Self.registry()
        let path = "/tmp/self-report-template-\(getpid()).xlsx"
        defer { unlink(path) }
        try SelfReportTemplate.writeXLSX(path: path, registry: registry, date: Self.today)
        var table = try XLSXTable(path: path)
        #expect(table.sheetName == "self_report")
        let rows = try allRows(&table)
        #expect(
            rows.map(\.cells)
                == SelfReportTemplate.rows(registry: registry, date: Self.today).map { cells in
                    // Empty trailing cells are not written.
                    Array(cells.prefix { !$0.isEmpty })
                }
        )
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5])
        var instructions = try XLSXTable(path: path, sheet: "填报说明")
        #expect(try allRows(&instructions).map(\.cells) == SelfReportTemplate.instructions)
        // An unfilled sheet imports nothing and reports nothing.
        let (report, sink, batch) = try importSheet(path, registry: registry)
        #expect(sink.samples.isEmpty)
        #expect(batch.failures.isEmpty)
        #expect(report.rows == 4)
    }

    /// The 平台 column goes to units that do not know the codes (`wechat` does not even say
    /// whether it is 公众号 or 视频号): the template writes the reports' Chinese names, and every
    /// built-in platform reads back as itself, in the CSV and in the workbook; an exec adapter's
    /// platform, which has no Chinese name, keeps its code.
    @Test func writesPlatformsByTheirChineseNamesAndReadsThemBack() throws {
        let platforms = Platform.builtIn + [Platform(rawValue: "xiaohongshu")]
        let registry = AccountRegistry(
            entries: platforms.enumerated().map { index, platform in
                RegistryEntry(
                    unit: "某中学",
                    category: "middle_school",
                    city: "济南",
                    students: nil,
                    platform: platform,
                    account: "acct_\(platform.rawValue)",
                    name: "某中学\(index)",
                    main: index == 0,
                    line: index + 2
                )
            }
        )
        let rows = SelfReportTemplate.rows(registry: registry, date: Self.today)
        #expect(
            rows.dropFirst().map { $0[1] } == ["微信公众号", "视频号", "微博", "抖音", "快手", "哔哩哔哩", "今日头条", "xiaohongshu"]
        )
        let csv = temporary.path("platforms.csv")
        try SelfReportTemplate.writeCSV(path: csv, registry: registry, date: Self.today)
        let text = String(decoding: try #require(try FileSystem.readFileIfPresent(csv)), as: UTF8.self)
        let filled = try temporary.write(text.replacing(",2025-03-08,,,,", with: ",2025-03-08,120,5,9,"), to: "f.csv")
        let xlsx = temporary.path("platforms.xlsx")
        try SelfReportTemplate.writeXLSX(path: xlsx, registry: registry, date: Self.today)
        var table = try XLSXTable(path: xlsx)
        #expect(try allRows(&table).dropFirst().map { $0.cells[1] } == rows.dropFirst().map { $0[1] })
        // The unfilled workbook reads back row for row, and the filled CSV stores each row under
        // its own platform.
        let (report, empty, unfilled) = try importSheet(xlsx, registry: registry, previous: nil)
        #expect(report.rows == platforms.count && empty.samples.isEmpty && unfilled.failures.isEmpty)
        let (_, sink, batch) = try importSheet(filled, registry: registry, previous: nil)
        #expect(batch.failures.isEmpty, "\(batch.failures)")
        #expect(
            Set(sink.samples.filter { $0.metric == .views }.map { "\($0.platform.rawValue) \($0.account)" })
                == Set(platforms.map { "\($0.rawValue) acct_\($0.rawValue)" })
        )
    }

    /// The views column holds plays for the video accounts, and its header says so; sheets
    /// filled in on the templates before session 16 (`当日阅读量 views`, platform codes) import
    /// as before.
    @Test func readsTheViewsHeaderOfEveryTemplate() throws {
        for views in ["当日阅读/播放量 views", "当日阅读/播放量", "当日阅读量/播放量", "当日阅读量 views"] {
            let path = try temporary.write(
                "单位 unit,平台 platform,账号 account,名称 name,日期 date,粉丝总数 followers,发文总数 posts,"
                    + "\(views),备注 notes\r\n"
                    + "济南市教育局,wechat,gh_0123456789ab,济南教育发布,2025-03-08,182900,812,3120,\r\n",
                to: "views.csv"
            )
            let (_, sink, batch) = try importSheet(path, registry: try Self.registry())
            #expect(
                Array(sink.samples.map { ImportFixtures.line($0) }) == Array(Self.expectedSamples.prefix(3)),
                "\(views)"
            )
            #expect(batch.failures.isEmpty && batch.notices.isEmpty, "\(views): \(batch.failures) \(batch.notices)")
        }
    }

    /// A rounded follower count (10万) is stored as approximate, and one near a target is judged
    /// 无法判定: the sheet asks for the back office's exact figure and says why, and no longer
    /// invites `1.2万`.
    @Test func asksForTheExactFollowerCount() throws {
        let followers = try #require(SelfReportTemplate.instructions.first { $0[0] == "粉丝总数 followers" })
        #expect(followers[1].contains("准确数字") && followers[1].contains("无法判定"), "\(followers[1])")
        #expect(!followers[1].contains("可写"), "\(followers[1])")
        #expect(SelfReportTemplate.csvNote.contains("准确数字"))
        let views = try #require(SelfReportTemplate.instructions.first { $0[0] == SelfReportImporter.headers[7] })
        #expect(views[1].contains("播放量（视频号、抖音、快手、哔哩哔哩）"), "\(views[1])")
    }

    @Test func escapesTextForTheWorkbook() {
        var bytes: [UInt8] = []
        XLSXWriter.appendEscaped("a<b>&\"c\u{1}\td", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "a&lt;b&gt;&amp;&quot;c\td")
        #expect([0, 25, 26, 701, 702].map(XLSXWriter.columnName) == ["A", "Z", "AA", "ZZ", "AAA"])
    }
}
