/// An ``HTTPFetching`` that spends request budgets before each request and lets the platform's
/// own signals slow it down:
///
/// - Before a request: one token from each ``RequestBudget`` (the instance's `rate`, the shared
///   credential's), waiting for the latest of them. Copies of the client share the budgets;
///   with none, requests pass straight through.
/// - After a response: `Retry-After` on a 429 or 503 (seconds or an HTTP-date), and `X-RateLimit-Remaining: 0` (or
///   `RateLimit-Remaining: 0`) with `X-RateLimit-Reset` (or `RateLimit-Reset`), hold every
///   budget until then, so the other accounts of the instance wait too instead of running
///   into the same refusal. A reset above 10⁹ is read as seconds since the epoch, else as
///   seconds from now. Each hold is capped at ``maximumHold``.
///
/// The response itself is passed on unchanged: the adapter still maps a 429 to
/// ``AdapterError/rateLimited(_:platformCode:requestID:retryAfter:)`` and the runner retries.
public struct BudgetedHTTPClient: HTTPFetching {
    /// The client that performs the requests.
    public let base: any HTTPFetching
    /// The budgets spent by every request.
    public let budgets: [RequestBudget]
    /// The longest hold a response can impose.
    public let maximumHold: Duration
    private let now: @Sendable () -> Duration
    private let wallClock: @Sendable () -> Timestamp
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a client.
    /// - Parameters:
    ///   - base: The client that performs the requests.
    ///   - budgets: The budgets to spend (none: requests pass straight through).
    ///   - maximumHold: The longest hold a response can impose.
    ///   - now: A monotonic clock reading shared with every client of the same budgets.
    ///   - wallClock: The wall clock, for resets given as seconds since the epoch and a
    ///     `Retry-After` given as a date.
    ///   - sleep: Waits for a duration; tests inject one that advances their clock.
    public init(
        base: any HTTPFetching,
        budgets: [RequestBudget],
        maximumHold: Duration = .seconds(300),
        now: @escaping @Sendable () -> Duration = BudgetedHTTPClient.continuousNow,
        wallClock: @escaping @Sendable () -> Timestamp,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.base = base
        self.budgets = budgets
        self.maximumHold = maximumHold
        self.now = now
        self.wallClock = wallClock
        self.sleep = sleep
    }

    /// Waits for the budgets, performs `request`, and applies the response's rate-limit headers.
    /// - Throws: ``HTTPError``: the base client's, or `cancelled` when the task is cancelled
    ///   while it waits.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        if !budgets.isEmpty {
            let start = now()
            var wait = Duration.zero
            for budget in budgets { wait = max(wait, budget.reserve(at: start)) }
            if wait > .zero {
                do {
                    try await sleep(wait)
                } catch {
                    throw .cancelled(request)
                }
            }
            if Task.isCancelled { throw .cancelled(request) }
        }
        let response = try await base.fetch(request)
        if !budgets.isEmpty, let hold = Self.hold(after: response, wallClock: wallClock()) {
            let until = now() + min(hold, maximumHold)
            for budget in budgets { budget.hold(until: until) }
        }
        return response
    }

    /// Time on the process's continuous clock since the first call: the default for `now`.
    public static let continuousNow: @Sendable () -> Duration = {
        let clock = ContinuousClock()
        let start = clock.now
        return { start.duration(to: clock.now) }
    }()

    /// The names of the rate-limit headers, the conventional one first: read on every response.
    private static let remainingNames = ["X-RateLimit-Remaining", "RateLimit-Remaining"]
    private static let resetNames = ["X-RateLimit-Reset", "RateLimit-Reset"]

    /// How long the platform asked to be left alone, if it did.
    /// - Parameters:
    ///   - response: The response.
    ///   - wallClock: Now, for resets given as seconds since the epoch and a `Retry-After`
    ///     given as a date.
    /// - Returns: The wait, or nil when the response asks for none.
    public static func hold(after response: HTTPResponse, wallClock: Timestamp) -> Duration? {
        var hold: Duration?
        if response.status == 429 || response.status == 503,
            let retryAfter = response.retryAfter(now: { wallClock })
        {
            hold = retryAfter
        }
        let remaining = response.header(preferring: remainingNames).flatMap { Int64($0.trimmingSpaces) }
        // The reset matters only once the budget is spent: most responses stop here.
        if let remaining, remaining <= 0,
            let reset = response.header(preferring: resetNames).flatMap({ Int64($0.trimmingSpaces) }),
            reset >= 0
        {
            let seconds = reset > 1_000_000_000 ? reset - wallClock.secondsSinceEpoch : reset
            if seconds > 0 { hold = max(hold ?? .zero, .seconds(seconds)) }
        }
        return hold
    }
}
