import Collector
import CollectorTesting
import Synchronization
import Testing

/// The daily request cap of a `source = web` section (``DailyRequestCap``): every request is
/// counted in `state_dir` before it is sent, per instance and day of Beijing time, across
/// clients (separate runs); none is sent beyond the cap, and the next day starts from 0.
@Suite(.serialized) struct DailyRequestCapTests {
    /// 2026-11-27 23:59:00 Beijing time (15:59 UTC): one minute before the platforms' next day.
    static let lateEvening = Timestamp(secondsSinceEpoch: 1_795_795_140)
    static let advice = "collect fewer accounts; \"daily_requests\" lowers it"

    static func cap(
        _ base: any HTTPFetching,
        _ state: StateStore,
        limit: Int,
        at now: @escaping @Sendable () -> Timestamp = { lateEvening }
    ) -> DailyRequestCap {
        DailyRequestCap(base: base, instance: "weibo_web", limit: limit, state: state, advice: advice, now: now)
    }

    static func countFile(_ folder: TemporaryDirectory) throws -> String {
        String(decoding: try folder.read("state/daily-requests-weibo_web.json"), as: UTF8.self)
    }

    @Test func sendsUpToTheCapAndNothingBeyondNamingTheCountTheResetAndTheKey() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        try await withPlatformSimulator { (simulator: PlatformSimulator) async throws in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let client = Self.cap(http, state, limit: 2)
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            #expect(try await client.fetch(request).status == 200)
            #expect(try await client.fetch(request).status == 200)
            let refused = await #expect(throws: HTTPError.self) { try await client.fetch(request) }
            #expect(simulator.requestCount == 2)
            #expect(refused?.stopsInstance == true)
            #expect(refused?.isRetryable == false)
            #expect(refused?.metricLabel == "dailyCap")
            #expect(
                refused?.detail
                    == "not sent: weibo_web has sent 2 requests today (2026-11-27, Beijing time; counted in "
                    + state.path("daily-requests-weibo_web.json") + "), and its daily cap is 2, so it sends nothing"
                    + " more until 2026-11-28T00:00:00+08:00; the accounts not collected stay due and are collected"
                    + " from then; " + Self.advice
            )
        }
        #expect(try Self.countFile(folder) == #"{"day":"2026-11-27","requests":2}"#)
    }

    /// Separate runs (here: separate clients on the same state folder) add up, and the day is
    /// Beijing's: 00:00 there, 16:00 UTC, starts the count again.
    @Test func runsAddUpAndTheNextBeijingDayStartsFromZero() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        let now = Mutex(Self.lateEvening)
        try await withPlatformSimulator { (simulator: PlatformSimulator) async throws in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            _ = try await Self.cap(http, state, limit: 3, at: { now.withLock { $0 } }).fetch(request)
            _ = try await Self.cap(http, state, limit: 3, at: { now.withLock { $0 } }).fetch(request)
            _ = try await Self.cap(http, state, limit: 3, at: { now.withLock { $0 } }).fetch(request)
            let late = Self.cap(http, state, limit: 3, at: { now.withLock { $0 } })
            await #expect(throws: HTTPError.self) { try await late.fetch(request) }
            #expect(simulator.requestCount == 3)
            // 00:00:30 Beijing time on the 28th: 16:00:30 UTC on the 27th.
            now.withLock { $0 = Timestamp(secondsSinceEpoch: 1_795_795_230) }
            #expect(try await late.fetch(request).status == 200)
            #expect(simulator.requestCount == 4)
        }
        #expect(try Self.countFile(folder) == #"{"day":"2026-11-28","requests":1}"#)
    }

    /// The count is in the file before the request leaves: a run killed while the request is in
    /// flight has counted it (one too many at worst, never one too few).
    @Test func eachRequestIsCountedBeforeItIsSent() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        let seen = Mutex<[String]>([])
        try await withPlatformSimulator { (simulator: PlatformSimulator) async throws in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let observed = ObservingHTTP(base: http) { _ in
                let text = (try? Self.countFile(folder)) ?? "none"
                seen.withLock { $0.append(text) }
            }
            let client = Self.cap(observed, state, limit: 10)
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            _ = try await client.fetch(request)
            _ = try await client.fetch(request)
        }
        #expect(
            seen.withLock { $0 } == [
                #"{"day":"2026-11-27","requests":1}"#, #"{"day":"2026-11-27","requests":2}"#,
            ]
        )
    }

    /// A count that cannot be read is not taken as 0 (that could send a second day's worth):
    /// nothing is sent, and the message says which file to delete.
    @Test func aDamagedCountSendsNothingAndNamesTheFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        try state.write("daily-requests-weibo_web.json", Array("{\"day\":\"2026-11-27\",\"requ".utf8))
        try await withPlatformSimulator { (simulator: PlatformSimulator) async throws in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1"))
            let refused = await #expect(throws: HTTPError.self) {
                try await Self.cap(http, state, limit: 10).fetch(request)
            }
            #expect(simulator.requestCount == 0)
            let path = state.path("daily-requests-weibo_web.json")
            #expect(
                refused?.detail
                    == "not sent: the count of weibo_web's requests today cannot be read (\(path) is not"
                    + #" {"day":"YYYY-MM-DD","requests":N}), so the daily cap of 10 cannot be kept; delete "#
                    + "\(path) to count from 0 again"
            )
        }
    }

    /// The runner stops the instance on a refusal by the cap (the accounts after it are
    /// reported, not asked, and stay due) and does not take it for an unreachable host.
    @Test func aCapErrorStopsTheInstanceAndIsNoUnreachableHost() {
        let error = HTTPError.dailyCap(HTTPRequest(url: "https://m.weibo.cn/api/container/getIndex"), "not sent")
        #expect(error.stopsInstance)
        #expect(!error.meansUnreachable)
        #expect(!HTTPError.timeout(HTTPRequest(url: "https://m.weibo.cn/x"), "slow").stopsInstance)
    }
}
