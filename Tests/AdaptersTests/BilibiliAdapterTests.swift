import Adapters
import Collector
import CollectorTesting
import Foundation
import Logging
import Synchronization
import Testing

/// The `bilibili` adapter's per-video counts (`videos`) and its error table, row by row,
/// against the platform simulator.
@Suite(.serialized) struct BilibiliAdapterTests {
    static let account = "208259"
    static let bvid = "BV1Ab4y1c7Qa"

    static func configuration(_ extra: [String: ConfigValue], accounts: [String] = [account]) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "accounts": .array(accounts.map(ConfigValue.string)),
            "base_url": .string("http://127.0.0.1:1/bilibili"),
        ]
        values.merge(extra) { $1 }
        return AdapterConfiguration(type: "bilibili", values: values)
    }

    // MARK: - Configuration

    @Test func refusesVideosTrueBecauseListingUploadsNeedsAWBISignature() {
        #expect {
            _ = try BilibiliAdapter(configuration: Self.configuration(["videos": .bool(true)]))
        } throws: { error in
            "\(error)".contains("WBI signature") && "\(error)".contains("bilibili_open")
        }
    }

    @Test(arguments: ["av170001", "BV1Ab4y1c7Q/", "BV", "https://www.bilibili.com/video/BV1Ab4y1c7Qa"])
    func refusesSomethingThatIsNotABvid(_ text: String) {
        #expect {
            _ = try BilibiliAdapter(configuration: Self.configuration(["videos": .array([.string(text)])]))
        } throws: { error in
            "\(error)".contains("is not a bvid")
        }
    }

    @Test func refusesAListOfVideosForSeveralAccounts() {
        #expect {
            _ = try BilibiliAdapter(
                configuration: Self.configuration(
                    ["videos": .array([.string(Self.bvid)])],
                    accounts: [Self.account, "546195"]
                )
            )
        } throws: { error in
            "\(error)".contains("needs exactly one account")
        }
    }

    @Test func refusesAVideoTableNamingAnotherAccount() {
        #expect {
            _ = try BilibiliAdapter(
                configuration: Self.configuration(["videos": .table(["546195": .array([.string(Self.bvid)])])])
            )
        } throws: { error in
            "\(error)".contains("\"546195\", which is not among this section's accounts")
        }
    }

    @Test func acceptsVideosFalseAndDeclaresTheVideoMetrics() throws {
        let adapter = try BilibiliAdapter(configuration: Self.configuration(["videos": .bool(false)]))
        #expect(adapter.accounts == [Self.account])
        let content = BilibiliAdapter.metrics.filter { $0.level == .content }.map(\.name.rawValue)
        #expect(content == ["views", "danmaku", "comments", "favorites", "coins", "shares", "likes"])
    }

    // MARK: - Collection

    @Test func writesTheVideoCatalogueRowAndOneRowPerCounter() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/x_web-interface_view_ok.json"),
            to: "view.json"
        )
        // The shared fixture's owner is another mid: point it at this account.
        let view = String(decoding: try root.read("view.json"), as: UTF8.self)
            .replacingOccurrences(of: "3493000000000001", with: Self.account)
        try root.write(view, to: "bilibili/x/web-interface/view.json")

        let run = try await BilibiliToutiaoRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"), "card": .bool(false),
                    "videos": .array([.string("BV1xx411c7FAKE")]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil)
        #expect(run.failures.isEmpty)
        #expect(
            run.objects == [
                ContentObject(
                    platform: .bilibili,
                    object: "BV1xx411c7FAKE",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_751_274_000),
                    title: "2025届毕业典礼全程回放",
                    url: "https://www.bilibili.com/video/BV1xx411c7FAKE"
                )
            ]
        )
        #expect(
            run.rows == [
                ",followers,86231,exact,web", ",following,45,exact,web",
                "BV1xx411c7FAKE,views,153320,exact,web", "BV1xx411c7FAKE,danmaku,2210,exact,web",
                "BV1xx411c7FAKE,comments,815,exact,web", "BV1xx411c7FAKE,favorites,4102,exact,web",
                "BV1xx411c7FAKE,coins,3377,exact,web", "BV1xx411c7FAKE,shares,962,exact,web",
                "BV1xx411c7FAKE,likes,12093,exact,web",
            ]
        )
    }

    // MARK: - Error table (PLATFORMS.md §5.3), row by row

    struct Row: Sendable, CustomTestStringConvertible {
        var code: Int64
        var label: String
        var action: AdapterError.Action
        var testDescription: String { "\(code) → \(label)" }
    }

    static let rows: [Row] = [
        Row(code: -412, label: "antiBot", action: .stopInstance),
        Row(code: -352, label: "antiBot", action: .stopInstance),
        Row(code: -799, label: "antiBot", action: .stopInstance),
        Row(code: -509, label: "rateLimited", action: .retry),
        Row(code: -101, label: "reauthorizationRequired", action: .skipAccount),
        Row(code: -403, label: "permission", action: .skipAccount),
        Row(code: -404, label: "notFound", action: .skipAccount),
        Row(code: 62002, label: "notFound", action: .skipAccount),
        Row(code: 62004, label: "notFound", action: .skipAccount),
        Row(code: 62012, label: "notFound", action: .skipAccount),
        Row(code: -400, label: "badRequest", action: .skipAccount),
        Row(code: -500, label: "transient", action: .retry),
        Row(code: -503, label: "transient", action: .retry),
        Row(code: 12345, label: "badRequest", action: .skipAccount),
    ]

    @Test(arguments: rows)
    func mapsEachErrorCodeToOneAction(_ row: Row) async throws {
        let root = try TemporaryDirectory()
        try root.write(#"{"code":\#(row.code),"message":"m","ttl":1}"#, to: "bilibili/x/relation/stat.json")
        let run = try await BilibiliToutiaoRun.collect(
            configuration: { url in Self.configuration(["base_url": .string(url + "/bilibili")]) },
            account: Self.account,
            fixtureRoot: root.path
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == row.label)
        #expect(error.action == row.action)
        #expect(error.platformCode == String(row.code))
        #expect(error.message.hasPrefix("bilibili /x/relation/stat: "))
    }
}

