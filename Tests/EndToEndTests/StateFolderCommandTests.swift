import Foundation
import Testing

/// `state_dir` as operators get it wrong: opened up to other users by hand or by a deploy
/// script, or holding files that root left behind (`collector auth`, a trial run as root).
@Suite(.serialized)
struct StateFolderCommandTests {
    private static let douyinAccount = "0da22181-0000-4000-8000-00000000feed"
    private static let douyinCredential = "state/credential-douyin~\(douyinAccount).json"

    /// Bilibili from the simulator (needs no credential) and a Douyin account (needs one).
    private static func configuration(port: String) -> String {
        """
        [collector]
        data_dir = "data"
        state_dir = "state"

        [[adapters.bilibili]]
        accounts = ["208259", "546195"]
        rate = "50/s"
        base_url = "http://127.0.0.1:\(port)/bilibili"

        [[adapters.douyin]]
        accounts = ["\(douyinAccount)"]
        client_key = "awfixtureclientkey"
        client_secret = "${DOUYIN_CLIENT_SECRET}"
        redirect_uri = "https://example.edu.cn/douyin/callback"
        base_url = "http://127.0.0.1:\(port)/douyin"
        """
    }

    private static let environment = ["DOUYIN_CLIENT_SECRET": "dysecret-0123456789"]

