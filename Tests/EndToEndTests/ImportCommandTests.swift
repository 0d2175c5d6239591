import Foundation
import Testing

/// `collector import` of a platform export: what it says of a file it cannot read, and what it
/// keeps of one cut short. (The import ledger has ImportLedgerCommandTests.)
@Suite(.serialized) struct ImportCommandTests {
    @Test func importOfAnUnknownExportListsTheHeadersFound() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("mystery.csv", "甲,乙,丙\n1,2,3\n")
        let result = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_x", "mystery.csv"],
            in: workspace.path
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("mystery.csv"))
        #expect(result.stderr.contains("甲, 乙, 丙"))
    }

    /// A download cut short inside its last row (`18` of `182408`): the row is reported and not
    /// stored, the rows before it are, and the command exits 1 (partial).
    @Test func importOfAFileCutShortStoresTheWholeRowsAndExitsOne() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
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
}
