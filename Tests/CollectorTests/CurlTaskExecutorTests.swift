import CollectorTesting
import Logging
import Synchronization
import Testing

@testable import Collector

/// Tasks that prefer `CurlHTTPClient.taskExecutor` run on the client's I/O thread, against the
/// platform simulator (a real server on 127.0.0.1); the collection runner puts a polling
/// adapter's workers there and keeps its syncs off it.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CurlTaskExecutorTests {
    // MARK: - The client

    @Test func aTaskPreferringTheExecutorResumesOnTheIOThread() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            let threads = try await withTaskExecutorPreference(client.taskExecutor) {
                var threads: [Bool] = []
                for _ in 0..<3 {
                    let response = try await client.fetch(request)
                    #expect(response.status == 200)
                    threads.append(client.isIOThread)
                }
                return threads
            }
            #expect(threads == [true, true, true])
            // Without the preference, the caller resumes on the global executor.
            _ = try await client.fetch(request)
            #expect(!client.isIOThread)
        }
    }

    @Test func manyTasksOnTheIOThreadGetEveryResponse() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 8))
            defer { client.shutdown() }
            let statuses = try await withTaskExecutorPreference(client.taskExecutor) {
                try await withThrowingTaskGroup(of: [Int].self) { group in
                    for worker in 0..<16 {
                        group.addTask {
                            var statuses: [Int] = []
                            for index in 0..<10 {
                                let url = simulator.url("/bilibili/x/relation/stat?vmid=\(worker * 10 + index)")
                                statuses.append(try await client.fetch(HTTPRequest(url: url)).status)
                                #expect(client.isIOThread)
                            }
                            return statuses
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            #expect(statuses.count == 160)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }

    @Test func aTaskOutlivesTheClientItPrefers() async throws {
        let client = CurlHTTPClient()
        // Where the task ended up; nil while it has not finished.
        let outcome = Mutex<ThreadKind?>(nil)
        Task(executorPreference: client.taskExecutor) {
            client.shutdown()
            // The executor's queue is closed: this job must go to the global executor, or the
            // task never resumes.
            await Task.yield()
            let kind = ThreadKind(client)
            outcome.withLock { $0 = kind }
        }
        // A stranded task would make the test wait for ever: give it ten seconds.
        var waited = 0
        while outcome.withLock({ $0 }) == nil, waited < 1000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(outcome.withLock { $0 } == .other)
    }

    @Test func shuttingDownFromTheIOThreadReturns() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            let wasOnIOThread = try await withTaskExecutorPreference(client.taskExecutor) {
                _ = try await client.fetch(request)
                let onIOThread = client.isIOThread
                // Joining its own thread would hang: the client lets the thread end instead.
                client.shutdown()
                return onIOThread
            }
            #expect(wasOnIOThread)
            await #expect(throws: HTTPError.self) { _ = try await client.fetch(request) }
        }
    }

    // MARK: - The runner

    @Test func aPollingAdaptersWorkersRunOnTheIOThreadAndItsSyncsDoNot() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 4))
            defer { client.shutdown() }
            let sink = ThreadSpySink(client: client)
            // Over 256 accounts: one sync runs in the middle of the pass, from a worker.
            let accounts = (0..<300).map(String.init)
            let polling = ThreadProbeAdapter<PollingProbe>(
                name: "polling",
                accounts: accounts,
                url: simulator.url("/bilibili/x/relation/stat"),
                client: client
            )
            let local = ThreadProbeAdapter<LocalProbe>(
                name: "local",
                accounts: accounts,
                url: simulator.url("/bilibili/x/relation/stat"),
                client: client
            )
            let summary = try await makeRunner([polling, local], sink: sink, client: client).runOnce()
            #expect(summary.succeeded == 600)
            #expect(summary.counts.written == 600)
            #expect(polling.threads == [.io])
            #expect(local.threads == [.other])
            // Rows reach the store and the disk from the global executor, whichever worker syncs.
            #expect(sink.threads == [.other])
            #expect(sink.syncs >= 4)
        }
    }

    private func makeRunner(
        _ adapters: [any Adapter],
        sink: any SampleSink,
        client: CurlHTTPClient
    )
        -> CollectionRunner
    {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        return CollectionRunner(
            instances: adapters,
            sink: sink,
            logger: logger,
            clock: { Timestamp(secondsSinceEpoch: 1_764_000_000) },
            makeContext: { _ in
                AdapterContext(
                    http: client,
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

/// Where a piece of code ran, as seen by a client.
private enum ThreadKind: Hashable {
    case io, other

    init(_ client: CurlHTTPClient) {
        self = client.isIOThread ? .io : .other
    }
}

private protocol ProbeMode: Sendable {
    static var overHTTP: Bool { get }
}

private enum PollingProbe: ProbeMode {
    static let overHTTP = true
}

private enum LocalProbe: ProbeMode {
    static let overHTTP = false
}

/// Fetches one response per account and notes where it ran after the fetch.
private final class ThreadProbeAdapter<Mode: ProbeMode>: Adapter, @unchecked Sendable {
    static var type: String { "probe" }
    static var summary: String { "test double" }
    static var configurationKeys: [ConfigurationKey] { [] }
    static var metrics: [MetricDescriptor] { [MetricDescriptor(.followers, .account, "test")] }
    static var sampleConfiguration: String { "" }
    static var collectsOverHTTP: Bool { Mode.overHTTP }

    let name: String
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule = AdapterSchedule(interval: .seconds(60), jitter: .zero, rate: nil, parallelAccounts: 4)
    private let url: String
    private let client: CurlHTTPClient
    private let seen = Mutex<Set<ThreadKind>>([])

    init(name: String, accounts: [String], url: String, client: CurlHTTPClient) {
        self.name = name
        self.accounts = accounts
        self.url = url
        self.client = client
    }

    required init(configuration: AdapterConfiguration) throws(ConfigurationError) {
        fatalError("not configured from a file")
    }

    var threads: Set<ThreadKind> { seen.withLock { $0 } }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let response = try await context.http.fetch(HTTPRequest(url: "\(url)?vmid=\(account)"))
        let kind = ThreadKind(client)
        seen.withLock { _ = $0.insert(kind) }
        try batch.add(
            Sample(
                time: context.now(),
                platform: platform,
                account: "\(name)-\(account)",
                metric: .followers,
                value: .integer(Int64(response.status)),
                source: .web
            )
        )
    }
}

/// Notes where each write and sync ran.
private final class ThreadSpySink: SampleSink {
    private let client: CurlHTTPClient
    private let seen = Mutex<(threads: Set<ThreadKind>, syncs: Int)>(([], 0))

    init(client: CurlHTTPClient) {
        self.client = client
    }

    var threads: Set<ThreadKind> { seen.withLock { $0.threads } }
    var syncs: Int { seen.withLock { $0.syncs } }

    func write(_ samples: [Sample]) throws -> WriteCounts {
        let kind = ThreadKind(client)
        seen.withLock { _ = $0.threads.insert(kind) }
        return WriteCounts(written: samples.count)
    }

    func writeObjects(_ objects: [ContentObject]) throws {}

    func sync() throws {
        let kind = ThreadKind(client)
        seen.withLock { state in
            state.threads.insert(kind)
            state.syncs += 1
        }
    }
}
