import Adapters
import Collector
import CollectorTesting
import Logging
import PlatformSimulator
import Synchronization
import Testing

/// The runner's retries against the platform simulator, with the bilibili adapter (three
/// requests per account: relation/stat, card, one video), the real libcurl client, budgets and
/// store: a passing failure of one request is retried as that request, so the requests before
/// it are not sent again and the account's snapshot is written once; an account collected
/// again for a platform's "busy" code writes an unchanged snapshot once too.
@Suite(.serialized) struct RequestRetryTests {
    static let relationStat = "/bilibili/x/relation/stat"
    static let card = "/bilibili/x/web-interface/card"
    static let view = "/bilibili/x/web-interface/view"
    static let relationAnswer = ScriptedResponse.json(#"{"code":0,"data":{"follower":86231,"following":45}}"#)
    static let cardAnswer = ScriptedResponse.json(#"{"code":0,"data":{"archive_count":12,"like_num":3400}}"#)
    static let viewAnswer = ScriptedResponse.json(
        #"{"code":0,"data":{"bvid":"BV1xx411c7mD","title":"t","pubdate":1763900000,"owner":{"mid":208259},"#
            + #""stat":{"view":5000,"danmaku":1,"reply":2,"favorite":3,"coin":4,"share":5,"like":6}}}"#
    )

    /// An account-level row of the data file.
    struct Row {
        var time: String
        var metric: String
        var value: String
        var metricAndValue: String { "\(metric),\(value)" }
    }

    /// What one run did.
    struct Outcome {
        var summary: RunSummary
        /// The requests each path received.
        var requests: [String: Int]
        /// The account-level rows in the data file.
        var accountRows: [Row]
        /// Every data row.
        var rows: [String]
        var logs: LogRecorder
    }

    /// Runs account 208259 once; the clock moves one second at each reading, so a snapshot
    /// observed again is observed at a new time.
    func run(
        script: (PlatformSimulator) -> Void,
        shouldStop: @escaping @Sendable (PlatformSimulator) -> Bool = { _ in false }
    ) async throws -> Outcome {
        let simulator = try PlatformSimulator(fixtureRoot: Fixtures.simulator)
        defer { simulator.stop() }
        script(simulator)
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let configuration = try ConfigurationFile.parse(
            text: """
                [collector]
                data_dir = "\(temporary.path("data"))"
                state_dir = "\(temporary.path("state"))"

                [[adapters.bilibili]]
                account = "208259"
                videos = ["BV1xx411c7mD"]
                rate = "1000/s"
                base_url = "\(simulator.baseURL)/bilibili"
                """,
            path: temporary.path("adapters.conf"),
            environment: [:],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let adapters = try configuration.sections.map { try AdapterRegistry.instantiate($0) }
        let settings = configuration.settings
        let logs = LogRecorder()
        let store = try SampleStore(settings: settings, logger: logs.logger)
        let metrics = SelfMetrics(instance: settings.instance, formats: settings.formats)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(1)))
        defer { http.shutdown() }
        let budgets = RequestBudgets()
        let clock = Mutex<Int64>(1_764_000_000)
        let runner = CollectionRunner(
            instances: adapters,
            sink: store,
            logger: logs.logger,
            shouldStop: { shouldStop(simulator) },
            metrics: metrics,
            makeContext: { adapter in
                // Waits are not slept: the suite stays fast.
                let skip: @Sendable (Duration) async throws -> Void = { _ in }
                return AdapterContext(
                    http: BudgetedHTTPClient(
                        base: MeteredHTTPClient(base: http, platform: adapter.platform, metrics: metrics),
                        budgets: [budgets.budget(instance: adapter.name, rate: adapter.schedule.rate)],
                        wallClock: CollectionRunner.systemClock,
                        sleep: skip
                    ),
                    state: try! StateStore(directory: settings.stateDirectory),
                    calendar: .beijing,
                    now: {
                        clock.withLock { now in
                            defer { now += 1 }
                            return Timestamp(secondsSinceEpoch: now)
                        }
                    },
                    sleep: skip,
                    logger: logs.logger
                )
            }
        )
        let summary = try await runner.runOnce()
        try store.close()

        var requests: [String: Int] = [:]
        for request in simulator.requests { requests[request.path, default: 0] += 1 }
        let rows = try FileSystem.list(temporary.path("data/bilibili")).filter { $0 != "objects.csv" }.flatMap {
            month in
            String(decoding: try temporary.read("data/bilibili/\(month)/main.csv"), as: UTF8.self)
                .split(separator: "\n").dropFirst().map(String.init)
        }
        let accountRows = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .filter { $0[3].isEmpty }
            .map { Row(time: String($0[0]), metric: String($0[4]), value: String($0[5])) }
        #expect(simulator.fixtureProblems.isEmpty)
        return Outcome(summary: summary, requests: requests, accountRows: accountRows, rows: rows, logs: logs)
    }

    /// The retry log lines: `retry error attempt` of each.
    func retries(_ logs: LogRecorder) -> [String] {
        logs.entries.filter { $0.message == "retrying after a passing failure" }.map {
            "\($0.metadata["retry"] ?? "-") \($0.metadata["error"] ?? "-") \($0.metadata["attempt"] ?? "-")"
        }
    }

    @Test(arguments: [
        ("HTTP 503", ScriptedResponse.status(503), "transient"),
        ("HTTP 429", ScriptedResponse.rateLimited(retryAfter: 1), "rateLimited"),
        // A reset before the answer is one libcurl itself sends again on a reused connection:
        // a body cut short is the transport failure that reaches the collector.
        ("truncated body", cardAnswer.truncated(at: 10), "truncated"),
    ])
    func aPassingFailureOfOneRequestRetriesThatRequestAlone(
        _ name: String,
        _ failure: ScriptedResponse,
        _ label: String
    ) async throws {
        let outcome = try await run { simulator in
            simulator.script(path: Self.relationStat, [Self.relationAnswer])
            simulator.script(path: Self.card, [failure, Self.cardAnswer])
            simulator.script(path: Self.view, [Self.viewAnswer])
        }
        #expect(outcome.summary.failures.isEmpty, "\(outcome.summary.failures)")
        #expect(outcome.summary.succeeded == 1)
        // The follower count before the failed request is asked for once.
        #expect(outcome.requests == [Self.relationStat: 1, Self.card: 2, Self.view: 1], "\(name)")
        // One row per value: none repeated under a later time.
        #expect(
            outcome.accountRows.map(\.metricAndValue) == [
                "followers,86231", "following,45", "posts,12", "bilibili_likes_received,3400",
            ],
            "\(name)"
        )
        #expect(outcome.rows.count == 4 + 7)
        #expect(retries(outcome.logs) == ["request \(label) 1"], "\(name)")
        // The request is named by method, host and path: never its query.
        let named = outcome.logs.entries.compactMap { $0.metadata["request"] }
        #expect(named.count == 1 && named.allSatisfy { $0.hasPrefix("GET 127.0.0.1:") && $0.hasSuffix(Self.card) })
    }

