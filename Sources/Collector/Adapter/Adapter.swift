/// A source of samples for one platform.
///
/// The scheduler creates one instance per `[[adapters.<type>]]` section and calls
/// ``collect(account:into:context:)`` for each of its ``accounts``, never concurrently for the
/// same account. Register the type in `Sources/Adapters/AdapterRegistry.swift`.
///
/// ## Implementation requirements
/// - Validate all configuration in `init`; `collect` must not fail for a reason `init` could catch.
/// - Emit only metrics listed in ``metrics``, each a SPEC §4 name or `<platform>_<name>` of
///   the adapter's own platform: the conformance suite checks the list, the golden cases
///   check every emitted sample against it.
/// - Record per-object failures in the batch and keep going; throw only when the account
///   produced nothing (for example, authentication failed), preferably an ``AdapterError``.
/// - Reach the network only through `context.http`: it carries the instance's rate limit and
///   the global concurrency cap.
/// - Never put a token, secret or cookie into a log, an error or a sample.
public protocol Adapter: Sendable {
    /// Section name in adapters.conf (`bilibili`, `exec`, `import`, …): snake_case, unique.
    static var type: String { get }
    /// One line for `collector adapters`.
    static var summary: String { get }
    /// Keys, types, defaults and help, for `collector adapters` and `collector check`.
    static var configurationKeys: [ConfigurationKey] { get }
    /// Every metric this adapter may emit.
    static var metrics: [MetricDescriptor] { get }
    /// A commented example section in the style of the shipped adapters.conf.
    static var sampleConfiguration: String { get }
    /// The request budget of an instance whose section sets no `rate`; nil for none beyond
    /// the global concurrency. `collector adapters` shows it as the `rate` key's default, so
    /// it is declared here rather than only passed to ``AdapterSchedule``.
    static var defaultRate: Rate? { get }
    /// The common keys (``ConfigurationKey/common``) that do nothing in this type's sections,
    /// each with the reason: `collector adapters` leaves them out, and `collector check` warns
    /// about a section that sets one (a warning, not an error, so that a configuration that
    /// has one keeps loading). Empty by default.
    static var inertCommonKeys: [String: String] { get }

    /// Validates `configuration` and creates the instance.
    ///
    /// Checks every key and throws all problems together (``ConfigurationCheck``), each naming a
    /// configured value only through ``AdapterConfiguration/quoted(_:from:)``.
    init(configuration: AdapterConfiguration) throws(ConfigurationErrors)

    /// The instance's name in logs and summaries.
    var name: String { get }
    /// The platform its samples belong to (exec adapters take it from the configuration).
    var platform: Platform { get }
    /// The units of work: account ids, resolved (including `accounts = "registry"`). Exec and
    /// import adapters have one unit each.
    var accounts: [String] { get }
    /// How often each account is collected, and the instance's request budget.
    var schedule: AdapterSchedule { get }
    /// The service whose risk control answers the instance's requests, and whose circuit
    /// breaker an anti-bot answer opens: the platform's main service by default. An adapter
    /// that reaches another service of its platform (login-cookie web endpoints beside the
    /// official API) names it, so that one service's ban does not stop the other.
    var riskControlService: CircuitBreaker.Service { get }

    /// Collects one account into `batch`.
    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws
}

extension Adapter {
    /// No budget of its own: exec and import sections send no requests.
    public static var defaultRate: Rate? { nil }

    /// None: every common key does what it says.
    public static var inertCommonKeys: [String: String] { [:] }

    /// The platform's main service, named after the platform.
    public var riskControlService: CircuitBreaker.Service { CircuitBreaker.Service(platform: platform) }
}

/// An instance's scheduling knobs (SPEC §2 `interval`, `jitter`, `rate`).
public struct AdapterSchedule: Sendable, Hashable {
    /// The interval between two collections of an account.
    public var interval: Duration
    /// The random delay added to each due time, at most.
    public var jitter: Duration
    /// The instance's request budget; nil for no limit beyond the global concurrency.
    public var rate: Rate?
    /// How many accounts of the instance are collected at the same time (1: one after the other).
    public var parallelAccounts: Int
    /// How long the service is left alone after its risk control answered (the circuit
    /// breaker, ``Adapter/riskControlService``); `.zero` switches the breaker off.
    public var cooldown: Duration = AdapterSchedule.defaultCooldown

    /// The default `cooldown`: six hours.
    public static let defaultCooldown = Duration.seconds(6 * 3600)

    /// Creates a schedule.
    public init(interval: Duration, jitter: Duration, rate: Rate?, parallelAccounts: Int = 1) {
        self.interval = interval
        self.jitter = jitter
        self.rate = rate
        self.parallelAccounts = max(1, parallelAccounts)
    }

    /// Reads `interval`, `jitter` and `rate` from a section, defaulting to `[collector]`'s values
    /// and to `defaultRate` (unofficial adapters pass a cautious one).
    public init(configuration: AdapterConfiguration, defaultRate: Rate? = nil) throws(ConfigurationErrors) {
        var check = ConfigurationCheck()
        self.init(configuration: configuration, defaultRate: defaultRate, check: &check)
        try check.finish()
    }

    /// Reads the schedule like ``init(configuration:defaultRate:)``, recording every problem in
    /// `check` (and using the default of a key that has one).
    public init(configuration: AdapterConfiguration, defaultRate: Rate? = nil, check: inout ConfigurationCheck) {
        interval =
            check { () throws(ConfigurationError) in try configuration.duration("interval") }.flatMap { $0 }
            ?? configuration.settings.interval
        jitter =
            check { () throws(ConfigurationError) in try configuration.duration("jitter") }.flatMap { $0 }
            ?? configuration.settings.jitter
        rate = check { () throws(ConfigurationError) in try configuration.rate("rate") }.flatMap { $0 } ?? defaultRate
        parallelAccounts =
            check { () throws(ConfigurationError) in try configuration.integer("parallel_accounts") }.flatMap { $0 }
            ?? 1
        if !(1...1024).contains(parallelAccounts) {
            check.report(configuration.error("parallel_accounts", "\"parallel_accounts\" must be between 1 and 1024"))
            parallelAccounts = 1
        }
        if interval <= .zero {
            check.report(configuration.error("interval", "\"interval\" must be more than 0s"))
        }
        cooldown =
            check { () throws(ConfigurationError) in try configuration.duration("cooldown") }.flatMap { $0 }
            ?? Self.defaultCooldown
    }
}
