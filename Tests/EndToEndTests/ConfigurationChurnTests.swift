import Collector
import Foundation
import Testing

/// Changes to `adapters.conf` that `check` and the run used to pass in silence (review
/// r15-churn): an account listed twice, a renamed `instance`, a `data_dir` pointed at a new
/// folder with `state_dir` kept. (A changed `timezone` is in ``DataTimezoneTests``.)
@Suite(.serialized) struct ConfigurationChurnTests {
    /// One bilibili section per entry of `sections` (name, accounts as written).
    private func bilibili(_ sections: [(String, String)], port: String = "1") -> String {
        var text = "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n"
        for (name, accounts) in sections {
            text += """

                [[adapters.bilibili]]
                name = "\(name)"
                accounts = [\(accounts)]
                base_url = "http://127.0.0.1:\(port)/bilibili"
                rate = "50/s"

                """
        }
        return text
    }

    /// `text` as the log line's `msg="…"` holds it.
    private func logged(_ text: String) -> String { text.replacing("\"", with: "\\\"") }

    /// F2: `check` warns about an account listed twice, in one section or in two that collect
    /// the same, and counts it once; a run requests an account repeated in one section once.
    @Test func anAccountListedTwiceIsWarnedAboutAndCollectedOnce() throws {
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
        try workspace.write("one.conf", bilibili([("bili", "\"208259\", \"546195\", \"208259\"")], port: port))
        let one = try CLI.run(["check", "--config", "one.conf"], in: workspace.path)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(
            one.stderr
                == "warning: one.conf:7: \"accounts\" of section \"bili\" lists \"208259\" twice (items 1 and 3);"
                + " each account is collected once: delete the repeats in [[adapters.bilibili]]\n"
        )
        #expect(one.stdout == "one.conf: OK, 1 adapter instance, 2 accounts\n")
        let run = try CLI.run(["run", "--once", "--config", "one.conf"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 ok, 0 failed"), "\(run.stderr)")
        #expect(run.stderr.contains("requests: bilibili 4\n"), "\(run.stderr)")

        try workspace.write(
            "two.conf",
            bilibili([("bili-jinan", "\"208259\", \"546195\""), ("bili-county", "\"546195\", \"3493000000000001\"")])
        )
        let two = try CLI.run(["check", "--config", "two.conf"], in: workspace.path)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(
            two.stderr
                == "warning: two.conf:13: section \"bili-county\" has 1 account that section \"bili-jinan\""
                + " (two.conf:7) collects the same way: \"546195\" (item 1 here, item 2 there); each is requested by"
                + " both, twice per interval for the same rows (stored once): remove it from one of the two sections"
                + " in [[adapters.bilibili]]\n"
        )
        #expect(two.stdout == "two.conf: OK, 2 adapter instances, 3 accounts\n")
    }

    /// r16-longhaul F3: the due times of a renamed or removed section, and of an account
    /// removed from a section, leave state/schedule-main.tsv at the next run's checkpoint; those
    /// of a configured section that `--only` leaves out stay.
    @Test func theScheduleForgetsSectionsAndAccountsNoLongerConfigured() throws {
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
        try workspace.write(
            "adapters.conf",
            bilibili([("old", "\"208259\""), ("kept", "\"546195\", \"208259\"")], port: port)
        )
        let first = try CLI.run(["run", "--once", "--config", "adapters.conf"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        // "old" renamed to "new", 208259 removed from "kept"; only "new" is run.
        try workspace.write("adapters.conf", bilibili([("new", "\"208259\""), ("kept", "\"546195\"")], port: port))
        let second = try CLI.run(["run", "--once", "--only", "new", "--config", "adapters.conf"], in: workspace.path)
        #expect(second.status == 0, "\(second.stderr)")
        let snapshot = try #require(workspace.read("state/schedule-main.tsv"))
        let rows = snapshot.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            rows.map { $0.split(separator: "\t").prefix(2).joined(separator: " ") }.sorted() == [
                "kept 546195", "new 208259",
            ]
        )
    }

    /// F3: after `instance` is renamed, `check` and the run warn about the old instance's
    /// self-metrics (frozen, still exported) and schedule, with the command that removes them,
    /// its shards' as well; once they are removed, neither says more. This instance's own shards
    /// are no concern.
    @Test func aRenamedInstanceNamesTheOldInstancesFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once", "--due"], in: workspace.path).status == 0)
        #expect(try CLI.run(["run", "--once", "--shard", "0/1"], in: workspace.path).status == 0)
        #expect(workspace.read("state/collector-main-shard-0.prom")?.contains("adapter=\"exec\"") == true)
        let before = try CLI.run(["check"], in: workspace.path)
        #expect(before.status == 0 && before.stderr.isEmpty, "\(before.stderr)")

        let renamed = ExecSetup.configuration().replacing(
            "state_dir = \"state\"",
            with: "state_dir = \"state\"\ninstance = \"jinan\""
        )
        try workspace.write("adapters.conf", renamed)
        let warning =
            "state/collector-main.prom holds series of the section exec under collector_instance=\"main\", but"
            + " [collector] instance is \"jinan\": if the instance was renamed, nothing writes that file any more, so"
            + " node_exporter keeps exporting its frozen collector_last_success_timestamp_seconds and the staleness"
            + " alert fires for good, and its due times (state/schedule-main.tsv) are not read, so each account is"
            + " collected once as if new; remove the old instance's files: rm state/collector-main.prom"
            + " state/schedule-main.tsv state/schedule-main.journal state/main.lock (or, if another configuration"
            + " runs as instance \"main\" on this state folder, give its sections names of their own: a section's name"
            + " keys its state files too)"
        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 0, "\(check.stderr)")
        let lines = check.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(check.stderr)")
        // In the order of the files' names.
        #expect(
            lines.first?.hasPrefix("warning: state/collector-main-shard-0.prom holds series of the section exec")
                == true
        )
        #expect(lines.first?.contains("rm state/collector-main-shard-0.prom state/schedule-main-shard-0.tsv") == true)
        #expect(lines.last == "warning: \(warning)")
        let run = try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains(logged(warning)), "\(run.stderr)")

