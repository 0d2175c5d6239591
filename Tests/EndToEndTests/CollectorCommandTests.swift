import Foundation
import Testing

/// The `collector` executable end to end: real files, real processes, exit codes of SPEC §1.
@Suite(.serialized) struct CollectorCommandTests {
    static let header = "time,platform,account,object,metric,value,quality,source"

    /// An exec adapter printing `count` distinct samples over January and February 2026.
    static func generator(count: Int) -> String {
        """
        #!/bin/sh
        awk 'BEGIN { for (i = 0; i < \(count); i++) printf "{\\"time\\":\\"2026-%02d-%02dT00:00:00+08:00\\",\\"account\\":\\"a%d\\",\\"object\\":\\"\\",\\"metric\\":\\"followers\\",\\"value\\":%d}\\n", (i % 2) + 1, (i % 28) + 1, i, i }'
        """
    }

    static func execConfiguration(dataDirectory: String = "data", interval: String = "1h") -> String {
        """
        [collector]
        data_dir = "\(dataDirectory)"
        state_dir = "state"

        [[adapters.exec]]
        platform = "xiaohongshu"
        command = ["./gen.sh"]
        interval = "\(interval)"
        """
    }

    /// Writes the exec configuration and a generator of `samples` samples into `workspace`.
    static func writeExecSetup(in workspace: Workspace, samples: Int, dataDirectory: String = "data") throws {
        try workspace.write("adapters.conf", execConfiguration(dataDirectory: dataDirectory))
        try workspace.write("gen.sh", generator(count: samples), executable: true)
    }

