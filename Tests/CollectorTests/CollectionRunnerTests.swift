import Collector
import CollectorTesting
import Logging
import Synchronization
import Testing

@Suite struct CollectionRunnerTests {
    @Test func collectsEveryAccountOfEveryInstance() async throws {
        let sink = InMemorySink()
        let first = ScriptedAdapter(name: "one", accounts: ["a", "b"])
        let second = ScriptedAdapter(name: "two", accounts: ["c"])
        let summary = try await makeRunner([first, second], sink: sink).runOnce()
        #expect(summary.succeeded == 3)
        #expect(summary.failures.isEmpty)
        #expect(summary.exitCode == 0)
        #expect(summary.counts.written == 3)
        #expect(Set(sink.samples.map(\.account)) == ["a", "b", "c"])
    }

    /// An import that fails on the store (a full disk) is logged with the file it was importing,
    /// not with its unit of work, `account=files`.
    @Test func anImportsStorageFailureIsLoggedWithItsFile() async throws {
        let logs = LogRecorder()
        let failing = FailingImport(
            error: ImportError.storage(
                "exports/big.csv",
                StorageError(path: "data/wechat/2026-08/main.lp", operation: "write", errno: 28)  // ENOSPC
            )
        )
        let summary = try await makeRunner([failing], sink: InMemorySink(), logger: logs.logger).runOnce()
        #expect(summary.failedAccounts == 1)
        let warning = try #require(logs.entries.first { $0.level == .warning })
        #expect(warning.message.hasPrefix("exports/big.csv: writing the imported rows failed"))
        #expect(warning.metadata["file"] == "exports/big.csv")
        #expect(warning.metadata["account"] == nil)
    }

