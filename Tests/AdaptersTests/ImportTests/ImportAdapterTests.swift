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

@Suite(.serialized)
struct ImportAdapterTests {
    private func configuration(_ values: [String: ConfigValue], base: String = ".") -> AdapterConfiguration {
        AdapterConfiguration(
            type: "import",
            name: "import#1",
            values: values,
            keyLines: ["platform": 3, "paths": 4, "kind": 5, "account": 6],
            baseDirectory: base
        )
    }

    private func context(state: String) throws -> AdapterContext {
        AdapterContext(
            http: NoNetworkHTTP("the import adapter never reaches the network"),
            state: try StateStore(directory: state, readOnly: true),
            calendar: ImportFixtures.calendar,
            // 2025-03-11, after the days of the fixtures (2025-03-04 to 03-08): an import
            // refuses rows dated after its day.
            now: { Timestamp(secondsSinceEpoch: 1_741_700_000) },
            logger: Logger(label: "test")
        )
    }

    /// A fresh folder holding copies of fixture files.
    private func folder(with files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, fixture) in files {
            try directory.write(try #require(readAll(ImportFixtures.wechat(fixture))), to: name)
        }
        return directory
    }

    private func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    @Test func importsEveryMatchingFileAndRecordsTheOnesThatFail() async throws {
        let temporary = try folder(with: [
            "growth.csv": "export_user_growth.csv",
            "articles.csv": "export_notified_articles.csv",
            "trend.csv": "unknown_kind_content_trend.csv",
            "unknown.csv": "exports/unknown_frequent_readers.csv",
            "notes.txt": "user_growth_utf16.txt",
        ])
        defer { temporary.remove() }
        let directory = temporary.path
        let adapter = try ImportAdapter(
            configuration: configuration(
                ["platform": .string("wechat"), "paths": .array([.string("*.csv")]), "account": .string("gh_test")],
                base: directory
            )
        )
        #expect(adapter.accounts == ["files"])
        #expect(adapter.patterns == [directory + "/*.csv"])
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try await adapter.collect(account: "files", into: batch, context: try context(state: directory + "/state"))
        try batch.commit()
        // 用户增长, 已通知内容, 数据趋势 (the 全部 rows of two days).
        #expect(sink.samples.count == 15 + 10 + 12)
        #expect(sink.objects.count == 2)
        #expect(batch.failures.map(\.account) == [directory + "/unknown.csv"])
        #expect(batch.failures.map(\.adapter) == ["import#1"])
        #expect(batch.failures.map(\.label) == ["unknownKind"])
    }

