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

    private func adapter(_ name: String, account: String, folder: String) throws -> ImportAdapter {
        try ImportAdapter(
            configuration: AdapterConfiguration(
                type: "import",
                name: name,
                values: [
                    "platform": .string("wechat"), "account": .string(account),
                    "paths": .array([.string(folder + "/*.csv"), .string(folder + "/*.xlsx")]),
                ],
                baseDirectory: temporary.path
            )
        )
    }

    /// One pass of a section into the store, as `collector run --once` makes it.
    private func pass(_ name: String, account: String, folder: String) async throws -> SampleBatch {
        let store = try SampleStore(settings: settings, logger: Logger(label: "test"))
        let batch = SampleBatch(sink: store)
        let context = AdapterContext(
            http: NoNetworkHTTP("the import adapter never reaches the network"),
            state: try StateStore(directory: settings.stateDirectory),
            calendar: ImportFixtures.calendar,
            now: { Timestamp(secondsSinceEpoch: Self.now) },
            logger: Logger(label: "test")
        )
        try await adapter(name, account: account, folder: folder).collect(
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

    private func storedAccounts() -> [String] {
        ImportFixtures.lines(of: temporary.path("data/wechat/2026-11/main.csv")).dropFirst().map {
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