    /// SPEC §1 "partial": a value the metric cannot hold is refused by the batch, named in
    /// the summary with the instance and account, and the run exits 1; the account's other
    /// samples are written and the account counts as collected.
    @Test func aValueItsMetricCannotHoldMakesThePartialExitAndTheRestIsWritten() async throws {
        let sink = InMemorySink()
        let adapter = FixedSamplesAdapter(name: "bilibili-main") { account, time in
            [
                Sample(
                    time: time,
                    platform: .bilibili,
                    account: account,
                    metric: .followers,
                    value: .integer(-1),
                    source: .web
                ),
                Sample(
                    time: time,
                    platform: .bilibili,
                    account: account,
                    metric: .following,
                    value: .integer(3),
                    source: .web
                ),
            ]
        }
        let summary = try await makeRunner([adapter], sink: sink).runOnce()
        #expect(summary.exitCode == 1)
        #expect(summary.succeeded == 1)
        #expect(summary.failedAccounts == 0)
        #expect(summary.failures.map(\.label) == ["invalidValue"])
        #expect(
            summary.failures.first?.description.hasPrefix("bilibili-main/208259: invalidValue: followers = -1 ") == true
        )
        #expect(sink.samples.map(\.metric) == [.following])
    }

    @Test func retriesAPassingFailureThenSucceeds() async throws {
        let adapter = ScriptedAdapter(name: "flaky", accounts: ["a"], failures: ["a": [.transient("HTTP 503")]])
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(summary.succeeded == 1)
        #expect(summary.failures.isEmpty)
        #expect(adapter.attempts(for: "a") == 2)
    }

    @Test func aPartialFailureMetAgainByARetryIsReportedOnce() async throws {
        let adapter = ScriptedAdapter(
            name: "exec",
            accounts: ["command"],
            failures: ["command": [.transient("exit 3"), .transient("exit 3")]],
            recordsPartialFailure: true
        )
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(adapter.attempts(for: "command") == 3)
        #expect(summary.failures.map(\.label) == ["invalidLine"])
        #expect(summary.succeeded == 1)
    }

    @Test func aRetryAfterLongerThanTheLongestBackoffIsReportedNotWaitedFor() async throws {
        let adapter = ScriptedAdapter(
            name: "q",
            accounts: ["a"],
            failures: ["a": [.rateLimited("HTTP 429", platformCode: "http-429", retryAfter: .seconds(3600))]]
        )
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(adapter.attempts(for: "a") == 1)
        #expect(summary.failures.first?.label == "rateLimited")
        #expect(
            summary.failures.first?.message.hasSuffix(
                "the platform asked to wait 3600 s, longer than a retry waits (300 s): tried again at the next due time"
            ) == true
        )
    }

    /// A run that stops (SIGTERM, a storage error in another instance) interrupts what is in
    /// flight: that is not the account's failure, and no `CancellationError()` reaches the log.
    @Test func anAccountInterruptedByTheRunStoppingIsNeitherOkNorFailed() async throws {
        let adapter = ScriptedAdapter(name: "exec", accounts: ["a", "b"], interrupted: ["a"])
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(summary.failures.isEmpty)
        #expect(summary.failedAccounts == 0)
        #expect(summary.succeeded == 1)
        #expect(adapter.attempts(for: "a") == 1)
    }

    @Test func reportsAFailureThatOutlastsTheRetries() async throws {
        let failures: [AdapterError] = [.transient("HTTP 503"), .transient("HTTP 503"), .transient("HTTP 503")]
        let adapter = ScriptedAdapter(name: "down", accounts: ["a", "b"], failures: ["a": failures])
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(adapter.attempts(for: "a") == 3)
        #expect(summary.failedAccounts == 1)
        #expect(summary.succeeded == 1)
        #expect(summary.exitCode == 1)
        #expect(summary.failures.first?.label == "transient")
        #expect(summary.text.contains("down/a: transient"))
    }

    @Test func antiBotAnswerStopsTheInstanceAndNamesTheCode() async throws {
        let adapter = ScriptedAdapter(
            name: "bili",
            accounts: ["a", "b", "c"],
            failures: ["b": [.antiBot("risk control", platformCode: "-412")]]
        )
        let summary = try await makeRunner([adapter], sink: InMemorySink()).runOnce()
        #expect(adapter.attempts(for: "b") == 1)
        #expect(adapter.attempts(for: "c") == 0)
        #expect(summary.succeeded == 1)
        #expect(summary.failedAccounts == 2)
        let skipped = try #require(summary.failures.last)
        #expect(skipped.account == "c")
        #expect(skipped.label == "skipped")
        #expect(skipped.platformCode == "-412")
    }

    /// A host that cannot be reached fails every account the same way, each after all its
    /// retries: three accounts in a row stop the instance, the rest are reported as skipped.
    /// An account that reaches the platform in between starts the count again.
    @Test func accountsInARowThatCannotReachTheHostStopTheInstance() async throws {
        let port = try closedPort()
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 4))
        defer { http.shutdown() }
        let adapter = ReachingAdapter(
            accounts: ["d1", "d2", "live", "d3", "d4", "d5", "d6", "late"],
            live: ["live"],
            url: "http://127.0.0.1:\(port)/x/relation/stat"
        )
        let summary = try await makeRunner([adapter], sink: InMemorySink(), http: http).runOnce()
        #expect(adapter.attempted == ["d1", "d2", "live", "d3", "d4", "d5"])
        #expect(summary.succeeded == 1)
        #expect(summary.failedAccounts == 7)
        #expect(summary.failures.map(\.label).filter { $0 == "couldNotConnect" }.count == 5)
        // The label says the kind; the message gives the place and libcurl's words, once.
        let refused = try #require(summary.failures.first).description
        #expect(refused.hasPrefix("reaching/d1: couldNotConnect: 127.0.0.1:\(port)/x/relation/stat: "))
        #expect(!refused.contains("couldNotConnect ("))
        let skipped = summary.failures.filter { $0.label == "skipped" }
        #expect(skipped.map(\.account) == ["d6", "late"])
        #expect(
            skipped.first?.message
                == "not collected: the instance stopped for this run after 3 accounts in a row could not reach "
                + "127.0.0.1:\(port) (couldNotConnect); check the network and the host, the accounts stay due"
        )

        let patient = ReachingAdapter(accounts: ["d1", "d2", "d3", "d4"], live: [], url: adapter.url)
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let unlimited = try await makeRunner(
            [patient],
            sink: InMemorySink(),
            schedule: table,
            http: http,
            retry: CollectionRunner.RetryPolicy(unreachableLimit: 0)
        ).runOnce()
        #expect(patient.attempted == ["d1", "d2", "d3", "d4"])
        #expect(unlimited.failures.allSatisfy { $0.label == "couldNotConnect" })
        // Not asked is not collected: every account stays due, unlike one the platform answered.
        #expect(table.count == 0)
    }

    /// A host whose answers break off in the body (a proxy that resets every transfer) is not
    /// "unreachable": the accounts say `truncated`, three in a row stop the instance with
    /// wording that points at the server or proxy, and, as nothing was read, every account
    /// stays due rather than waiting for its next interval.
    @Test(arguments: [
        ScriptedResponse.fixture().truncated(at: 10), ScriptedResponse.fixture().reset(at: 10),
        ScriptedResponse.fixture().brokenChunks(at: 10),
    ])
    func accountsInARowWhoseAnswersBreakOffStopTheInstanceAndStayDue(_ broken: ScriptedResponse) async throws {
        try await withPlatformSimulator { simulator in
            let path = "/bilibili/x/relation/stat"
            simulator.script(path: path, Array(repeating: broken, count: 12))
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let adapter = ReachingAdapter(accounts: ["b1", "b2", "b3", "late"], live: [], url: simulator.url(path))
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let table = try ScheduleTable(
                state: try StateStore(directory: directory.path + "/state"),
                instance: "main"
            )
            let summary = try await makeRunner([adapter], sink: InMemorySink(), schedule: table, http: http)
                .runOnce()
            #expect(adapter.attempted == ["b1", "b2", "b3"])
            #expect(summary.failures.map(\.label) == ["truncated", "truncated", "truncated", "skipped"])
            #expect(summary.unreachable == 0)
            let host = "127.0.0.1:\(simulator.port)"
            #expect(
                summary.failures.last?.message
                    == "not collected: the instance stopped for this run after 3 accounts in a row got answers from "
                    + "\(host) that broke off in the body (truncated); check the server and any proxy in between, the "
                    + "accounts stay due"
            )
            // Not read is not collected: every account stays due, like an unreachable one.
            #expect(table.count == 0)
        }
    }

    @Test func keepsWhatWasCollectedBeforeAFailure() async throws {
        let sink = InMemorySink()
        let adapter = ScriptedAdapter(
            name: "half",
            accounts: ["a"],
            failures: ["a": [.schemaChanged("field missing")]],
            addsBeforeFailing: true
        )
        let summary = try await makeRunner([adapter], sink: sink).runOnce()
        #expect(summary.failedAccounts == 1)
        #expect(sink.samples.count == 1)
    }

    @Test func onlyCollectsTheAccountsOfItsShard() async throws {
        let accounts = (0..<40).map { "u\($0)" }
        let sink = InMemorySink()
        let shard = try #require(Shard(index: 1, count: 3))
        let adapter = ScriptedAdapter(name: "s", accounts: accounts)
        _ = try await makeRunner([adapter], sink: sink, shard: shard).runOnce()
        let expected = accounts.filter { shard.contains(platform: .bilibili, account: $0) }
        #expect(Set(sink.samples.map(\.account)) == Set(expected))
        #expect(!expected.isEmpty && expected.count < accounts.count)
    }

    @Test func stopsBetweenAccountsWhenAskedTo() async throws {
        let adapter = ScriptedAdapter(name: "s", accounts: ["a", "b"])
        let runner = makeRunner([adapter], sink: InMemorySink(), shouldStop: { adapter.attempts(for: "a") > 0 })
        let summary = try await runner.runOnce()
        #expect(summary.succeeded == 1)
        #expect(adapter.attempts(for: "b") == 0)
        #expect(summary.interrupted == 1)
        #expect(summary.exitCode == 1)
    }

    /// A stop between a failure and its retry leaves the retry for the next run: the account
    /// is neither failed nor given a next due time, like the accounts no worker took.
    @Test func aStopSkipsTheRetryAndLeavesTheAccountDue() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: StateStore(directory: directory.path + "/state"), instance: "main")
        let adapter = ScriptedAdapter(
            name: "s",
            accounts: ["a", "b", "c"],
            failures: ["a": [.transient("HTTP 503")]]
        )
        let runner = makeRunner(
            [adapter],
            sink: InMemorySink(),
            shouldStop: { adapter.attempts(for: "a") > 0 },
            schedule: table
        )
        let summary = try await runner.runOnce()
        #expect(adapter.attempts(for: "a") == 1)
        #expect(summary.interrupted == 3)
        #expect(summary.failedAccounts == 0)
        #expect(summary.failures.isEmpty)
        #expect(summary.exitCode == 1)
        #expect(summary.text.contains("0 ok, 0 failed, 3 not collected as the run was stopped (they stay due)"))
        #expect(table.entry(adapter: "s", account: "a") == nil)
    }

    /// Once the stop's grace period is over, a collection still in flight is cancelled; the
    /// error it then throws (here not a `CancellationError`) is the run's doing, not a failure.
    @Test func aCollectionStillInFlightWhenTheGraceEndsIsCancelledAsInterrupted() async throws {
        let adapter = StallingAdapter(accounts: ["a"], stalling: ["a"])
        let runner = makeRunner(
            [adapter],
            sink: InMemorySink(),
            shouldStop: { adapter.started > 0 },
            stopGrace: .milliseconds(50)
        )
        let summary = try await runner.runOnce()
        #expect(summary.interrupted == 1)
        #expect(summary.failures.isEmpty)
        #expect(summary.succeeded == 0)
    }

    /// A finished account's rows are synced about a second after it finished even when no
    /// other account finishes meanwhile (one stalls on a slow request).
    @Test func rowsOfAFinishedAccountAreSyncedWhileAnotherStalls() async throws {
        let sink = InMemorySink()
        let adapter = StallingAdapter(
            accounts: ["fast", "slow"],
            stalling: ["slow"],
            parallelAccounts: 2,
            until: { sink.samples.contains { $0.account == "fast" } }
        )
        let summary = try await makeRunner([adapter], sink: sink).runOnce()
        #expect(summary.succeeded == 2)
        #expect(adapter.conditionHeld, "the fast account's rows were still unsynced when the slow one gave up")
    }

    @Test func storageFailureEndsTheRun() async throws {
        let adapter = ScriptedAdapter(name: "s", accounts: ["a"])
        await #expect(throws: StorageError.self) {
            _ = try await makeRunner([adapter], sink: FailingSink()).runOnce()
        }
    }

    // MARK: - Circuit breaker, schedule, metrics

    @Test func antiBotAnswerOpensTheBreakerAndTheNextRunSkipsThePlatformWithOneClearFailure() async throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let adapter = ScriptedAdapter(
            name: "bili",
            accounts: ["a", "b", "c"],
            failures: ["a": [.antiBot("risk control", platformCode: "-412")]],
            cooldown: .seconds(3600)
        )
        let first = try await makeRunner([adapter], sink: InMemorySink(), breaker: CircuitBreaker(state: state))
            .runOnce()
        #expect(first.failures.first?.label == "antiBot")
        // What happens next, said once: no "stops for the rest of this run" as well.
        #expect(
            first.failures.first?.message
                == "risk control; bili stops, and bilibili is left alone until 2025-11-25T01:00:00+08:00"
        )
        #expect(directory.text("state/circuit-bilibili")?.hasPrefix("open_until=1764003600\n") == true)

        // A later run within the hour, in a new process (a new breaker over the same folder).
        let second = try await makeRunner([adapter], sink: InMemorySink(), breaker: CircuitBreaker(state: state))
            .runOnce()
        #expect(adapter.attempts(for: "b") == 0)
        #expect(second.failedAccounts == 3)
        #expect(second.failures.count == 1)
        let skipped = try #require(second.failures.first)
        #expect(skipped.label == "circuitOpen")
        #expect(skipped.platformCode == "-412")
        #expect(
            skipped.message.hasPrefix(
                "3 accounts not collected: bilibili's circuit breaker is open until 2025-11-25T01:00:00+08:00 after antiBot (code -412) on bili/a; delete "
            )
        )
        #expect(second.exitCode == 1)
    }

    @Test func aZeroCooldownSwitchesTheBreakerOff() async throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let adapter = ScriptedAdapter(
            name: "bili",
            accounts: ["a"],
            failures: ["a": [.antiBot("risk control", platformCode: "-412")]],
            cooldown: .zero
        )
        _ = try await makeRunner([adapter], sink: InMemorySink(), breaker: CircuitBreaker(state: state)).runOnce()
        #expect(!directory.exists("state/circuit-bilibili"))
        let second = try await makeRunner([adapter], sink: InMemorySink(), breaker: CircuitBreaker(state: state))
            .runOnce()
        #expect(second.failures.isEmpty)
        #expect(adapter.attempts(for: "a") == 2)
    }

    /// `run --once --due`: only the accounts whose due time has come, read as the service
    /// reads it (never collected: due; further out than one interval: due); the rest counted.
    @Test func runOnceOnlyDueCollectsTheAccountsWhoseTimeHasCome() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let now: Int64 = 1_764_000_000
        try table.record(ScheduleEntry(nominal: now - 1000, due: now - 1000), adapter: "s", account: "past")
        try table.record(ScheduleEntry(nominal: now + 90, due: now + 90), adapter: "s", account: "soon")
        // Further ahead than a collection now could put it (1.5 intervals): from a longer interval.
        try table.record(ScheduleEntry(nominal: now + 91, due: now + 91), adapter: "s", account: "stale")
        let adapter = ScriptedAdapter(name: "s", accounts: ["past", "soon", "new", "stale"])
        let summary = try await makeRunner([adapter], sink: InMemorySink(), schedule: table).runOnce(onlyDue: true)
        #expect(["past", "soon", "new", "stale"].map { adapter.attempts(for: $0) } == [1, 0, 1, 1])
        #expect(summary.succeeded == 3)
        #expect(summary.notDue == 1)
        #expect(summary.exitCode == 0)
        #expect(summary.text == "summary: 3 rows written, 0 duplicates skipped; 3 ok, 0 failed, 1 not due yet")

        // Now every account is due an interval from now: a second run collects none.
        let again = try await makeRunner([adapter], sink: InMemorySink(), schedule: table).runOnce(onlyDue: true)
        #expect(again.succeeded == 0)
        #expect(again.notDue == 4)
        let everything = try await makeRunner([adapter], sink: InMemorySink(), schedule: table).runOnce()
        #expect(everything.succeeded == 4)
    }

    /// `interval = "1h"` and an hourly `--once --due` tick (review r11-year, F1): every tick
    /// collects, though each starts a few seconds earlier or later in its minute than the first
    /// did. Without the tolerance, 11:00:02 and 13:00:01 found the account due a few seconds
    /// later and collected nothing, so it was collected every other hour.
    @Test func anHourlyTickCollectsAnHourlyIntervalAtEveryTickDespiteDrift() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let adapter = ScriptedAdapter(name: "drop", accounts: ["files"], interval: .seconds(3600))
        let tenOClock: Int64 = 1_799_575_200  // 2027-01-10T10:00:00Z
        var collected: [Int] = []
        for tick in [5, 3600 + 2, 7200 + 3, 10800 + 1, 14400 + 9, 18000 + 240, 21600] {
            let now = Timestamp(secondsSinceEpoch: tenOClock + Int64(tick))
            let summary = try await makeRunner([adapter], sink: InMemorySink(), schedule: table, clock: { now })
                .runOnce(onlyDue: true)
            collected.append(summary.succeeded)
        }
        #expect(collected == [1, 1, 1, 1, 1, 1, 1])
        // On the grid of the first collection all along: due at 17:00:05 (no jitter).
        #expect(table.entry(adapter: "drop", account: "files")?.due == tenOClock + 25_200 + 5)
    }

    /// The tolerance never lets a tick take an account much earlier than its interval: an
    /// hourly account collected at 10:00 is not taken by a tick at 10:20 or 10:44, a daily one
    /// not an hour before its due time; 15 minutes before their due times, both are, and the
    /// daily one stays on its grid.
    @Test func theTickToleranceIsAQuarterIntervalAtMostFifteenMinutes() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let hourly = ScriptedAdapter(name: "hourly", accounts: ["h"], interval: .seconds(3600))
        let daily = ScriptedAdapter(name: "daily", accounts: ["d"], interval: .seconds(86_400))
        let start: Int64 = 1_799_575_200
        func tick(_ offset: Int64) async throws -> [Int] {
            let now = Timestamp(secondsSinceEpoch: start + offset)
            _ = try await makeRunner([hourly, daily], sink: InMemorySink(), schedule: table, clock: { now })
                .runOnce(onlyDue: true)
            return [hourly.attempts(for: "h"), daily.attempts(for: "d")]
        }
        #expect(try await tick(0) == [1, 1])
        #expect(try await tick(1200) == [1, 1])
        #expect(try await tick(2640) == [1, 1])
        #expect(try await tick(2700) == [2, 1])  // 10:45, a quarter of an hour early
        #expect(try await tick(86_400 - 3600) == [3, 1])
        #expect(try await tick(86_400 - 901) == [3, 1])
        #expect(try await tick(86_400 - 900) == [4, 2])
        #expect(ScheduleTable.tickTolerance(interval: .seconds(3600)) == 900)
        #expect(ScheduleTable.tickTolerance(interval: .seconds(86_400)) == 900)
        #expect(ScheduleTable.tickTolerance(interval: .seconds(600)) == 150)
        // Taken early, the daily account keeps its grid: due again two days after the first.
        #expect(table.entry(adapter: "daily", account: "d")?.due == start + 2 * 86_400)
    }

    @Test func dueTimesAreRecordedOnlyAfterTheSamplesAreDurable() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let sink = OrderSpySink(table: table)
        let adapter = ScriptedAdapter(name: "s", accounts: ["a", "b"])
        _ = try await makeRunner([adapter], sink: sink, schedule: table).runOnce()
        // Group commit: both accounts' samples were handed to the sink together at the group's
        // sync, synced once, and only then were their due times recorded (the journal was still
        // empty at the sync).
        #expect(sink.events == ["write a,b (journal 0)", "sync (journal 0)"])
        #expect(table.journalLines == 2)
        #expect(table.entry(adapter: "s", account: "a") == ScheduleEntry(nominal: 1_764_000_060, due: 1_764_000_060))
    }

    @Test func everyWorkersRowsAreSyncedBeforeTheDueTimesOfItsAccounts() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let accounts = (0..<2_100).map { "a\($0)" }
        let sink = DurabilitySpySink(table: table, adapter: "s", accounts: accounts)
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        let summary = try await makeRunner(
            [ScriptedAdapter(name: "s", accounts: accounts, parallelAccounts: 8)],
            sink: sink,
            schedule: table,
            metrics: metrics
        )
        .runOnce()
        // Eight workers, each with its own batch, and a sync every 1,024 accounts: whichever
        // worker syncs hands every batch's rows to the sink first. At no point did an account
        // have a due time without its row written before a sync.
        #expect(sink.violations.isEmpty)
        #expect(sink.syncs >= 3)
        #expect(sink.writtenAccounts == Set(accounts))
        #expect(table.journalLines == 2_100)
        // The counts arrive with the syncs, for the summary and the self-metrics alike.
        #expect(summary.counts.written == 2_100)
        #expect(
            metrics.value(of: "collector_samples_written_total", labels: ["platform": "bilibili", "format": "csv"])
                == 2_100
        )
    }

    @Test func aStorageFailureRecordsNoDueTime() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        await #expect(throws: StorageError.self) {
            _ = try await makeRunner(
                [ScriptedAdapter(name: "s", accounts: ["a"])],
                sink: FailingSink(),
                schedule: table
            )
            .runOnce()
        }
        #expect(table.count == 0)
    }

    @Test func anAccountRefusedByAntiBotStaysDue() async throws {
        let directory = try TemporaryDirectory()
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let adapter = ScriptedAdapter(
            name: "bili",
            accounts: ["a", "b"],
            failures: ["b": [.antiBot("risk control")], "a": [.notFound("gone")]]
        )
        _ = try await makeRunner([adapter], sink: InMemorySink(), schedule: table).runOnce()
        #expect(table.entry(adapter: "bili", account: "a") != nil)
        #expect(table.entry(adapter: "bili", account: "b") == nil)
    }

    @Test func countsOutcomesInTheSelfMetrics() async throws {
        let metrics = SelfMetrics(instance: "main", formats: [.csv, .jsonl])
        let adapter = ScriptedAdapter(
            name: "s",
            accounts: ["a", "b", "c"],
            failures: ["c": [.schemaChanged("no field"), .schemaChanged("no field")]]
        )
        _ = try await makeRunner([adapter], sink: InMemorySink(), metrics: metrics).runOnce()
        let bilibili = ["platform": "bilibili"]
        let instance = ["adapter": "s", "platform": "bilibili"]
        #expect(
            metrics.value(
                of: "collector_samples_written_total",
                labels: bilibili.merging(["format": "csv"]) { a, _ in a }
            ) == 2
        )
        #expect(
            metrics.value(
                of: "collector_samples_written_total",
                labels: bilibili.merging(["format": "jsonl"]) { a, _ in a }
            ) == 2
        )
        #expect(metrics.value(of: "collector_accounts_collected_total", labels: instance) == 2)
        #expect(metrics.value(of: "collector_accounts_failed", labels: instance) == 1)
        #expect(
            metrics.value(
                of: "collector_collect_errors_total",
                labels: instance.merging(["error_code": "schemaChanged"]) { a, _ in a }
            ) == 1
        )
        #expect(metrics.value(of: "collector_last_success_timestamp_seconds", labels: instance) == 1_764_000_000)
    }

    @Test func aSummaryKeepsAThousandFailuresAndCountsTheRest() {
        var summary = RunSummary()
        for index in 0..<1500 {
            summary.record(CollectionFailure(adapter: "x", account: "\(index)", label: "notFound", message: "gone"))
        }
        var merged = RunSummary()
        merged.merge(summary)
        merged.merge(summary)
        #expect(merged.failures.count == 1000)
        #expect(merged.failureCount == 3000)
        #expect(merged.exitCode == 1)
        #expect(merged.text.hasSuffix("  … and 2950 more failures"))
    }

    /// A file refused in a drop folder is a failure of a section that went through: the head
    /// line must not read "0 failed" as if nothing did.
    @Test func aSummarySaysTheFailuresOfCollectionsThatWentThroughAreAmongTheOk() {
        var summary = RunSummary()
        summary.succeeded = 13
        summary.record(CollectionFailure(adapter: "wechat-a", account: "/d/x.csv", label: "empty", message: "empty"))
        #expect(
            summary.text.hasPrefix(
                "summary: 0 rows written, 0 duplicates skipped; 13 ok with 1 failure among them, 0 failed\n"
            )
        )
        summary.failedAccounts = 1
        summary.record(CollectionFailure(adapter: "x", account: "1", label: "notFound", message: "gone"))
        summary.record(CollectionFailure(adapter: "y", account: "2", label: "notFound", message: "gone"))
        #expect(
            summary.text.hasPrefix(
                "summary: 0 rows written, 0 duplicates skipped; 13 ok with 2 failures among them, 1 failed\n"
            )
        )
    }

    // MARK: - Helpers

    private func makeRunner(
        _ adapters: [any Adapter],
        sink: any SampleSink,
        shard: Shard? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        schedule: ScheduleTable? = nil,
        breaker: CircuitBreaker? = nil,
        metrics: SelfMetrics? = nil,
        http: any HTTPFetching = NoNetworkHTTP(),
        retry: CollectionRunner.RetryPolicy = CollectionRunner.RetryPolicy(),
        stopGrace: Duration = .seconds(10),
        logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: 1_764_000_000) }
    ) -> CollectionRunner {
        CollectionRunner(
            instances: adapters,
            sink: sink,
            shard: shard,
            retry: retry,
            logger: logger,
            shouldStop: shouldStop,
            schedule: schedule,
            breaker: breaker,
            metrics: metrics,
            clock: clock,
            stopGrace: stopGrace,
            makeContext: { _ in
                AdapterContext(
                    http: http,
                    state: try! StateStore(directory: "/nonexistent-state", readOnly: true),
                    calendar: .beijing,
                    now: { Timestamp(secondsSinceEpoch: 1_764_000_000) },
                    sleep: { _ in },
                    logger: logger
                )
            }
        )
    }
}

