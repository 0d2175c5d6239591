import CollectorTesting
import Foundation
import Testing

/// What a full disk tells the user: which file, what to free (bytes or inodes) and what is
/// kept, per kind of file; and that `auth` does not spend a single-use code it cannot save.
///
/// The disks are small tmpfs mounts, which need root (CAP_SYS_ADMIN): without it those tests
/// say they are skipped. `/dev/full`, which fails every write with ENOSPC, needs no root.
@Suite(.serialized) struct FullDiskTests {
    static let exportRow =
        "time,platform,account,object,metric,value,quality,source\n"
        + "2026-11-01T00:00:00+08:00,bilibili,1,,followers,5,exact,web\n"

    /// Mounts a tmpfs with `options` on `folder` (created); false when this user cannot.
    static func mountTmpfs(_ folder: String, options: String) throws -> Bool {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard ReliabilityTests.shell("mount -t tmpfs -o \(options) collector-full-disk '\(folder)'") == 0 else {
            print("skipped: cannot mount a tmpfs here (not root?)")
            return false
        }
        return true
    }

    /// Fills the file system of `folder` with one file of zeros.
    static func fill(_ folder: String) {
        _ = ReliabilityTests.shell("dd if=/dev/zero of='\(folder)/zz-fill' bs=1k")
    }

    @Test func aFullExportOutputIsNamedAndNothingOfItIsSaidToBeKept() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("data/bilibili/2026-11/main.csv", Self.exportRow)
        try workspace.write("adapters.conf", "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n")

        // /dev/full is no regular file: it is written directly, and every write fails.
        let device = try CLI.run(["export", "--format", "csv", "-o", "/dev/full"], in: workspace.path)
        #expect(device.status == 3, "\(device.stderr)")
        #expect(device.stderr.contains("storage error: /dev/full: write failed: No space left on device"))
        #expect(device.stderr.contains("nothing was replaced, an earlier file is kept as it was"))
        #expect(!device.stderr.contains("export output"))
        #expect(!device.stderr.contains("rows already written are intact"))

        let disk = workspace.path + "/disk"
        guard try Self.mountTmpfs(disk, options: "size=64k") else { return }
        defer { _ = ReliabilityTests.shell("umount '\(disk)'") }
        try workspace.write("disk/out.csv", "old\n")
        Self.fill(disk)
        let file = try CLI.run(["export", "--format", "csv", "-o", "disk/out.csv"], in: workspace.path)
        #expect(file.status == 3, "\(file.stderr)")
        #expect(file.stderr.contains("storage error: disk/out.csv: write failed: No space left on device"))
        #expect(!file.stderr.contains("rows already written are intact"))
        #expect(workspace.read("disk/out.csv") == "old\n")
    }

    @Test func usedUpInodesAreToldApartFromAFullDisk() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let disk = workspace.path + "/disk"
        guard try Self.mountTmpfs(disk, options: "size=4m,nr_inodes=16") else { return }
        defer { _ = ReliabilityTests.shell("umount '\(disk)'") }
        var made = 0
        while FileManager.default.createFile(atPath: "\(disk)/f\(made)", contents: nil) { made += 1 }
        try #require(made > 0)
        try workspace.write(
            "gen.sh",
            "#!/bin/sh\necho '{\"time\":\"2026-11-25T00:00:00+08:00\",\"account\":\"a1\",\"object\":\"\","
                + "\"metric\":\"followers\",\"value\":1,\"quality\":\"exact\"}'\n",
            executable: true
        )
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "disk/data"
            state_dir = "state"

            [[adapters.exec]]
            name = "gen"
            platform = "xiaohongshu"
            command = ["./gen.sh"]

            """
        )
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "No space left on device (no free inodes on the file system of ./disk (df -i): remove files there, then re-run"
            ),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("free disk space"))
    }

    @Test func authRefusesACodeUnusedWhenTheStateDiskIsFull() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let disk = workspace.path + "/disk"
        guard try Self.mountTmpfs(disk, options: "size=64k") else { return }
        defer { _ = ReliabilityTests.shell("umount '\(disk)'") }
        Self.fill(disk)
        let token = try String(
            contentsOfFile: CLI.repositoryRoot + "/Tests/AdaptersTests/Fixtures/kuaishou/oauth2_access_token_ok.json",
            encoding: .utf8
        )
        try workspace.write("simulator/kuaishou/oauth2/access_token.json", token)
        try await withPlatformSimulator(fixtureRoot: workspace.path + "/simulator") { simulator in
            let account = "f0a1b2c3d4e5f60718293a4b5c6d7e8f"
            try workspace.write(
                "adapters.conf",
                """
                [collector]
                data_dir = "data"
                state_dir = "disk/state"

                [[adapters.kuaishou]]
                accounts = ["\(account)"]
                app_id = "ks_app"
                app_secret = "app-secret-never-shown"
                base_url = "\(simulator.baseURL)/kuaishou"

                """
            )
            let refused = try CLI.run(["auth", "kuaishou", account, "the-code"], in: workspace.path)
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(
                refused.stderr.contains("state/credential-kuaishou~\(account).json: write failed"),
                "\(refused.stderr)"
            )
            #expect(
                refused.stderr.contains(
                    "(the code was NOT used: free disk space, then run the same command again)"
                ),
                "\(refused.stderr)"
            )
            #expect(!refused.stderr.contains("rows already written are intact"))
            #expect(simulator.requestCount == 0)
            #expect(workspace.files(under: "disk/state").allSatisfy { !$0.contains(".tmp-") })

            // Space is back: the same command, with the same code, authorises.
            unlink(disk + "/zz-fill")
            let again = try CLI.run(["auth", "kuaishou", account, "the-code"], in: workspace.path)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(simulator.requestCount == 1)
        }
    }

    @Test func aFullDiskStopsAnImportWithASummaryLine() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let disk = workspace.path + "/disk"
        guard try Self.mountTmpfs(disk, options: "size=64k") else { return }
        defer { _ = ReliabilityTests.shell("umount '\(disk)'") }
        try workspace.write("adapters.conf", "[collector]\ndata_dir = \"disk/data\"\nstate_dir = \"state\"\n")
        Self.fill(disk)
        let export = CLI.repositoryRoot + "/samples/exports/wechat/user_growth_gh_0123456789ab.csv"
        let result = try CLI.run(
            ["import", "--platform", "wechat", "--account", "gh_0123456789ab", export],
            in: workspace.path
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains("summary: the import stopped on the error below at file 1 of 1, \(export); "),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("running the same import again imports the rest without duplicates"))
        #expect(result.stderr.contains("(free disk space, then re-run: rows already written are intact)"))
    }
}
