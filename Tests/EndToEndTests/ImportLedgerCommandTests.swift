import Foundation
import Testing

/// The import ledger through the built `collector`: a file is imported once, by `import` and
/// by an `[[adapters.import]]` drop folder; `--again` imports it regardless; `test` records
/// nothing.
@Suite(.serialized) struct ImportLedgerCommandTests {
    static let growthHeader = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n"

    static let articlesHeader = "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n"

    static func article(mid: Int, day: Int, viewers: Int) -> String {
        "文章\(mid),2025-03-0\(day),\(viewers),10,1,1000,50.00%,https://mp.weixin.qq.com/s?__biz=MzA=&mid=\(mid)&idx=1&sn=0\n"
    }

    static func setModified(_ path: String, _ seconds: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: seconds)],
            ofItemAtPath: path
        )
    }

    /// Account A's next download (the plays grew, so other bytes) imported with B's --account:
    /// its 视频IDs are catalogued under A only, so it is refused as A's (exit 1, nothing
    /// written); --again imports it all the same.
    @Test func importRefusesANewerDownloadWhoseContentIdsAnotherAccountHas() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "")
        let header = "视频ID,发布时间,播放量\n"
        try workspace.write("w1.csv", header + "export/UzA1,2025/03/03,12860\nexport/UzA2,2025/03/06,3400\n")
        try workspace.write("w2.csv", header + "export/UzA1,2025/03/03,13990\nexport/UzA2,2025/03/06,3600\n")
        let first = try CLI.run(["import", "--platform", "channels", "--account", "chA", "w1.csv"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")

        let arguments = ["import", "--platform", "channels", "--account", "chB", "w2.csv"]
        let refused = try CLI.run(arguments, in: workspace.path)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "failed: import/w2.csv: otherAccount: not imported for channels account chB: 2 of the 2 content ids it "
                    + "gives are catalogued under account chA (for example export/UzA1) and none under chB, so this is "
                    + "most likely chA's export"
            ),
            "\(refused.stderr)"
        )
        #expect(refused.stderr.hasSuffix("if these contents really are chB's, add --again to import it all the same\n"))
        #expect(workspace.read("data/channels/objects.csv")?.contains(",chB,") == false)

        let again = try CLI.run(arguments + ["--again"], in: workspace.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(workspace.read("data/channels/objects.csv")?.contains("export/UzA1,chB,") == true)
    }

    @Test func importSkipsAFileImportedBeforeAndAgainImportsIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        try workspace.write("g30.csv", Self.growthHeader + "2025-03-03,12,3,9,182344\n2025-03-04,5,1,4,182348\n")
        let arguments = ["import", "--platform", "wechat", "--account", "gh_x"]

        let first = try CLI.run(arguments + ["g30.csv"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("summary: 6 rows written, 0 duplicates skipped; 1 ok, 0 failed\n"))
        let ledger = try #require(workspace.read("state/imports.ledger"))
        #expect(ledger.split(separator: "\n").count == 2)
        #expect(ledger.hasSuffix("\twechat\tgh_x\tuser_growth\tg30.csv\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.path + "/state/imports.ledger")[
            .posixPermissions
        ]
        #expect(mode as? Int == 0o600)

        let second = try CLI.run(arguments + ["g30.csv"], in: workspace.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("summary: 0 rows written, 0 duplicates skipped; 0 ok, 0 failed, 1 notice\n"))
        #expect(
            second.stderr.contains(
                "notice: import/g30.csv: alreadyImported: skipped: the same content was imported at "
            ),
            "\(second.stderr)"
        )
        #expect(second.stderr.contains(" (user_growth); --again imports it again"))

        // The same content under another name is the same file.
        try FileManager.default.copyItem(atPath: workspace.path + "/g30.csv", toPath: workspace.path + "/copy.csv")
        let copy = try CLI.run(arguments + ["copy.csv"], in: workspace.path)
        #expect(copy.stderr.contains("notice: import/copy.csv: alreadyImported:"), "\(copy.stderr)")
        #expect(copy.stderr.contains(" from g30.csv (user_growth)"))

        let again = try CLI.run(arguments + ["--again", "g30.csv"], in: workspace.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("summary: 0 rows written, 6 duplicates skipped; 1 ok, 0 failed\n"))
        #expect(workspace.read("state/imports.ledger") == ledger)

        // The same content for another account is most likely gh_x's file under the wrong
        // account: refused, unless --again says it really is gh_y's (then another import).
        let other = try CLI.run(["import", "--platform", "wechat", "--account", "gh_y", "g30.csv"], in: workspace.path)
        #expect(other.status == 1, "\(other.stderr)")
        #expect(other.stderr.contains("summary: 0 rows written, 0 duplicates skipped; 0 ok, 1 failed\n"))
        #expect(
            other.stderr.contains(
                "failed: import/g30.csv: otherAccount: not imported for wechat account gh_y: the same content was "
                    + "imported for account gh_x at "
            ),
            "\(other.stderr)"
        )
        #expect(other.stderr.contains("if it really is gh_y's, add --again to import it all the same"))
        let otherAgain = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_y", "--again", "g30.csv"],
            in: workspace.path
        )
        #expect(otherAgain.stderr.contains("summary: 6 rows written"), "\(otherAgain.stderr)")

        // A changed file (a day revised, one added) is imported.
        try workspace.write(
            "g30.csv",
            Self.growthHeader + "2025-03-03,12,3,9,182344\n2025-03-04,5,1,4,182350\n2025-03-05,1,1,0,182350\n"
        )
        let changed = try CLI.run(arguments + ["g30.csv"], in: workspace.path)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("summary: 4 rows written, 5 duplicates skipped; 1 ok, 0 failed\n"))
        #expect(try #require(workspace.read("state/imports.ledger")).split(separator: "\n").count == 4)
    }

    /// The same export copied into two accounts' drop folders before one run: the sections run
    /// at the same time and neither finds the other's import in the ledger yet; one account
    /// imports it, the other refuses it as that account's copy.
    @Test func aFileInTwoAccountsFoldersBeforeOneRunIsImportedForOneOnly() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        var sections = "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n"
        for account in ["a", "b"] {
            sections += """

                [[adapters.import]]
                name = "wechat-\(account)"
                platform = "wechat"
                account = "gh_\(account)"
                paths = ["drop/\(account)/*.csv"]

                """
        }
        try workspace.write("adapters.conf", sections)
        let growth = Self.growthHeader + "2026-01-05,5,1,4,184777\n"
        try workspace.write("drop/a/用户增长.csv", growth)
        try workspace.write("drop/b/用户增长.csv", growth)

        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("otherAccount: not imported for wechat account gh_"), "\(run.stderr)")
        let rows = (workspace.read("data/wechat/2026-01/main.csv") ?? "").split(separator: "\n").dropFirst()
        let accounts = Set(rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] })
        #expect(accounts.count == 1, "\(rows)")
    }

    /// The data engineer's repro in small: two overlapping 已通知内容 downloads in a drop folder,
    /// the newer one revising a value and named so that it sorts first; `run --once` three times.
    @Test func aDropFolderIsImportedOnceAndTheNewestDownloadWins() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.import]]
            platform = "wechat"
            account = "gh_drop"
            paths = ["drop/*.csv"]
            interval = "1h"
            """
        )
        try workspace.write(
            "drop/已通知内容(9).csv",
            Self.articlesHeader + Self.article(mid: 2_247_500_001, day: 4, viewers: 15000)
                + Self.article(mid: 2_247_500_002, day: 6, viewers: 8000)
        )
        try workspace.write(
            "drop/已通知内容(10).csv",
            Self.articlesHeader + Self.article(mid: 2_247_500_001, day: 4, viewers: 15320)
                + Self.article(mid: 2_247_500_002, day: 6, viewers: 8000)
        )
        try Self.setModified(workspace.path + "/drop/已通知内容(9).csv", 1_741_500_000)
        try Self.setModified(workspace.path + "/drop/已通知内容(10).csv", 1_741_600_000)

        let dry = try CLI.run(["test"], in: workspace.path)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains(",wechat,gh_drop,2247500001_1,viewers,15320,exact,import"))
        #expect(workspace.read("state/imports.ledger") == nil)

        let first = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("summary: 11 rows written, 9 duplicates skipped; 1 ok, 0 failed\n"))
        for _ in 0..<2 {
            let again = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(
                again.stderr.contains("summary: 0 rows written, 0 duplicates skipped; 1 ok, 0 failed, 1 notice\n"),
                "\(again.stderr)"
            )
            #expect(again.stderr.contains("alreadyImported: skipped 2 files already imported"))
        }
        let rows = try #require(workspace.read("data/wechat/2025-03/main.csv")).split(separator: "\n")
        #expect(rows.count == 1 + 11)
        #expect(rows.filter { $0.contains(",2247500001_1,viewers,") }.last?.contains(",15320,") == true)
    }
}