/// An import section whose one unit of work, `files`, fails with `error`.
private final class FailingImport: Adapter {
    static let type = "import"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics: [MetricDescriptor] = []
    static let sampleConfiguration = ""

    let name = "import"
    let platform = Platform.wechat
    let accounts = ["files"]
    let schedule = AdapterSchedule(interval: .seconds(60), jitter: .zero, rate: nil, parallelAccounts: 1)
    let error: ImportError

    init(error: ImportError) { self.error = error }

    required init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        fatalError("not configured from a file")
    }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws { throw error }
}

/// An adapter whose outcome per account is scripted: it emits one `followers` sample, or
/// throws the next scripted error.
private final class ScriptedAdapter: Adapter {
    static let type = "scripted"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name: String
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule: AdapterSchedule
    // Guarded by the Mutex: the runner calls collect from its own tasks.
    private let state: Mutex<(failures: [String: [AdapterError]], attempts: [String: Int])>
    private let addsBeforeFailing: Bool
    private let recordsPartialFailure: Bool
    private let interrupted: Set<String>

    init(
        name: String,
        accounts: [String],
        failures: [String: [AdapterError]] = [:],
        addsBeforeFailing: Bool = false,
        cooldown: Duration = AdapterSchedule.defaultCooldown,
        recordsPartialFailure: Bool = false,
        parallelAccounts: Int = 1,
        interrupted: Set<String> = [],
        interval: Duration = .seconds(60)
    ) {
        self.recordsPartialFailure = recordsPartialFailure
        self.interrupted = interrupted
        var schedule = AdapterSchedule(
            interval: interval,
            jitter: .zero,
            rate: nil,
            parallelAccounts: parallelAccounts
        )
        schedule.cooldown = cooldown
        self.schedule = schedule
        self.name = name
        self.accounts = accounts
        self.state = Mutex((failures, [:]))
        self.addsBeforeFailing = addsBeforeFailing
    }

