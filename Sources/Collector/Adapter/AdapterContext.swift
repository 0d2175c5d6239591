public import Logging

/// What an adapter may use while collecting: the network, persistent state, the calendar and
/// the clock. Everything here is a value or a shared handle, so the context is cheap to copy.
public struct AdapterContext: Sendable {
    /// The HTTP client, already bound to the instance's `rate` and the global `concurrency`.
    public var http: any HTTPFetching
    /// Tokens and cursors under `state_dir`.
    public var state: StateStore
    /// The configured timezone: day stamps, "yesterday".
    public var calendar: PlatformCalendar
    /// The wall clock: when a snapshot is observed.
    public var now: @Sendable () -> Timestamp
    /// Sleeps for backoff; tests pass an instant one.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Carries `adapter` and `platform` metadata, and `account` while an account is collected.
    public var logger: Logger {
        get {
            guard let account else { return instanceLogger }
            var logger = instanceLogger
            logger[metadataKey: "account"] = .string(account)
            return logger
        }
        set { instanceLogger = newValue }
    }
    /// The account being collected, when the runner collects one; ``logger`` names it.
    ///
    /// Kept apart from the logger, whose metadata is built only when something is logged: most
    /// collections log nothing.
    public var account: String?
    private var instanceLogger: Logger
    /// True under `collector test`: change no state (no token written, no cursor saved).
    public var isDryRun: Bool

    /// Creates a context.
    public init(
        http: any HTTPFetching,
        state: StateStore,
        calendar: PlatformCalendar,
        now: @escaping @Sendable () -> Timestamp,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger,
        isDryRun: Bool = false
    ) {
        self.http = http
        self.state = state
        self.calendar = calendar
        self.now = now
        self.sleep = sleep
        self.instanceLogger = logger
        self.isDryRun = isDryRun
    }
}
