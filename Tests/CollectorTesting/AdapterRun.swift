public import Collector
import Logging

/// One `collect` of one account against the platform simulator, with everything it produced:
/// rows (without the time and the account), catalogue rows, recorded failures, the thrown error
/// and the requests. The unit-test counterpart of a golden case, for an adapter's own tests.
///
/// ```swift
/// let run = try await AdapterRun.collect(
///     adapter: { baseURL in try ToutiaoAdapter(configuration: configuration(baseURL)) },
///     account: "1600000000000001",
///     fixtureRoot: root.path
/// )
/// #expect(run.rows == [",followers,1200,exact,web"])
/// ```
public struct AdapterRun {
    /// `object,metric,value,quality,source` of each sample, in order.
    public var rows: [String]
    /// The samples, whole.
    public var samples: [Sample]
    /// The catalogue rows.
    public var objects: [ContentObject]
    /// The failures recorded in the batch.
    public var failures: [CollectionFailure]
    /// The notices recorded in the batch (``SampleBatch/recordNotice(_:)``).
    public var notices: [CollectionFailure]
    /// What `collect` threw.
    public var error: (any Error)?
    /// The requests the simulator received.
    public var requests: [RecordedRequest]
    /// The requests no fixture or script answered (``PlatformSimulator/fixtureProblems``).
    public var fixtureProblems: [String]

    /// The fixed clock: 2025-11-25T00:00:00+08:00, the time of every polled snapshot.
    public static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)

    /// Starts a simulator over `fixtureRoot`, builds the adapter with `makeAdapter(baseURL)`
    /// and collects `account` through the real libcurl client.
    ///
    /// - Parameters:
    ///   - makeAdapter: Creates the adapter, given the simulator's `http://127.0.0.1:PORT`.
    ///   - account: The account to collect.
    ///   - fixtureRoot: The simulator's fixture tree.
    ///   - state: The state store; a fresh one in a temporary folder by default.
    ///   - dryRun: The context's `isDryRun`.
    ///   - script: Scripts the simulator before the run.
    ///   - observe: Sees each request before it is sent.
    /// - Returns: What the run produced; a thrown `collect` error is in ``error``.
    /// - Throws: When the simulator cannot start, the adapter cannot be made or the batch
    ///   cannot be committed.
    public static func collect(
        adapter makeAdapter: (_ baseURL: String) throws -> any Adapter,
        account: String,
        fixtureRoot: String,
        state: StateStore? = nil,
        dryRun: Bool = false,
        script: (PlatformSimulator) -> Void = { _ in },
        observe: @escaping @Sendable (HTTPRequest) -> Void = { _ in }
    ) async throws -> AdapterRun {
        let simulator = try PlatformSimulator(fixtureRoot: fixtureRoot)
        defer { simulator.stop() }
        script(simulator)
        let adapter = try makeAdapter(simulator.baseURL)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        let temporary = try TemporaryDirectory()
        let context = AdapterContext(
            http: ObservingHTTP(base: http, observe: observe),
            state: try state ?? StateStore(directory: temporary.path("state")),
            calendar: .beijing,
            now: { now },
            sleep: { _ in },
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            isDryRun: dryRun
        )
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink, adapter: adapter.name)
        var thrown: (any Error)?
        do {
            try await adapter.collect(account: account, into: batch, context: context)
        } catch {
            thrown = error
        }
        try batch.commit()
        let samples = sink.samples
        return AdapterRun(
            rows: samples.map { "\($0.object),\($0.metric),\($0.value),\($0.quality.rawValue),\($0.source.rawValue)" },
            samples: samples,
            objects: sink.objects,
            failures: batch.failures,
            notices: batch.notices,
            error: thrown,
            requests: simulator.requests,
            fixtureProblems: simulator.fixtureProblems
        )
    }
}