    required init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        fatalError("not configured from a file")
    }

    func attempts(for account: String) -> Int { state.withLock { $0.attempts[account] ?? 0 } }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let failure: AdapterError? = state.withLock { state in
            state.attempts[account, default: 0] += 1
            guard var queue = state.failures[account], !queue.isEmpty else { return nil }
            let next = queue.removeFirst()
            state.failures[account] = queue
            return next
        }
        if interrupted.contains(account) { throw CancellationError() }
        if recordsPartialFailure {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    object: "line 1",
                    label: "invalidLine",
                    message: "bad"
                )
            )
        }
        if failure == nil || addsBeforeFailing {
            try batch.add(
                Sample.testFollowers(account, at: context.now())
            )
        }
        if let failure { throw failure }
    }
}

/// An adapter that adds the samples `make` gives for account 208259, and nothing else.
private final class FixedSamplesAdapter: Adapter {
    static let type = "fixed"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name: String
    let platform = Platform.bilibili
    let accounts = ["208259"]
    let schedule = AdapterSchedule(interval: .seconds(60), jitter: .zero, rate: nil, parallelAccounts: 1)
    private let make: @Sendable (String, Timestamp) -> [Sample]

    init(name: String, make: @escaping @Sendable (String, Timestamp) -> [Sample]) {
        self.name = name
        self.make = make
    }

