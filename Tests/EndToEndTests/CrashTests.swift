import Collector
import CollectorTesting
import Foundation
import Testing

/// SIGKILL at random moments of real `collector run --once` processes, then the files are
/// checked: no torn row survives the next open, no key is written twice, and every sample a
/// saved cursor vouches for is there (SPEC §5: the cursor is saved after the samples before it
/// are durable).
///
/// 50 kills by default (about 15 s); `COLLECTOR_CRASH_KILLS=500` for a longer run, and
/// `COLLECTOR_CRASH_SEED` to replay one. `Scripts/crash-test.sh` runs the same check from the shell.
@Suite(.serialized) struct CrashTests {
    /// An exec command printing samples `a<i>` from the saved cursor (`{"next":N}` in
    /// `COLLECTOR_STATE`) less `rewind` up to `total`, with a state line after every `every`
    /// samples.
    static func cursorGenerator(total: Int, every: Int, rewind: Int = 0) -> String {
        """
        #!/bin/sh
        next=$(printf '%s' "$COLLECTOR_STATE" | tr -dc '0-9')
        [ -n "$next" ] || next=0
        next=$((next > \(rewind) ? next - \(rewind) : 0))
        exec awk -v start="$next" 'BEGIN { for (i = start; i < \(total); i++) { printf "{\\"time\\":\\"2026-%02d-%02dT00:00:00+08:00\\",\\"account\\":\\"a%d\\",\\"object\\":\\"\\",\\"metric\\":\\"followers\\",\\"value\\":%d}\\n", (i % 2) + 1, (i % 28) + 1, i, i; if ((i + 1) % \(every) == 0) printf "{\\"state\\":{\\"next\\":%d}}\\n", i + 1 } }'
        """
    }

    @Test func sigkillAtRandomMomentsLosesNoDurableSampleAndLeavesNoTornRowOrDuplicate() throws {
        let environment = ProcessInfo.processInfo.environment
        let kills = environment["COLLECTOR_CRASH_KILLS"].flatMap(Int.init) ?? 50
        let seed = environment["COLLECTOR_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        var random = SplitMix64(seed: seed)
        // More than the kills can get through: every run is cut short.
        let total = 10_000_000
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", Self.cursorGenerator(total: total, every: 100), executable: true)
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.exec]]
            name = "gen"
            platform = "xiaohongshu"
            command = ["./gen.sh"]