        for instance in ["main", "main-shard-0"] {
            for file in ["collector-\(instance).prom", "schedule-\(instance).tsv", "schedule-\(instance).journal"] {
                try FileManager.default.removeItem(atPath: workspace.path + "/state/" + file)
            }
        }
        let removed = try CLI.run(["check"], in: workspace.path)
        #expect(removed.status == 0 && removed.stderr.isEmpty, "\(removed.stderr)")
        let quiet = try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// r16-shards F1, F2, F4: a run of another layout beside running shards is refused (exit 3,
    /// as for a lock held), and after going from 3 shards to 2 the shard runs and `check` name
    /// the state files shard 2 left. The running shard is a lock taken here, as a shard takes it.
    @Test func anotherShardLayoutIsRefusedAndARetiredShardsFilesAreNamed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        for index in 0..<3 {
            #expect(try CLI.run(["run", "--once", "--shard", "\(index)/3"], in: workspace.path).status == 0)
        }
        let running = try RunLock.acquire(
            stateDirectory: workspace.path + "/state",
            instance: "main-shard-0",
            collects: true,
            shard: Shard(index: 0, count: 3)
        )
        let unsharded = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(unsharded.status == 3, "\(unsharded.stderr)")
        #expect(
            unsharded.stderr.hasPrefix("run skipped: shards of instance \"main\" are running"),
            "\(unsharded.stderr)"
        )
        let recount = try CLI.run(["run", "--once", "--shard", "1/2"], in: workspace.path)
        #expect(recount.status == 3, "\(recount.stderr)")
        #expect(recount.stderr.contains("Stop every shard of instance \"main\" before changing the count"))
        running.release()

        let warning =
            "shard 2 (main-shard-2) of a former, larger shard count left state files, but instance \"main\" now runs"
            + " as 2 shards (--shard K/2)"
        for index in 0..<2 {
            let run = try CLI.run(["run", "--once", "--shard", "\(index)/2"], in: workspace.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains(logged(warning)), "\(run.stderr)")
        }
        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.hasPrefix("warning: " + warning), "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "rm state/collector-main-shard-2.prom state/main-shard-2.lock state/schedule-main-shard-2.journal"
                    + " state/schedule-main-shard-2.tsv"
            ),
            "\(check.stderr)"
        )
    }

    /// F4: `data_dir` pointed at a new folder with `state_dir` kept: `check` and a run that
    /// follows the schedule warn, naming both, instead of a silent run that writes nothing; a
    /// `run --once` without `--due` collects into the new folder, after which neither warns.
    @Test func aNewDataFolderWithTheOldScheduleIsWarnedAbout() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path).status == 0)
        #expect(try CLI.run(["check"], in: workspace.path).stderr.isEmpty)

        try workspace.write("adapters.conf", ExecSetup.configuration(dataDirectory: "data-new"))
        let head =
            "data_dir \"data-new\" holds no data yet, but the schedule state/schedule-main.tsv records collections of"
            + " 1 account of this configuration that are not due yet, so their rows are in another data folder (was"
            + " data_dir changed and state_dir kept?): run --once --due and the service collect them into data-new"
            + " only when each is due again, the first at "
        let advice =
            ". If the data was moved, set data_dir to where it is now; if the new folder is meant, collector run"
            + " --once (without --due) collects every account into it now"
        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.hasPrefix("warning: " + head) && check.stderr.hasSuffix(advice + "\n"), "\(check.stderr)")
        let due = try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path)
        #expect(due.status == 0)
        #expect(due.stderr.contains(logged(head)) && due.stderr.contains(logged(advice)), "\(due.stderr)")
        #expect(workspace.files(under: "data-new").isEmpty)

        let all = try CLI.run(["run", "--once", "--quiet"], in: workspace.path)
        #expect(all.status == 0 && all.stderr.isEmpty, "\(all.stderr)")
        #expect(workspace.files(under: "data-new").contains("timezone"))
        #expect(try CLI.run(["check"], in: workspace.path).stderr.isEmpty)
        #expect(try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path).stderr.isEmpty)
    }
}