    required init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        fatalError("not configured from a file")
    }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        try batch.add(contentsOf: make(account, context.now()))
    }
}

/// An adapter that fetches `url` for every account but those in `live`, which it collects
/// without a request, and notes the accounts it was asked for, in order.
private final class ReachingAdapter: Adapter {
    static let type = "reaching"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name = "reaching"
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule = AdapterSchedule(interval: .seconds(60), jitter: .zero, rate: nil)
    let url: String
    private let live: Set<String>
    private let log = Mutex<[String]>([])

    init(accounts: [String], live: Set<String>, url: String) {
        self.accounts = accounts
        self.live = live
        self.url = url
    }

    required init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        fatalError("not configured from a file")
    }

    /// The accounts collected, each once however many attempts it took.
    var attempted: [String] {
        log.withLock { accounts in
            accounts.enumerated().filter { !accounts[..<$0.offset].contains($0.element) }.map(\.element)
        }
    }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        log.withLock { $0.append(account) }
        if !live.contains(account) { _ = try await context.http.fetch(HTTPRequest(url: url)) }
        try batch.add(
            Sample.testFollowers(account, at: context.now())
        )
    }
}

/// An adapter whose `stalling` accounts wait, polling, until `until` holds (at most 20 s) or,
/// without `until`, until the task is cancelled; a cancelled wait throws what an adapter whose
/// request was cancelled would: `HTTPError.cancelled`, which is no `CancellationError`.
private final class StallingAdapter: Adapter {
    static let type = "stalling"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name = "stalling"
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule: AdapterSchedule
    private let stalling: Set<String>
    private let until: (@Sendable () -> Bool)?
    private let startedCount = Atomic(0)
    private let held = Atomic(false)

