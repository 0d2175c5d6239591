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

/// What a drop folder refuses or holds back rather than import: another account's export, an
/// old `.xls` no glob matches (said once), an empty file a download is still filling.
@Suite(.serialized)
struct DropFolderSafetyTests {
    private let temporary: TemporaryDirectory
    private let settings: CollectorSettings

    init() throws {
        temporary = try TemporaryDirectory(prefix: "drop-safety")
        var settings = CollectorSettings()
        settings.dataDirectory = temporary.path("data")
        settings.stateDirectory = temporary.path("state")
        self.settings = settings
    }

    /// 2026-11-27T07:30:00Z.
    private static let now: Int64 = 1_795_764_600

    static let growth =
        "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-16,5,1,4,185006\n2026-11-17,5,1,4,185010\n"

    private func adapter(_ name: String, account: String, folder: String, platform: Platform) throws -> ImportAdapter {
        try ImportAdapter(
            configuration: AdapterConfiguration(
                type: "import",
                name: name,
                values: [
                    "platform": .string(platform.rawValue), "account": .string(account),
                    "paths": .array([.string(folder + "/*.csv"), .string(folder + "/*.xlsx")]),
                ],
                settings: settings,
                baseDirectory: temporary.path
            )
        )
    }

    /// One pass of a section into the store, as `collector run --once` makes it.
    private func pass(
        _ name: String,
        account: String,
        folder: String,
        platform: Platform = .wechat
    ) async throws -> SampleBatch {
        let store = try SampleStore(settings: settings, logger: Logger(label: "test"))
        let batch = SampleBatch(sink: store)
        let context = AdapterContext(
            http: NoNetworkHTTP("the import adapter never reaches the network"),
            state: try StateStore(directory: settings.stateDirectory),
            calendar: ImportFixtures.calendar,
            now: { Timestamp(secondsSinceEpoch: Self.now) },
            logger: Logger(label: "test")
        )
        try await adapter(name, account: account, folder: folder, platform: platform).collect(
            account: "files",
            into: batch,
            context: context
        )
        try batch.commit()
        try store.close()
        return batch
    }