    @Test func configurationErrorExitsTwoAndNamesFileLineAndNearestKey() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "[[adapters.bilibili]]\nacounts = [\"1\"]\n")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("adapters.conf:2:"))
        #expect(result.stderr.contains("did you mean \"accounts\""))
        #expect(result.stderr.contains("configuration: 2 problems; nothing was written"))
        #expect(workspace.files(under: "data").isEmpty)
    }

    @Test func missingEnvironmentVariableNamesTheKeyAndExitsTwo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            "[[adapters.bilibili]]\naccounts = [\"1\"]\nbase_url = \"${NOT_SET_ANYWHERE_42}\"\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("NOT_SET_ANYWHERE_42"))
        #expect(result.stderr.contains("base_url"))
    }

    /// One `check` shows every problem: `[collector]`'s, the adapter sections', and the
    /// warnings found with them; a value from the environment is named by its variable.
    @Test func checkPrintsEveryProblemAndTheWarningsAtOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
              jitter = 10
            [[adapters.wechat]]
              account = "gh_x"
              app_id = "wx1"
              app_secret = "literal-secret-value-123"
              backfill_days = 90
            [[adapters.bilibili]]
              accounts = ["${WECHAT_SECRET}"]

            """
        )
        let result = try CLI.run(["check"], in: workspace.path, environment: ["WECHAT_SECRET": "WXSECRET-abcdef123456"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == """
                adapters.conf:2: "jitter" must be a duration such as "6h", not an integer
                adapters.conf:7: "backfill_days" must be between 1 and 60; import the 用户增长 export for older history in [[adapters.wechat]]
                adapters.conf:9: bilibili account from ${WECHAT_SECRET} is not a numeric user id (mid); find it in the space URL space.bilibili.com/<mid> in [[adapters.bilibili]]
                warning: adapters.conf:6: "app_secret" in [[adapters.wechat]] is a secret written into the configuration file; put secrets in the environment or a file: app_secret = "${VARIABLE}" or "@file:PATH"
                configuration: 3 problems; nothing was written

                """
        )
        #expect(!result.stderr.contains("WXSECRET"))
        #expect(!result.stderr.contains("literal-secret-value-123"))
    }

    /// A registry platform that nothing collects is most likely a typo: `check` warns, naming
    /// the nearest platform, and still passes (self-reports may cover such a platform).
    @Test func checkWarnsOfRegistryPlatformsNothingCollects() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 1)
        try workspace.write(
            "adapters.conf",
            "[collector]\nregistry = \"accounts.csv\"\n\n"
                + Self.execConfiguration().replacing("[collector]\n", with: "")
        )
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "某中学,middle_school,济南,,bilbili,1,,yes\n"
                + "某中学,middle_school,济南,,xiaohongshu,2,,yes\n"
                + "某中学,middle_school,济南,,bilbili,3,,no\n"
                + "某中学,middle_school,济南,,douban,4,,no\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK, 1 adapter instance, "))
        #expect(
            result.stderr.contains(
                "warning: accounts.csv:2: platform \"bilbili\" is neither built in nor collected by a configured adapter "
                    + "(2 rows); did you mean \"bilibili\"?"
            )
        )
        #expect(result.stderr.contains("accounts.csv:5: platform \"douban\" is neither built in"))
        #expect(!result.stderr.contains("xiaohongshu"))
    }

    /// Polling instances that may have more requests in flight together than `concurrency`
    /// allows get a warning from `check`; an exec section, which sends none, does not count,
    /// nor do slots an instance has fewer accounts for.
    @Test func checkWarnsWhenParallelAccountsOutgrowConcurrency() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let accounts = (1...10).map { "\"\($0)\"" }.joined(separator: ", ")
        let configuration = { (concurrency: Int) in
            """
            [collector]
            concurrency = \(concurrency)

            [[adapters.bilibili]]
            accounts = [\(accounts)]
            parallel_accounts = 3

            [[adapters.bilibili]]
            name = "small"
            accounts = ["11"]
            parallel_accounts = 8

            [[adapters.exec]]
            platform = "xiaohongshu"
            command = ["/bin/true"]
            parallel_accounts = 4

            """
        }
        try workspace.write("adapters.conf", configuration(3))
        let over = try CLI.run(["check"], in: workspace.path)
        #expect(over.status == 0)
        #expect(
            over.stderr.contains(
                "warning: the polling instances' parallel_accounts add up to 4, more than [collector] concurrency = 3,"
            ),
            "\(over.stderr)"
        )
        try workspace.write("adapters.conf", configuration(4))
        #expect(try CLI.run(["check"], in: workspace.path).stderr.isEmpty)
    }

    @Test func usageErrorExitsTwo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try CLI.run(["run", "--no-such-flag"], in: workspace.path).status == 2)
        #expect(try CLI.run(["run", "--shard", "4/4"], in: workspace.path).status == 2)

        try workspace.write("adapters.conf", "[collector]\ndata_dir = \"data\"\n")
        let onlyNone = try CLI.run(["run", "--once", "--only", "bilibili"], in: workspace.path)
        #expect(onlyNone.status == 2)
        #expect(onlyNone.stderr.contains("--only bilibili: no such instance; adapters.conf configures none"))
        try Self.writeExecSetup(in: workspace, samples: 1)
        let auth = try CLI.run(["auth", "weibo"], in: workspace.path)
        #expect(auth.status == 2)
        #expect(auth.stderr.contains("auth weibo: no such instance; configured: exec"))

        // A kind the platform does not have is refused before any file is read.
        let kind = try CLI.run(
            ["import", "--platform", "wechat", "--kind", "growth", "absent.csv"],
            in: workspace.path
        )
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("--kind growth: not an export kind of wechat; use one of: user_growth"))
        #expect(!kind.stderr.contains("absent.csv"))
    }

    /// Every way of asking for help prints it on stdout and exits 0: `--help` and `help` parse
    /// to ArgumentParser's own help command, whose run throws the help request.
    @Test(arguments: [[], ["--help"], ["help"], ["help", "export"], ["export", "--help"], ["run", "-h"]])
    func helpPrintsUsageAndExitsZero(arguments: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(arguments, in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: collector"))
        #expect(result.stderr.isEmpty)
        if arguments.contains("export") {
            #expect(result.stdout.contains("--format"))
        }
    }

    @Test func runWritesMonthPartitionsAndRerunAddsNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 1000)

        let first = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("1000 rows written"))
        #expect(workspace.files(under: "data") == ["xiaohongshu/2026-01/main.csv", "xiaohongshu/2026-02/main.csv"])
        let january = try #require(workspace.read("data/xiaohongshu/2026-01/main.csv"))
        #expect(january.hasPrefix(Self.header + "\n2026-01-01T00:00:00+08:00,xiaohongshu,a0,,followers,0,exact,exec\n"))

        let second = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 rows written, 1000 duplicates skipped"))
        #expect(workspace.read("data/xiaohongshu/2026-01/main.csv") == january)
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
        #expect(!variables.contains { $0.hasPrefix("WECHAT_SECRET=") || $0.hasPrefix("LISTED_SECRET=") })
        #expect(workspace.read("child.fds") == " 0 1 2\n")
    }

    @Test func testCommandPrintsCSVAndWritesNoFile() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 3)
        let result = try CLI.run(["test"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 4)
        #expect(result.stdout.hasPrefix(Self.header + "\n"))
        #expect(
            result.stderr.contains("summary: 3 samples printed, nothing written; 1 ok, 0 failed"),
            "\(result.stderr)"
        )
        #expect(workspace.files(under: "data").isEmpty)
    }

    @Test func secondConcurrentRunExitsThreeAndSigtermStopsCleanly() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 10)
        let service = try CLI.start(["run"], in: workspace.path)
        defer { if service.isRunning { service.terminate() } }
        try waitFor { workspace.files(under: "data").count == 2 }

        let second = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(second.status == 3)
        #expect(second.stderr.contains("lock"))

        service.terminate()  // SIGTERM
        service.waitUntilExit()
        #expect(service.terminationStatus == 0)
    }

    @Test func unwritableDataFolderExitsThree() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("blocker", "a file where a folder should be\n")
        try Self.writeExecSetup(in: workspace, samples: 3, dataDirectory: "blocker/data")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("blocker"))
    }

    /// `check` finds what `run` would stop on with exit 3: a data or state folder that cannot
    /// be created (here under a regular file, which holds for root too), and creates nothing.
    @Test func checkReportsAFolderThatCannotBeCreated() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("blocker", "a file where a folder should be\n")
        try Self.writeExecSetup(in: workspace, samples: 3, dataDirectory: "blocker/data")
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == """
                adapters.conf: [collector] data_dir "blocker/data" cannot be created: "blocker" is not a folder; a run would stop with exit 3
                configuration: 1 problem; nothing was written

                """
        )
        #expect(result.stdout.isEmpty)
        // The state folder, which does not exist yet but can be created, was not created.
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/state"))
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 3)

        try Self.writeExecSetup(in: workspace, samples: 3)
        let fixed = try CLI.run(["check"], in: workspace.path)
        #expect(fixed.status == 0)
        #expect(fixed.stdout.contains("adapters.conf: OK"))
    }

    /// Platform text with CR LF, a lone CR and terminal escapes (here an exec line's metric
    /// name, and the command's stderr, which is logged) can forge no log line and no summary
    /// line, and never reaches the terminal raw.
    @Test func controlCharactersInMessagesAreEscapedInLogsAndSummary() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", Self.execConfiguration())
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
        try Self.writeExecSetup(in: workspace, samples: 3)
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
        try Self.writeExecSetup(in: workspace, samples: 10)
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
        try Self.writeExecSetup(in: workspace, samples: 10)
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
        try Self.writeExecSetup(in: workspace, samples: count)

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
            #expect(lines.first.map(String.init) == Self.header)
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
        let portFile = workspace.path + "/port"
        let simulator = try CLI.start(
            ["--fixtures", CLI.repositoryRoot + "/samples/simulator", "--port-file", portFile],
            in: workspace.path,
            executable: "platform-simulator"
        )
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try waitFor { ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").count > 1 }
        let port = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
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

    /// `run --once --due` from a timer more frequent than the interval: the second run finds
    /// nothing due and collects nothing; `--due` without `--once` is a usage error.
    @Test func onceDueCollectsOnlyWhatIsDue() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 10)
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
        try Self.writeExecSetup(in: workspace, samples: 10)
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
        try workspace.write("adapters.conf", Self.execConfiguration() + "\ntimeout = \"1s\"\n")
        try workspace.write("gen.sh", "#!/bin/sh\necho started >> starts\n\(ending)\n", executable: true)
        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("failed: exec/command: commandFailed: command \"./gen.sh\""), "\(run.stderr)")
        #expect(workspace.read("starts") == "started\n")
    }

    @Test func exportWarnsOfRecordsItSkips() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 0)
        try workspace.write(
            "data/xiaohongshu/2026-01/main.csv",
            Self.header + "\n2026-01-02T00:00:00+08:00,xiaohongshu,a1,,followers,5,exact,exec\nnot,a,row\n"
        )
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(export.status == 0)
        #expect(export.stdout.split(separator: "\n").count == 2)
        #expect(export.stderr.contains("skipped records that are not valid rows"), "\(export.stderr)")
        #expect(export.stderr.contains("data/xiaohongshu/2026-01/main.csv"), "\(export.stderr)")
    }

    /// `export` and `compact` read the data folder only: an adapter section's unset secret
    /// does not stop them (the operator's shell need not hold the service's secrets), while a
    /// problem of `[collector]`, which says where the data is, still does.
    @Test func exportAndCompactNeedOnlyTheCollectorSettings() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 4)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let withSecret =
            Self.execConfiguration()
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
        try Self.writeExecSetup(in: workspace, samples: 10)
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

    @Test func exportWritesOpenMetricsEndingWithEOF() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 10)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let result = try CLI.run(["export", "--format", "openmetrics"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("# EOF\n"))
        #expect(result.stdout.contains("# TYPE social_followers gauge"))
    }

    /// An output file in a folder that does not exist: exit 3, naming the file asked for (not
    /// the temporary file an atomic write goes through) and what to check.
    @Test func writingIntoAMissingFolderNamesTheFileAskedFor() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeExecSetup(in: workspace, samples: 1)
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
        try Self.writeExecSetup(in: workspace, samples: 10)
        let beforeAnyRun = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(beforeAnyRun.status == 0)
        #expect(beforeAnyRun.stderr.contains("data holds no samples yet"))

        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let misspelt = try CLI.run(["export", "--format", "csv", "--platform", "xiaohongshuu"], in: workspace.path)
        #expect(misspelt.status == 0)
        #expect(misspelt.stdout == Self.header + "\n")
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

struct WaitTimeout: Error {}

/// `collector report` over a stored data set: the same figures as the report engine's
/// hand-checked golden files, read through the store.
@Suite(.serialized) struct ReportCommandTests {
    static let golden = CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/golden"

    @Test func reportFromTheStoreMatchesTheHandCheckedFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv",
            "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
            "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00",
        ]
        let csv = try CLI.run(arguments + ["--format", "csv"], in: workspace.path)
        #expect(csv.status == 0, "\(csv.stderr)")
        let expected = try String(contentsOfFile: Self.golden + "/expected.csv", encoding: .utf8)
        #expect(csv.stdout == expected)

        // `-o` a folder: one plain CSV per table, each the same table as in the single file.
        let tables = try CLI.run(arguments + ["--format", "csv", "-o", "tables/"], in: workspace.path)
        #expect(tables.status == 0, "\(tables.stderr)")
        let names = workspace.files(under: "tables")
        #expect(names.contains("units.csv") && names.contains("ranking.csv") && names.count == 8, "\(names)")
        for name in names {
            let table = try #require(workspace.read("tables/" + name))
            #expect(
                expected.contains("# \(name.dropLast(4))\n" + table),
                "\(name) differs from its table in the report"
            )
        }

        var future = arguments
        future[future.firstIndex(of: "2023-11")!] = "2023-12-02..2023-12-31"
        let early = try CLI.run(future, in: workspace.path)
        #expect(early.status == 2)
        #expect(
            early.stderr.contains(
                "--period 2023-12-02..2023-12-31 starts on 2023-12-02, after the report's date 2023-12-01 (--as-of, or"
                    + " now): nothing can be known about it yet"
            ),
            "\(early.stderr)"
        )

        let html = try CLI.run(arguments + ["--format", "html", "-o", "report.html"], in: workspace.path)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try #require(workspace.read("report.html"))
        #expect(page.contains("<svg"))
        #expect(!page.contains("<script src") && !page.contains("<link "), "the page must be self-contained")
    }

    /// `--lang`: Chinese Markdown and HTML by default, English on request, CSV the same in both,
    /// an unknown language a usage error.
    @Test func reportLanguageWordsMarkdownAndHTMLButNotCSV() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv",
            "--rules", CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/rules.toml",
            "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00",
        ]
        let chinese = try CLI.run(arguments, in: workspace.path)
        #expect(chinese.status == 0, "\(chinese.stderr)")
        #expect(chinese.stdout == (try String(contentsOfFile: Self.golden + "/expected.zh.md", encoding: .utf8)))
        #expect(try CLI.run(arguments + ["--lang", "zh"], in: workspace.path).stdout == chinese.stdout)

        let english = try CLI.run(arguments + ["--lang", "en"], in: workspace.path)
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout == (try String(contentsOfFile: Self.golden + "/expected.md", encoding: .utf8)))

        let html = try CLI.run(arguments + ["--format", "html", "-o", "zh.html"], in: workspace.path)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try #require(workspace.read("zh.html"))
        #expect(page.contains("<html lang=\"zh-CN\">") && page.contains("<h2>分类达标情况</h2>"))
        #expect(page.contains(">约数（如99.9万）</text>"))

        let csv = try CLI.run(arguments + ["--format", "csv", "--lang", "zh"], in: workspace.path)
        #expect(csv.status == 0)
        #expect(csv.stdout == (try String(contentsOfFile: Self.golden + "/expected.csv", encoding: .utf8)))
        #expect(csv.stderr.contains("--lang zh has no effect on CSV"), "\(csv.stderr)")

        let unknown = try CLI.run(arguments + ["--lang", "fr"], in: workspace.path)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--lang fr: use zh or en"), "\(unknown.stderr)")
    }

    /// Two accounts' 已通知内容 exports with the same article id (WeChat mids count per account):
    /// both catalogue rows are kept, and each account's posts are dated by its own row.
    @Test func importsOfTwoAccountsArticlesOfOneIDKeepBothAndReportEachByItsOwnDate() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let header = "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n"
        func link(_ account: String, _ mid: Int) -> String {
            "https://mp.weixin.qq.com/s?__biz=\(account)&mid=\(mid)&idx=1&sn=0"
        }
        try workspace.write(
            "a.csv",
            header + "A 的文章,2025-03-04,100,1,0,1000,50%,\(link("A", 2_247_483_649))\n"
                + "A 的第二篇,2025-03-06,80,1,0,1000,50%,\(link("A", 2_247_483_650))\n"
        )
        try workspace.write("b.csv", header + "B 的文章,2025-03-10,200,2,0,2000,50%,\(link("B", 2_247_483_649))\n")
        for (account, file) in [("gh_aaaaaaaaaaaa", "a.csv"), ("gh_bbbbbbbbbbbb", "b.csv")] {
            let result = try CLI.run(
                ["import", "--platform", "wechat", "--account", account, file],
                in: workspace.path
            )
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(
            workspace.read("data/wechat/objects.csv")
                == "object,account,published_at,title,url\n"
                + "2247483649_1,gh_aaaaaaaaaaaa,2025-03-04T00:00:00+08:00,A 的文章,\(link("A", 2_247_483_649))\n"
                + "2247483650_1,gh_aaaaaaaaaaaa,2025-03-06T00:00:00+08:00,A 的第二篇,\(link("A", 2_247_483_650))\n"
                + "2247483649_1,gh_bbbbbbbbbbbb,2025-03-10T00:00:00+08:00,B 的文章,\(link("B", 2_247_483_649))\n"
        )

        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "甲,other,济南,,wechat,gh_aaaaaaaaaaaa,甲,yes\n" + "乙,other,济南,,wechat,gh_bbbbbbbbbbbb,乙,yes\n"
        )
        let report = try CLI.run(
            [
                "report", "--registry", "accounts.csv",
                "--rules", CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/rules.toml",
                "--period", "2025-03", "--as-of", "2025-04-01T10:00:00+08:00", "--format", "csv",
            ],
            in: workspace.path
        )
        #expect(report.status == 0, "\(report.stderr)")
        // The rows of the activity table: after its name and header, up to the blank line.
        let table = report.stdout.split(separator: "\n\n").first { $0.hasPrefix("# activity\n") } ?? ""
        let activity = table.split(separator: "\n").dropFirst(2)
        #expect(
            Array(activity) == [
                "甲,other,wechat,gh_aaaaaaaaaaaa,甲,yes,2,published_at,0,viewers,25,yes",
                "乙,other,wechat,gh_bbbbbbbbbbbb,乙,yes,1,published_at,0,viewers,21,yes",
            ],
            "\(report.stdout)"
        )
    }

    @Test func reportWithoutARegistryIsAUsageError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(["report", "--rules", "x.toml", "--period", "2023-11"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--registry"))
    }

    @Test func aReversedRangeIsAUsageErrorThatNamesBothEnds() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            ["report", "--rules", "x.toml", "--period", "2026-10-31..2026-10-01"],
            in: workspace.path
        )
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "--period 2026-10-31..2026-10-01: the range ends (2026-10-01) before it starts (2026-10-31)"
            ),
            "\(result.stderr)"
        )
    }

    /// The first step of OAuth: the page to open per account, then the command to run next,
    /// ready to copy when one account is meant. No network is needed.
    @Test func authPrintsThePageAndTheCommandToRunNext() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [[adapters.weibo]]
            accounts = ["123", "456"]
            app_key = "${TEST_WEIBO_KEY:-k123}"
            app_secret = "${TEST_WEIBO_SECRET:-s456}"
            redirect_uri = "https://example.org/cb"

            """
        )
        let one = try CLI.run(["auth", "weibo", "123"], in: workspace.path)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("weibo/123: open https://api.weibo.com/oauth2/authorize?client_id=k123&"))
        #expect(one.stdout.contains("then run: collector auth weibo 123 CODE "))
        #expect(!one.stdout.contains("s456"))
        let both = try CLI.run(["auth", "weibo"], in: workspace.path)
        #expect(both.stdout.contains("weibo/456: open "))
        #expect(both.stdout.contains("then run: collector auth weibo ACCOUNT CODE "))
    }

    @Test func authListSaysWhenNothingIsStored() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(["auth", "list"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("no stored credentials"))
    }
}

