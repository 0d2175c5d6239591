import Collector
import Foundation
import Testing

/// `collector export` and `collector compact`, which read the data folder a run wrote.
@Suite(.serialized) struct ExportCompactCommandTests {
    @Test func exportWarnsOfRecordsItSkips() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 0)
        try workspace.write(
            "data/xiaohongshu/2026-01/main.csv",
            ExecSetup.header + "\n2026-01-02T00:00:00+08:00,xiaohongshu,a1,,followers,5,exact,exec\nnot,a,row\n"
        )
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(export.status == 0)
        #expect(export.stdout.split(separator: "\n").count == 2)
        #expect(export.stderr.contains("skipped records that are not valid rows"), "\(export.stderr)")
        #expect(export.stderr.contains("data/xiaohongshu/2026-01/main.csv"), "\(export.stderr)")
    }

    /// A month file gzip'ed or renamed to archive it drops out of every export and report: the
    /// commands that read the month folders name each file they do not read (session 13).
    @Test func exportAndCompactNameTheMonthFilesTheyDoNotRead() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try workspace.write("data/xiaohongshu/2026-01/old.csv.gz", "\u{1F}")
        try workspace.write("data/xiaohongshu/2026-02/notes.txt", "kept by hand")
        // The collector's own files are not warned about: a flush marker, a temporary.
        try workspace.write("data/xiaohongshu/2026-02/main.csv.tmp-e6ca142806b5d26d", "")
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(export.status == 0)
        #expect(export.stdout.split(separator: "\n").count == 5)
        #expect(
            export.stderr.contains(
                "data/xiaohongshu/2026-01/old.csv.gz is not read by export: a month folder's rows are read only from"
            ),
            "\(export.stderr)"
        )
        #expect(export.stderr.contains("gunzip it to have them read again"), "\(export.stderr)")
        #expect(export.stderr.contains("data/xiaohongshu/2026-02/notes.txt is not read by export"))
        #expect(!export.stderr.contains("tmp-"), "\(export.stderr)")
        // Only the months exported are looked at.
        let february = try CLI.run(["export", "--format", "csv", "--from", "2026-02-01"], in: workspace.path)
        #expect(!february.stderr.contains("old.csv.gz"), "\(february.stderr)")
        #expect(february.stderr.contains("notes.txt is not read by export"), "\(february.stderr)")
        let compact = try CLI.run(["compact"], in: workspace.path)
        #expect(compact.status == 0)
        #expect(compact.stderr.contains("old.csv.gz is not read by compact"), "\(compact.stderr)")
    }

    /// A file manager's copy in a month folder (`main (1).csv`) has no instance's name: it is
    /// left out and warned about, where it was read as an instance "main (1)" whose stale rows
    /// could win. A copy with an instance's name (`main-backup.csv`) is still read, as documented.
    @Test func aMonthFileCopyWithNoInstanceNameIsNotRead() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 0)
        let row = "2026-01-02T00:00:00+08:00,xiaohongshu,a1,,followers,"
        try workspace.write("data/xiaohongshu/2026-01/main.csv", ExecSetup.header + "\n" + row + "101,exact,exec\n")
        try workspace.write("data/xiaohongshu/2026-01/main (1).csv", ExecSetup.header + "\n" + row + "999,exact,exec\n")
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains(row + "101,"), "\(export.stdout)")
        #expect(!export.stdout.contains(",999,"), "\(export.stdout)")
        #expect(
            export.stderr.contains("data/xiaohongshu/2026-01/main (1).csv is not read by export"),
            "\(export.stderr)"
        )
    }

    /// `export` and `compact` read the data folder only: an adapter section's unset secret
    /// does not stop them (the operator's shell need not hold the service's secrets), while a
    /// problem of `[collector]`, which says where the data is, still does.
    @Test func exportAndCompactNeedOnlyTheCollectorSettings() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let withSecret =
            ExecSetup.configuration()
            + "\n[[adapters.bilibili_open]]\naccounts = [\"1\"]\nclient_id = \"c\"\nclient_secret = \"${UNSET_SECRET}\"\n"
        try workspace.write("adapters.conf", withSecret)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 2)
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.split(separator: "\n").count == 5)
        #expect(try CLI.run(["compact", "-q"], in: workspace.path).status == 0)

        try workspace.write(
            "adapters.conf",
            withSecret.replacingOccurrences(of: "state_dir", with: "timezone = \"Mars/Base\"\nstate_dir")
        )
        let broken = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("Mars/Base"), "\(broken.stderr)")
        #expect(!broken.stderr.contains("UNSET_SECRET"), "\(broken.stderr)")
    }

    /// Shards write part files of their own (`main-shard-K.csv`): `compact --shard K/N` is how
    /// they are compacted, each under its own lock.
    @Test func compactsTheFilesOfAShard() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        for index in 0..<2 {
            #expect(try CLI.run(["run", "--once", "--shard", "\(index)/2"], in: workspace.path).status == 0)
        }
        let owner = workspace.files(under: "data").contains("xiaohongshu/2026-01/main-shard-0.csv") ? 0 : 1
        #expect(workspace.files(under: "data").contains("xiaohongshu/2026-01/main-shard-\(owner).csv"))
        let plain = try CLI.run(["compact"], in: workspace.path)
        #expect(plain.stderr.hasPrefix("compact: 0 files checked"), "\(plain.stderr)")
        let sharded = try CLI.run(["compact", "--shard", "\(owner)/2"], in: workspace.path)
        #expect(sharded.status == 0)
        #expect(sharded.stderr.hasPrefix("compact: 2 files checked"), "\(sharded.stderr)")
        #expect(try CLI.run(["compact", "--shard", "2/2"], in: workspace.path).status == 2)
    }

    /// A killed compact leaves `main.csv.tmp-<hex>` in a partition, a killed exec run
    /// `exec-<name>.state.tmp-<hex>` in `state_dir`: the next compact or run removes them.
    @Test func compactAndRunRemoveTheTemporariesOfKilledWrites() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let leftovers = [
            "data/xiaohongshu/2026-02/main.csv.tmp-e6ca142806b5d26d", "state/exec-gen.state.tmp-403248432fb5a1d4",
        ]
        for command in [["compact"], ["run", "--once"]] {
            for file in leftovers { try workspace.write(file, "") }
            let result = try CLI.run(command, in: workspace.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stderr.contains(
                    "removed 2 temporary files left by a write that was interrupted (a killed run or compact)"
                ),
                "\(result.stderr)"
            )
            for file in leftovers { #expect(workspace.read(file) == nil, "\(command): \(file) is still there") }
        }
        #expect(workspace.files(under: "data").contains("xiaohongshu/2026-02/main.csv"))
    }

    /// A compact killed between two renames leaves its compacted temporaries and the marker
    /// naming them: the next run puts them in place at its start, also in a partition it does
    /// not write to (else its formats would differ until a compact), and says so.
    @Test func runCompletesACompactionAKillInterrupted() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let header = "time,platform,account,object,metric,value,quality,source\n"
        let row = { (value: Int) in "2025-01-05T00:00:00+08:00,xiaohongshu,a,,followers,\(value),exact,exec\n" }
        let partition = "data/xiaohongshu/2025-01/"
        let temporary = "main.csv.tmp-e6ca142806b5d26d"
        try workspace.write(partition + "main.csv", header + row(1) + row(2))
        try workspace.write(partition + temporary, header + row(2))
        try workspace.write(partition + ".main.compacting", "main.lp.tmp-0123456789abcdef\n\(temporary)\nend\n")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("completed a compact a kill interrupted"), "\(result.stderr)")
        #expect(workspace.read(partition + "main.csv") == header + row(2))
        #expect(workspace.read(partition + temporary) == nil)
        #expect(workspace.read(partition + ".main.compacting") == nil)
    }

    /// `compact` meeting the lock of a running service says what helps a compaction (stop the
    /// service for it), not the advice for imports.
    @Test func compactMeetingTheLockGivesAdviceForACompaction() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let lock = try RunLock.acquire(stateDirectory: workspace.path + "/state", instance: "main")
        defer { lock.release() }
        let result = try CLI.run(["compact"], in: workspace.path)
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "compaction not started: collector pid \(getpid()) (started at "
            ),
            "\(result.stderr)"
        )
        #expect(
            result.stderr.contains(
                "nothing was rewritten; if it is the service (collector run without --once),"
                    + " which holds the lock while it runs, stop it for the compaction and start it again afterwards"
            ),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("[[adapters.import]]"), "\(result.stderr)")
    }

    @Test func exportWritesOpenMetricsEndingWithEOF() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let result = try CLI.run(["export", "--format", "openmetrics"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("# EOF\n"))
        #expect(result.stdout.contains("# TYPE social_followers gauge"))
    }

    /// OpenMetrics groups each family over the whole range through a temporary file in
    /// `TMPDIR`, not in memory: nothing of it is left behind, and a `TMPDIR` it cannot write to
    /// is a storage error that says what to set.
    @Test func openMetricsSortsThroughATemporaryFileItRemoves() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try FileManager.default.createDirectory(atPath: workspace.path + "/spill", withIntermediateDirectories: true)
        let spilled = try CLI.run(
            ["export", "--format", "openmetrics"],
            in: workspace.path,
            environment: ["TMPDIR": workspace.path + "/spill/"]
        )
        #expect(spilled.status == 0, "\(spilled.stderr)")
        #expect(spilled.stdout.hasSuffix("# EOF\n") && spilled.stdout.contains("# TYPE social_followers gauge"))
        #expect(workspace.files(under: "spill").isEmpty)

        let missing = try CLI.run(
            ["export", "--format", "openmetrics"],
            in: workspace.path,
            environment: ["TMPDIR": workspace.path + "/missing"]
        )
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("/missing: create failed: No such file or directory"), "\(missing.stderr)")
        #expect(missing.stderr.contains("set TMPDIR to a writable folder with room"), "\(missing.stderr)")
        // The other formats need no temporary file.
        let csv = try CLI.run(
            ["export", "--format", "csv"],
            in: workspace.path,
            environment: ["TMPDIR": workspace.path + "/missing"]
        )
        #expect(csv.status == 0, "\(csv.stderr)")
    }

    /// `-o FILE` replaces FILE only with a whole export: a failed one (exit 3) leaves the
    /// earlier file byte for byte and no temporary beside it, where a truncate-and-write left
    /// 0 bytes. A successful one replaces the file a symbolic link points to, keeping the link.
    @Test func aFailedExportLeavesTheEarlierOutputFileAsItWas() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try FileManager.default.createDirectory(atPath: workspace.path + "/out", withIntermediateDirectories: true)
        let first = try CLI.run(["export", "--format", "openmetrics", "-o", "out/social.om"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        let earlier = try #require(workspace.read("out/social.om"))
        #expect(earlier.hasSuffix("# EOF\n"))

        let failed = try CLI.run(
            ["export", "--format", "openmetrics", "-o", "out/social.om"],
            in: workspace.path,
            environment: ["TMPDIR": workspace.path + "/missing"]
        )
        #expect(failed.status == 3, "\(failed.stderr)")
        #expect(workspace.read("out/social.om") == earlier)
        #expect(workspace.files(under: "out") == ["social.om"])

        try FileManager.default.createSymbolicLink(
            atPath: workspace.path + "/out/latest.csv",
            withDestinationPath: "social.om"
        )
        let linked = try CLI.run(["export", "--format", "csv", "-o", "out/latest.csv"], in: workspace.path)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(workspace.read("out/social.om")?.hasPrefix(ExecSetup.header) == true)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.path + "/out/latest.csv")
        #expect(link == "social.om")
        #expect(workspace.files(under: "out") == ["latest.csv", "social.om"])
    }

    /// `-o LINK`, a symbolic link to a file not created yet, creates that file and keeps the
    /// link, where the replacement had turned the link into a regular file.
    @Test func exportThroughALinkToAFileNotCreatedYetCreatesIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try FileManager.default.createDirectory(atPath: workspace.path + "/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.path + "/latest.csv",
            withDestinationPath: "out/today.csv"
        )
        let export = try CLI.run(["export", "--format", "csv", "-o", "latest.csv"], in: workspace.path)
        #expect(export.status == 0, "\(export.stderr)")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.path + "/latest.csv")
        #expect(link == "out/today.csv")
        #expect(workspace.read("out/today.csv")?.hasPrefix(ExecSetup.header) == true)
        #expect(workspace.files(under: "out") == ["today.csv"])
    }

    /// A root cron job exporting to a loader's file (user nobody, 0600): the file keeps its
    /// owner and group, which the replacement had made root's, so the loader could not read it.
    @Test(.enabled(if: geteuid() == 0, "only root can give the file to another user"))
    func exportKeepsTheOwnerOfTheFileItReplaces() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try workspace.write("feed.csv", "")
        let path = workspace.path + "/feed.csv"
        #expect(chown(path, 65534, 65534) == 0 && chmod(path, 0o600) == 0)
        let export = try CLI.run(["export", "--format", "csv", "-o", "feed.csv"], in: workspace.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(!export.stderr.contains("in place"), "\(export.stderr)")
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_uid == 65534 && info.st_gid == 65534 && info.st_mode & 0o7777 == 0o600)
        #expect(workspace.read("feed.csv")?.hasPrefix(ExecSetup.header) == true)
        #expect(workspace.files(under: ".").filter { $0.contains(".tmp-") }.isEmpty)
    }

    /// The atomic replacement is a best effort, never a new way to fail: a user's file in a
    /// folder it cannot write to, or another user's file it may write but not give its owner,
    /// is written in place as before, with one notice line.
    @Test(.enabled(if: CLI.otherUsersCanRun, "needs root, setpriv, and executables every user can run"))
    func exportWritesInPlaceWhenTheFileCannotBeReplaced() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        let nobody: UInt32 = 65534
        #expect(chown(workspace.path, nobody, nobody) == 0)
        #expect(try CLI.run(["run", "--once"], in: workspace.path, user: nobody).status == 0)
        // nobody's file in root's folder.
        try FileManager.default.createDirectory(atPath: workspace.path + "/ro", withIntermediateDirectories: true)
        try workspace.write("ro/feed.csv", "old\n")
        #expect(
            chmod(workspace.path + "/ro", 0o755) == 0 && chown(workspace.path + "/ro/feed.csv", nobody, nobody) == 0
        )
        let folder = try CLI.run(["export", "--format", "csv", "-o", "ro/feed.csv"], in: workspace.path, user: nobody)
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect(
            folder.stderr.contains(
                "export: writing ro/feed.csv in place, not replacing it whole, as the folder is not writable by this "
                    + "user (Permission denied): a failed export leaves it incomplete"
            ),
            "\(folder.stderr)"
        )
        #expect(workspace.read("ro/feed.csv")?.hasPrefix(ExecSetup.header) == true)
        // root's file that nobody may write, in nobody's folder: the owner cannot be kept.
        try workspace.write("shared.csv", "old\n")
        #expect(chmod(workspace.path + "/shared.csv", 0o666) == 0)
        let owner = try CLI.run(["export", "--format", "csv", "-o", "shared.csv"], in: workspace.path, user: nobody)
        #expect(owner.status == 0, "\(owner.stderr)")
        #expect(owner.stderr.contains("export: writing shared.csv in place"), "\(owner.stderr)")
        #expect(owner.stderr.contains("as its owner or group cannot be kept by a new file"), "\(owner.stderr)")
        var info = stat()
        #expect(stat(workspace.path + "/shared.csv", &info) == 0 && info.st_uid == 0)
        #expect(workspace.read("shared.csv")?.hasPrefix(ExecSetup.header) == true)
        #expect(workspace.files(under: ".").filter { $0.contains(".tmp-") }.isEmpty)
    }

    /// `-o -` is stdout, as for most Unix tools, not a file named `-`.
    @Test func exportToDashWritesToStdout() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let export = try CLI.run(["export", "--format", "csv", "-o", "-"], in: workspace.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.split(separator: "\n").count == 5)
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/-"))
    }

    /// `-o` into the data folder replaced a stored partition (a narrower export lost the rows it
    /// left out) or doubled a month's rows; into the state folder it could replace a schedule.
    /// Refused before anything is written, whatever path leads there (session 14).
    @Test func exportAndReportRefuseAnOutputInsideTheDataOrStateFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let partition = "data/xiaohongshu/2026-01/main.csv"
        let before = workspace.read(partition)
        try FileManager.default.createSymbolicLink(atPath: workspace.path + "/into-data", withDestinationPath: "data")
        for output in [
            partition, "data/xiaohongshu/2026-01/export.csv", "./out/../data/x.csv", "into-data/y.csv", "state/s.csv",
        ] {
            try FileManager.default.createDirectory(atPath: workspace.path + "/out", withIntermediateDirectories: true)
            let export = try CLI.run(
                ["export", "--format", "csv", "--from", "2026-01-05", "-o", output],
                in: workspace.path
            )
            #expect(export.status == 2, "\(output): \(export.stderr)")
            let folder = output.hasPrefix("state") ? "state folder state" : "data folder data"
            #expect(export.stderr.contains("export -o \(output): that is inside the \(folder)"), "\(export.stderr)")
        }
        #expect(workspace.read(partition) == before)
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/data/xiaohongshu/2026-01/export.csv"))
        // Refused before the registry is even read.
        let report = try CLI.run(
            [
                "report", "--registry", "accounts.csv", "--rules", "rules.toml", "--period", "2026-01", "-o",
                "data/report.md",
            ],
            in: workspace.path
        )
        #expect(report.status == 2, "\(report.stderr)")
        #expect(report.stderr.contains("report -o data/report.md: that is inside the data folder data"))
        // Beside the data folder is fine.
        let beside = try CLI.run(["export", "--format", "csv", "-o", "out/e.csv"], in: workspace.path)
        #expect(beside.status == 0, "\(beside.stderr)")
    }

    /// An output file in a folder that does not exist: exit 3, naming the file asked for (not
    /// the temporary file an atomic write goes through) and what to check.
    @Test func writingIntoAMissingFolderNamesTheFileAskedFor() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 1)
        let export = try CLI.run(["export", "--format", "csv", "-o", "missing/e.csv"], in: workspace.path)
        #expect(export.status == 3)
        #expect(
            export.stderr.contains(
                "storage error: missing/e.csv: create failed: No such file or directory (check that the folder exists)"
            )
        )
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n某中学,middle_school,济南,,wechat,gh_1,,yes\n"
        )
        let template = try CLI.run(
            ["template", "--registry", "accounts.csv", "-o", "missing/sheet"],
            in: workspace.path
        )
        #expect(template.status == 3)
        #expect(template.stderr.contains("storage error: missing/sheet.csv: create failed"), "\(template.stderr)")
        #expect(!template.stderr.contains(".tmp-"))
    }

    @Test func exportSaysWhyItIsEmptyAndRefusesAnInvertedRange() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let beforeAnyRun = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(beforeAnyRun.status == 0)
        // The folder as configured and as found: a relative data_dir depends on the working directory.
        #expect(
            beforeAnyRun.stderr.contains(
                "export: data_dir \"data\" (\(workspace.path)/data) holds no samples yet; a relative data_dir is "
                    + "taken from the working directory (\(workspace.path))"
            ),
            "\(beforeAnyRun.stderr)"
        )

        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let misspelt = try CLI.run(["export", "--format", "csv", "--platform", "xiaohongshuu"], in: workspace.path)
        #expect(misspelt.status == 0)
        #expect(misspelt.stdout == ExecSetup.header + "\n")
        #expect(misspelt.stderr.contains("no samples matched; platforms with data in data: xiaohongshu"))
        let matched = try CLI.run(["export", "--format", "csv", "--platform", "xiaohongshu"], in: workspace.path)
        #expect(matched.stdout.split(separator: "\n").count == 11)
        #expect(matched.stderr.isEmpty)

        let inverted = try CLI.run(
            ["export", "--format", "csv", "--from", "2026-02-01", "--to", "2026-01-31"],
            in: workspace.path
        )
        #expect(inverted.status == 2)
        #expect(inverted.stderr.contains("--from 2026-02-01 is after --to 2026-01-31"))
        #expect(inverted.stdout.isEmpty)
    }
}
