import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite(.serialized)
struct ImportLedgerTests {
    private static func entry(
        _ digit: Character,
        account: String? = "gh_a",
        path: String = "drop/a.csv"
    ) -> ImportLedger.Entry {
        ImportLedger.Entry(
            sha256: String(repeating: digit, count: 64),
            size: 1234,
            importedAt: 1_780_000_000,
            platform: .wechat,
            account: account,
            kind: "notified_articles",
            path: path
        )
    }

    @Test func recordsOneLinePerFileAndReadsItBack() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path("state"))
        let ledger = try ImportLedger(state: state)
        let odd = Self.entry("a", path: "drop/已通知内容(9)\t%09\n.csv")
        try ledger.record(odd)
        try ledger.record(Self.entry("b", account: nil))
        // Known already: nothing appended.
        try ledger.record(Self.entry("a", path: "elsewhere.csv"))
        let lines = String(decoding: try directory.read("state/imports.ledger"), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("# collector import ledger v1"))
        #expect(
            lines[1] == "\(String(repeating: "a", count: 64))\t1234\t1780000000\twechat\tgh_a\tnotified_articles\t"
                + "drop/已通知内容(9)%09%2509%0A.csv"
        )
        var info = stat()
        #expect(stat(directory.path("state/imports.ledger"), &info) == 0 && info.st_mode & 0o777 == 0o600)

        let reread = try ImportLedger(state: state)
        #expect(reread.count == 2)
        #expect(reread.entry(sha256: odd.sha256, platform: .wechat, account: "gh_a") == odd)
        #expect(reread.entry(sha256: odd.sha256, platform: .wechat, account: "gh_b") == nil)
        #expect(reread.entry(sha256: odd.sha256, platform: .douyin, account: "gh_a") == nil)
        #expect(reread.entry(sha256: String(repeating: "b", count: 64), platform: .wechat, account: nil) != nil)
    }

    @Test func passesOverATornLineAndStartsTheNextOnANewLine() throws {
        let directory = try TemporaryDirectory()
        let whole = ImportLedger.line(Self.entry("a"))
        try directory.write(
            whole + Array(String(repeating: "c", count: 64).utf8) + [0x09, 0x31],
            to: "state/imports.ledger"
        )
        let state = try StateStore(directory: directory.path("state"))
        let ledger = try ImportLedger(state: state)
        #expect(ledger.count == 1)
        try ledger.record(Self.entry("d"))
        let reread = try ImportLedger(state: state)
        #expect(reread.count == 2)
        #expect(reread.entry(sha256: String(repeating: "d", count: 64), platform: .wechat, account: "gh_a") != nil)
    }

    @Test func aReadOnlyLedgerRecordsInMemoryOnly() throws {
        let directory = try TemporaryDirectory()
        for ledger in [
            try ImportLedger(state: try StateStore(directory: directory.path("state"), readOnly: true)),
            try ImportLedger(state: try StateStore(directory: directory.path("state")), readOnly: true),
        ] {
            try ledger.record(Self.entry("a"))
            #expect(ledger.entry(sha256: String(repeating: "a", count: 64), platform: .wechat, account: "gh_a") != nil)
        }
        #expect(!directory.exists("state/imports.ledger"))
    }

    @Test func digestsAFileWithItsSizeAndNoticesAChange() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("abc", to: "a.csv")
        let digest = try FileDigest.of(file)
        #expect(digest.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.size == 3)
        #expect(digest.isUnchanged(at: file))
        try directory.write("abcd", to: "a.csv")
        #expect(!digest.isUnchanged(at: file))
        #expect(throws: StorageError.self) { try FileDigest.of(directory.path("none.csv")) }
    }
}
