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
    /// Carries `adapter`, `platform` metadata; adapters add `account`.
    public var logger: Logger
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
        self.logger = logger
        self.isDryRun = isDryRun
    }
}
