import Adapters
import Collector
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
    ) throws -> (ImportReport, RecordingSink, SampleBatch) {
        let sink = RecordingSink()
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
        "line 6|unknownAccount|FILE:6: weibo account \"5999000002\" is not in the account registry; check the platform "
            + "and account cells against the registry; the row was skipped",
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
                单位,平台,账号,日期,粉丝数,发文数
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

    // MARK: - The template

    @Test func listsOneRowPerRegistryAccount() throws {
        let rows = SelfReportTemplate.rows(registry: try Self.registry(), date: Self.today)
        #expect(
            rows == [
                ["unit", "platform", "account", "name", "date", "followers", "posts", "views", "notes"],
                ["济南市教育局", "wechat", "gh_0123456789ab", "济南教育发布", "2025-03-08", "", "", "", ""],
                ["济南市教育局", "douyin", "dy_jinan", "济南教育", "2025-03-08", "", "", "", ""],
                ["某中学", "channels", "sph_school", "某中学视频号", "2025-03-08", "", "", "", ""],
                ["某中学", "weibo", "5999000001", "某中学微博", "2025-03-08", "", "", "", ""],
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
                    ("unit,platform,account,name,date,followers,posts,views,notes\r\n"
                        + "\"某中学, 东校区\",wechat,gh_1,\"\"\"某中学\"\"发布\",2025-03-08,,,,\r\n").utf8
                )
        )
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
        // An unfilled sheet imports nothing and reports nothing.
        let (report, sink, batch) = try importSheet(path, registry: registry)
        #expect(sink.samples.isEmpty)
        #expect(batch.failures.isEmpty)
        #expect(report.rows == 4)
    }

    @Test func escapesTextForTheWorkbook() {
        var bytes: [UInt8] = []
        XLSXWriter.appendEscaped("a<b>&\"c\u{1}\td", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "a&lt;b&gt;&amp;&quot;c\td")
        #expect([0, 25, 26, 701, 702].map(XLSXWriter.columnName) == ["A", "Z", "AA", "ZZ", "AAA"])
    }
}
