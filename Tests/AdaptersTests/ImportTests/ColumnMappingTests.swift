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

/// Mapped imports: the mapping files, their checks, and `[[adapters.import]] columns`.
@Suite(.serialized)
struct ColumnMappingTests {
    /// Where ``temporaryFile(_:suffix:)`` writes; removed with the suite value when the test ends.
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory()
    }

    /// Writes `text` to a fresh file and returns its path.
    private func temporaryFile(_ text: String, suffix: String = ".toml") throws -> String {
        try temporary.write(text, to: "mapping-\(UInt64.random(in: 0...UInt64.max))\(suffix)")
    }

    @Test(
        arguments: [
            ("toutiao_works_UNVERIFIED.toml", Platform.toutiao, "works", true),
            ("kuaishou_works_UNVERIFIED.toml", .kuaishou, "works", true),
            ("weibo_posts_EXAMPLE.toml", .weibo, "posts", true),
            ("bilibili_videos_EXAMPLE.toml", .bilibili, "videos", true),
            ("account_daily_EXAMPLE.toml", .bilibili, "account_daily", false),
            ("account_daily_EXAMPLE.toml", .weibo, "account_daily", false),
            ("douyin_works.toml", .douyin, "works", true),
            ("channels_posts.toml", .channels, "posts", true),
        ] as [(String, Platform, String, Bool)]
    )
    func loadsTheShippedMappingFiles(name: String, platform: Platform, kind: String, contentLevel: Bool) throws {
        let mapping = try ColumnMapping.load(path: ImportFixtures.mapping(name), platform: platform)
        #expect(mapping.kind == kind)
        #expect(mapping.isContentLevel == contentLevel)
        for column in mapping.columns {
            if case .metric(let metric, _) = column.role {
                #expect(MetricName.isValid(metric.rawValue, for: platform), "\(metric)")
            }
        }
    }

    @Test(
        arguments: [
            ("metric:views", ColumnMapping.Role.metric(.views, .count)),
            ("metric:toutiao_ctr", .metric(MetricName(rawValue: "toutiao_ctr"), .rate)),
            ("metric:toutiao_read_seconds", .metric(MetricName(rawValue: "toutiao_read_seconds"), .seconds)),
            ("metric:toutiao_rate_5s:rate", .metric(MetricName(rawValue: "toutiao_rate_5s"), .rate)),
            ("metric:completion_rate:count", .metric(.completionRate, .count)),
            ("time", .time), ("object", .object), ("account", .account), ("title", .title), ("url", .url),
            ("published_at", .publishedAt),
        ] as [(String, ColumnMapping.Role)]
    )
    func readsEveryRole(text: String, role: ColumnMapping.Role) throws {
        let mapping = try ColumnMapping(
            platform: .toutiao,
            values: ["columns": .table(["A": .string(text), "B": .string("metric:likes"), "C": .string("object")])],
            origin: "test"
        )
        #expect(mapping.columns.first { $0.header == "A" }?.role == role)
    }

    @Test func reportsEveryProblemOfAMappingFileWithItsLine() throws {
        let path = try temporaryFile(
            """
            platform = "toutiao"
            count_profile = "weibo"
            time_stamp = "published_day"
            colums = 1

            [columns]
            "标题" = "title"
            "阅读量" = "metric:reads"
            "点赞量" = "metric:weibo_likes"
            "评论量" = "metric:comments:integer"
            "分享量" = "share"
            "点击率" = 3
            "完读占比" = "metric:toutiao_finish_share:rate"

            """
        )
        defer { unlink(path) }
        let error = try #require(throws: ConfigurationErrors.self) {
            try ColumnMapping.load(path: path, platform: .toutiao)
        }
        let standard = MetricName.standard.map(\.rawValue).sorted().joined(separator: ", ")
        #expect(
            error.errors.map(\.description) == [
                "\(path):2: \"count_profile\" = \"weibo\" is not a count profile; use one of: default, wechat_reads, "
                    + "weibo_display",
                "\(path):3: \"time_stamp\" = \"published_day\" needs a column mapped to \"published_at\"",
                "\(path):4: unknown key \"colums\" in the mapping file; did you mean \"columns\"?",
                "\(path):6: title, url and published_at describe content: map the content id column to \"object\", or "
                    + "map both a title and a published_at column so that the id is derived from them",
                "\(path):8: column \"阅读量\": \"reads\" is neither a SPEC §4 metric (\(standard)) nor an extension "
                    + "named toutiao_<name>",
                "\(path):9: column \"点赞量\": \"weibo_likes\" is a weibo metric; a toutiao mapping writes SPEC §4 names"
                    + " or toutiao_<name>",
                "\(path):10: column \"评论量\": \"integer\" is not a value kind; use count, rate or seconds",
                "\(path):11: column \"分享量\": \"share\" is not a role; use metric:<name>, time, object, account, title, "
                    + "url or published_at",
                "\(path):12: column \"点击率\" must map to a string such as \"metric:views\", not integer",
                "\(path):13: column \"完读占比\": toutiao_finish_share is a count, so it cannot hold rate values; name a"
                    + " metric with the word rate, ctr or seconds (toutiao_<name>_rate, toutiao_<name>_seconds)",
            ]
        )
    }

    @Test func refusesAMappingOfAnotherPlatformOrWithoutMetrics() throws {
        func problems(_ values: [String: ConfigValue], platform: Platform = .kuaishou) -> [String] {
            do {
                _ = try ColumnMapping(platform: platform, values: values, origin: "test")
                return []
            } catch {
                return error.problems.map { ($0.key ?? "-") + ": " + $0.message }
            }
        }
        #expect(
            problems(["platform": .string("toutiao"), "columns": .table(["阅读量": .string("metric:views")])])
                == ["platform: the mapping is for \"toutiao\" exports, not kuaishou ones; use --platform toutiao"]
        )
        #expect(
            problems(["columns": .table(["标题": .string("title"), "发布时间": .string("published_at")])])
                == ["columns: no column maps to a metric; map at least one, such as \"播放量\" = \"metric:views\""]
        )
        #expect(
            problems([:]) == [
                "columns: the mapping has no \"columns\" table; add one: [columns] \"播放量\" = \"metric:views\""
            ]
        )
        #expect(
            problems(["columns": .table(["链接": .string("url"), "播放量": .string("metric:views")])]) == [
                "columns: title, url and published_at describe content: map the content id column to \"object\", or "
                    + "map both a title and a published_at column so that the id is derived from them"
            ]
        )
        #expect(
            problems(["time_stamp": .string("time"), "columns": .table(["播放量": .string("metric:views")])])
                == ["time_stamp: \"time_stamp\" = \"time\" needs a column mapped to \"time\""]
        )
        #expect(
            problems([
                "columns": .table([
                    "完播率": .string("metric:completion_rate"), "完播占比": .string("metric:completion_rate:count"),
                ])
            ]) == [
                "columns: metric completion_rate is read as count and rate by different columns; give every header of a "
                    + "metric the same kind"
            ]
        )
        let views: ConfigValue = .table(["播放量": .string("metric:views")])
        #expect(
            problems(["columns": views, "absent_columns": .string("体裁")]) == [
                "absent_columns: \"absent_columns\" must be a list of headers, such as [\"体裁\", \"2s跳出率\"], not string"
            ]
        )
        #expect(
            problems(["columns": views, "absent_columns": .array([.string("体裁"), .string(" ")])]) == [
                "absent_columns: \"absent_columns\" must list headers as strings, such as [\"体裁\", \"2s跳出率\"], none empty"
            ]
        )
        #expect(
            problems(["columns": views, "absent_columns": .array([.string("播放 量")])]) == [
                "absent_columns: \"播放 量\" is both in absent_columns and in columns; a header the export has cannot be absent"
            ]
        )
    }

    /// A Douyin 作品数据 export shares the title, time and count columns of the shipped Kuaishou
    /// and Toutiao works mappings (under a title header Douyin has used): their `absent_columns`
    /// refuse it, and the message says it is a Douyin export and how to import it.
    @Test(arguments: [
        ("kuaishou_works_UNVERIFIED.toml", Platform.kuaishou, "作品标题"),
        ("toutiao_works_UNVERIFIED.toml", .toutiao, "标题"),
    ])
    func refusesADouyinWorksExportThroughAnotherPlatformsMapping(name: String, platform: Platform, title: String) throws
    {
        let douyin = try String(
            decoding: Fixtures.bytes(ImportFixtures.path("douyin/exports/works.csv")),
            as: UTF8.self
        )
        let path = try temporaryFile(douyin.replacing("作品名称", with: title, maxReplacements: 1), suffix: ".csv")
        let mapping = try ColumnMapping.load(path: ImportFixtures.mapping(name), platform: platform)
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let error = try #require(throws: ImportError.self) {
            try ImportService.importFile(
                path: path,
                platform: platform,
                options: ImportOptions(account: "acc", mapping: mapping),
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
        }
        #expect(error.label == "kindMismatch")
        #expect(
            error.message.hasPrefix(
                "the headers do not match kind works: it has 体裁, 审核状态, 5s完播率, 2s跳出率, 封面点击率, 主页访问量, "
                    + "which a works export never has (absent_columns); headers found: \(title), 发布时间"
            ),
            "\(error.message)"
        )
        #expect(
            error.message.hasSuffix(
                "; this file looks like a douyin works export: import it with --platform douyin, or drop it into the "
                    + "folder of a douyin [[adapters.import]] section"
            )
        )
        try batch.commit()
        #expect(sink.samples.isEmpty)
    }

    /// The shipped Toutiao mapping still reads a Toutiao works export: its absent columns are
    /// Douyin's only.
    @Test func readsATouTiaoExportThroughTheShippedMapping() throws {
        let mapping = try ColumnMapping.load(
            path: ImportFixtures.mapping("toutiao_works_UNVERIFIED.toml"),
            platform: .toutiao
        )
        #expect(!mapping.absentColumns.isEmpty)
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let report = try ImportService.importFile(
            path: ImportFixtures.path("toutiao/exports/works_UNVERIFIED.csv"),
            platform: .toutiao,
            options: ImportOptions(account: "acc", mapping: mapping),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        #expect(report.kind == "works")
        #expect(!sink.samples.isEmpty)
    }

    /// A Toutiao sheet with both 推荐量 and 展现量, which the shipped mapping both maps to
    /// `metric:impressions`: the first in character order (展现量) is read, as before, and one
    /// notice per file names both and which was read, instead of dropping 推荐量 without a word.
    @Test func namesTheColumnNotReadWhenTwoColumnsOfAFileMapToOneMetric() throws {
        let mapping = try ColumnMapping.load(
            path: ImportFixtures.mapping("toutiao_works_UNVERIFIED.toml"),
            platform: .toutiao
        )
        func imported(_ text: String) throws -> (samples: [String], notices: [String]) {
            let path = try temporaryFile(text, suffix: ".csv")
            defer { unlink(path) }
            let sink = InMemorySink()
            let batch = SampleBatch(sink: sink)
            _ = try ImportService.importFile(
                path: path,
                platform: .toutiao,
                options: ImportOptions(
                    account: "tt1",
                    mapping: mapping,
                    today: CivilDate(year: 2026, month: 11, day: 1)
                ),
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
            try batch.commit()
            #expect(batch.failures.isEmpty)
            return (
                sink.samples.filter { $0.metric.rawValue == "impressions" }.map { $0.value.description },
                batch.notices.map { "\($0.label)|" + $0.message.replacing(path, with: "FILE") }
            )
        }
        let both = try imported(
            "标题,发布时间,推荐量,展现量,阅读量,文章标题\n关于寒假安全的通知,2026-10-20 10:00,254310,198000,18230,通知\n"
                + "期末安排,2026-10-21 10:00,1000,900,50,安排\n"
        )
        #expect(both.samples == ["198000", "900"])
        #expect(
            both.notices == [
                "columnNotRead|FILE:1: columns 文章标题 and 标题 both map to title; 文章标题 was read and 标题 not; columns "
                    + "展现量 and 推荐量 both map to metric:impressions; 展现量 was read and 推荐量 not (of the headers of one "
                    + "role, the one first in character order is read); to read another, leave the one read out of "
                    + ImportFixtures.mapping("toutiao_works_UNVERIFIED.toml")
            ]
        )
        // One of them alone: read, and no notice.
        let one = try imported("标题,发布时间,推荐量,阅读量\n关于寒假安全的通知,2026-10-20 10:00,254310,18230\n")
        #expect(one.samples == ["254310"])
        #expect(one.notices.isEmpty)
    }

    @Test func defaultsTheTimeStampToTheColumnsMapped() throws {
        func stamp(_ columns: [String: String]) throws -> ColumnMapping.TimeStamp {
            try ColumnMapping(
                platform: .weibo,
                values: ["columns": .table(columns.mapValues(ConfigValue.string))],
                origin: "test"
            ).timeStamp
        }
        #expect(try stamp(["日期": "time", "发布时间": "published_at", "ID": "object", "阅读": "metric:views"]) == .time)
        #expect(try stamp(["发布时间": "published_at", "ID": "object", "阅读": "metric:views"]) == .publishedDay)
        #expect(try stamp(["ID": "object", "阅读": "metric:views"]) == .importDay)
    }

    // MARK: - Through the import service

    private func importFile(
        _ path: String,
        platform: Platform,
        account: String? = "acc",
        kind: String? = nil,
        _ columns: [String: String],
        stamp: String? = nil
    ) throws -> (ImportReport, InMemorySink, SampleBatch) {
        var values: [String: ConfigValue] = ["columns": .table(columns.mapValues(ConfigValue.string))]
        if let stamp { values["time_stamp"] = .string(stamp) }
        let mapping = try ColumnMapping(platform: platform, values: values, origin: "test.toml")
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let report = try ImportService.importFile(
            path: path,
            platform: platform,
            options: ImportOptions(
                kind: kind,
                account: account,
                mapping: mapping,
                today: CivilDate(year: 2025, month: 3, day: 10)
            ),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        return (report, sink, batch)
    }

    @Test func stampsSnapshotsAtTheDayOfTheImport() throws {
        let (report, sink, _) = try importFile(
            ImportFixtures.path("bilibili/exports/videos_EXAMPLE.csv"),
            platform: .bilibili,
            ["BV号": "object", "播放": "metric:views"],
            stamp: "import_day"
        )
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-10T00:00:00+08:00,bilibili,acc,BV1xx411c7mD,views,12034,exact,import"
            ]
        )
        #expect(sink.objects.isEmpty)
        #expect(report.kind == "mapped")
    }

    @Test func keepsARowWhosePublishingTimeOnlyDescribesIt() throws {
        let path = try temporaryFile("日期,ID,发布时间,播放\n2025-03-04,BV1,昨天,10\n", suffix: ".csv")
        defer { unlink(path) }
        let (_, sink, batch) = try importFile(
            path,
            platform: .bilibili,
            ["日期": "time", "ID": "object", "发布时间": "published_at", "播放": "metric:views"]
        )
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-04T00:00:00+08:00,bilibili,acc,BV1,views,10,exact,import"
            ]
        )
        #expect(sink.objects.isEmpty)
        #expect(
            batch.failures.map(\.message) == [
                "\(path):2: column 发布时间: \"昨天\" is not a date such as 2025-03-04, 2025/3/4 or 2025-03-04 14:47:18; "
                    + "the cell was skipped"
            ]
        )
    }

    @Test func namesTheMissingKeyColumnsAndTheMissingMetrics() throws {
        let path = ImportFixtures.path("toutiao/exports/works_UNVERIFIED.csv")
        let mismatch = try #require(throws: ImportError.self) {
            try importFile(path, platform: .toutiao, ["作品ID": "object", "阅读量": "metric:views"])
        }
        #expect(mismatch.label == "kindMismatch")
        #expect(
            mismatch.message.hasPrefix("the headers do not match kind mapped: missing 作品ID; headers found: 标题, 发布时间")
        )
        let noMetric = try #require(throws: ImportError.self) {
            try importFile(
                path,
                platform: .toutiao,
                ["标题": "title", "发布时间": "published_at", "播放量": "metric:views"]
            )
        }
        #expect(
            noMetric.description
                == "\(path):1: the header row has none of the metric columns of the mapping test.toml (播放量); headers "
                + "found: 标题, 发布时间, 展现量, 阅读量, 点击率, 平均阅读时长, 点赞量, 评论量, 分享量, 收藏量, 粉丝展现量, 粉丝阅读量"
        )
        let account = try #require(throws: ImportError.self) {
            try importFile(
                path,
                platform: .toutiao,
                account: nil,
                ["标题": "title", "发布时间": "published_at", "阅读量": "metric:views"]
            )
        }
        #expect(account.label == "missingAccount")
        let kind = try #require(throws: ImportError.self) {
            try importFile(
                path,
                platform: .toutiao,
                kind: "works",
                ["阅读量": "metric:views", "标题": "title", "发布时间": "published_at"]
            )
        }
        #expect(kind.message == "\"works\" is not an export kind of toutiao; use one of: mapped")
    }

    // MARK: - [[adapters.import]]

    private func configuration(_ values: [String: ConfigValue], base: String = ".") -> AdapterConfiguration {
        AdapterConfiguration(
            type: "import",
            name: "import#1",
            values: values,
            keyLines: ["platform": 3, "paths": 4, "columns": 5, "mapping": 6, "count_profile": 7, "time_stamp": 8],
            baseDirectory: base
        )
    }

    @Test func validatesTheMappingOfItsSection() throws {
        func message(_ values: [String: ConfigValue]) -> String? {
            do {
                _ = try ImportAdapter(configuration: configuration(values))
                return nil
            } catch {
                return error.description
            }
        }
        let paths = ConfigValue.array([.string("exports/*.csv")])
        #expect(
            message([
                "platform": .string("kuaishou"), "paths": paths,
                "columns": .table(["播放量": .string("metric:plays")]),
            ])?.hasPrefix("adapters.conf:5: column \"播放量\": \"plays\" is neither a SPEC §4 metric") == true
        )
        #expect(
            message([
                "platform": .string("kuaishou"), "paths": paths, "columns": .table([:]), "mapping": .string("m.toml"),
            ]) == "adapters.conf:6: give either columns or mapping, not both in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("wechat"), "paths": paths, "time_stamp": .string("time")])
                == "adapters.conf:8: \"time_stamp\" applies to a column mapping; add columns or mapping in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("wechat"), "paths": paths, "absent_columns": .array([.string("体裁")])])
                == "adapters.conf:1: \"absent_columns\" applies to a column mapping; add columns or mapping in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("kuaishou"), "paths": paths, "mapping": .string("/nonexistent/m.toml")])
                == "adapters.conf:6: the mapping file is not valid: /nonexistent/m.toml: cannot read the mapping file: "
                + "No such file or directory in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("any"), "paths": paths])
                == "adapters.conf:3: self-report sheets (platform any) are checked against the account registry; set "
                + "registry in [collector] in [[adapters.import]]"
        )
        #expect(
            message([
                "platform": .string("kuaishou"), "paths": paths,
                "columns": .table(["播放量": .string("metric:views"), "作品ID": .string("object")]),
            ]) == nil
        )
    }

    @Test func importsFilesThroughItsColumnsTable() async throws {
        let adapter = try ImportAdapter(
            configuration: configuration([
                "platform": .string("toutiao"),
                "paths": .array([.string(ImportFixtures.path("toutiao/exports/works_UNVERIFIED.csv"))]),
                "account": .string("tt_test"),
                "columns": .table([
                    "标题": .string("title"), "发布时间": .string("published_at"), "阅读量": .string("metric:views"),
                ]),
                "kind": .string("works"),
            ])
        )
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let context = AdapterContext(
            http: NoNetworkHTTP("the import adapter never reaches the network"),
            state: try StateStore(directory: "/tmp/collector-mapping-state", readOnly: true),
            calendar: ImportFixtures.calendar,
            now: { Timestamp(secondsSinceEpoch: 1_741_000_000) },
            logger: Logger(label: "test")
        )
        try await adapter.collect(account: "files", into: batch, context: context)
        try batch.commit()
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-03T00:00:00+08:00,toutiao,tt_test,202503031100_29f936bf,views,18230,exact,import"
            ]
        )
        #expect(batch.failures.isEmpty)
    }
}