/// One `collect` of one account against the platform simulator, with everything it produced:
/// rows (without the time and the account), catalogue rows, recorded failures and the thrown
/// error. Shared by the Bilibili and Toutiao adapter tests.
struct BilibiliToutiaoRun {
    /// `object,metric,value,quality,source` of each sample, in order.
    var rows: [String]
    /// The samples, whole.
    var samples: [Sample]
    /// The catalogue rows.
    var objects: [ContentObject]
    /// The failures recorded in the batch.
    var failures: [CollectionFailure]
    /// What `collect` threw.
    var error: (any Error)?
    /// The requests the simulator received.
    var requests: [RecordedRequest]

    static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)

    /// Starts a simulator over `fixtureRoot`, builds the adapter from `configuration(baseURL)`
    /// and collects `account`.
    static func collect(
        configuration: (String) -> AdapterConfiguration,
        account: String,
        fixtureRoot: String,
        state: StateStore? = nil,
        dryRun: Bool = false,
        script: (PlatformSimulator) -> Void = { _ in },
        observe: @escaping @Sendable (HTTPRequest) -> Void = { _ in }
    ) async throws -> BilibiliToutiaoRun {
        let simulator = try PlatformSimulator(fixtureRoot: fixtureRoot)
        defer { simulator.stop() }
        script(simulator)
        let adapter = try AdapterRegistry.instantiate(configuration(simulator.baseURL))
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
        let sink = MemorySink()
        let batch = SampleBatch(sink: sink)
        var thrown: (any Error)?
        do {
            try await adapter.collect(account: account, into: batch, context: context)
        } catch {
            thrown = error
        }
        try batch.commit()
        let samples = sink.samples
        return BilibiliToutiaoRun(
            rows: samples.map { "\($0.object),\($0.metric),\($0.value),\($0.quality.rawValue),\($0.source.rawValue)" },
            samples: samples,
            objects: sink.objects,
            failures: batch.failures,
            error: thrown,
            requests: simulator.requests
        )
    }
}

extension BilibiliToutiaoRun {
    /// Passes requests on, showing each to `observe` first.
    struct ObservingHTTP: HTTPFetching {
        let base: any HTTPFetching
        let observe: @Sendable (HTTPRequest) -> Void

        func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
            observe(request)
            return try await base.fetch(request)
        }
    }
}

/// Keeps what the adapter wrote, in order.
private final class MemorySink: SampleSink {
    private let state = Mutex<(samples: [Sample], objects: [ContentObject])>(([], []))

    var samples: [Sample] { state.withLock { $0.samples } }
    var objects: [ContentObject] { state.withLock { $0.objects } }

    func write(_ samples: [Sample]) throws -> WriteCounts {
        state.withLock { $0.samples += samples }
        return WriteCounts(written: samples.count)
    }

    func writeObjects(_ objects: [ContentObject]) throws {
        state.withLock { $0.objects += objects }
    }

    func sync() throws {}
}