    private func setModified(_ relative: String, to seconds: Int64) {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, temporary.path(relative), &times, 0) == 0)
    }

    private func storedAccounts(_ platform: Platform = .wechat) -> [String] {
        ImportFixtures.lines(of: temporary.path("data/\(platform)/2026-11/main.csv")).dropFirst().map {
            String($0.split(separator: ",", omittingEmptySubsequences: false)[2])
        }
    }

    @Test func refusesAnExportImportedForAnotherAccountUntilItIsImportedWithAgain() async throws {
        try temporary.write(Self.growth, to: "drop/a/ug_w2.csv")
        let first = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        #expect(first.failures.isEmpty, "\(first.failures)")
        #expect(Set(storedAccounts()) == ["gh_a"])

        try temporary.write(Self.growth, to: "drop/b/用户增长 (1).csv")
        for _ in 0..<2 {
            let copy = try await pass("wechat-b", account: "gh_b", folder: "drop/b")
            #expect(copy.addedCount == 0)
            #expect(copy.failures.map(\.label) == ["otherAccount"])
            let message = try #require(copy.failures.first).description
            #expect(message.hasPrefix("wechat-b \(temporary.path)/drop/b/用户增长 (1).csv: otherAccount: not imported"))
            #expect(
                message.contains("the same content was imported for account gh_a at 2026-11-27T15:30:00+08:00 from")
            )
            #expect(message.contains("/drop/a/ug_w2.csv, so this is most likely gh_a's export"))
            #expect(
                message.hasSuffix(
                    "if it really is gh_b's, import it with collector import --again --platform wechat --account gh_b "
                        + "FILE (the folder then skips it as imported)"
                )
            )
        }
        #expect(Set(storedAccounts()) == ["gh_a"])

        // What `collector import --again --account gh_b` records: the folder then skips the file.
        let ledger = try ImportLedger(state: try StateStore(directory: settings.stateDirectory))
        let digest = try FileDigest.of(temporary.path("drop/b/用户增长 (1).csv"))
        try ledger.record(
            ImportLedger.Entry(
                sha256: digest.sha256,
                size: digest.size,
                importedAt: Self.now,
                platform: .wechat,
                account: "gh_b",
                kind: "user_growth",
                path: "drop/b/用户增长 (1).csv"
            )
        )
        let skipped = try await pass("wechat-b", account: "gh_b", folder: "drop/b")
        #expect(skipped.failures.isEmpty)
        #expect(skipped.notices.map(\.label) == ["alreadyImported"])
    }

    /// A Channels post export with the given `(视频ID, 发布时间, 播放量)` rows.
    private static func posts(_ rows: [(String, String, Int)]) -> String {
        "视频ID,发布时间,播放量\n" + rows.map { "\($0.0),\($0.1),\($0.2)\n" }.joined()
    }

    /// Account A's next download (other bytes: the plays grew, a post is new) saved into B's
    /// folder: its 视频IDs are catalogued under A and none under B, so it is refused as A's, at
    /// every pass; a file of mostly new posts with one id of A is imported, with a notice.
    @Test func refusesANewerDownloadWhoseContentIdsAreCataloguedUnderAnotherAccount() async throws {
        try temporary.write(
            Self.posts([("export/UzA1", "2026/11/03", 12860), ("export/UzA2", "2026/11/06", 3400)]),
            to: "drop/a/posts_w1.csv"
        )
        let first = try await pass("channels-a", account: "chA", folder: "drop/a", platform: .channels)
        #expect(first.failures.isEmpty, "\(first.failures)")

        try temporary.write(
            Self.posts([
                ("export/UzA1", "2026/11/03", 13990), ("export/UzA2", "2026/11/06", 3600),
                ("export/UzA3", "2026/11/10", 120),
            ]),
            to: "drop/b/posts_w2.csv"
        )
        for _ in 0..<2 {
            let copy = try await pass("channels-b", account: "chB", folder: "drop/b", platform: .channels)
            #expect(copy.addedCount == 0)
            #expect(copy.failures.map(\.label) == ["otherAccount"])
            #expect(
                copy.failures.first?.message
                    == "not imported for channels account chB: 2 of the 3 content ids it gives are catalogued under "
                    + "account chA (for example export/UzA1) and none under chB, so this is most likely chA's export, "
                    + "and importing it would put chA's figures under chB. If it is chA's, import it with --account "
                    + "chA (or move it into chA's drop folder); if these contents really are chB's, import it with "
                    + "collector import --again --platform channels --account chB FILE (the folder then skips it as "
                    + "imported)"
            )
        }
        #expect(Set(storedAccounts(.channels)) == ["chA"])

        // Mostly new posts and one of A's: imported, and the notice names A.
        try temporary.write(
            Self.posts([
                ("export/UzC1", "2026/11/04", 50), ("export/UzC2", "2026/11/05", 60), ("export/UzA1", "2026/11/03", 70),
            ]),
            to: "drop/c/posts.csv"
        )
        let mixed = try await pass("channels-c", account: "chC", folder: "drop/c", platform: .channels)
        #expect(mixed.failures.isEmpty, "\(mixed.failures)")
        #expect(mixed.notices.map(\.label) == ["otherAccountObjects"])
        #expect(
            mixed.notices.first?.message.hasPrefix(
                "imported for channels account chC, although 1 of the 3 content ids it gives are catalogued under "
                    + "account chA (for example export/UzA1): check that the file is chC's export"
            ) == true
        )
        #expect(Set(storedAccounts(.channels)) == ["chA", "chC"])
    }

    @Test func importsTheSameHeaderOnlyDownloadForTwoAccounts() async throws {
        // Nothing in the period: the same bytes for every account, and nothing to misplace.
        let header = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n"
        try temporary.write(header, to: "drop/a/empty_period.csv")
        try temporary.write(header, to: "drop/b/empty_period.csv")
        _ = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        let other = try await pass("wechat-b", account: "gh_b", folder: "drop/b")
        #expect(other.failures.isEmpty, "\(other.failures)")
        let ledger = ImportFixtures.lines(of: temporary.path("state/imports.ledger"))
        #expect(ledger.filter { $0.contains("\twechat\tgh_b\tuser_growth\t") }.count == 1)
    }

    @Test func reportsAnOldExcelFileNoGlobMatchesOnceThenInANotice() async throws {
        // The compound-file signature an old .xls (and a WPS .et) starts with.
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        try temporary.write(xls, to: "drop/a/用户增长.xls")
        try temporary.write(xls + [1], to: "drop/a/报表.ET")
        try temporary.write(Self.growth, to: "drop/a/ug.csv")
        let first = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        #expect(first.failures.map(\.label) == ["oldExcel", "oldExcel"])
        #expect(
            first.failures.last?.description
                == "wechat-a \(temporary.path)/drop/a/用户增长.xls: oldExcel: this is an old Excel .xls workbook, which "
                + "cannot be imported; re-save it as .xlsx (Excel: File > Save As > Excel Workbook, 文件 → 另存为 → Excel "
                + "工作簿; WPS: 文件 → 另存为 → Excel 文件 *.xlsx) and import that file; no glob of \"paths\" matches it, so this is said once, then only in a notice"
        )
        #expect(first.counts.written == 6)
        for _ in 0..<2 {
            let later = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
            #expect(later.failures.isEmpty, "\(later.failures)")
            #expect(
                later.notices.map(\.description).last
                    == "wechat-a \(temporary.path)/drop/a/*.csv, \(temporary.path)/drop/a/*.xlsx: notImported: left 2 "
                    + "files that cannot be imported, reported before: 报表.ET, 用户增长.xls; re-save each as .xlsx "
                    + "(Excel: File > Save As > Excel Workbook) and remove it"
            )
        }
        // Reported is not imported: the ledger's imported entries do not name them.
        let ledger = try ImportLedger(state: try StateStore(directory: settings.stateDirectory))
        let digest = try FileDigest.of(temporary.path("drop/a/用户增长.xls"))
        #expect(ledger.entry(sha256: digest.sha256, platform: .wechat, account: "gh_a") == nil)
        #expect(
            ledger.reportedEntry(sha256: digest.sha256, platform: .wechat, account: "gh_a")?.kind == "reported:oldExcel"
        )
    }

    @Test func leavesARecentEmptyFileForALaterPassAndReportsAnOldOne() async throws {
        try temporary.write("", to: "drop/a/用户增长.csv")
        setModified("drop/a/用户增长.csv", to: Self.now - 60)
        let downloading = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        #expect(downloading.failures.isEmpty, "\(downloading.failures)")
        #expect(
            downloading.notices.map(\.description) == [
                "wechat-a \(temporary.path)/drop/a/*.csv, \(temporary.path)/drop/a/*.xlsx: notReady: left 1 empty file "
                    + "for a later pass, as a download may still be filling it: 用户增长.csv; an empty file older than "
                    + "10 minutes is reported as empty"
            ]
        )
        setModified("drop/a/用户增长.csv", to: Self.now - 11 * 60)
        let stale = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        #expect(stale.failures.map(\.label) == ["empty"])
        #expect(stale.notices.isEmpty)
    }

    /// A bad row of a file in a drop folder is the section's failure, named by the section
    /// (it read `import/…`, whatever the section was called).
    @Test func aRowFailureCarriesTheSectionsName() async throws {
        try temporary.write(
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-16,5,1,4,185006\n2026-11-17,5,1,4,abc\n",
            to: "drop/a/用户增长.csv"
        )
        let batch = try await pass("wechat-a", account: "gh_a", folder: "drop/a")
        #expect(batch.failures.count == 1)
        #expect(batch.failures.map(\.adapter) == ["wechat-a"], "\(batch.failures)")
    }
}