    /// A request whose every attempt fails is reported once, with its cause, after three
    /// attempts of that request only: the account is not collected again for it.
    @Test func aRequestOutlastingItsRetriesIsReportedWithoutCollectingTheAccountAgain() async throws {
        let outcome = try await run { simulator in
            simulator.script(path: Self.relationStat, [Self.relationAnswer])
            simulator.script(path: Self.card, [.serverError, .status(502), .status(503)])
        }
        #expect(outcome.summary.failures.map(\.label) == ["transient"])
        #expect(outcome.summary.failures.first?.message.contains("answered HTTP 503") == true)
        #expect(outcome.requests == [Self.relationStat: 1, Self.card: 3])
        #expect(retries(outcome.logs) == ["request transient 1", "request transient 2"])
        #expect(outcome.accountRows.count == 2)
        #expect(outcome.logs.warnings.count == 1)
    }

    /// A stop while a request waits for its retry: the retry is not sent, and the account
    /// stays due as one the run was stopped before.
    @Test func aStopDuringARequestsRetryWaitSendsNoRetry() async throws {
        let outcome = try await run(
            script: { simulator in
                simulator.script(path: Self.relationStat, [Self.relationAnswer])
                simulator.script(path: Self.card, [.serverError, Self.cardAnswer])
            },
            shouldStop: { simulator in simulator.requests.contains { $0.path == Self.card } }
        )
        #expect(outcome.requests == [Self.relationStat: 1, Self.card: 1])
        #expect(outcome.summary.interrupted == 1)
        #expect(outcome.summary.failures.isEmpty)
        #expect(
            outcome.logs.entries.contains { $0.message == "not retried: the run is stopping; the account stays due" }
        )
        // What was observed before the stop is kept.
        #expect(outcome.accountRows.count == 2)
    }

    /// A platform's "busy" code in a good answer still collects the whole account again: the
    /// snapshots that attempt observes unchanged keep the first attempt's time (no second row),
    /// while a value that changed in between is a new observation.
    @Test func anAccountCollectedAgainWritesAnUnchangedSnapshotOnce() async throws {
        let outcome = try await run { simulator in
            simulator.script(
                path: Self.relationStat,
                [Self.relationAnswer, .json(#"{"code":0,"data":{"follower":86232,"following":45}}"#)]
            )
            simulator.script(path: Self.card, [.json(#"{"code":-503,"message":"busy"}"#), Self.cardAnswer])
            simulator.script(path: Self.view, [Self.viewAnswer])
        }
        #expect(outcome.summary.failures.isEmpty, "\(outcome.summary.failures)")
        #expect(outcome.requests == [Self.relationStat: 2, Self.card: 2, Self.view: 1])
        #expect(retries(outcome.logs) == ["account transient 1"])
        #expect(
            outcome.accountRows.map(\.metricAndValue) == [
                "followers,86231", "following,45", "followers,86232", "posts,12", "bilibili_likes_received,3400",
            ]
        )
        // The changed count has the time it was observed at, after the first one's.
        let followers = outcome.accountRows.filter { $0.metric == "followers" }.map(\.time)
        #expect(followers.count == 2 && followers[0] < followers[1], "\(followers)")
    }
}
