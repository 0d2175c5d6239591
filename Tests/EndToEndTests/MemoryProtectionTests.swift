import Foundation
import Testing

/// An exec adapter's command runs as the collector's user: it must not read the collector's
/// environment (every `${VAR}` secret of the service) through `/proc`, and the collector writes no
/// core dump (``MemoryProtection``).
@Suite(.serialized)
struct MemoryProtectionTests {
    /// What the command finds out about its parent, the collector, as samples: `followers` 1 when
    /// it read the Weibo cookie out of the collector's `/proc/<pid>/environ`, `following` the
    /// core-file limit it inherited (999999 for unlimited), `posts` 1 when the collector's
    /// `/proc/<pid>/environ` belongs to root.
    private static let peek = """
        #!/bin/sh
        environ=0
        tr '\\0' '\\n' < /proc/$PPID/environ 2>/dev/null | grep -q '^WB_COOKIE=SUB=' && environ=1
        core=$(ulimit -c); [ "$core" = unlimited ] && core=999999
        owner=0; [ "$(stat -c %u /proc/$PPID/environ)" = 0 ] && owner=1
        for pair in "followers $environ" "following $core" "posts $owner"; do
          set -- $pair
          printf '{"time":"2026-01-01T00:00:00+08:00","account":"a1","object":"","metric":"%s","value":%s}\\n' "$1" "$2"
        done
        """

    /// The reviewer's repro, as the service user: a command given only `XHS_COOKIE` reads nothing
    /// of the collector's environment (another platform's cookie), the collector's `/proc` files
    /// are root's, and the core-file limit a shell set to unlimited is 0 for the collector and
    /// so for its children. The command itself runs as usual.
    @Test(.enabled(if: CLI.otherUsersCanRun, "needs root, setpriv, and executables every user can run"))
    func anExecCommandCannotReadTheCollectorsEnvironmentAndNoCoreIsDumped() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.exec]]
            platform = "xiaohongshu"
            command = ["./peek.sh"]
            env = { XHS_COOKIE = "${XHS_COOKIE}" }
            """
        )
        try workspace.write("peek.sh", Self.peek, executable: true)
        let nobody: UInt32 = 65534
        #expect(chown(workspace.path, nobody, nobody) == 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.setpriv)
        process.arguments = [
            "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", "/bin/sh", "-c",
            "ulimit -c unlimited 2>/dev/null; exec \"$0\" run --once", CLI.binDirectory + "/collector",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        process.environment = [
            "PATH": "/usr/bin:/bin", "XHS_COOKIE": "xhsCookieValue0123",
            "WB_COOKIE": "SUB=WeiboLoginCookie0123456789",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(
            workspace.read("data/xiaohongshu/2026-01/main.csv")
                == ExecSetup.header + "\n"
                + "2026-01-01T00:00:00+08:00,xiaohongshu,a1,,followers,0,exact,exec\n"
                + "2026-01-01T00:00:00+08:00,xiaohongshu,a1,,following,0,exact,exec\n"
                + "2026-01-01T00:00:00+08:00,xiaohongshu,a1,,posts,1,exact,exec\n",
            "\(stderr)"
        )
    }
}
