import CollectorTesting
import Foundation
import Testing

/// `collector import` of a platform export: what it says of a file it cannot read, and what it
/// keeps of one cut short. (The import ledger has ImportLedgerCommandTests.)
@Suite(.serialized) struct ImportCommandTests {
    @Test func importOfAnUnknownExportListsTheHeadersFound() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        try workspace.write("mystery.csv", "甲,乙,丙\n1,2,3\n")
        let result = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_x", "mystery.csv"],
            in: workspace.path
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("mystery.csv"))
        #expect(result.stderr.contains("甲, 乙, 丙"))
    }

    /// A 已通知内容 export imported for an account whose articles a `wechat` section collects is
    /// stored as ever, with a notice that both write the publishing day's key; none with
    /// `articles = false`, or for another account.
    @Test func aNotifiedArticlesImportForAnAccountTheAPICollectsSaysBothWriteThePublishingDay() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        func configuration(_ extra: String = "") -> String {
            "[[adapters.wechat]]\naccount = \"gh_aaaaaaaaaaaa\"\napp_id = \"wx0123456789abcdef\"\n"
                + "app_secret = \"${WECHAT_SECRET}\"\n\(extra)"
        }
        try workspace.write(
            "notified.csv",
            "内容标题,发表时间,总阅读次数,总阅读人数,分享次数,内容url\n开学第一课,2026-11-24 18:00,131000,110000,300,"
                + "https://mp.weixin.qq.com/s?__biz=MzA==&mid=2247500001&idx=1&sn=a\n"
        )
        func importing(_ account: String) throws -> CLI.Result {
            try CLI.run(
                ["import", "--again", "--platform", "wechat", "--account", account, "notified.csv"],
                in: workspace.path,
                environment: ["WECHAT_SECRET": "fixture-secret"]
            )
        }
        try workspace.write("adapters.conf", configuration())
        let shared = try importing("gh_aaaaaaaaaaaa")
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(
            shared.stderr.contains(
                "notified.csv: articleTotalsShared: 已通知内容 totals of wechat account gh_aaaaaaaaaaaa are stored at"
                    + " each article's publishing day, where [[adapters.wechat]] \"wechat\" writes the API's figure of that day"
            ),
            "\(shared.stderr)"
        )
        for (extra, account) in [("articles = false\n", "gh_aaaaaaaaaaaa"), ("", "gh_bbbbbbbbbbbb")] {
            try workspace.write("adapters.conf", configuration(extra))
            let alone = try importing(account)
            #expect(alone.status == 0 && !alone.stderr.contains("publishing day"), "\(alone.stderr)")
        }
    }

    /// A Douyin 作品数据 export imported as Kuaishou through the shipped Kuaishou mapping: refused
    /// (the mapping's absent_columns), with whose export it looks like, and nothing stored.
    @Test func importOfAnotherPlatformsExportThroughAMappingSaysWhoseItIs() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        let works = try String(
            decoding: Fixtures.bytes(Fixtures.adaptersTests + "/douyin/exports/works.csv"),
            as: UTF8.self
        )
        try workspace.write("works.csv", works.replacing("作品名称", with: "作品标题", maxReplacements: 1))
        let mapping = Fixtures.testsDirectory + "/../samples/mappings/kuaishou_works_UNVERIFIED.toml"
        let result = try CLI.run(
            ["import", "--platform", "kuaishou", "--account", "ks_a", "--mapping", mapping, "works.csv"],
            in: workspace.path
        )
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "failed: import/works.csv: kindMismatch: the headers do not match kind works: it has 体裁"
            )
        )
        #expect(
            result.stderr.contains(
                "; this file looks like a douyin works export: import it with --platform douyin, or drop it into the "
                    + "folder of a douyin [[adapters.import]] section"
            ),
            "\(result.stderr)"
        )
        #expect(workspace.files(under: "data").isEmpty)
    }

    /// A download cut short inside its last row (`18` of `182408`): the row is reported and not
    /// stored, the rows before it are, and the command exits 1 (partial).
    @Test func importOfAFileCutShortStoresTheWholeRowsAndExitsOne() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        try workspace.write(
            "t4.csv",
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\r\n2025-05-03,60,3,57,182344\r\n2025-05-04,71,7,64,18"
        )
        let result = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_t4", "t4.csv"],
            in: workspace.path
        )
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("summary: 3 rows written"))
        #expect(
            result.stderr.contains(
                "failed: import/t4.csv [line 3]: cutShort: the file ends inside this row (no line end): it looks "
                    + "cut short, as by an interrupted "
                    + "download; the row was not imported; download the export again (or end the line if the row is "
                    + "complete)"
            )
        )
        let stored = try #require(workspace.read("data/wechat/2025-05/main.csv"))
        #expect(stored.contains("2025-05-03T00:00:00+08:00,wechat,gh_t4,,followers,182344,exact,import"))
        #expect(!stored.contains("2025-05-04"))
    }

    /// Files that do not name their account, imported without `--account`: nothing is
    /// collected, so it is a usage error (exit 2, SPEC §1), not a partial import (exit 1), and
    /// the message says which option is needed and why. With `--account` they import.
    @Test func importWithoutANeededAccountIsAUsageError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        let growth = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2025-05-03,60,3,57,182344\n"
        try workspace.write("user_growth_gh_a.csv", growth)
        try workspace.write("g2.csv", growth)
        let result = try CLI.run(
            ["import", "--platform", "wechat", "user_growth_gh_a.csv", "g2.csv"],
            in: workspace.path
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr
                == "error: --account is needed: user_growth_gh_a.csv, g2.csv do not name their account (the wechat "
                + "export has no account column), so their rows have no account to be stored under; pass --account "
                + "with the account id as configured (an id in the file name is not read); nothing was imported\n"
        )
        #expect(workspace.files(under: "data").isEmpty)

        // An account no stored file can hold as written: refused before anything is read.
        let spaced = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_a\\ ", "user_growth_gh_a.csv"],
            in: workspace.path
        )
        #expect(spaced.status == 2, "\(spaced.stderr)")
        #expect(spaced.stderr.contains("--account \"gh_a\\ \" holds a backslash"), "\(spaced.stderr)")
        #expect(workspace.files(under: "data").isEmpty)

        let imported = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_a", "user_growth_gh_a.csv"],
            in: workspace.path
        )
        #expect(imported.status == 0, "\(imported.stderr)")
    }
}