            """
        )

        var interrupted = 0
        var cursors: [Int] = []
        for round in 0..<kills {
            let before = Self.cursor(workspace, file: "state/exec-gen.state")
            let victim = try LoggedProcess(["run", "--once"], in: workspace.path)
            if round % 2 == 1 {
                // Every other kill comes after this run moved the cursor: on a loaded machine a
                // kill a fixed time after the start can land before the first state line every
                // time, and the check below would see a cursor that never moved.
                let deadline = Date().addingTimeInterval(30)
                while victim.isRunning, Date() < deadline,
                    Self.cursor(workspace, file: "state/exec-gen.state") <= before
                {
                    Thread.sleep(forTimeInterval: 0.005)
                }
            }
            Thread.sleep(forTimeInterval: Double(random.next() % 300) / 1000 + 0.005)
            victim.signal(SIGKILL)
            _ = victim.wait()
            if victim.process.terminationReason == .uncaughtSignal { interrupted += 1 }

            let cursor = Self.cursor(workspace, file: "state/exec-gen.state")
            let rows = try Self.readRows(workspace, under: "data", requireWhole: false)
            let missing = (0..<cursor).filter { !rows.contains("a\($0)") }
            #expect(
                missing.isEmpty,
                "seed \(seed), kill \(round): \(missing.count) samples behind cursor \(cursor) lost"
            )
            cursors.append(cursor)
        }
        // The kills must have landed during the work: killed processes, a cursor that moved.
        #expect(interrupted >= kills * 9 / 10, "seed \(seed): only \(interrupted) of \(kills) runs were killed")
        // On a loaded machine many kills land before the first state line; the cursor must still
        // have moved between kills, or no kill hit the work.
        #expect(Set(cursors).count > 1, "seed \(seed): the cursor never moved: \(Set(cursors).sorted())")

        // The next open: a run that goes over the last 100 samples again (both partitions are
        // opened, torn rows cut) and 100 new ones, to its end.
        let cursor = Self.cursor(workspace, file: "state/exec-gen.state")
        try workspace.write(
            "gen.sh",
            Self.cursorGenerator(total: cursor + 100, every: 100, rewind: 100),
            executable: true
        )
        let last = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(last.status == 0, "\(last.stderr)")
        let rows = try Self.readRows(workspace, under: "data", requireWhole: true)
        let highest = rows.compactMap { Int($0.dropFirst()) }.max() ?? -1
        #expect(highest >= cursor + 99)
        #expect(rows == Set((0...highest).map { "a\($0)" }), "seed \(seed): a gap or a stray row")
        #expect(Self.cursor(workspace, file: "state/exec-gen.state") == cursor + 100)
    }

    /// The polling side of the same promise: the runner records an account's due time only
    /// after the sync that makes its rows durable (group commit, rows buffered until then), so
    /// after any kill every account in the schedule has its rows in the files.
    @Test func sigkillDuringPollingLeavesNoDueTimeWithoutItsRows() async throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        var random = SplitMix64(seed: seed)
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            // 1,000 requests/s: a whole run takes 3 s. Each kill comes a random moment after the
            // run saved its first due times (not after a fixed delay, which a loaded machine
            // can stretch past the end of the run).
            let accounts = (1...3000).map { String(100_000 + $0) }
            try workspace.write(
                "adapters.conf",
                ReliabilityTests.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = [\(accounts.map { "\"\($0)\"" }.joined(separator: ", "))]
                    card = false
                    rate = "1000/s"
                    parallel_accounts = 16
                    base_url = "\(simulator.baseURL)/bilibili"

                    """
            )
            var scheduledCounts: [Int] = []
            for round in 0..<8 {
                let journalBefore = workspace.read("state/schedule-main.journal")?.utf8.count ?? 0
                let victim = try LoggedProcess(["run", "--once"], in: workspace.path)
                let deadline = ContinuousClock.now + .seconds(30)
                // Blocking sleeps, not `Task.sleep`: from the start of the victim to its kill this
                // test keeps its thread. Awaiting would hand it back to a pool that the other
                // suites' blocking waits can fill for seconds, and the kill would come after the
                // run's end (every kill did so once, on a 2-core machine).
                while victim.isRunning, ContinuousClock.now < deadline,
                    (workspace.read("state/schedule-main.journal")?.utf8.count ?? 0) <= journalBefore
                {
                    blockingSleep(0.005)
                }
                blockingSleep(Double(random.next() % 300) / 1000)
                victim.signal(SIGKILL)
                _ = victim.wait()
                let scheduled = Self.scheduledAccounts(workspace)
                let stored = try Self.readRows(workspace, under: "data", requireWhole: false)
                let missing = scheduled.subtracting(stored)
                #expect(
                    missing.isEmpty,
                    "seed \(seed), kill \(round): \(missing.count) accounts have a due time but no rows, e.g. \(missing.sorted().prefix(3))"
                )
                scheduledCounts.append(scheduled.count)
            }
            // Not vacuous: some kill came after due times were saved and before the end.
            #expect(
                scheduledCounts.contains { $0 > 0 && $0 < accounts.count },
                "seed \(seed): no kill landed mid-run: \(scheduledCounts)"
            )
            // The runs after the kills collect only what is still due; the last one finishes.
            let last = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(last.status == 0, "\(last.stderr)")
            #expect(try Self.readRows(workspace, under: "data", requireWhole: true) == Set(accounts))
            #expect(Self.scheduledAccounts(workspace) == Set(accounts))
        }
    }

    /// The accounts with a due time: the schedule snapshot's and the journal's whole lines.
    static func scheduledAccounts(_ workspace: Workspace) -> Set<String> {
        var accounts = Set<String>()
        for file in ["state/schedule-main.tsv", "state/schedule-main.journal"] {
            guard let text = workspace.read(file) else { continue }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines.removeLast()  // empty after the last newline, or a torn append
            for line in lines where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t")
                if fields.count == 4 { accounts.insert(String(fields[1])) }
            }
        }
        return accounts
    }

    /// A collector killed with SIGKILL takes its exec command along (PR_SET_PDEATHSIG): no
    /// scraper goes on sending requests for a collector that is gone. What the command started
    /// (here a `sleep`) keeps the command's process group, which the next run kills, with a
    /// warning, before it starts the command again.
    @Test func sigkillEndsTheExecCommandAndTheNextRunKillsWhatItStarted() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "slow.sh",
            """
            #!/bin/sh
            # The first run waits for a grandchild (a scraper pausing for a rate limit); the next
            # one prints at once.
            if [ ! -e next ]; then
                echo $$ > command.pid
                sleep 300 &
                echo $! > grandchild.pid
                wait
            fi
            echo '{"time":"2026-11-20T00:00:00+08:00","account":"a","object":"","metric":"followers","value":1}'
            """,
            executable: true
        )
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"
            jitter = "0s"

            [[adapters.exec]]
            name = "slow"
            platform = "xiaohongshu"
            command = ["./slow.sh"]

            """
        )
        let victim = try LoggedProcess(["run", "--once"], in: workspace.path)
        defer { victim.kill() }
        let deadline = ContinuousClock.now + .seconds(30)
        while workspace.read("grandchild.pid")?.hasSuffix("\n") != true, ContinuousClock.now < deadline {
            blockingSleep(0.01)
        }
        let command = try #require(workspace.read("command.pid").flatMap { pid_t($0.dropLast()) })
        let grandchild = try #require(workspace.read("grandchild.pid").flatMap { pid_t($0.dropLast()) })
        defer {
            kill(command, SIGKILL)
            kill(grandchild, SIGKILL)
        }
        #expect(workspace.read("state/exec-slow.group")?.hasPrefix("\(command) ") == true)
        victim.signal(SIGKILL)
        _ = victim.wait()
        #expect(Self.processEnds(command, within: 2), "the command outlived the collector")

        try workspace.write("next", "")
        let next = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(
            next.stderr.contains(
                #"killed 1 process of command \"./slow.sh\" left running by an earlier run that was killed before it"#
                    + " could stop them (process group \(command), recorded in state/exec-slow.group); starting the"
                    + " command again"
            ),
            "\(next.stderr)"
        )
        #expect(Self.processEnds(grandchild, within: 2), "the command's grandchild outlived the next run")
        #expect(workspace.read("state/exec-slow.group") == nil)
        #expect(try Self.readRows(workspace, under: "data", requireWhole: true) == ["a"])
    }

    /// Whether `pid` is gone (or a zombie nobody reaps) within `seconds`.
    static func processEnds(_ pid: pid_t, within seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        repeat {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            // "pid (comm) S …": the state follows the last ")".
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].dropFirst().first == "Z" {
                return true
            }
            blockingSleep(0.01)
        } while ContinuousClock.now < deadline
        return false
    }

    /// strace, which the test below uses to kill a run at a given system call.
    static let strace = "/usr/bin/strace"

    /// A kill between two formats of one write: the write is rolled back in every format at the
    /// next open, so a re-run that sends the rows again (an exec command without a cursor)
    /// leaves each format holding each row once. strace kills the run as it enters its first
    /// write to the `.lp` file, after the `.jsonl` write and before the `.csv` one. (A FIFO in
    /// place of the `.lp` file, which blocked the run there before, is refused now: the store
    /// opens nothing in the data folder that is not a regular file.)
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: strace), "needs strace to place the kill"))
    func aKillBetweenTwoFormatsIsRolledBackInEveryFormat() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "gen.sh",
            """
            #!/bin/sh
            exec awk 'BEGIN { for (i = 0; i < 6000; i++) printf "{\\"time\\":\\"2026-01-%02dT00:00:00+08:00\\",\\"account\\":\\"a%d\\",\\"object\\":\\"\\",\\"metric\\":\\"followers\\",\\"value\\":%d}\\n", (i % 28) + 1, i, i }'
            """,
            executable: true
        )
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"
            formats = ["csv", "jsonl", "influx"]

            [[adapters.exec]]
            platform = "xiaohongshu"
            command = ["./gen.sh"]

            """
        )
        let partition = workspace.path + "/data/xiaohongshu/2026-01"
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: Self.strace)
        victim.arguments = [
            "-f", "-o", "/dev/null", "-P", partition + "/main.lp", "-e", "trace=write",
            "-e", "inject=write:signal=SIGKILL:when=1", CLI.binDirectory + "/collector", "run", "--once",
        ]
        victim.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        var environment = ProcessInfo.processInfo.environment
        environment["COLLECTOR_CONFIG"] = nil
        victim.environment = environment
        victim.standardOutput = FileHandle.nullDevice
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        victim.waitUntilExit()
        #expect(victim.terminationStatus != 0, "the run should have been killed")
        let csvBefore = workspace.read("data/xiaohongshu/2026-01/main.csv") ?? ""
        let jsonlBefore = workspace.read("data/xiaohongshu/2026-01/main.jsonl") ?? ""
        #expect(csvBefore.split(separator: "\n").count <= 1, "the kill came before the CSV write")
        #expect(!jsonlBefore.isEmpty, "the kill came after the JSON Lines write")
        #expect(FileManager.default.fileExists(atPath: partition + "/.main.flushing"), "the kill left the marker")

        let rerun = try LoggedProcess(["run", "--once"], in: workspace.path)
        #expect(rerun.wait() == 0, "\(rerun.log)")

        let csvRows = (workspace.read("data/xiaohongshu/2026-01/main.csv") ?? "").split(separator: "\n").dropFirst()
        let jsonlRows = (workspace.read("data/xiaohongshu/2026-01/main.jsonl") ?? "").split(separator: "\n")
        let lineProtocolRows = (workspace.read("data/xiaohongshu/2026-01/main.lp") ?? "").split(separator: "\n")
        #expect(csvRows.count == 6000)
        #expect(
            jsonlRows.count == 6000,
            "JSON Lines rows: \(jsonlRows.count), duplicates \(jsonlRows.count - Set(jsonlRows).count)"
        )
        #expect(Set(jsonlRows).count == jsonlRows.count)
        #expect(lineProtocolRows.count == 6000)
        #expect(
            !FileManager.default.fileExists(atPath: partition + "/.main.flushing"),
            "the marker is removed on close"
        )
    }

    // MARK: - Checks shared with the full-disk test

    /// The accounts of every row under `folder`, checking on the way that each file starts with
    /// the header, every row has 8 fields and no key appears twice. With `requireWhole`, a file
    /// must end with a newline; without, a torn last line (the next open cuts it) is skipped.
    static func readRows(_ workspace: Workspace, under folder: String, requireWhole: Bool) throws -> Set<String> {
        var keys = Set<String>()
        var accounts = Set<String>()
        for file in workspace.files(under: folder) where file.hasSuffix(".csv") && !file.hasSuffix("objects.csv") {
            let text = try #require(workspace.read(folder + "/" + file))
            if requireWhole { #expect(text.isEmpty || text.hasSuffix("\n"), "\(file) ends with a torn row") }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if text.hasSuffix("\n") || !requireWhole { lines.removeLast() }
            guard let first = lines.first else { continue }
            #expect(first == ExecSetup.header[...], "\(file) has no header")
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                #expect(fields.count == 8, "\(file): torn row \(line)")
                guard fields.count == 8 else { continue }
                #expect(keys.insert(fields[0..<5].joined(separator: ",")).inserted, "\(file): duplicate \(line)")
                accounts.insert(String(fields[2]))
            }
        }
        return accounts
    }

    /// The `next` of a saved `{"next":N}` cursor, 0 when none was saved.
    static func cursor(_ workspace: Workspace, file: String) -> Int {
        // The state is the file's last line, after the record of the command that saved it.
        let state = (workspace.read(file) ?? "").split(separator: "\n").last ?? ""
        return Int(state.filter(\.isNumber)) ?? 0
    }
}

/// Sleeps without giving the thread back to the concurrency pool (see the polling crash test).
private func blockingSleep(_ seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}
