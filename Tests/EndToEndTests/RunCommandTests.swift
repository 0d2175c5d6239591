import Collector
import Foundation
import Testing

/// `collector run` and `collector test` end to end: real files, real processes, the exit codes
/// of SPEC §1.
@Suite(.serialized) struct RunCommandTests {
    @Test func runWritesMonthPartitionsAndRerunAddsNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 1000)

        let first = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("1000 rows written"))
        #expect(
            workspace.files(under: "data") == [
                "timezone", "xiaohongshu/2026-01/main.csv", "xiaohongshu/2026-02/main.csv",
            ]
        )
        #expect(workspace.read("data/timezone") == "Asia/Shanghai\n")
        let january = try #require(workspace.read("data/xiaohongshu/2026-01/main.csv"))
        #expect(
            january.hasPrefix(ExecSetup.header + "\n2026-01-01T00:00:00+08:00,xiaohongshu,a0,,followers,0,exact,exec\n")
        )

        let second = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 rows written, 1000 duplicates skipped"))
        #expect(workspace.read("data/xiaohongshu/2026-01/main.csv") == january)
    }

    /// Damaged state says which file and what to do: a cut-off exec cursor fails the instance
    /// without running the command; garbage in the schedule gets one warning.
    @Test func damagedStateFilesAreNamed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        try workspace.write("state/schedule-main.tsv", "\u{0}\u{0}\u{0}\nexec\tcommand\tsoon\n")
        try workspace.write("state/exec-exec.state", #"{"next":9"#)
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "schedule file state/schedule-main.tsv is damaged: 2 lines could not be read and were skipped, so their"
                    + " accounts are collected now as if new; the file is written anew at the end of this run"
            ),
            "\(result.stderr)"
        )
        #expect(
            result.stderr.contains(
                "state file state/exec-exec.state is damaged (it stops in the middle of a JSON value, at line 1,"
                    + " column 9), so the command was not run: delete the file"
            ),
            "\(result.stderr)"
        )
        #expect(workspace.files(under: "data").isEmpty)
    }

    /// An exec command gets a small environment, not the collector's (which holds every
    /// platform's secrets), and none of the collector's open descriptors (the run lock, data
    /// files, libcurl's sockets).
    @Test func anExecCommandGetsOnlyTheBaseEnvironmentItsEnvTableAndThreeDescriptors() throws {
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
            # Lists the shell's descriptors before anything opens one (a script file would stay
            # open as one), then runs the script. `$$` is a literal `$` in adapters.conf.
            command = ["sh", "-c", 'open=""; for f in /proc/$$$$/fd/*; do [ -e "$f" ] && open="$open $${f##*/}"; done; echo "$open" > child.fds; exec ./child.sh']
            env = { LISTED = "${LISTED_SECRET}" }
            """
        )
        try workspace.write(
            "child.sh",
            """
            #!/bin/sh
            env > child.env
            echo '{"time":"2026-01-01T00:00:00+08:00","account":"a1","metric":"followers","value":1}'
            """,
            executable: true
        )
        let environment = [
            "WECHAT_SECRET": "wx-secret-sentinel", "LISTED_SECRET": "listed-value", "LC_TIME": "C.UTF-8",
            "TZ": "Asia/Shanghai",
        ]
        let result = try CLI.run(["run", "--once"], in: workspace.path, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let variables = Set((workspace.read("child.env") ?? "").split(separator: "\n").map(String.init))
        #expect(variables.contains("LISTED=listed-value"))
        #expect(variables.contains("PATH=" + (ProcessInfo.processInfo.environment["PATH"] ?? "")))
        #expect(variables.contains("LC_TIME=C.UTF-8"))
        #expect(variables.contains("TZ=Asia/Shanghai"))
        // Python's output reaches the collector line by line, not when its buffer fills.
        #expect(variables.contains("PYTHONUNBUFFERED=1"))
        #expect(!variables.contains { $0.hasPrefix("WECHAT_SECRET=") || $0.hasPrefix("LISTED_SECRET=") })
        #expect(workspace.read("child.fds") == " 0 1 2\n")
    }

    @Test func testCommandPrintsCSVAndWritesNoFile() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        let result = try CLI.run(["test"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 4)
        #expect(result.stdout.hasPrefix(ExecSetup.header + "\n"))
        #expect(
            result.stderr.contains("summary: 3 samples printed, nothing written; 1 ok, 0 failed"),
            "\(result.stderr)"
        )
        #expect(workspace.files(under: "data").isEmpty)
    }

    @Test func secondConcurrentRunExitsThreeAndSigtermStopsCleanly() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let service = try CLI.start(["run"], in: workspace.path)
        defer { if service.isRunning { service.terminate() } }
        try waitFor { workspace.files(under: "data").filter { $0.hasSuffix(".csv") }.count == 2 }

        let second = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(second.status == 3)
        #expect(second.stderr.contains("lock"))

        service.terminate()  // SIGTERM
        service.waitUntilExit()
        #expect(service.terminationStatus == 0)
    }

    /// An hourly cron tick that meets the run of the previous tick still going (review r11-year,
    /// F5): one calm line naming the run and since when, advice that fits an overlap, exit 3
    /// (SPEC §1: another run holds the lock), and no "storage error"; `--quiet` still says it,
    /// since the tick collected nothing.
    @Test func aTickMeetingARunStillGoingIsSkippedWithACalmMessage() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        let lock = try RunLock.acquire(stateDirectory: workspace.path + "/state", instance: "main")
        defer { lock.release() }
        let result = try CLI.run(["run", "--once", "--due", "--quiet"], in: workspace.path)
        #expect(result.status == 3)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("run skipped: collector pid \(getpid()) (started at 20"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "is still running instance \"main\" (lock state/main.lock); this run collected nothing, and what is"
                    + " due stays due for the next one. Nothing to do if this happens now and then; if every tick"
                    + " meets a run still going, the runs take longer than the tick"
            ),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("storage error"), "\(result.stderr)")
        #expect(!result.stderr.contains("instance name"), "\(result.stderr)")
        #expect(workspace.files(under: "data").isEmpty)
    }

    @Test func unwritableDataFolderExitsThree() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("blocker", "a file where a folder should be\n")
        try ExecSetup.write(in: workspace, samples: 3, dataDirectory: "blocker/data")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("blocker"))
    }

    /// Platform text with CR LF, a lone CR and terminal escapes (here an exec line's metric
    /// name, and the command's stderr, which is logged) can forge no log line and no summary
    /// line, and never reaches the terminal raw.
    @Test func controlCharactersInMessagesAreEscapedInLogsAndSummary() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", ExecSetup.configuration())
        try workspace.write(
            "gen.sh",
            """
            #!/bin/sh
            printf '%s\\n' '{"time":"2026-01-01T00:00:00+08:00","account":"a","object":"","metric":"x\\r\\nlevel=error msg=forged\\u001b[2J","value":1}'
            printf 'oops\\rlevel=error msg=forged\\033[2J\\n' >&2
            """,
            executable: true
        )
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" }, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("level=error") }, "\(result.stderr)")
        // The logfmt warning of the command's stderr and the summary's failure line, each whole
        // on one line.
        #expect(
            lines.contains { $0.hasPrefix("time=") && $0.contains("oops\\rlevel=error msg=forged\\u{1B}[2J\"") },
            "\(result.stderr)"
        )
        #expect(
            lines.contains {
                $0.hasPrefix("  failed: exec/") && $0.contains("x\\r\\nlevel=error msg=forged\\u{1B}[2J")
            },
            "\(result.stderr)"
        )
    }

    /// `COLLECTOR_LOG_LEVEL` in any case; an unknown level is said once, with the accepted ones.
    /// (The exec adapter logs its command at debug.)
    @Test func logLevelIsReadInAnyCaseAndAnUnknownOneIsNamed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        for level in ["debug", "DEBUG", "Debug"] {
            let result = try CLI.run(
                ["run", "--once"],
                in: workspace.path,
                environment: ["COLLECTOR_LOG_LEVEL": level]
            )
            #expect(result.status == 0)
            #expect(result.stderr.contains("level=debug msg=\"running command\""), "\(level): \(result.stderr)")
            #expect(!result.stderr.contains("is not a log level"))
        }

        let bogus = try CLI.run(["run", "--once"], in: workspace.path, environment: ["COLLECTOR_LOG_LEVEL": "bogus"])
        #expect(bogus.status == 0)
        let warnings = bogus.stderr.split(separator: "\n").filter { $0.contains("is not a log level") }
        #expect(warnings.count == 1, "\(bogus.stderr)")
        #expect(
            warnings.first?.contains(
                "level=warning msg=\"COLLECTOR_LOG_LEVEL=bogus is not a log level; logging at warning. Accepted (in "
                    + "any case): trace, debug, info, notice, warning, error, critical\""
            ) == true,
            "\(bogus.stderr)"
        )
        #expect(!bogus.stderr.contains("level=debug"))
    }

    /// A partition that cannot be written in the middle of a run: exit 3, the summary does not
    /// claim "0 rows written", and the rows of the other partition are on disk.
    @Test func aStorageErrorMidRunExitsThreeAndKeepsWhatWasWritten() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        try workspace.write("data/xiaohongshu/2026-02", "a file where the February folder should be\n")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("summary: the run stopped on the error below;"), "\(result.stderr)")
        #expect(result.stderr.contains("data/xiaohongshu/2026-02"), "\(result.stderr)")
        #expect(workspace.read("data/xiaohongshu/2026-01/main.csv")?.split(separator: "\n").count == 6)
    }

    /// The service meets the same storage error: it exits 3 at once (it once stayed up,
    /// spinning, until a SIGTERM).
    @Test func aStorageErrorEndsTheServiceWithExitThree() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        try workspace.write("data/xiaohongshu/2026-02", "a file where the February folder should be\n")
        let service = try LoggedProcess(["run"], in: workspace.path)
        defer { service.kill() }
        try waitFor(timeout: 60) { !service.isRunning }
        #expect(service.wait() == 3, "\(service.log)")
        #expect(service.log.contains("data/xiaohongshu/2026-02"), "\(service.log)")
    }

    @Test func sigkillLeavesNoTornRowAndNoDuplicateAfterTheNextRun() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let count = 400_000
        try ExecSetup.write(in: workspace, samples: count)

        let victim = try CLI.start(["run", "--once"], in: workspace.path)
        try waitFor(timeout: 60) {
            let size =
                (try? FileManager.default.attributesOfItem(
                    atPath: workspace.path + "/data/xiaohongshu/2026-01/main.csv"
                )[.size] as? Int) ?? 0
            return size > 200_000 || !victim.isRunning
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()

        let rerun = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(rerun.status == 0, "\(rerun.stderr)")

        var keys = Set<String>()
        var rows = 0
        for file in workspace.files(under: "data") where file.hasSuffix(".csv") {
            let text = try #require(workspace.read("data/" + file))
            #expect(text.hasSuffix("\n"))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.first.map(String.init) == ExecSetup.header)
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                #expect(fields.count == 8, "torn row: \(line)")
                let key = fields[0..<5].joined(separator: ",")
                #expect(keys.insert(key).inserted, "duplicate key: \(key)")
                rows += 1
            }
        }
        #expect(rows == count)
    }

    @Test func demoConfigurationCollectsFromTheSimulatorAndIsIdempotent() throws {
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
        let environment = ["SIMULATOR_URL": "http://127.0.0.1:\(port)"]
        let config = CLI.repositoryRoot + "/samples/demo.conf"

        let first = try CLI.run(["run", "--once", "--config", config], in: workspace.path, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let files = workspace.files(under: "data")
        #expect(files.contains { $0.hasPrefix("bilibili/") && $0.hasSuffix("/main.csv") })
        #expect(files.contains("wechat/2025-03/main.csv"))
        #expect(files.contains("xiaohongshu/2026-11/main.csv"))
        #expect(files.contains("wechat/objects.csv"))
        let bilibili = try #require(files.first { $0.hasPrefix("bilibili/") && $0.hasSuffix(".csv") })
        let rows = try #require(workspace.read("data/" + bilibili)).split(separator: "\n")
        #expect(rows.count == 13)
        #expect(rows.contains { $0.hasSuffix(",bilibili,208259,,followers,86231,exact,web") })

        let second = try CLI.run(
            ["run", "--once", "--config", config, "--only", "import"],
            in: workspace.path,
            environment: environment
        )
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains(" 0 rows written"))
    }

    /// A `base_url` that reaches some other server (here the simulator under a wrong path
    /// prefix, which answers every request with its own 404 JSON): three accounts in a row
    /// stop the instance, the rest are reported once each, and none is settled, so the
    /// next `--once --due` after the fix collects them all.
    @Test func aBaseURLThatMissesThePlatformStopsTheInstanceAndLeavesItsAccountsDue() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (simulator, port) = try CLI.startSimulator(
            fixtures: CLI.repositoryRoot + "/Tests/CollectorTests/Fixtures/simulator",
            in: workspace.path
        )
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let configuration = { (prefix: String) in
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.bilibili]]
            accounts = ["11", "12", "13", "14", "15", "16", "17", "18"]
            base_url = "http://127.0.0.1:\(port)/\(prefix)"
            card = false
            rate = "1000/s"
            parallel_accounts = 1
            """
        }
        try workspace.write("adapters.conf", configuration("bilibli"))
        let wrong = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(wrong.status == 1, "\(wrong.stderr)")
        let warnings = wrong.stderr.split(separator: "\n").filter { $0.contains("level=warning") }
        #expect(warnings.count == 3, "\(wrong.stderr)")
        #expect(warnings.allSatisfy { $0.contains("answered HTTP 404 Not Found with JSON that is not the platform's") })
        #expect(
            wrong.stderr.contains(
                "failed: bilibili/14: skipped (code http-404): not collected: the instance stopped for this run after 3 "
                    + "accounts in a row were not answered by the platform's API (badRequest); check base_url (host and path "
                    + "prefix) and any proxy in between, the accounts stay due"
            )
        )
        #expect(wrong.stderr.contains("requests: bilibili 3 (404: 3)"), "\(wrong.stderr)")

        try workspace.write("adapters.conf", configuration("bilibili"))
        let fixed = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stderr.contains("8 ok, 0 failed"), "\(fixed.stderr)")
    }

    /// `run --once --due` from a timer more frequent than the interval: the second run finds
    /// nothing due and collects nothing; `--due` without `--once` is a usage error.
    @Test func onceDueCollectsOnlyWhatIsDue() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let first = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("summary: 10 rows written, 0 duplicates skipped; 1 ok, 0 failed\n"))
        let second = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(second.status == 0)
        #expect(second.stderr.contains("summary: 0 rows written, 0 duplicates skipped; 0 ok, 0 failed, 1 not due yet"))
        let service = try CLI.run(["run", "--due"], in: workspace.path)
        #expect(service.status == 2)
        #expect(service.stderr.contains("--due goes with --once"))
    }

    /// `--quiet` for cron: no output at all when everything succeeded, the usual summary when
    /// anything failed.
    @Test func quietPrintsNothingWhenAllIsWellAndTheSummaryWhenSomethingFailed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 10)
        let run = try CLI.run(["run", "--once", "--quiet"], in: workspace.path)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty && run.stdout.isEmpty, "\(run.stderr)")
        #expect(workspace.files(under: "data").contains("xiaohongshu/2026-01/main.csv"))

        try workspace.write(
            "growth.csv",
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2025-03-03,12,3,9,182344\n2025-03-04,5,x,5,182349\n"
        )
        let partial = try CLI.run(
            ["import", "-q", "--platform", "wechat", "--account", "gh_q", "growth.csv"],
            in: workspace.path
        )
        #expect(partial.status == 1)
        #expect(partial.stderr.contains("summary: 5 rows written"))
        #expect(partial.stderr.contains("failed: import/growth.csv [line 3]: badCell: column 取消关注人数"))
        try workspace.write("growth.csv", "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2025-03-05,1,1,0,182349\n")
        let clean = try CLI.run(
            ["import", "-q", "--platform", "wechat", "--account", "gh_q", "growth.csv"],
            in: workspace.path
        )
        #expect(clean.status == 0)
        #expect(clean.stderr.isEmpty, "\(clean.stderr)")

        let compact = try CLI.run(["compact", "--quiet"], in: workspace.path)
        #expect(compact.status == 0)
        #expect(compact.stderr.isEmpty, "\(compact.stderr)")
        let loud = try CLI.run(["compact"], in: workspace.path)
        #expect(loud.stderr.hasPrefix("compact: "))
        let misspelt = try CLI.run(["compact", "-q", "--platform", "xiaohongsu"], in: workspace.path)
        #expect(misspelt.status == 0)
        #expect(
            misspelt.stderr.hasPrefix(
                "compact: no data for xiaohongsu; platforms with data in data: wechat, xiaohongshu\n"
            ),
            "\(misspelt.stderr)"
        )
    }

    /// SPEC §5: a failing command fails the instance for the run. It is not started again: a
    /// command may send requests of its own, which a retry would repeat.
    @Test(arguments: ["exit 3", "sleep 30"])
    func aFailingExecCommandRunsOncePerRun(ending: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", ExecSetup.configuration() + "\ntimeout = \"1s\"\n")
        try workspace.write("gen.sh", "#!/bin/sh\necho started >> starts\n\(ending)\n", executable: true)
        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("failed: exec/command: commandFailed: command \"./gen.sh\""), "\(run.stderr)")
        #expect(workspace.read("starts") == "started\n")
    }
}
