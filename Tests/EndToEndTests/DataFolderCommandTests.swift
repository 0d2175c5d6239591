import Foundation
import Testing

/// `data_dir` opened up to other users: a link one of them planted is never followed, and the
/// folder draws a warning; the service user's own folder draws none.
@Suite(.serialized)
struct DataFolderCommandTests {
    /// A credential as the collector writes it: one line of JSON without a final LF.
    private static let credential =
        #"{"access_token":"act.SECRETTOKEN0123456789","refresh_token":"rft.single-use-0123456789","expires_at":1795884992}"#
    private static let credentialFile = "state/credential-douyin~open_abc.json"

    /// The reviewer's repro: in a data folder everyone may write to, another user links the
    /// service's month file to its Douyin credential. `check` warns about the folder; the run
    /// stops with exit 3 naming the link, and the credential is neither cut nor appended to.
    @Test func aLinkPlantedInASharedDataFolderIsRefusedAndTheFolderWarnedAbout() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        try FileManager.default.createDirectory(
            atPath: workspace.path + "/state",
            withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700]
        )
        try workspace.write(Self.credentialFile, Self.credential)
        try FileManager.default.createDirectory(atPath: workspace.path + "/data", withIntermediateDirectories: false)
        #expect(chmod(workspace.path + "/data", 0o777) == 0)
        try FileManager.default.createDirectory(
            atPath: workspace.path + "/data/xiaohongshu/2026-01",
            withIntermediateDirectories: true
        )
        let link = "data/xiaohongshu/2026-01/main.csv"
        try FileManager.default.createSymbolicLink(
            atPath: workspace.path + "/" + link,
            withDestinationPath: workspace.path + "/" + Self.credentialFile
        )
        let warning =
            "warning: the data folder data can be written by other users (mode 0777, owner \(NSUserName())): others"
            + " can change or remove the collected rows and put files and links in it (the collector follows no link"
            + " there, so they reach nothing outside it); unless that is meant, make it the service user's and"
            + " writable by it alone (chown, chmod go-w data; docs/operations.md, \"The data folder\")"

        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains(warning + "\n"), "\(check.stderr)")

        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "storage error: \(link): open failed: Too many levels of symbolic links (is a symbolic link, which the"
                    + " collector never follows in data_dir: remove it (rm \(link)); the collector writes the file itself)"
            ),
            "\(run.stderr)"
        )
        #expect(!run.stderr.contains("cut a torn last line"))
        #expect(workspace.read(Self.credentialFile) == Self.credential)
    }

    /// The service user in the folders it owns, as the systemd units run it: no warning, and
    /// every file is created and written (the `O_NOFOLLOW | O_NONBLOCK` opens need no privilege).
    @Test(.enabled(if: CLI.otherUsersCanRun, "needs root, setpriv, and executables every user can run"))
    func theServiceUsersOwnDataFolderDrawsNoWarning() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        let nobody: UInt32 = 65534
        #expect(chown(workspace.path, nobody, nobody) == 0)
        let check = try CLI.run(["check"], in: workspace.path, user: nobody)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        let run = try CLI.run(["run", "--once"], in: workspace.path, user: nobody)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        #expect(
            workspace.files(under: "data").sorted() == [
                "timezone", "xiaohongshu/2026-01/main.csv", "xiaohongshu/2026-02/main.csv",
            ]
        )
        let again = try CLI.run(["run", "--once"], in: workspace.path, user: nobody)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("summary: 0 rows written, 3 duplicates skipped"), "\(again.stderr)")
    }
}
