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

/// An `[[adapters.import]]` drop folder polled again and again into the real store: a file is
/// imported once (the import ledger in `state_dir`), new files oldest first, so the newest
/// download's values are the ones kept.
@Suite(.serialized)
struct DropFolderLedgerTests {
    private let temporary: TemporaryDirectory
    private let settings: CollectorSettings

    init() throws {
        temporary = try TemporaryDirectory()
        var settings = CollectorSettings()
        settings.dataDirectory = temporary.path("data")
        settings.stateDirectory = temporary.path("state")
        self.settings = settings
    }

    static let header = "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n"

    /// A 已通知内容 row: 5 samples (viewers, shares users, follows, delivered, completion rate).
    static func row(mid: Int, day: Int, viewers: Int) -> String {
        "文章\(mid),2025-03-0\(day),\(viewers),10,1,1000,50.00%,https://mp.weixin.qq.com/s?__biz=MzA=&mid=\(mid)&idx=1&sn=0\n"
    }

    /// The download of 9 March (older) and of 10 March (newer), whose name sorts first: the
    /// newer one revises article 2247500001's readers and adds article 2247500003.
    private func dropTwoOverlappingExports() throws {
        try temporary.write(
            Self.header + Self.row(mid: 2_247_500_001, day: 4, viewers: 15000)
                + Self.row(mid: 2_247_500_002, day: 6, viewers: 8000),
            to: "drop/已通知内容(9).csv"
        )
        try temporary.write(
            Self.header + Self.row(mid: 2_247_500_001, day: 4, viewers: 15320)
                + Self.row(mid: 2_247_500_002, day: 6, viewers: 8000)
                + Self.row(mid: 2_247_500_003, day: 8, viewers: 100),
            to: "drop/已通知内容(10).csv"
        )
        try setModified("drop/已通知内容(9).csv", to: 1_741_500_000)
        try setModified("drop/已通知内容(10).csv", to: 1_741_600_000)
    }

