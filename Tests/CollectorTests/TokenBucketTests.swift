import Collector
import Synchronization
import Testing

struct TokenBucketTests {
    @Test(arguments: [
        // rate count, period s, burst, call times ms → expected waits ms
        (2, 1, 1, [0, 0, 0], [0, 500, 1000]),
        (2, 1, 1, [0, 2000, 2100], [0, 0, 400]),
        (1, 1, 2, [0, 0, 0, 0], [0, 0, 1000, 2000]),
        (4, 60, 1, [0, 1000], [0, 14000]),
    ])
    func reservesTokensInOrder(count: Int, period: Int64, burst: Int, calls: [Int64], waits: [Int64]) {
        let bucket = TokenBucket(rate: Rate(count: count, per: .seconds(period)), burst: burst)
        let result = calls.map { bucket.reserve(at: .milliseconds($0)) }
        #expect(result == waits.map { Duration.milliseconds($0) })
    }

    @Test func intervalIsThePeriodOverTheCount() {
        #expect(TokenBucket(rate: Rate(count: 50_000, per: .seconds(86_400))).interval == .milliseconds(1728))
    }
}

struct RequestBudgetTests {
    @Test func aHoldDelaysRequestsUntilItsTimeThenTheRateAppliesAgain() {
        let budget = RequestBudget(rate: Rate(count: 1, per: .seconds(1)))
        #expect(budget.reserve(at: .zero) == .zero)
        budget.hold(until: .seconds(10))
        budget.hold(until: .seconds(5))  // an earlier hold changes nothing
        #expect(budget.heldUntil == .seconds(10))
        #expect(budget.reserve(at: .seconds(2)) == .seconds(8))
        #expect(budget.reserve(at: .seconds(20)) == .zero)
    }

    @Test func aBudgetWithoutARateOnlyHolds() {
        let budget = RequestBudget(rate: nil)
        #expect(budget.reserve(at: .seconds(1)) == .zero)
        budget.hold(until: .seconds(3))
        #expect(budget.reserve(at: .seconds(1)) == .seconds(2))
    }

    @Test func instancesSharingACredentialShareItsBudget() {
        let budgets = RequestBudgets()
        let rate = Rate(count: 1, per: .seconds(2))
        let first = budgets.budget(platform: .wechat, credential: "wx123", rate: rate)
        let second = budgets.budget(platform: .wechat, credential: "wx123", rate: rate)
        let other = budgets.budget(platform: .wechat, credential: "wx456", rate: rate)
        #expect(first === second)
        #expect(first !== other)
        #expect(first.reserve(at: .zero) == .zero)
        #expect(second.reserve(at: .zero) == .seconds(2))
        #expect(other.reserve(at: .zero) == .zero)
        #expect(budgets.budget(instance: "a", rate: rate) === budgets.budget(instance: "a", rate: rate))
        #expect(budgets.budget(instance: "a", rate: rate) !== budgets.budget(instance: "a", rate: nil))
    }

