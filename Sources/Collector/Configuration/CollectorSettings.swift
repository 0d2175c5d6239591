/// The `[collector]` table of `adapters.conf` (SPEC §2), with its defaults.
public struct CollectorSettings: Sendable {
    /// The time-series root.
    public var dataDirectory: String = "data"
    /// Tokens, cursors and the run lock; created 0700, files 0600.
    public var stateDirectory: String = "state"
    /// Names this collector's part files; one per shard.
    public var instance: String = "main"
    /// The formats every sample is written in.
    public var formats: [OutputFormat] = [.csv]
    /// The calendar of platform dates and of partitions.
    public var calendar: PlatformCalendar = .beijing
    /// The default schedule of each account.
    public var interval: Duration = .seconds(86400)
    /// The random delay added to each account's schedule, at most.
    public var jitter: Duration = .seconds(600)
    /// HTTP requests in flight, all adapters together.
    public var concurrency: Int = 16
    /// `stop_grace`: how long collections in flight may go on after SIGINT/SIGTERM before they
    /// are cut off (and stay due).
    public var stopGrace: Duration = .seconds(10)
    /// The account registry (SPEC §6), when configured: a relative `registry` resolved against
    /// the configuration file's folder.
    public var registryPath: String?
    /// `registry` as the file writes it, for messages.
    package var registryAsWritten: String?

    /// The defaults of SPEC §2.
    public init() {}
}

/// A time-series file format (SPEC §3).
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV with a header.
    case csv
    /// JSON Lines with the same eight fields.
    case jsonl
    /// Influx line protocol.
    case influx

    /// The file extension of a partition file: `csv`, `jsonl`, `lp`.
    public var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .jsonl: "jsonl"
        case .influx: "lp"
        }
    }
}