    private func setModified(_ relative: String, to seconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, temporary.path(relative), &times, 0) == 0)
    }

    private func adapter() throws -> ImportAdapter {
        try ImportAdapter(
            configuration: AdapterConfiguration(
                type: "import",
                name: "import#1",
                values: [
                    "platform": .string("wechat"), "account": .string("gh_drop"),
                    "paths": .array([.string("drop/*.csv")]), "interval": .string("1h"),
                ],
                baseDirectory: temporary.path
            )
        )
    }

    private func context(dryRun: Bool = false, now: Int64 = 1_741_700_000) throws -> AdapterContext {
        AdapterContext(
            http: NoNetworkHTTP("the import adapter never reaches the network"),
            state: try StateStore(directory: settings.stateDirectory),
            calendar: ImportFixtures.calendar,
            now: { Timestamp(secondsSinceEpoch: now) },
            logger: Logger(label: "test"),
            isDryRun: dryRun
        )
    }

    /// One pass of the section into the store, as `collector run --once` makes it.
    private func pass(dryRun: Bool = false, now: Int64 = 1_741_700_000) async throws -> SampleBatch {
        let store = try SampleStore(settings: settings, logger: Logger(label: "test"))
        let batch = SampleBatch(sink: store)
        try await adapter().collect(account: "files", into: batch, context: try context(dryRun: dryRun, now: now))
        try batch.commit()
        try store.close()
        return batch
    }

    /// The stored rows of `object`'s `metric`, in file order (readers take the last).
    private func stored(_ object: String, _ metric: String) throws -> [String] {
        String(decoding: try temporary.read("data/wechat/2025-03/main.csv"), as: UTF8.self)
            .split(separator: "\n").filter { $0.contains(",\(object),\(metric),") }.map {
                String($0.split(separator: ",")[5])
            }
    }

    @Test func importsOverlappingExportsOnceOldestFirstSoTheNewestValueIsKept() async throws {
        try dropTwoOverlappingExports()
        let first = try await pass()
        #expect(first.failures.isEmpty, "\(first.failures)")
        #expect(first.notices.isEmpty)
        // (9) first: 10 samples; then (10): its revised readers and its new article.
        #expect(first.counts.written == 10 + 1 + 5)
        #expect(try stored("2247500001_1", "viewers") == ["15000", "15320"])
        for _ in 0..<2 {
            let again = try await pass()
            #expect(again.counts == WriteCounts(), "\(again.counts)")
            #expect(again.failures.isEmpty)
            #expect(
                again.notices.map(\.description) == [
                    "import#1 \(temporary.path)/drop/*.csv: alreadyImported: skipped 2 files already imported (same"
                        + " content for this platform and account): 已通知内容(10).csv, 已通知内容(9).csv;"
                        + " collector import --again FILE imports one again"
                ]
            )
        }
        #expect(try stored("2247500001_1", "viewers") == ["15000", "15320"])
        let ledger = String(decoding: try temporary.read("state/imports.ledger"), as: UTF8.self)
            .split(separator: "\n")
        #expect(ledger.count == 3)
        #expect(ledger[1].hasSuffix("\twechat\tgh_drop\tnotified_articles\t\(temporary.path)/drop/已通知内容(9).csv"))
        #expect(ledger[2].hasSuffix("\t\(temporary.path)/drop/已通知内容(10).csv"))
    }

    @Test func importsAChangedFileAndANewOneButNotTheKnownOnes() async throws {
        try dropTwoOverlappingExports()
        _ = try await pass()
        try temporary.write(
            Self.header + Self.row(mid: 2_247_500_003, day: 8, viewers: 180),
            to: "drop/已通知内容(10).csv"
        )
        try temporary.write(Self.header + Self.row(mid: 2_247_500_004, day: 9, viewers: 7), to: "drop/new.csv")
        let changed = try await pass()
        #expect(changed.counts.written == 1 + 5)
        #expect(changed.notices.map(\.label) == ["alreadyImported"])
        #expect(changed.notices.first?.message.contains("skipped 1 file already imported") == true)
        #expect(try stored("2247500003_1", "viewers") == ["100", "180"])
    }

    @Test func aFileWithADayToComeIsImportedAgainOnceTheDayHasCome() async throws {
        // Imported on 11 March with a row of 14 March (a clock that was behind): refused by
        // the clock, not by the file, so the file stays out of the ledger.
        try temporary.write(
            Self.header + Self.row(mid: 2_247_500_001, day: 4, viewers: 15000)
                + Self.row(mid: 2_247_500_002, day: 9, viewers: 800).replacing("2025-03-09", with: "2025-03-14"),
            to: "drop/a.csv"
        )
        let early = try await pass()
        #expect(early.counts.written == 5)
        #expect(early.failures.map(\.label) == ["futureDate"])
        #expect(early.failures.first?.message.contains("if this computer's clock is behind") == true)
        #expect(!FileSystem.exists(temporary.path("state/imports.ledger")))
        // On 15 March the same bytes bring the refused row; the other is a duplicate.
        let later = try await pass(now: 1_742_000_000)
        #expect(later.failures.isEmpty)
        #expect(later.counts.written == 5)
        #expect(later.counts.duplicates == 5)
        #expect(try stored("2247500002_1", "viewers") == ["800"])
        let ledger = String(decoding: try temporary.read("state/imports.ledger"), as: UTF8.self)
        #expect(ledger.contains("/drop/a.csv"))
        let third = try await pass(now: 1_742_000_000)
        #expect(third.notices.map(\.label) == ["alreadyImported"])
    }

    @Test func theSameContentUnderASecondNameIsImportedOnce() async throws {
        let content = Self.header + Self.row(mid: 2_247_500_001, day: 4, viewers: 15000)
        try temporary.write(content, to: "drop/a.csv")
        try temporary.write(content, to: "drop/a(1).csv")
        let batch = try await pass()
        #expect(batch.counts.written == 5)
        #expect(batch.counts.duplicates == 0)
        #expect(batch.notices.count == 1)
    }

    @Test func aDryRunReadsTheLedgerButWritesNone() async throws {
        try dropTwoOverlappingExports()
        let dry = try await pass(dryRun: true)
        #expect(dry.counts.written == 16)
        #expect(!FileSystem.exists(temporary.path("state/imports.ledger")))
        _ = try await pass()
        let afterRun = try await pass(dryRun: true)
        #expect(afterRun.counts == WriteCounts())
        #expect(afterRun.notices.map(\.label) == ["alreadyImported"])
    }

    @Test func aFileRefusedWholeIsNotRecordedAndOneWithARefusedRowIs() async throws {
        try temporary.write("甲,乙\n1,2\n", to: "drop/unknown.csv")
        try temporary.write(
            Self.header + Self.row(mid: 2_247_500_001, day: 4, viewers: 15000)
                + "文章,2025-03-05,x,1,1,1,1%,https://mp.weixin.qq.com/s?mid=2247500009&idx=1\n",
            to: "drop/partial.csv"
        )
        let first = try await pass()
        #expect(Set(first.failures.map(\.label)) == ["unknownKind", "badCell"])
        let second = try await pass()
        #expect(second.failures.map(\.label) == ["unknownKind"])
        #expect(second.notices.first?.message.contains("partial.csv") == true)
        #expect(second.counts == WriteCounts())
    }
}
