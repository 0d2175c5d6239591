import Collector
import CollectorTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

struct SelfMetricsTests {
    @Test func rendersOpenMetricsFamiliesInAFixedOrderEndingWithEOF() {
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        metrics.recordRequest(platform: .bilibili, code: "200")
        metrics.recordRequest(platform: .bilibili, code: "200")
        metrics.recordRequest(platform: .bilibili, code: "timeout")
        metrics.recordWrites(
            adapter: "bili",
            platform: .bilibili,
            counts: WriteCounts(written: 3, duplicates: 1, outranked: 2)
        )
        metrics.recordAccount(
            adapter: "bili",
            platform: .bilibili,
            failures: [CollectionFailure(adapter: "bili", account: "1", label: "rateLimited", message: "429")],
            succeeded: true,
            at: Timestamp(secondsSinceEpoch: 1_764_000_000)
        )
        metrics.recordPass(adapter: "bili", platform: .bilibili, duration: .milliseconds(1500), accountsFailed: 0)
        metrics.recordRun(duration: .seconds(2), endedAt: Timestamp(secondsSinceEpoch: 1_764_000_002))
        #expect(
            metrics.render() == """
                # HELP collector_http_requests_total HTTP requests sent, by platform and HTTP status (or transport error).
                # TYPE collector_http_requests_total counter
                collector_http_requests_total{collector_instance="main",code="200",platform="bilibili"} 2
                collector_http_requests_total{collector_instance="main",code="timeout",platform="bilibili"} 1
                # HELP collector_collect_errors_total Failures reported, by adapter, platform and error label.
                # TYPE collector_collect_errors_total counter
                collector_collect_errors_total{collector_instance="main",adapter="bili",error_code="rateLimited",platform="bilibili"} 1
                # HELP collector_samples_written_total Rows appended to the data files, by platform and format.
                # TYPE collector_samples_written_total counter
                collector_samples_written_total{collector_instance="main",format="csv",platform="bilibili"} 3
                # HELP collector_samples_duplicate_total Samples skipped because the same key and value were already stored.
                # TYPE collector_samples_duplicate_total counter
                collector_samples_duplicate_total{collector_instance="main",platform="bilibili"} 1
                # HELP collector_samples_dropped_total Samples not stored, by reason (outranked: an approximate value over an exact one).
                # TYPE collector_samples_dropped_total counter
                collector_samples_dropped_total{collector_instance="main",platform="bilibili",reason="outranked"} 2
                # HELP collector_accounts_collected_total Accounts collected without a failure.
                # TYPE collector_accounts_collected_total counter
                collector_accounts_collected_total{collector_instance="main",adapter="bili",platform="bilibili"} 1
                # HELP collector_accounts_failed Accounts that failed in the adapter's last pass.
                # TYPE collector_accounts_failed gauge
                collector_accounts_failed{collector_instance="main",adapter="bili",platform="bilibili"} 0
                # HELP collector_collect_duration_seconds How long the adapter's last pass took.
                # TYPE collector_collect_duration_seconds gauge
                collector_collect_duration_seconds{collector_instance="main",adapter="bili",platform="bilibili"} 1.5
                # HELP collector_last_success_timestamp_seconds When an account of the adapter was last collected without a failure (0: not yet, after a failed pass).
                # TYPE collector_last_success_timestamp_seconds gauge
                collector_last_success_timestamp_seconds{collector_instance="main",adapter="bili",platform="bilibili"} 1764000000
                # HELP collector_run_duration_seconds How long the last run took (a --once run, or a service's life so far).
                # TYPE collector_run_duration_seconds gauge
                collector_run_duration_seconds{collector_instance="main"} 2
                # HELP collector_last_run_timestamp_seconds When the last run ended (or, for a service, last wrote this file).
                # TYPE collector_last_run_timestamp_seconds gauge
                collector_last_run_timestamp_seconds{collector_instance="main"} 1764000002

                """
        )
        #expect(metrics.requestSummary == "requests: bilibili 3 (timeout: 1)")
    }

    @Test func countersContinueFromThePreviousFileAndGaugesAreKeptUntilSet() {
        let previous = SelfMetrics(instance: "main", formats: [.csv])
        previous.recordRequest(platform: .bilibili, code: "200")
        previous.recordPass(adapter: "other", platform: .weibo, duration: .seconds(9), accountsFailed: 4)
        previous.recordPass(adapter: "bili", platform: .bilibili, duration: .seconds(9), accountsFailed: 4)

        let next = SelfMetrics(instance: "main", formats: [.csv])
        next.carryOver(Array(previous.render().utf8), configured: ["other": .weibo, "bili": .bilibili])
        next.recordRequest(platform: .bilibili, code: "200")
        next.recordPass(adapter: "bili", platform: .bilibili, duration: .seconds(1), accountsFailed: 0)
        #expect(next.value(of: "collector_http_requests_total", labels: ["platform": "bilibili", "code": "200"]) == 2)
        #expect(next.value(of: "collector_accounts_failed", labels: ["adapter": "other", "platform": "weibo"]) == 4)
        #expect(next.value(of: "collector_accounts_failed", labels: ["adapter": "bili", "platform": "bilibili"]) == 0)
        // Only this process's requests are summarised.
        #expect(next.requestSummary == "requests: bilibili 1")
    }

    /// Shards (and instances) sharing a state folder write one file each, read by one textfile
    /// collector, which keeps only one of two series with the same name and labels: every
    /// series names its file's instance, and carrying a file over keeps that label single.
    @Test func everySeriesNamesItsInstanceAndCarriesOverUnderIt() {
        func record(_ metrics: SelfMetrics) {
            metrics.recordRequest(platform: .bilibili, code: "200")
            metrics.recordWrites(adapter: "bili", platform: .bilibili, counts: WriteCounts(written: 1))
            metrics.recordAccount(
                adapter: "bili",
                platform: .bilibili,
                failures: [],
                succeeded: true,
                at: Timestamp(secondsSinceEpoch: 1000)
            )
            metrics.recordPass(adapter: "bili", platform: .bilibili, duration: .seconds(1), accountsFailed: 0)
            metrics.recordRun(duration: .seconds(1), endedAt: Timestamp(secondsSinceEpoch: 1001))
        }
        func series(_ text: String) -> Set<Substring> {
            Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0[..<$0.lastIndex(of: " ")!] })
        }
        let shards = (0..<2).map { SelfMetrics(instance: "main-shard-\($0)", formats: [.csv]) }
        shards.forEach(record)
        let files = shards.map { $0.render() }
        #expect(series(files[0]).count == 9)
        #expect(series(files[0]).isDisjoint(with: series(files[1])))
        #expect(files[0].contains("collector_run_duration_seconds{collector_instance=\"main-shard-0\"} 1\n"))

        let next = SelfMetrics(instance: "main-shard-0", formats: [.csv])
        next.carryOver(Array(files[0].utf8), configured: ["bili": .bilibili])
        record(next)
        let text = next.render()
        #expect(series(text) == series(files[0]))
        #expect(
            text.contains(
                "collector_accounts_collected_total{collector_instance=\"main-shard-0\",adapter=\"bili\",platform=\"bilibili\"} 2\n"
            )
        )
        #expect(next.value(of: "collector_http_requests_total", labels: ["platform": "bilibili", "code": "200"]) == 2)

        // A file written before the label existed carries over the same.
        let upgraded = SelfMetrics(instance: "main", formats: [.csv])
        upgraded.carryOver(
            Array("collector_http_requests_total{code=\"200\",platform=\"bilibili\"} 5\n".utf8),
            configured: [:]
        )
        upgraded.recordRequest(platform: .bilibili, code: "200")
        #expect(
            upgraded.render().contains(
                "collector_http_requests_total{collector_instance=\"main\",code=\"200\",platform=\"bilibili\"} 6\n"
            )
        )
    }

    /// A file of the version that kept one breaker per platform has its gauge without the
    /// `service` label: the same breaker is now written with one, so the old series is not
    /// carried over (it would stay frozen beside the new one for good); labelled ones are.
    @Test func aBreakerGaugeWithoutItsServiceIsNotCarriedOver() {
        let family = "collector_circuit_open_until_timestamp_seconds"
        let previous = """
            \(family){collector_instance="main",platform="weibo"} 1900000000
            \(family){collector_instance="main",platform="weibo",service="weibo_web"} 1900000100

            """
        let next = SelfMetrics(instance: "main", formats: [.csv])
        next.carryOver(Array(previous.utf8), configured: [:])
        #expect(next.value(of: family, labels: ["platform": "weibo"]) == nil)
        #expect(next.value(of: family, labels: ["platform": "weibo", "service": "weibo_web"]) == 1_900_000_100)
        #expect(!next.render().contains("\(family){collector_instance=\"main\",platform=\"weibo\"}"))
    }

    /// A section whose accounts fail from its first pass on (a wrong token from day one) has a
    /// last success of 0, so `time() - collector_last_success_timestamp_seconds > 2 * interval`
    /// fires for it; an absent series would compare to nothing. A pass without failures (no
    /// account of the section in this shard) adds no series, and a real success replaces the 0.
    @Test func aSectionThatNeverSucceededHasALastSuccessOfZero() {
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        metrics.recordPass(adapter: "bad", platform: .weibo, duration: .seconds(1), accountsFailed: 2)
        metrics.recordPass(adapter: "elsewhere", platform: .weibo, duration: .zero, accountsFailed: 0)
        let last = "collector_last_success_timestamp_seconds"
        #expect(metrics.value(of: last, labels: ["adapter": "bad", "platform": "weibo"]) == 0)
        #expect(metrics.value(of: last, labels: ["adapter": "elsewhere", "platform": "weibo"]) == nil)
        #expect(
            metrics.render().contains("\(last){collector_instance=\"main\",adapter=\"bad\",platform=\"weibo\"} 0\n")
        )

        metrics.recordAccount(
            adapter: "bad",
            platform: .weibo,
            failures: [],
            succeeded: true,
            at: Timestamp(secondsSinceEpoch: 1000)
        )
        #expect(metrics.value(of: last, labels: ["adapter": "bad", "platform": "weibo"]) == 1000)
        // A later failed pass keeps the last success, in this run and the next.
        let next = SelfMetrics(instance: "main", formats: [.csv])
        next.carryOver(Array(metrics.render().utf8), configured: ["bad": .weibo])
        next.recordPass(adapter: "bad", platform: .weibo, duration: .seconds(1), accountsFailed: 2)
        #expect(next.value(of: last, labels: ["adapter": "bad", "platform": "weibo"]) == 1000)
    }

    /// A service reloading a configuration without a section drops that section's series at
    /// once (SIGHUP), as a new run does when it carries the file over.
    @Test func aReloadWithoutASectionForgetsItsSeries() {
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        for (adapter, platform) in [("kept", Platform.weibo), ("removed", .kuaishou), ("moved", .weibo)] {
            metrics.recordPass(adapter: adapter, platform: platform, duration: .seconds(1), accountsFailed: 1)
            metrics.recordAccount(
                adapter: adapter,
                platform: platform,
                failures: [],
                succeeded: true,
                at: Timestamp(secondsSinceEpoch: 1000)
            )
        }
        metrics.recordRequest(platform: .kuaishou, code: "200")
        metrics.forgetSections(notIn: ["kept": .weibo, "moved": .bilibili])
        let text = metrics.render()
        #expect(metrics.value(of: "collector_accounts_failed", labels: ["adapter": "kept", "platform": "weibo"]) == 1)
        #expect(
            metrics.value(
                of: "collector_last_success_timestamp_seconds",
                labels: ["adapter": "kept", "platform": "weibo"]
            ) == 1000
        )
        #expect(!text.contains("adapter=\"removed\""))
        #expect(!text.contains("adapter=\"moved\""))
        #expect(text.contains("collector_http_requests_total"))
    }

    @Test func seriesOfSectionsNoLongerConfiguredAreNotCarriedOver() {
        // A two-year-old configuration: `xhs-old` renamed, `ks-retired` removed, `bili` moved to
        // another platform, `wb` still configured but not collected by this run (`--only`).
        let previous = SelfMetrics(instance: "main", formats: [.csv])
        for (adapter, platform) in [
            ("xhs-old", Platform(rawValue: "xhs")), ("ks-retired", .kuaishou), ("bili", .weibo),
            ("wb", .weibo), ("a\"b", .weibo),
        ] {
            previous.recordAccount(
                adapter: adapter,
                platform: platform,
                failures: [CollectionFailure(adapter: adapter, account: "1", label: "commandFailed", message: "x")],
                succeeded: true,
                at: Timestamp(secondsSinceEpoch: 1000)
            )
            previous.recordPass(adapter: adapter, platform: platform, duration: .seconds(1), accountsFailed: 1)
        }
        previous.recordRequest(platform: .kuaishou, code: "200")

        let next = SelfMetrics(instance: "main", formats: [.csv])
        next.carryOver(
            Array(previous.render().utf8),
            configured: ["xhs-new": Platform(rawValue: "xhs"), "bili": .bilibili, "wb": .weibo, "a\"b": .weibo]
        )
        let text = next.render()
        for gone in ["xhs-old", "ks-retired"] { #expect(!text.contains("adapter=\"\(gone)\"")) }
        #expect(!text.contains("adapter=\"bili\""))
        for family in ["collector_last_success_timestamp_seconds", "collector_accounts_failed"] {
            #expect(next.value(of: family, labels: ["adapter": "wb", "platform": "weibo"]) != nil)
            #expect(next.value(of: family, labels: ["adapter": "a\"b", "platform": "weibo"]) != nil)
        }
        #expect(
            next.value(
                of: "collector_collect_errors_total",
                labels: [
                    "adapter": "wb", "platform": "weibo",
                    "error_code": "commandFailed",
                ]
            ) == 1
        )
        // Counters by platform alone stay: they are the installation's history, not a section's.
        #expect(next.value(of: "collector_http_requests_total", labels: ["platform": "kuaishou", "code": "200"]) == 1)
    }

    @Test func accountsAddUpPerInstanceAndPlatformOnTopOfCarriedCounters() {
        let previous = SelfMetrics(instance: "main", formats: [.csv, .jsonl])
        previous.recordWrites(adapter: "a", platform: .weibo, counts: WriteCounts(written: 10))
        previous.recordAccount(
            adapter: "a",
            platform: .weibo,
            failures: [],
            succeeded: true,
            at: Timestamp(secondsSinceEpoch: 900)
        )
        let metrics = SelfMetrics(instance: "main", formats: [.csv, .jsonl])
        metrics.carryOver(Array(previous.render().utf8), configured: ["a": .weibo, "b": .weibo])
        let failure = CollectionFailure(adapter: "b", account: "2", label: "rateLimited", message: "429")
        for (adapter, written, failures, at) in [
            ("a", 2, [CollectionFailure](), 1000), ("a", 3, [], 990), ("b", 4, [failure, failure], 980),
        ] {
            metrics.recordWrites(
                adapter: adapter,
                platform: .weibo,
                counts: WriteCounts(written: written, duplicates: 1)
            )
            metrics.recordAccount(
                adapter: adapter,
                platform: .weibo,
                failures: failures,
                succeeded: failures.isEmpty,
                at: Timestamp(secondsSinceEpoch: Int64(at))
            )
        }
        for format in ["csv", "jsonl"] {
            #expect(
                metrics.value(of: "collector_samples_written_total", labels: ["platform": "weibo", "format": format])
                    == 19
            )
        }
        #expect(metrics.value(of: "collector_samples_duplicate_total", labels: ["platform": "weibo"]) == 3)
        #expect(
            metrics.value(of: "collector_accounts_collected_total", labels: ["adapter": "a", "platform": "weibo"]) == 3
        )
        #expect(
            metrics.value(of: "collector_accounts_collected_total", labels: ["adapter": "b", "platform": "weibo"])
                == nil
        )
        #expect(
            metrics.value(
                of: "collector_collect_errors_total",
                labels: ["adapter": "b", "platform": "weibo", "error_code": "rateLimited"]
            ) == 2
        )
        #expect(
            metrics.value(
                of: "collector_last_success_timestamp_seconds",
                labels: ["adapter": "a", "platform": "weibo"]
            )
                == 1000
        )
    }

    @Test func labelValuesAreEscaped() {
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        metrics.recordPass(adapter: "a\"b\\c\nd", platform: .weibo, duration: .zero, accountsFailed: 1)
        #expect(
            metrics.render().contains(
                "collector_accounts_failed{collector_instance=\"main\",adapter=\"a\\\"b\\\\c\\nd\",platform=\"weibo\"} 1\n"
            )
        )
    }

    @Test func meteredClientCountsStatusesAndTransportErrorsButNotCancellations() async throws {
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        let base = ScriptedHTTP([
            .success(HTTPResponse(status: 200)), .success(HTTPResponse(status: 429)),
            .failure(.timeout(HTTPRequest(url: "http://127.0.0.1/x"), "slow")),
            .failure(.cancelled(HTTPRequest(url: "http://127.0.0.1/x"))),
        ])
        let client = MeteredHTTPClient(base: base, platform: .douyin, metrics: metrics)
        for _ in 0..<4 { _ = try? await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(metrics.value(of: "collector_http_requests_total", labels: ["platform": "douyin", "code": "200"]) == 1)
        #expect(metrics.value(of: "collector_http_requests_total", labels: ["platform": "douyin", "code": "429"]) == 1)
        #expect(
            metrics.value(of: "collector_http_requests_total", labels: ["platform": "douyin", "code": "timeout"]) == 1
        )
        #expect(
            metrics.value(of: "collector_http_requests_total", labels: ["platform": "douyin", "code": "cancelled"])
                == nil
        )
    }

    @Test func writesTheFileAtomicallyReadableByOthers() throws {
        let directory = try TemporaryDirectory()
        let metrics = SelfMetrics(instance: "main", formats: [.csv])
        metrics.recordRun(duration: .seconds(1), endedAt: Timestamp(secondsSinceEpoch: 5))
        try metrics.write(to: directory.path + "/collector-main.prom")
        #expect(
            directory.text("collector-main.prom")?.hasSuffix(
                "collector_last_run_timestamp_seconds{collector_instance=\"main\"} 5\n"
            ) == true
        )
        var info = stat()
        #expect(stat(directory.path + "/collector-main.prom", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
    }
}

/// Answers requests from a list, in order.
final class ScriptedHTTP: HTTPFetching {
    private let answers: Mutex<[Result<HTTPResponse, HTTPError>]>

    init(_ answers: [Result<HTTPResponse, HTTPError>]) {
        self.answers = Mutex(answers)
    }

    func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let next = answers.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw .other(request, "no scripted answer left") }
        return try next.get()
    }
}
