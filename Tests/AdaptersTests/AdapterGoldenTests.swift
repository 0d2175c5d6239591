import Adapters
import Collector
import CollectorTesting
import Foundation
import Logging
import PlatformSimulator
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Golden cases (STYLE §8, telegraf's fritzbox_test.go): each folder
/// `Cases/<platform>/<case>/` holds `adapter.conf`, the simulator's `responses/`, optionally a
/// `state/` folder copied into `state_dir` (a stored credential, a cursor), the exact rows it
/// must produce (`expected.csv`) and the failures it must report, one per line, each the start
/// of a failure's description (`expected-failures.txt`). The adapter runs against the
/// platform simulator on 127.0.0.1 through the real libcurl client, with a fixed clock.
///
/// Two checks hold for every case besides its files: each sample's metric is one its adapter
/// declares (``Adapter/metrics``), and no request went unanswered by the case's fixtures (the
/// simulator's `X-Simulator: no-fixture` 404), so a mistyped fixture path is not taken for the
/// platform's own 404.
@Suite(.serialized) struct AdapterGoldenTests {
    /// 2025-11-25T00:00:00+08:00: every polled snapshot is stamped with it.
    static let observed = Timestamp(secondsSinceEpoch: 1_764_000_000)

    @Test(arguments: GoldenCase.all())
    func producesTheExpectedRowsAndFailures(_ golden: GoldenCase) async throws {
        for problem in try await Self.problems(of: golden) { Issue.record("\(problem)") }
    }

    /// A case recorded from an adapter's output as it was, negative counts and all, fails: the
    /// batch refuses the value (`invalidValue`), so the row is missing and a failure is
    /// reported, which the case did not expect. (`bilibili_open` passes the platform's numbers
    /// on as they are; `bilibili` skips a negative one itself, with a notice.)
    @Test func aCaseExpectingANegativeCountFails() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path("negative_count")
        try FileManager.default.copyItem(
            atPath: Fixtures.path("AdaptersTests/Cases/bilibili_open/happy"),
            toPath: directory
        )
        try temporary.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"following":45,"follower":-1,"arc_passed_total":612}}"#,
            to: "negative_count/responses/bilibili_open/arcopen/fn/data/user/stat@access_token=tok-old.json"
        )
        let expected = String(decoding: try temporary.read("negative_count/expected.csv"), as: UTF8.self)
        #expect(expected.contains(",followers,86231,"))
        try temporary.write(
            expected.replacingOccurrences(of: ",followers,86231,", with: ",followers,-1,"),
            to: "negative_count/expected.csv"
        )
        let golden = GoldenCase(platform: "bilibili_open", name: "negative_count", directory: directory)

        let problems = try await Self.problems(of: golden)
        #expect(
            problems.contains { $0.hasPrefix("the output differs from expected.csv") && $0.contains(",followers,-1,") }
        )
        #expect(
            problems.contains {
                $0.contains(
                    "bilibili_open/208259: invalidValue: followers = -1 is negative, but followers is a count;"
                )
                    && $0.contains("the value was not written")
            },
            "\(problems)"
        )
    }

    /// Runs `golden` and returns what does not match it, each in words; empty when it passes.
    static func problems(of golden: GoldenCase) async throws -> [String] {
        var problems: [String] = []
        let simulator = try PlatformSimulator(fixtureRoot: golden.directory + "/responses")
        defer { simulator.stop() }
        let configuration = try ConfigurationFile.parse(
            text: try golden.read("adapter.conf"),
            path: golden.directory + "/adapter.conf",
            environment: ["SIMULATOR_URL": simulator.baseURL],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let adapters = try configuration.sections.map { try AdapterRegistry.instantiate($0) }

        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let fd = open(temporary.path("out.csv"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let sink = KeepingSink(CSVStreamSink(fileDescriptor: fd, calendar: .beijing))
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        let state = try StateStore(directory: temporary.path("state"))
        // An optional `state/` folder seeds the state dir (a stored credential, a cursor).
        for file in FileSystem.list(golden.directory + "/state") {
            try state.write(file, try Fixtures.bytes(golden.directory + "/state/" + file))
        }
        let logger = Logger(label: "golden") { _ in SwiftLogNoOpLogHandler() }
        let runner = CollectionRunner(
            instances: adapters,
            sink: sink,
            logger: logger,
            makeContext: { adapter in
                AdapterContext(
                    http: BudgetedHTTPClient(
                        base: http,
                        budgets: [RequestBudget(rate: adapter.schedule.rate)],
                        wallClock: CollectionRunner.systemClock
                    ),
                    state: state,
                    calendar: .beijing,
                    now: { Self.observed },
                    sleep: { _ in },
                    logger: logger
                )
            }
        )
        let summary = try await runner.runOnce()
        try sink.sync()
        close(fd)

        let produced = String(decoding: try temporary.read("out.csv"), as: UTF8.self)
        let expectedRows = try golden.read("expected.csv")
        if produced != expectedRows {
            problems.append("the output differs from expected.csv:\n\(produced)\nexpected:\n\(expectedRows)")
        }
        let expectedFailures = try golden.read("expected-failures.txt").split(separator: "\n").map(String.init)
        let failures = summary.failures.map(\.description)
        if failures.count != expectedFailures.count {
            problems.append(
                "\(failures.count) failures, expected-failures.txt has \(expectedFailures.count): \(failures)"
            )
        }
        for (failure, expected) in zip(failures, expectedFailures) where !failure.hasPrefix(expected) {
            problems.append("\(failure) does not start with \(expected)")
        }
        for failure in failures where failure.contains("SESSDATA") || failure.contains("access_token") {
            problems.append("a failure names a secret's field: \(failure)")
        }

        // The adapter contract: emit only declared metrics, at their declared level (per
        // platform, as a case may hold more than one section), so that `collector adapters`
        // lists everything written.
        var declared: [Platform: Set<String>] = [:]
        for adapter in adapters {
            declared[adapter.platform, default: []].formUnion(
                type(of: adapter).metrics.map { "\($0.name) \($0.level)" }
            )
        }
        for sample in sink.samples {
            let level: MetricDescriptor.Level = sample.object.isEmpty ? .account : .content
            if declared[sample.platform]?.contains("\(sample.metric) \(level)") == true { continue }
            problems.append(
                "\(sample.platform) \(sample.account) \(sample.object): \(sample.metric) (\(level)) is not among the metrics its adapter declares"
            )
        }
        if !simulator.fixtureProblems.isEmpty {
            problems.append(
                "requests the case's responses/ did not answer (a missing or mistyped fixture?): \(simulator.fixtureProblems)"
            )
        }
        return problems
    }
}

/// Passes samples on to `base`, keeping them for the checks after the run.
private final class KeepingSink: SampleSink {
    private let base: any SampleSink
    private let kept = Mutex<[Sample]>([])

    init(_ base: any SampleSink) {
        self.base = base
    }

    var samples: [Sample] { kept.withLock { $0 } }

    func write(_ samples: [Sample]) throws -> WriteCounts {
        kept.withLock { $0 += samples }
        return try base.write(samples)
    }

    func writeObjects(_ objects: [ContentObject]) throws {
        try base.writeObjects(objects)
    }

    func sync() throws {
        try base.sync()
    }
}

/// One folder of `Cases/`.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    var platform: String
    var name: String
    var directory: String

    var testDescription: String { "\(platform)/\(name)" }

    func read(_ file: String) throws -> String {
        String(decoding: try Fixtures.bytes(directory + "/" + file), as: UTF8.self)
    }

    static func all() -> [GoldenCase] {
        let root = Fixtures.path("AdaptersTests/Cases")
        return FileSystem.list(root).flatMap { platform in
            FileSystem.list(root + "/" + platform).map { name in
                GoldenCase(platform: platform, name: name, directory: root + "/" + platform + "/" + name)
            }
        }
    }
}