    init(
        accounts: [String],
        stalling: Set<String>,
        parallelAccounts: Int = 1,
        until: (@Sendable () -> Bool)? = nil
    ) {
        self.accounts = accounts
        self.stalling = stalling
        self.until = until
        schedule = AdapterSchedule(interval: .seconds(60), jitter: .zero, rate: nil, parallelAccounts: parallelAccounts)
    }

    required init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        fatalError("not configured from a file")
    }

    /// How many collections started.
    var started: Int { startedCount.load(ordering: .relaxed) }
    /// Whether `until` held when a stalling account went on.
    var conditionHeld: Bool { held.load(ordering: .relaxed) }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        startedCount.add(1, ordering: .relaxed)
        if stalling.contains(account) {
            let deadline = ContinuousClock.now + (until == nil ? .seconds(600) : .seconds(20))
            do {
                while !(until?() ?? false) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
            } catch {
                throw HTTPError.cancelled(HTTPRequest(url: "http://127.0.0.1/stalled"))
            }
            held.store(until?() ?? false, ordering: .relaxed)
        }
        try batch.add(Sample.testFollowers(account, at: context.now()))
    }
}

/// Notes each write and sync with the number of due times recorded at that moment.
private final class OrderSpySink: SampleSink {
    private let table: ScheduleTable
    private let log = Mutex<[String]>([])
    init(table: ScheduleTable) { self.table = table }
    var events: [String] { log.withLock { $0 } }
    func write(_ samples: [Sample]) throws -> WriteCounts {
        let accounts = samples.map(\.account).joined(separator: ",")
        log.withLock { $0.append("write \(accounts) (journal \(table.journalLines))") }
        return WriteCounts(written: samples.count)
    }
    func writeObjects(_ objects: [ContentObject]) throws {}
    func sync() throws {
        log.withLock { $0.append("sync (journal \(table.journalLines))") }
    }
}