    @Test func expandsGlobsOnceEachInNameOrder() throws {
        let temporary = try folder(with: ["b.csv": "export_user_growth.csv", "a.csv": "export_user_growth.csv"])
        defer { temporary.remove() }
        let directory = temporary.path
        #expect(
            ImportAdapter.expand([directory + "/*.csv", directory + "/a.csv", directory + "/none-*.xlsx"])
                == [directory + "/a.csv", directory + "/b.csv"]
        )
    }

    @Test func reportsAGlobWhoseFolderDoesNotExist() async throws {
        let temporary = try folder(with: ["growth.csv": "export_user_growth.csv"])
        defer { temporary.remove() }
        let directory = temporary.path
        let adapter = try ImportAdapter(
            configuration: configuration(
                [
                    "platform": .string("wechat"), "account": .string("gh_test"),
                    "paths": .array([.string("*.csv"), .string("exprots/*.csv"), .string("empty/*.xlsx")]),
                ],
                base: directory
            )
        )
        mkdir(directory + "/empty", 0o755)
        let batch = SampleBatch(sink: InMemorySink())
        try await adapter.collect(account: "files", into: batch, context: try context(state: directory + "/state"))
        // The misspelt folder is reported; the empty drop folder is not (nothing new to import).
        #expect(
            batch.failures.map(\.description) == [
                "import#1 \(directory)/exprots/*.csv: missingFolder: no folder \(directory)/exprots: check \"paths\""
                    + " in the configuration (relative paths start at the configuration file's folder)"
            ]
        )
        #expect(batch.addedCount == 15)
    }

    @Test func validatesItsSection() throws {
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
            message(["paths": paths]) == "adapters.conf:1: missing required key \"platform\" in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("xiaohongshu"), "paths": paths])
                == "adapters.conf:3: no importer reads \"xiaohongshu\" exports; importers exist for: wechat, channels, "
                + "douyin, any; for other layouts add a columns table or a mapping file in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("wechat")])
                == "adapters.conf:1: missing required key \"paths\" in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("wechat"), "paths": .array([])])
                == "adapters.conf:4: \"paths\" must list at least one glob, and no empty one in [[adapters.import]]"
        )
        #expect(
            message(["platform": .string("wechat"), "paths": paths, "kind": .string("trend")])
                == "adapters.conf:5: \"trend\" is not an export kind of wechat; use one of: user_growth, notified_articles, "
                + "content_trend, article_detail in [[adapters.import]]"
        )
        #expect(message(["platform": .string("wechat"), "paths": paths, "kind": .string("user_growth")]) == nil)
        // An account no stored file can hold as it is written (SPEC §5's rule for exec ids).
        for (account, problem) in [
            (" gh_01\\ ", "holds a backslash"), (" gh_01", "has white space at its start or end"),
            ("gh_01\u{3000}", "has white space at its start or end"), ("gh\u{0}01", "holds a control character"),
        ] {
            let text = message(["platform": .string("wechat"), "paths": paths, "account": .string(account)])
            #expect(text?.contains(problem) == true, "\(account): \(text ?? "accepted")")
        }
        #expect(message(["platform": .string("wechat"), "paths": paths, "account": .string("gh_01")]) == nil)
    }

    /// A drop folder of one unit's self-report sheets (`unit`): a sheet with figures for another
    /// unit's account is refused whole and not recorded, so it is reported again at every pass.
    @Test func refusesASheetOfOneUnitsFolderWithAnotherUnitsFigures() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        try temporary.write(
            "unit,platform,account,date,followers\n"
                + "B校,wechat,gh_b,2025-03-07,3000\n"
                + ",wechat,gh_a,2025-03-07,40001\n",
            to: "b.csv"
        )
        let registry = AccountRegistry(entries: [
            RegistryEntry(
                unit: "A校",
                category: "other",
                city: "济南",
                students: nil,
                platform: .wechat,
                account: "gh_a",
                name: "A",
                main: true,
                line: 2
            ),
            RegistryEntry(
                unit: "B校",
                category: "other",
                city: "济南",
                students: nil,
                platform: .wechat,
                account: "gh_b",
                name: "B",
                main: true,
                line: 3
            ),
        ])
        var settings = CollectorSettings()
        settings.dataDirectory = directory + "/data"
        settings.calendar = ImportFixtures.calendar
        func section(_ values: [String: ConfigValue]) -> AdapterConfiguration {
            AdapterConfiguration(
                type: "import",
                name: "import#1",
                values: ["platform": .string("any"), "paths": .array([.string("*.csv")])].merging(values) { $1 },
                keyLines: ["unit": 7, "max_rise": 8],
                settings: settings,
                registry: registry,
                baseDirectory: directory
            )
        }
        let adapter = try ImportAdapter(configuration: section(["unit": .string("B 校"), "max_rise": .string("20x")]))
        #expect(adapter.unit == "B校")
        #expect(adapter.maxRise == 20)
        let batch = SampleBatch(sink: InMemorySink())
        try await adapter.collect(account: "files", into: batch, context: try context(state: directory + "/state"))
        #expect(batch.addedCount == 0)
        #expect(batch.failures.map(\.label) == ["otherUnit", "otherUnits"])

        func message(_ values: [String: ConfigValue]) -> String? {
            do {
                _ = try ImportAdapter(configuration: section(values))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            message(["unit": .string("C校")])
                == "adapters.conf:7: unit C校: no account of the registry belongs to that unit; did you mean A校? write "
                + "the unit as the registry's unit column names it (2 units) in [[adapters.import]]"
        )
        #expect(
            message(["max_rise": .string("50%")])
                == "adapters.conf:8: \"max_rise\" must be a factor of at least 1, such as \"10\" in [[adapters.import]]"
        )
    }

    @Test func declaresTheMetricsOfItsImporters() {
        let names = ImportAdapter.metrics.map { "\($0.name.rawValue)/\($0.level.rawValue)" }
        #expect(
            names == [
                "followers/account", "followers_new/account", "followers_lost/account", "views/content",
                "viewers/content", "shares/content", "completion_rate/content", "wechat_share_users/content",
                "wechat_delivered/content", "wechat_follows_after_read/content", "views/account", "viewers/account",
                "shares/account", "favorites/account", "wechat_share_users/account", "posts_new/account",
                "recommends/content", "likes/content", "comments/content", "channels_avg_play_seconds/content",
                "channels_follows_gained/content", "favorites/content", "douyin_avg_play_seconds/content",
                "douyin_completion_rate_5s/content", "douyin_cover_ctr/content", "douyin_bounce_rate_2s/content",
                "douyin_profile_visits/content", "douyin_follows_gained/content", "posts/account",
            ]
        )
        #expect(ImportAdapter.configurationKeys.map(\.name).prefix(4) == ["platform", "paths", "account", "kind"])
    }
}