/// A stored token that its instance renews by itself (WeChat's stable_token) has no
/// re-authorisation date: the listing must not tell anyone to re-authorise it.
@Suite(.serialized) struct AuthListingTests {
    @Test func listsATokenRenewedFromTheAppSecretAsNeedingNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            state_dir = "state"

            [[adapters.wechat]]
            account = "gh_0123456789ab"
            app_id = "wx0123456789abcdef"
            app_secret = "${WX_SECRET}"
            """
        )
        let expires = Int(Date().timeIntervalSince1970) + 3600
        let credential =
            #"{"access_token":"tok-never-shown","obtained_at":\#(expires - 7200),"expires_at":\#(expires)}"#
        try workspace.write("state/credential-wechat~gh_0123456789ab.json", credential)
        let listing = try CLI.run(["auth"], in: workspace.path, environment: ["WX_SECRET": "secret-never-shown"])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stdout.contains(
                "wechat/gh_0123456789ab: access token valid until 20"
            ) && listing.stdout.contains("; renewed automatically from the app secret, nothing to do"),
            "\(listing.stdout)"
        )
        #expect(!listing.stdout.contains("re-authorise"))
        #expect(!listing.stdout.contains("tok-never-shown"))
    }
}

/// `collector auth` with a real OAuth adapter against the platform simulator: the page, the
/// code exchange, the stored credential (0600, no token on screen) and the listing.
@Suite(.serialized) struct AuthCommandTests {
    @Test func exchangesACodeStoresTheCredentialPrivatelyAndListsIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let token = try String(
            contentsOfFile: CLI.repositoryRoot + "/Tests/AdaptersTests/Fixtures/kuaishou/oauth2_access_token_ok.json",
            encoding: .utf8
        )
        try workspace.write("simulator/kuaishou/oauth2/access_token.json", token)
        let portFile = workspace.path + "/port"
        let simulator = try CLI.start(
            ["--fixtures", workspace.path + "/simulator", "--port-file", portFile],
            in: workspace.path,
            executable: "platform-simulator"
        )
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(20)
        while ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let port = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let account = "f0a1b2c3d4e5f60718293a4b5c6d7e8f"
        try workspace.write(
            "adapters.conf",
            """
            [[adapters.kuaishou]]
            accounts = ["\(account)"]
            app_id = "ks_app"
            app_secret = "${KS_SECRET}"
            base_url = "http://127.0.0.1:\(port)/kuaishou"
            """
        )
        let environment = ["KS_SECRET": "app-secret-never-shown"]

        let page = try CLI.run(["auth", "kuaishou"], in: workspace.path, environment: environment)
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.stdout.contains("kuaishou/\(account): open http://127.0.0.1:\(port)/kuaishou/oauth2/authorize?"))

        let login = try CLI.run(
            ["auth", "kuaishou", account, "the-code"],
            in: workspace.path,
            environment: environment
        )
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("authorised"))
        #expect(login.stdout.contains("re-authorise before"))
        let stored = try #require(workspace.files(under: "state").first { $0.hasPrefix("credential-") })
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path + "/state/" + stored)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let listing = try CLI.run(["auth"], in: workspace.path, environment: environment)
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("kuaishou/\(account): access token valid until"))
        let accessToken = try #require(
            token.components(separatedBy: "\"access_token\": \"").last?.prefix { $0 != "\"" }
        )
        #expect(accessToken.count > 20)
        for output in [page.stdout, page.stderr, login.stdout, login.stderr, listing.stdout] {
            #expect(!output.contains("app-secret-never-shown"))
            #expect(!output.contains(accessToken))
        }
    }
}