/// Checks, at every write and sync, that each account with a due time had its rows written
/// before an earlier sync.
private final class DurabilitySpySink: SampleSink {
    private struct State {
        var written: Set<String> = []
        var synced: Set<String> = []
        var syncs = 0
        var violations: [String] = []
    }
    private let table: ScheduleTable
    private let adapter: String
    private let accounts: [String]
    private let state = Mutex(State())

    init(table: ScheduleTable, adapter: String, accounts: [String]) {
        self.table = table
        self.adapter = adapter
        self.accounts = accounts
    }

    var violations: [String] { state.withLock { $0.violations } }
    var syncs: Int { state.withLock { $0.syncs } }
    var writtenAccounts: Set<String> { state.withLock { $0.written } }

    func write(_ samples: [Sample]) throws -> WriteCounts {
        state.withLock { state in
            check(&state)
            for sample in samples { state.written.insert(sample.account) }
        }
        return WriteCounts(written: samples.count)
    }
    func writeObjects(_ objects: [ContentObject]) throws {}
    func sync() throws {
        state.withLock { state in
            check(&state)
            state.synced = state.written
            state.syncs += 1
        }
    }

    private func check(_ state: inout State) {
        for account in accounts where table.entry(adapter: adapter, account: account) != nil {
            // The first few name the problem; the rest would only make the message long.
            if !state.synced.contains(account) && state.violations.count < 10 { state.violations.append(account) }
        }
    }
}

private struct FailingSink: SampleSink {
    func write(_ samples: [Sample]) throws -> WriteCounts {
        throw StorageError(path: "data/x.csv", operation: "write", errno: 28)
    }
    func writeObjects(_ objects: [ContentObject]) throws {}
    func sync() throws {}
}
