import Synchronization

/// One request budget: a ``TokenBucket`` for the configured `rate`, and a hold, a time before
/// which no request may go because the platform said so (`Retry-After`, `X-RateLimit-Reset`).
///
/// An adapter instance has one; a credential shared by several instances has one more,
/// handed out by ``RequestBudgets``. ``BudgetedHTTPClient`` spends them.
///
/// Thread-safe: the bucket and the hold are each behind a mutex.
public final class RequestBudget: Sendable {
    /// The rate, if the budget has one.
    public let rate: Rate?
    private let bucket: TokenBucket?
    private let notBefore = Mutex<Duration?>(nil)

    /// Creates a budget.
    /// - Parameters:
    ///   - rate: `count` requests per `period`; nil for no rate (only holds apply).
    ///   - burst: How many requests may go at once after a quiet spell.
    public init(rate: Rate?, burst: Int = 1) {
        self.rate = rate
        self.bucket = rate.map { TokenBucket(rate: $0, burst: burst) }
    }

    /// Takes one request from the budget.
    /// - Parameter now: The current time on the monotonic clock all callers share.
    /// - Returns: How long to wait before sending; `.zero` to send now.
    public func reserve(at now: Duration) -> Duration {
        let wait = bucket?.reserve(at: now) ?? .zero
        let held = notBefore.withLock { $0 }.map { $0 - now } ?? .zero
        return max(wait, held, .zero)
    }

    /// Lets no request go before `time` (on the same clock as ``reserve(at:)``); an earlier
    /// hold than the current one changes nothing.
    public func hold(until time: Duration) {
        notBefore.withLock { current in
            if current.map({ $0 < time }) ?? true { current = time }
        }
    }

    /// The time before which no request goes, if one was set.
    public var heldUntil: Duration? { notBefore.withLock { $0 } }
}

/// The budgets of a process: one per adapter instance, kept across a service's rounds, and one
/// per shared credential: every adapter instance that spends the same credential (an app id,
/// an API key) gets the same ``RequestBudget`` for it, so their requests together stay within
/// the credential's rate.
///
/// Thread-safe.
public final class RequestBudgets: Sendable {
    private let shared = Mutex<[String: RequestBudget]>([:])

    /// Creates an empty registry.
    public init() {}

    /// The budget of credential `id` on `platform`, created with `rate` the first time it is
    /// asked for (a later, different rate for the same credential is ignored).
    public func budget(platform: Platform, credential id: String, rate: Rate?) -> RequestBudget {
        shared.withLock { shared in
            let key = platform.rawValue + "/" + id
            if let existing = shared[key] { return existing }
            let budget = RequestBudget(rate: rate)
            shared[key] = budget
            return budget
        }
    }

    /// The budget of the adapter instance `name` with `rate`, the same one every time it is
    /// asked for with the same rate (a service runs an instance round after round; a reload
    /// that changes the rate gets a fresh budget).
    public func budget(instance name: String, rate: Rate?) -> RequestBudget {
        shared.withLock { shared in
            let key = "instance\u{0}" + name + "\u{0}" + (rate.map { "\($0.count)/\($0.period)" } ?? "none")
            if let existing = shared[key] { return existing }
            let budget = RequestBudget(rate: rate)
            shared[key] = budget
            return budget
        }
    }

    /// How many budgets exist.
    public var count: Int { shared.withLock { $0.count } }

    /// The budgets every request of `adapter` spends: its instance's `rate`, and, for a
    /// ``SharedCredentialAdapter`` naming its credential, the budget it shares with every other
    /// instance of the same credential (`credential_rate`, and the holds a `Retry-After` on any
    /// of them imposes).
    public func budgets(for adapter: any Adapter) -> [RequestBudget] {
        var spent = [budget(instance: adapter.name, rate: adapter.schedule.rate)]
        if let shared = adapter as? any SharedCredentialAdapter, let credential = shared.credentialID {
            spent.append(budget(platform: adapter.platform, credential: credential, rate: shared.credentialRate))
        }
        return spent
    }
}

/// An adapter whose requests spend a credential that other instances may share, such as one
/// app id configured in several sections: the runner then spends a per-credential budget on
/// top of the instance's `rate` (``RequestBudgets/budgets(for:)``), set by the section's
/// `credential_rate` (``ConfigurationKey/credentialRate``).
///
/// ## Implementation requirements
/// - ``credentialID`` names the credential without revealing it: an app id or a client key,
///   never a secret or a token.
public protocol SharedCredentialAdapter: Adapter {
    /// A non-secret id of the credential the instance's requests spend, or nil for none.
    var credentialID: String? { get }
    /// The credential's budget, across every instance that spends it; nil for none.
    var credentialRate: Rate? { get }
}