    private func withSimulator(_ body: (Workspace, String) throws -> Void) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (simulator, port) = try CLI.startSimulator(
            fixtures: CLI.repositoryRoot + "/samples/simulator",
            in: workspace.path
        )
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write("adapters.conf", Self.configuration(port: port))
        try body(workspace, port)
    }

    /// A state folder anyone may write to (the reviewer's repro): `check` reports it and a run
    /// stops with exit 3 before it opens a file in it, so the links planted there reach nothing
    /// and the forged process-group record kills nothing. Once `chmod 700`, the run goes on.
    @Test func checkAndRunRefuseAStateFolderOthersCanWrite() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        let state = workspace.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: state)
        try workspace.write("victims/lock", "precious\n")
        try FileManager.default.createSymbolicLink(atPath: state + "/main.lock", withDestinationPath: "../victims/lock")
        try workspace.write("state/exec-exec.group", "1 1 -\n")
        let owner = NSUserName()

        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 2, "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "adapters.conf:3: [collector] state_dir \"state\" can be written by its group and other users"
                    + " (mode 0777, owner \(owner)): they could plant files and links in it (tokens, the lock, process"
                    + " groups to kill) that the collector would trust; make it private: chmod 700 state; a run would"
                    + " stop with exit 3"
            ),
            "\(check.stderr)"
        )

        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("storage error: state: use as state_dir failed (can be written by its group"))
        #expect(run.stderr.contains("make it private: chmod 700 state)"))
        #expect(workspace.files(under: "data").isEmpty)
        #expect(workspace.read("victims/lock") == "precious\n")
        #expect(workspace.read("state/exec-exec.group") == "1 1 -\n")

        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: state)
        try FileManager.default.removeItem(atPath: state + "/main.lock")
        let fixed = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    /// A credential file the run cannot read (here a folder in its place, which root cannot read
    /// either) fails its account, exit 1, and the other platforms collect: it is no storage
    /// error that stops everything. `check` names it.
    @Test func anUnreadableCredentialFailsOnlyTheAccountsThatNeedIt() throws {
        try withSimulator { workspace, _ in
            try FileManager.default.createDirectory(
                atPath: workspace.path + "/" + Self.douyinCredential,
                withIntermediateDirectories: true
            )
            let check = try CLI.run(["check"], in: workspace.path, environment: Self.environment)
            #expect(check.status == 2, "\(check.stderr)")
            #expect(
                check.stderr.contains(
                    "adapters.conf:3: [collector] state_dir \"state\": state/credential-douyin~\(Self.douyinAccount).json"
                        + " is a folder, where the collector keeps a file: remove it; the collector writes the file"
                        + " itself; a run would fail the accounts that need it"
                ),
                "\(check.stderr)"
            )

            let run = try CLI.run(["run", "--once"], in: workspace.path, environment: Self.environment)
            #expect(run.status == 1, "\(run.stderr)")
            #expect(
                run.stderr.contains(
                    "cannot read the credential file \(Self.douyinCredential): open failed (is a folder"
                )
            )
            #expect(run.stderr.contains("failed: douyin/\(Self.douyinAccount): credentialUnreadable: cannot read the"))
            #expect(workspace.files(under: "data").contains { $0.hasPrefix("bilibili/") && $0.hasSuffix("/main.csv") })
        }
    }

    /// The operator's repro: `collector auth` or a trial run as root in the service's folder,
    /// then the service user. Root is refused in the service user's folder; files root left
    /// there anyway (copied in, from an earlier version) are reported by `check` run as the
    /// service user, with their owner and the `chown`; the credential fails its account only
    /// (exit 1, Bilibili collects); a lock of root's stops the run (exit 3) with the same advice.
    @Test(.enabled(if: CLI.otherUsersCanRun, "needs root, setpriv, and executables every user can run"))
    func stateFilesRootLeftBehindNameTheirOwnerForTheServiceUser() throws {
        try withSimulator { workspace, _ in
            let nobody: UInt32 = 65534
            let serviceUser = try #require(Self.name(of: nobody))
            for folder in ["state", "data"] {
                try FileManager.default.createDirectory(
                    atPath: workspace.path + "/" + folder,
                    withIntermediateDirectories: false
                )
                #expect(chown(workspace.path + "/" + folder, nobody, nobody) == 0)
            }
            #expect(chmod(workspace.path + "/state", 0o700) == 0)

            let rootAuth = try CLI.run(
                ["auth", "douyin", Self.douyinAccount, "CODE123"],
                in: workspace.path,
                environment: Self.environment
            )
            #expect(rootAuth.status == 3, "\(rootAuth.stderr)")
            #expect(rootAuth.stderr.contains("state: use as state_dir failed (is owned by \(serviceUser), not by root"))
            #expect(
                rootAuth.stderr.contains("run the command as \(serviceUser) (e.g. sudo -u \(serviceUser) collector …)")
            )

            // As if root had written it: 0600, owned by root.
            let credential = #"{"access_token":"a","obtained_at":1,"expires_at":4102444800}"#
            try workspace.write(Self.douyinCredential, credential)
            #expect(chmod(workspace.path + "/" + Self.douyinCredential, 0o600) == 0)
            let advice =
                "owned by root, not by \(serviceUser) (the user running this command): give it back with chown"
                + " \(serviceUser): \(Self.douyinCredential), and run collector auth and trial runs as \(serviceUser)"
                + " (e.g. sudo -u \(serviceUser) collector auth …)"

            let check = try CLI.run(["check"], in: workspace.path, environment: Self.environment, user: nobody)
            #expect(check.status == 2, "\(check.stderr)")
            #expect(
                check.stderr.contains(
                    "[collector] state_dir \"state\": \(Self.douyinCredential) cannot be read and written by"
                        + " \(serviceUser): \(advice); a run would fail the accounts that need it"
                ),
                "\(check.stderr)"
            )

            let run = try CLI.run(["run", "--once"], in: workspace.path, environment: Self.environment, user: nobody)
            #expect(run.status == 1, "\(run.stderr)")
            #expect(
                run.stderr.contains(
                    "cannot read the credential file \(Self.douyinCredential): open failed: Permission denied (\(advice))"
                ),
                "\(run.stderr)"
            )
            #expect(workspace.files(under: "data").contains { $0.hasPrefix("bilibili/") && $0.hasSuffix("/main.csv") })

            // The lock a trial run as root left: the whole run needs it, so exit 3, but saying whose it is.
            try workspace.write("state/main.lock", "1\n")
            #expect(chmod(workspace.path + "/state/main.lock", 0o600) == 0)
            let locked = try CLI.run(
                ["run", "--once"],
                in: workspace.path,
                environment: Self.environment,
                user: nobody
            )
            #expect(locked.status == 3, "\(locked.stderr)")
            #expect(
                locked.stderr.contains(
                    "storage error: state/main.lock: open failed: Permission denied (owned by root, not by \(serviceUser)"
                ),
                "\(locked.stderr)"
            )
            #expect(locked.stderr.contains("chown \(serviceUser): state/main.lock"))
            #expect(!locked.stderr.contains("check that the folder exists"))
        }
    }

    private static func name(of uid: UInt32) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
