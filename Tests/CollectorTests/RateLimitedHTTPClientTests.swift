import Collector
import Synchronization
import Testing

/// `RateLimitedHTTPClient` with an injected clock: sleeping advances it, so nothing waits.
struct RateLimitedHTTPClientTests {
    @Test func spacesRequestsByTheRateInterval() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = RateLimitedHTTPClient(
            base: base,
            rate: Rate(count: 2, per: .seconds(1)),
            now: clock.now,
            sleep: clock.sleep
        )
        for _ in 0..<5 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [0, 500, 1000, 1500, 2000].map { Duration.milliseconds($0) })
        #expect(clock.sleeps == [500, 500, 500, 500].map { Duration.milliseconds($0) })
    }

    @Test func letsABurstGoAfterAQuietSpell() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = RateLimitedHTTPClient(
            base: base,
            rate: Rate(count: 1, per: .seconds(1)),
            burst: 3,
            now: clock.now,
            sleep: clock.sleep
        )
        for _ in 0..<4 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        clock.advance(by: .seconds(10))
        for _ in 0..<2 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [0, 0, 0, 1000, 11000, 11000].map { Duration.milliseconds($0) })
    }

    @Test func passesStraightThroughWithoutARate() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = RateLimitedHTTPClient(base: base, rate: nil, now: clock.now, sleep: clock.sleep)
        for _ in 0..<3 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [.zero, .zero, .zero])
        #expect(clock.sleeps.isEmpty)
    }

    @Test func copiesShareOneBucket() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let first = RateLimitedHTTPClient(
            base: base,
            rate: Rate(count: 1, per: .seconds(2)),
            now: clock.now,
            sleep: clock.sleep
        )
        let second = first
        _ = try await first.fetch(HTTPRequest(url: "http://127.0.0.1/x"))
        _ = try await second.fetch(HTTPRequest(url: "http://127.0.0.1/x"))
        #expect(base.times == [.zero, .seconds(2)])
    }

    @Test func throwsCancelledWhenTheWaitIsCancelled() async throws {
        let base = RecordingClient(clock: ManualTime())
        let client = RateLimitedHTTPClient(
            base: base,
            rate: Rate(count: 1, per: .seconds(60)),
            now: { .zero },
            sleep: { _ in throw CancellationError() }
        )
        _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/first"))
        let request = HTTPRequest(url: "http://127.0.0.1/second?access_token=SECRET")
        let error = try #require(await failure { try await client.fetch(request) })
        #expect(error.metricLabel == "cancelled")
        #expect(error.description == "127.0.0.1/second: cancelled (cancelled)")
        #expect(base.times.count == 1)
    }
}

/// A clock that only moves when told to, or when someone sleeps on it.
private final class ManualTime: Sendable {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var now: @Sendable () -> Duration { { self.state.withLock { $0.now } } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in
            self.state.withLock {
                $0.now += duration
                $0.sleeps.append(duration)
            }
        }
    }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var current: Duration { state.withLock { $0.now } }

    func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }
}

/// Answers 200 at once and notes the clock's time of every request.
private final class RecordingClient: HTTPFetching {
    private let clock: ManualTime
    private let recorded = Mutex<[Duration]>([])

    init(clock: ManualTime) {
        self.clock = clock
    }

    var times: [Duration] { recorded.withLock { $0 } }

    func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let now = clock.current
        recorded.withLock { $0.append(now) }
        return HTTPResponse(status: 200)
    }
}
