import Adapters
import Collector
import CollectorTesting
import Logging
import PlatformSimulator
import Synchronization
import Testing

/// The fault suite: the bilibili adapter, the runner, the request budgets and the real store
/// against the platform simulator misbehaving — a reset connection, a stalled server, a 5xx
/// burst, a 429 with `Retry-After`, garbage and truncated bodies, an expired login. For each:
/// nothing collected is lost, nothing is written twice, and each failure that outlasts the
/// retries is reported exactly once (in the summary and in the log) with its cause.
@Suite(.serialized) struct FaultSuiteTests {
    /// One misbehaviour: what the simulator answers to the first requests of account 1 (the
    /// fixtures answer after that), and what must be reported.
    struct Fault: CustomTestStringConvertible, Sendable {
        var name: String
        var script: [ScriptedResponse]
        /// The failures reported: account, label, and a part of the message naming the cause.
        var reported: [(account: String, label: String, cause: String)] = []
        /// The shortest wait the runner must have taken before its retry, in seconds.
        var waitedAtLeast: Int64 = 0

        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "connection reset", script: [.close]),
        Fault(name: "server stalls past the timeout", script: [.stall(.seconds(3))]),
        Fault(name: "5xx burst, then recovery", script: [.serverError, .status(502)]),
        Fault(
            name: "5xx outlasting the retries",
            script: [.serverError, .status(502), .status(503)],
            reported: [("1", "transient", "answered HTTP 503")]
        ),
        Fault(name: "429 with Retry-After", script: [.rateLimited(retryAfter: 7)], waitedAtLeast: 7),
        // The date form (RFC 9110), 9 s after the context's clock (1764000000), is obeyed as the
        // seconds are; a date past the longest retry wait is reported, not retried into.
        Fault(
            name: "429 with Retry-After as an HTTP date",
            script: [.rateLimited(retryAfterDate: "Mon, 24 Nov 2025 16:00:09 GMT")],
            waitedAtLeast: 9
        ),
        Fault(
            name: "429 with a Retry-After date past the longest retry wait",
            script: [.rateLimited(retryAfterDate: "Wed, 21 Oct 2037 07:28:00 GMT")],
            reported: [("1", "rateLimited", "the platform asked to wait 375722880 s, longer than a retry waits")]
        ),
        Fault(name: "truncated body", script: [ScriptedResponse.fixture().truncated(at: 20)]),
        Fault(
            name: "garbage body",
            script: [.json("{\"code\":0,\"data\":{\"follower\":12,")],
            reported: [("1", "schemaChanged", "malformed or truncated JSON")]
        ),
        Fault(
            name: "HTML instead of JSON",
            script: [.html()],
            reported: [("1", "schemaChanged", "sent an HTML page")]
        ),
        // A wrong base_url reaches some other server: its 404 is reported as the 404 it is,
        // with the host and path and what to check, not as a changed API.
        Fault(
            name: "HTML 404 from another server",
            script: [.html(status: 404)],
            reported: [
                (
                    "1", "badRequest",
                    "/bilibili/x/relation/stat answered HTTP 404 Not Found with an HTML page where JSON was "
                        + "expected: the request did not reach the platform's API; check base_url"
                )
            ]
        ),
        Fault(
            name: "JSON 404 of another server",
            script: [.json("{\"error\":\"no route\",\"status\":404}", status: 404)],
            reported: [
                ("1", "badRequest", "answered HTTP 404 Not Found with JSON that is not the platform's (no \"code\")")
            ]
        ),
        // The platform's own error, sent with a 4xx status, is still read as the platform's.
        Fault(
            name: "platform error with HTTP 404",
            script: [.json("{\"code\":-404,\"message\":\"啥都木有\",\"ttl\":1}", status: 404)],
            reported: [("1", "notFound", "啥都木有")]
        ),
        // The anonymous web adapter has nothing to authorise: a login-only account is skipped.
        Fault(
            name: "login-only account",
            script: [.json("{\"code\":-101,\"message\":\"账号未登录\",\"ttl\":1}")],
            reported: [("1", "badRequest", "shown to logged-in users only (账号未登录)")]
        ),
    ]

    @Test(arguments: faults)
    func losesNothingAndReportsEachFailureOnceWithItsCause(_ fault: Fault) async throws {
        let simulator = try PlatformSimulator(fixtureRoot: Fixtures.simulator)
        defer { simulator.stop() }
        simulator.script(path: "/bilibili/x/relation/stat", fault.script)
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }

        let configuration = try ConfigurationFile.parse(
            text: """
                [collector]
                data_dir = "\(temporary.path("data"))"
                state_dir = "\(temporary.path("state"))"

                [[adapters.bilibili]]
                accounts = ["1", "2", "3"]
                card = false
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
        let logger = logs.logger(label: "faults")
        let store = try SampleStore(settings: settings, logger: logger)
        let state = try StateStore(directory: settings.stateDirectory)
        let metrics = SelfMetrics(instance: settings.instance, formats: settings.formats)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(1)))
        defer { http.shutdown() }
        let waits = Mutex<[Duration]>([])
        let budgets = RequestBudgets()
        let runner = CollectionRunner(
            instances: adapters,
            sink: store,
            logger: logger,
            schedule: try ScheduleTable(state: state, instance: settings.instance),
            breaker: CircuitBreaker(state: state),
            metrics: metrics,
            makeContext: { adapter in
                // Every wait is recorded, none is slept: the suite stays fast and untimed.
                let record: @Sendable (Duration) async throws -> Void = { duration in
                    waits.withLock { $0.append(duration) }
                }
                return AdapterContext(
                    http: BudgetedHTTPClient(
                        base: MeteredHTTPClient(base: http, platform: adapter.platform, metrics: metrics),
                        budgets: [budgets.budget(instance: adapter.name, rate: adapter.schedule.rate)],
                        wallClock: { Timestamp(secondsSinceEpoch: 1_764_000_000) },
                        sleep: record
                    ),
                    state: state,
                    calendar: .beijing,
                    now: { Timestamp(secondsSinceEpoch: 1_764_000_000) },
                    sleep: record,
                    logger: logger
                )
            }
        )
        let summary = try await runner.runOnce()
        try store.close()

        // Each reported failure once, with its cause; nothing else reported.
        let reported = summary.failures.map { "\($0.account) \($0.label)" }
        #expect(reported == fault.reported.map { "\($0.account) \($0.label)" })
        for (failure, expected) in zip(summary.failures, fault.reported) {
            #expect(failure.message.contains(expected.cause), "\(failure.message)")
        }
        let warnings = logs.entries.filter { $0.level >= .warning }
        #expect(warnings.count == fault.reported.count, "\(warnings.map(\.message))")

        // Nothing lost, nothing twice: both metrics of every account not reported, once each.
        let failed = Set(fault.reported.map(\.account))
        let expected = ["1", "2", "3"].filter { !failed.contains($0) }
            .flatMap { ["\($0),,followers", "\($0),,following"] }
        let file = try #require(FileSystem.list(temporary.path("data/bilibili")).first)
        let rows = String(decoding: try temporary.read("data/bilibili/\(file)/main.csv"), as: UTF8.self)
            .split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false)[2...4].joined(separator: ",") }
        #expect(rows.sorted() == expected.sorted())

        if fault.waitedAtLeast > 0 {
            // The runner waits in short steps (a stop must not wait a retry out): their sum counts.
            let all = waits.withLock { $0 }
            #expect(all.reduce(.zero, +) >= .seconds(fault.waitedAtLeast), "waits: \(all)")
        }
        // Every request the simulator saw was counted once in the self-metrics.
        let codes = [
            "200", "404", "412", "429", "500", "502", "503", "couldNotConnect", "timeout", "truncated", "other",
        ]
        let counted = codes.compactMap { code in
            metrics.value(of: "collector_http_requests_total", labels: ["platform": "bilibili", "code": code])
        }
        .reduce(0, +)
        #expect(Int(counted) == simulator.requestCount)
    }
}
