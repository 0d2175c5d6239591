import CollectorTesting
import Foundation
import Testing

/// Service mode, reloads, shards, the circuit breaker, a full disk and the self-metrics file,
/// through the real `collector` executable.
@Suite(.serialized) struct ReliabilityTests {
    /// An exec section named `name` for `platform`, running `script`.
    static func execSection(name: String, platform: String, script: String) -> String {
        """

        [[adapters.exec]]
        name = "\(name)"
        platform = "\(platform)"
        command = ["./\(script)"]
        interval = "1h"
        jitter = "0s"

        """
    }

    static let collectorSection = """
        [collector]
        data_dir = "data"
        state_dir = "state"

        """

    // MARK: - Service mode

    @Test func serviceReloadsOnSighupRefusingABadConfigurationAndStopsCleanly() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("first.sh", ExecSetup.generator(count: 3), executable: true)
        try workspace.write("second.sh", ExecSetup.generator(count: 5), executable: true)
        let good = Self.collectorSection + Self.execSection(name: "first", platform: "xiaohongshu", script: "first.sh")
        try workspace.write("adapters.conf", good)

        let service = try LoggedProcess(["run"], in: workspace.path)
        defer { service.kill() }
        try waitFor { workspace.files(under: "data").contains("xiaohongshu/2026-01/main.csv") }

        // A bad configuration: refused, with its error; the running one stays.
        try workspace.write("adapters.conf", good + "\n[[adapters.exec]]\nplatfrom = \"kuaishou\"\n")
        service.signal(SIGHUP)
        try waitFor { service.log.contains("configuration reload refused") }
        #expect(service.log.contains("adapters.conf:"))
        #expect(service.log.contains("platfrom"))
        #expect(service.isRunning)

        // A good one: the new instance starts collecting.
        try workspace.write(
            "adapters.conf",
            good + Self.execSection(name: "second", platform: "kuaishou", script: "second.sh")
        )
        service.signal(SIGHUP)
        try waitFor { workspace.files(under: "data").contains("kuaishou/2026-01/main.csv") }