    @Test(
        arguments: [
            // status, headers, → hold in seconds (nil: none)
            (429, ["Retry-After: 7"], 7),
            (503, ["Retry-After: 3"], 3),
            // An HTTP-date, from the wall clock (1764000000); one already past asks for no wait.
            (429, ["Retry-After: Mon, 24 Nov 2025 16:00:20 GMT"], 20),
            (503, ["Retry-After: Mon, 24 Nov 2025 15:43:20 GMT"], 0),
            (200, ["Retry-After: 3"], nil),
            (200, ["X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 42"], 42),
            (200, ["X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 1764000030"], 30),  // epoch seconds
            (200, ["RateLimit-Remaining: 0", "RateLimit-Reset: 5"], 5),
            (200, ["X-RateLimit-Remaining: 3", "X-RateLimit-Reset: 42"], nil),
            (429, ["Retry-After: 2", "X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 9"], 9),
            (200, [], nil),
        ] as [(Int, [String], Int64?)]
    )
    func readsRetryAfterAndRateLimitHeaders(status: Int, headers: [String], hold: Int64?) {
        let response = HTTPResponse(
            status: status,
            headers: headers.map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: " ") }
                return HTTPHeader(parts[0], parts[1])
            }
        )
        let result = BudgetedHTTPClient.hold(after: response, wallClock: Timestamp(secondsSinceEpoch: 1_764_000_000))
        #expect(result == hold.map { .seconds($0) })
    }

    @Test func aRateLimitAnswerHoldsEveryBudgetOfTheClientUpToTheCap() async throws {
        let now = Mutex<Duration>(.zero)
        let slept = Mutex<[Duration]>([])
        let instance = RequestBudget(rate: nil)
        let credential = RequestBudget(rate: nil)
        let client = BudgetedHTTPClient(
            base: ScriptedHTTP([
                .success(HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "9999")])),
                .success(HTTPResponse(status: 200)),
            ]),
            budgets: [instance, credential],
            maximumHold: .seconds(300),
            now: { now.withLock { $0 } },
            wallClock: { Timestamp(secondsSinceEpoch: 0) },
            sleep: { duration in
                slept.withLock { $0.append(duration) }
                now.withLock { $0 += duration }
            }
        )
        let request = HTTPRequest(url: "http://127.0.0.1/x")
        #expect(try await client.fetch(request).status == 429)
        #expect(instance.heldUntil == .seconds(300))
        #expect(credential.heldUntil == .seconds(300))
        #expect(try await client.fetch(request).status == 200)
        #expect(slept.withLock { $0 } == [.seconds(300)])
    }
}

// MARK: - Spacing requests

/// `BudgetedHTTPClient` with an injected clock: sleeping advances it, so nothing waits.
extension RequestBudgetTests {
    @Test func spacesRequestsByTheRateInterval() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = clock.client(base: base, budgets: [RequestBudget(rate: Rate(count: 2, per: .seconds(1)))])
        for _ in 0..<5 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [0, 500, 1000, 1500, 2000].map { Duration.milliseconds($0) })
        #expect(clock.sleeps == [500, 500, 500, 500].map { Duration.milliseconds($0) })
    }

    @Test func letsABurstGoAfterAQuietSpell() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = clock.client(
            base: base,
            budgets: [RequestBudget(rate: Rate(count: 1, per: .seconds(1)), burst: 3)]
        )
        for _ in 0..<4 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        clock.advance(by: .seconds(10))
        for _ in 0..<2 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [0, 0, 0, 1000, 11000, 11000].map { Duration.milliseconds($0) })
    }

    @Test(arguments: [[], [RequestBudget(rate: nil)]])
    func passesStraightThroughWithoutARate(budgets: [RequestBudget]) async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let client = clock.client(base: base, budgets: budgets)
        for _ in 0..<3 { _ = try await client.fetch(HTTPRequest(url: "http://127.0.0.1/x")) }
        #expect(base.times == [.zero, .zero, .zero])
        #expect(clock.sleeps.isEmpty)
    }

    @Test func copiesShareTheirBudgets() async throws {
        let clock = ManualTime()
        let base = RecordingClient(clock: clock)
        let first = clock.client(base: base, budgets: [RequestBudget(rate: Rate(count: 1, per: .seconds(2)))])
        let second = first
        _ = try await first.fetch(HTTPRequest(url: "http://127.0.0.1/x"))
        _ = try await second.fetch(HTTPRequest(url: "http://127.0.0.1/x"))
        #expect(base.times == [.zero, .seconds(2)])
    }

    @Test func throwsCancelledWhenTheWaitIsCancelled() async throws {
        let base = RecordingClient(clock: ManualTime())
        let client = BudgetedHTTPClient(
            base: base,
            budgets: [RequestBudget(rate: Rate(count: 1, per: .seconds(60)))],
            now: { .zero },
            wallClock: { Timestamp(secondsSinceEpoch: 0) },
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

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