        service.signal(SIGTERM)
        #expect(service.wait() == 0)
        let schedule = try #require(workspace.read("state/schedule-main.tsv"))
        #expect(schedule.contains("first\tcommand\t"))
        #expect(schedule.contains("second\tcommand\t"))
        let metrics = try #require(workspace.read("state/collector-main.prom"))
        #expect(metrics.contains("# TYPE collector_accounts_collected_total counter\n"))
        #expect(
            metrics.contains(
                "collector_accounts_collected_total{collector_instance=\"main\",adapter=\"second\",platform=\"kuaishou\"} 1\n"
            )
        )
        #expect(service.log.contains("summary since the service started at 20"))
        #expect(service.log.contains(": 8 rows written, "))
    }

    @Test func sigtermLetsTheCollectionInFlightFinishThenExitsZero() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // Three samples, a pause during which SIGTERM arrives, three more.
        try workspace.write(
            "slow.sh",
            """
            #!/bin/sh
            line() { printf '{"time":"2026-01-0%dT00:00:00+08:00","account":"a","object":"","metric":"followers","value":%d}\\n' "$1" "$1"; }
            line 1; line 2; line 3
            touch started
            sleep 1
            line 4; line 5; line 6
            """,
            executable: true
        )
        try workspace.write(
            "adapters.conf",
            Self.collectorSection + Self.execSection(name: "slow", platform: "xiaohongshu", script: "slow.sh")
        )
        let service = try LoggedProcess(["run"], in: workspace.path)
        defer { service.kill() }
        try waitFor { FileManager.default.fileExists(atPath: workspace.path + "/started") }
        service.signal(SIGTERM)
        #expect(service.wait() == 0)
        #expect(service.log.contains(": 6 rows written, "))
        let rows = try #require(workspace.read("data/xiaohongshu/2026-01/main.csv")).split(separator: "\n")
        #expect(rows.count == 7)
        #expect(workspace.read("state/schedule-main.tsv")?.contains("slow\tcommand\t") == true)
    }

    /// SIGTERM while an account waits out a platform's `Retry-After`: the wait ends, the retry
    /// is not sent, the account stays due, and the service exits 0.
    @Test func sigtermEndsARetryWaitWithoutSendingTheRetry() async throws {
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            let busy = ScriptedResponse(status: 429, headers: [.init("Retry-After", "60")])
            simulator.script(path: "/bilibili/x/relation/stat", [busy, busy])
            try workspace.write(
                "adapters.conf",
                Self.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = ["1"]
                    card = false
                    base_url = "\(simulator.baseURL)/bilibili"

                    """
            )
            let service = try LoggedProcess(["run"], in: workspace.path)
            defer { service.kill() }
            #expect(await simulator.waitForRequests(1))
            service.signal(SIGTERM)
            #expect(service.wait() == 0, "\(service.log)")
            #expect(simulator.requestCount == 1)
            #expect(service.log.contains("1 not collected as the run was stopped (they stay due)"), "\(service.log)")
            #expect(workspace.read("state/schedule-main.tsv")?.contains("bilibili\t1\t") != true)
        }
    }

    /// `run --once` stopped while a command runs: after `stop_grace` the command is killed, the
    /// lines it printed are kept, and the run exits 1 saying what it left undone.
    @Test func sigtermCutsACommandOffAfterTheGracePeriodAndKeepsItsLines() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (run, child) = try Self.startStuckCommand(in: workspace, stopGrace: "1s")
        defer { run.kill() }
        run.signal(SIGTERM)
        #expect(run.wait() == 1, "\(run.log)")
        #expect(run.log.contains("3 rows written"), "\(run.log)")
        #expect(run.log.contains("1 not collected as the run was stopped (they stay due)"), "\(run.log)")
        #expect(workspace.read("data/xiaohongshu/2026-01/main.csv")?.split(separator: "\n").count == 4)
        // The command was killed, not left running.
        #expect(Foundation.kill(child, 0) != 0)
    }

    /// A second SIGTERM (Ctrl-C pressed again) ends the grace period at once: with
    /// `stop_grace = "5m"` the run still ends in seconds, keeping what the command printed.
    @Test func aSecondSigtermCutsTheGracePeriodShort() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (run, child) = try Self.startStuckCommand(in: workspace, stopGrace: "5m")
        defer { run.kill() }
        run.signal(SIGTERM)
        // The first signal starts the grace period: the command goes on.
        Thread.sleep(forTimeInterval: 1)
        #expect(run.isRunning && Foundation.kill(child, 0) == 0, "\(run.log)")
        run.signal(SIGTERM)
        try waitFor(timeout: 20) { !run.isRunning }
        #expect(run.wait() == 1, "\(run.log)")
        #expect(run.log.contains("3 rows written"), "\(run.log)")
        #expect(workspace.read("data/xiaohongshu/2026-01/main.csv")?.split(separator: "\n").count == 4)
        #expect(Foundation.kill(child, 0) != 0)
    }

    /// Starts `run --once` on an exec command that prints three rows and then sleeps; returns
    /// once the command runs, with the command's process id.
    private static func startStuckCommand(
        in workspace: Workspace,
        stopGrace: String
    ) throws -> (run: LoggedProcess, child: Int32) {
        try workspace.write(
            "stuck.sh",
            """
            #!/bin/sh
            line() { printf '{"time":"2026-01-0%dT00:00:00+08:00","account":"a","object":"","metric":"followers","value":%d}\\n' "$1" "$1"; }
            line 1; line 2; line 3
            echo $$ > started
            exec sleep 300
            """,
            executable: true
        )
        try workspace.write(
            "adapters.conf",
            Self.collectorSection + "stop_grace = \"\(stopGrace)\"\n"
                + Self.execSection(name: "stuck", platform: "xiaohongshu", script: "stuck.sh")
        )
        let run = try LoggedProcess(["run", "--once"], in: workspace.path)
        do {
            try waitFor { workspace.read("started")?.hasSuffix("\n") == true }
            let child = try #require(Int32(workspace.read("started")!.trimmingCharacters(in: .whitespacesAndNewlines)))
            return (run, child)
        } catch {
            run.kill()
            throw error
        }
    }

    @Test func onceKeepsItsMeaningAndTheMetricsFileCarriesCountersOver() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", ExecSetup.generator(count: 10), executable: true)
        try workspace.write(
            "adapters.conf",
            Self.collectorSection + Self.execSection(name: "gen", platform: "xiaohongshu", script: "gen.sh")
        )
        let first = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("self-metrics in state/collector-main.prom"))
        // Not due again for an hour, but --once collects every instance all the same.
        let second = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 rows written, 10 duplicates skipped"))

        let metrics = try #require(workspace.read("state/collector-main.prom"))
        #expect(
            metrics.contains(
                "collector_samples_written_total{collector_instance=\"main\",format=\"csv\",platform=\"xiaohongshu\"} 10\n"
            )
        )
        #expect(
            metrics.contains(
                "collector_samples_duplicate_total{collector_instance=\"main\",platform=\"xiaohongshu\"} 10\n"
            )
        )
        #expect(
            metrics.contains(
                "collector_accounts_collected_total{collector_instance=\"main\",adapter=\"gen\",platform=\"xiaohongshu\"} 2\n"
            )
        )
        #expect(workspace.read("state/schedule-main.tsv")?.contains("gen\tcommand\t") == true)
    }

    /// A section renamed or removed in adapters.conf is never collected again: its gauges must
    /// not stay in the metrics file, where a frozen last-success time fires the staleness alert
    /// for good. A section configured but not collected (`--only`) keeps its series.
    @Test func theMetricsFileDropsTheSeriesOfSectionsNoLongerConfigured() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", ExecSetup.generator(count: 2), executable: true)
        try workspace.write("bad.sh", "#!/bin/sh\nexit 1\n", executable: true)
        let sections = [
            Self.execSection(name: "xhs-old", platform: "xiaohongshu", script: "gen.sh"),
            Self.execSection(name: "ks-retired", platform: "kuaishou", script: "bad.sh"),
            Self.execSection(name: "kept", platform: "weibo", script: "gen.sh"),
        ]
        try workspace.write("adapters.conf", Self.collectorSection + sections.joined())
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 1)
        // Never collected yet: 0, so the staleness alert fires for it (an absent series would not).
        #expect(
            workspace.read("state/collector-main.prom")?.contains(
                "collector_last_success_timestamp_seconds{collector_instance=\"main\",adapter=\"ks-retired\",platform=\"kuaishou\"} 0\n"
            ) == true
        )
        let renamed = Self.execSection(name: "xhs-new", platform: "xiaohongshu", script: "gen.sh")
        try workspace.write("adapters.conf", Self.collectorSection + renamed + sections[2])
        let run = try CLI.run(["run", "--once", "--only", "xhs-new"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try #require(workspace.read("state/collector-main.prom"))
        #expect(!metrics.contains("adapter=\"xhs-old\""), "\(metrics)")
        #expect(!metrics.contains("adapter=\"ks-retired\""), "\(metrics)")
        #expect(
            metrics.contains(
                "collector_last_success_timestamp_seconds{collector_instance=\"main\",adapter=\"xhs-new\",platform=\"xiaohongshu\"}"
            )
        )
        #expect(
            metrics.contains(
                "collector_last_success_timestamp_seconds{collector_instance=\"main\",adapter=\"kept\",platform=\"weibo\"}"
            )
        )
        // Series by platform alone are the installation's history and stay.
        #expect(
            metrics.contains(
                "collector_samples_duplicate_total{collector_instance=\"main\",platform=\"xiaohongshu\"} 2\n"
            ),
            "\(metrics)"
        )
    }

    // MARK: - Shards

    @Test func shardsWriteTheirOwnPartFilesDisjointAndTogetherComplete() async throws {
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            let accounts = (1...24).map { "\(1000 + $0)" }
            try workspace.write(
                "adapters.conf",
                Self.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = [\(accounts.map { "\"\($0)\"" }.joined(separator: ", "))]
                    card = false
                    rate = "1000/s"
                    base_url = "\(simulator.baseURL)/bilibili"

                    """
            )
            // Both shards at once, sharing the data and state folders: neither blocks the other.
            let shards = try (0..<2).map {
                try LoggedProcess(["run", "--once", "--shard", "\($0)/2"], in: workspace.path)
            }
            for shard in shards { #expect(shard.wait() == 0, "\(shard.log)") }

            let files = workspace.files(under: "data")
            let parts = files.filter { $0.hasPrefix("bilibili/") }.map { ($0 as NSString).lastPathComponent }
            #expect(parts.sorted() == ["main-shard-0.csv", "main-shard-1.csv"])
            var seen: [String: String] = [:]
            for file in files where file.hasPrefix("bilibili/") {
                let rows = try #require(workspace.read("data/" + file)).split(separator: "\n").dropFirst()
                for row in rows {
                    let account = String(row.split(separator: ",")[2])
                    #expect(seen[account] == nil || seen[account] == file, "account \(account) in two shards")
                    seen[account] = file
                }
            }
            #expect(Set(seen.keys) == Set(accounts))
            #expect(workspace.read("state/main-shard-0.lock") != nil)
            #expect(workspace.read("state/schedule-main-shard-1.tsv") != nil)

            // Both shards count requests, rows and successes of the same section and platform: a
            // textfile collector reading both files keeps one of two equal series (silently), so
            // every series names its file's instance.
            let series = try (0..<2).map { shard in
                let text = try #require(workspace.read("state/collector-main-shard-\(shard).prom"))
                let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
                #expect(
                    samples.allSatisfy { $0.contains("{collector_instance=\"main-shard-\(shard)\"") },
                    "\(text)"
                )
                return Set(samples.map { $0[..<($0.lastIndex(of: " ") ?? $0.endIndex)] })
            }
            #expect(series[0].contains { $0.hasPrefix("collector_last_success_timestamp_seconds{") })
            #expect(series[0].isDisjoint(with: series[1]))
        }
    }

    // MARK: - Redirects

    /// A base_url that redirects (a moved path, a proxy): the hop is a request of its own, in
    /// the summary and in `collector_http_requests_total` under its status, and it spends the
    /// rate like any request (RedirectFollowingHTTPClientTests shows the wait).
    @Test func aFollowedRedirectIsCountedAsARequestOfItsOwn() async throws {
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            simulator.script(
                path: "/moved/x/relation/stat",
                [.redirect(to: "/bilibili/x/relation/stat?vmid=208259", status: 301)]
            )
            try workspace.write(
                "adapters.conf",
                Self.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = ["208259"]
                    card = false
                    rate = "1000/s"
                    base_url = "\(simulator.baseURL)/moved"

                    """
            )
            let run = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("requests: bilibili 2 (301: 1)"), "\(run.stderr)")
            #expect(simulator.requests.map(\.path) == ["/moved/x/relation/stat", "/bilibili/x/relation/stat"])
            let metrics = try #require(workspace.read("state/collector-main.prom"))
            for code in ["200", "301"] {
                #expect(
                    metrics.contains(
                        "collector_http_requests_total{collector_instance=\"main\",code=\"\(code)\",platform=\"bilibili\"} 1\n"
                    ),
                    "\(metrics)"
                )
            }
        }
    }

    // MARK: - Circuit breaker

    @Test func antiBotAnswerOpensTheBreakerAndTheNextRunSendsNoRequest() async throws {
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            simulator.script(path: "/bilibili/x/relation/stat", [ScriptedResponse(status: 412)])
            try workspace.write(
                "adapters.conf",
                Self.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = ["1", "2", "3"]
                    card = false
                    rate = "1000/s"
                    cooldown = "2h"
                    base_url = "\(simulator.baseURL)/bilibili"

                    """
            )
            let first = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(first.status == 1)
            #expect(first.stderr.contains("antiBot (code http-412)"))
            #expect(first.stderr.contains("bilibili is left alone until "))
            #expect(simulator.requestCount == 1)
            #expect(workspace.read("state/circuit-bilibili")?.contains("code=http-412\n") == true)

            let second = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(second.status == 1)
            #expect(second.stderr.contains("3 accounts not collected: bilibili's circuit breaker is open until "))
            #expect(second.stderr.contains("after antiBot (code http-412) on bilibili/1"))
            #expect(simulator.requestCount == 1)
            let metrics = try #require(workspace.read("state/collector-main.prom"))
            #expect(
                metrics.contains(
                    "collector_circuit_open_until_timestamp_seconds{collector_instance=\"main\",platform=\"bilibili\","
                        + "service=\"bilibili\"} "
                )
            )
            #expect(
                metrics.contains(
                    "collector_http_requests_total{collector_instance=\"main\",code=\"412\",platform=\"bilibili\"} 1\n"
                )
            )
        }
    }

    /// `collector test` during the cool-down is what an operator runs to see whether it works
    /// again: like `run`, it leaves the platform alone while its breaker is open and says until
    /// when; `--ignore-circuit-breaker` asks all the same.
    @Test func testLeavesAPlatformAloneWhileItsBreakerIsOpen() async throws {
        try await withPlatformSimulator { simulator in
            let workspace = try Workspace()
            defer { workspace.remove() }
            try workspace.write(
                "adapters.conf",
                Self.collectorSection + """

                    [[adapters.bilibili]]
                    accounts = ["1", "2"]
                    card = false
                    rate = "1000/s"
                    base_url = "\(simulator.baseURL)/bilibili"

                    """
            )
            try workspace.write(
                "state/circuit-bilibili",
                "open_until=4102444800\nadapter=bilibili\naccount=1\nlabel=antiBot\ncode=-352\n"
            )
            let test = try CLI.run(["test"], in: workspace.path)
            #expect(test.status == 1)
            #expect(
                test.stderr.contains("2 accounts not collected: bilibili's circuit breaker is open until 2100-01-01"),
                "\(test.stderr)"
            )
            #expect(test.stderr.contains("after antiBot (code -352) on bilibili/1"))
            #expect(simulator.requestCount == 0)

            _ = try CLI.run(["test", "--ignore-circuit-breaker"], in: workspace.path)
            #expect(simulator.requestCount > 0)
            #expect(workspace.read("state/circuit-bilibili")?.hasPrefix("open_until=4102444800\n") == true)
        }
    }

    /// A 432 from m.weibo.cn (the opt-in `weibo_web`) opens the breaker of that service only:
    /// the official API (`weibo`, api.weibo.com) has a risk control of its own and is collected
    /// by the next run, while every `weibo_web` section, the one added since too, is left alone.
    @Test func antiBotFromTheWebEndpointsLeavesTheOfficialAPIOfThePlatformRunning() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeWeiboAPIFixtures(in: workspace)
        try await withPlatformSimulator(fixtureRoot: workspace.path + "/fixtures") { simulator in
            simulator.script(path: "/weibo_web/api/container/getIndex", [.status(432)])
            let sections = Self.collectorSection + Self.weiboSections(simulator) + "\n"
            try workspace.write("adapters.conf", sections)
            let first = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(first.status == 1)
            #expect(first.stderr.contains("antiBot (code http-432)"), "\(first.stderr)")
            #expect(first.stderr.contains("web stops, and weibo_web is left alone until "))
            #expect(workspace.read("state/circuit-weibo_web")?.contains("\nservice=weibo_web\n") == true)
            #expect(workspace.read("state/circuit-weibo") == nil)

            // A second weibo_web section (another login) asks the same m.weibo.cn: it shares the
            // breaker.
            let more = """
                [[adapters.weibo_web]]
                name = "web2"
                accounts = ["5999000003"]
                cookie = "SUB=another-login"
                base_url = "\(simulator.baseURL)/weibo_web"

                """
            try workspace.write("adapters.conf", sections + more)
            let second = try CLI.run(["run", "--once"], in: workspace.path)
            #expect(second.status == 1)
            #expect(!second.stderr.contains("failed: api/"), "\(second.stderr)")
            for web in ["web/5999000002", "web2/5999000003"] {
                #expect(
                    second.stderr.contains(
                        "failed: \(web): circuitOpen (code http-432): 1 account not collected: weibo_web's circuit "
                            + "breaker is open until "
                    )
                )
            }
            #expect(second.stderr.contains("circuit-weibo_web to try earlier"))
            let counts = simulator.requests.filter { $0.path.hasPrefix("/weibo/2/users/counts.json") }
            #expect(counts.count == 2)
            #expect(simulator.requests.filter { $0.path.hasPrefix("/weibo_web/") }.count == 1)
            #expect(simulator.fixtureProblems.isEmpty, "\(simulator.fixtureProblems)")
            let metrics = try #require(workspace.read("state/collector-main.prom"))
            #expect(
                metrics.contains(
                    "collector_circuit_open_until_timestamp_seconds{collector_instance=\"main\",platform=\"weibo\","
                        + "service=\"weibo_web\"} "
                ),
                "\(metrics)"
            )
            #expect(!metrics.contains("service=\"weibo\""))
        }
    }

    /// The breaker file of a version with one breaker per platform (no `service=` line) holds
    /// every service of the platform until it closes: an upgrade loses no open breaker. A
    /// `circuit-weibo` of this version holds the official API only.
    @Test func aPlatformWideBreakerFileOfAnEarlierVersionHoldsEveryServiceOfThePlatform() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Self.writeWeiboAPIFixtures(in: workspace)
        try await withPlatformSimulator(fixtureRoot: workspace.path + "/fixtures") { simulator in
            try workspace.write("adapters.conf", Self.collectorSection + Self.weiboSections(simulator))
            try workspace.write(
                "state/circuit-weibo",
                "open_until=4102444800\nadapter=web\naccount=5999000002\nlabel=antiBot\ncode=http-432\n"
            )
            let earlier = try CLI.run(["test"], in: workspace.path)
            #expect(earlier.status == 1)
            for instance in ["web/5999000002", "api/5999000001"] {
                #expect(
                    earlier.stderr.contains(
                        "failed: \(instance): circuitOpen (code http-432): 1 account not collected: weibo's circuit "
                            + "breaker is open until 2100-01-01"
                    ),
                    "\(earlier.stderr)"
                )
            }
            #expect(earlier.stderr.contains("circuit-weibo to try earlier"))
            #expect(simulator.requestCount == 0)

            try workspace.write(
                "state/circuit-weibo",
                "open_until=4102444800\nservice=weibo\nadapter=api\naccount=5999000001\nlabel=antiBot\ncode=10004\n"
            )
            simulator.script(path: "/weibo_web/api/container/getIndex", [.status(432)])
            let current = try CLI.run(["test"], in: workspace.path)
            #expect(current.stderr.contains("failed: api/5999000001: circuitOpen (code 10004)"), "\(current.stderr)")
            #expect(current.stderr.contains("failed: web/5999000002: antiBot (code http-432)"))
            #expect(simulator.requests.map(\.path) == ["/weibo_web/api/container/getIndex"])
        }
    }

    /// A `weibo_web` section (web, 5999000002) and an official `weibo` one (api, 5999000001,
    /// followers only) on the simulator.
    static func weiboSections(_ simulator: PlatformSimulator) -> String {
        """

        [[adapters.weibo_web]]
        name = "web"
        accounts = ["5999000002"]
        cookie = "SUB=test-cookie"
        base_url = "\(simulator.baseURL)/weibo_web"

        [[adapters.weibo]]
        name = "api"
        accounts = ["5999000001"]
        access_token = "test-token"
        posts = false
        base_url = "\(simulator.baseURL)/weibo"

        """
    }

    /// What the official API answers for account 5999000001: its token is valid, and its counts.
    static func writeWeiboAPIFixtures(in workspace: Workspace) throws {
        try workspace.write(
            "fixtures/weibo/oauth2/get_token_info.json",
            #"{"uid": 5999000001, "appkey": "1", "scope": "", "create_at": 1763395200, "expire_in": 2000000000}"#
        )
        try workspace.write(
            "fixtures/weibo/2/users/counts.json@uids=5999000001.json",
            #"[{"id": 5999000001, "followers_count": 1234567, "friends_count": 312, "statuses_count": 18842}]"#
        )
    }

    // MARK: - Full disk

    @Test func aFullDiskExitsThreeWithEverythingWrittenIntactAndTheCursorBehindIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let disk = workspace.path + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        // A 1 MiB tmpfs needs root (CAP_SYS_ADMIN); without it the /dev/full unit tests stand in.
        guard Self.shell("mount -t tmpfs -o size=1m collector-full-disk '\(disk)'") == 0 else {
            print("skipped: cannot mount a tmpfs here (not root?)")
            return
        }
        defer { _ = Self.shell("umount '\(disk)'") }
        try workspace.write("gen.sh", CrashTests.cursorGenerator(total: 40_000, every: 250), executable: true)
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "disk/data"
            state_dir = "disk/state"

            [[adapters.exec]]
            name = "gen"
            platform = "xiaohongshu"
            command = ["./gen.sh"]

            """
        )
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))

        let rows = try CrashTests.readRows(workspace, under: "disk/data", requireWhole: true)
        #expect(rows.count > 1000)
        #expect(rows.count < 40_000)
        let cursor = CrashTests.cursor(workspace, file: "disk/state/exec-gen.state")
        #expect(cursor > 0)
        for index in 0..<cursor { #expect(rows.contains("a\(index)"), "a\(index) is behind the saved cursor") }
    }

    // MARK: - Helpers

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Polls `condition` every 50 ms until it holds; fails after `timeout` seconds.
func waitFor(timeout: Double = 30, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        guard Date() < deadline else { throw WaitTimeout() }
        Thread.sleep(forTimeInterval: 0.05)
    }
}

/// What ``waitFor(timeout:_:)`` throws when its condition does not hold in time.
struct WaitTimeout: Error {}

/// A `collector` process whose stderr goes to a file the test can read while it runs.
final class LoggedProcess {
    let process = Process()
    let logPath: String

    init(_ arguments: [String], in directory: String) throws {
        logPath = directory + "/collector-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: CLI.binDirectory + "/collector")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["COLLECTOR_CONFIG"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// Waits for the exit and returns the status.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL if still running (cleanup).
    func kill() {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }
}
