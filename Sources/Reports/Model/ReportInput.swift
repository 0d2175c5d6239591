public import Collector

/// Everything a report is computed from, already in memory: the registry, the samples (SPEC §3
/// rows from any number of partitions, in file order), the content catalogue, the period, the
/// configured calendar and the time the report is made.
public struct ReportInput: Sendable {
    /// The account registry: units, categories, cities, enrolment, main accounts.
    public var registry: AccountRegistry
    /// The samples, best one per key as `Exporter.samples` reads them (SPEC §3: the last row
    /// wins; an estimate replaces an `exact` value only when it disproves it). Raw rows with
    /// one key and time are reduced by the same rule.
    public var samples: [Sample]
    /// The content catalogue rows of every platform.
    public var objects: [ContentObject]
    /// The period reported on.
    public var period: ReportPeriod
    /// The configured timezone: which calendar day a sample falls on.
    public var calendar: PlatformCalendar
    /// When the report is made: samples after it are ignored, and an unfinished period is
    /// judged up to this day.
    public var now: Timestamp

    /// Creates an input.
    public init(
        registry: AccountRegistry,
        samples: [Sample],
        objects: [ContentObject],
        period: ReportPeriod,
        calendar: PlatformCalendar,
        now: Timestamp
    ) {
        self.registry = registry
        self.samples = samples
        self.objects = objects
        self.period = period
        self.calendar = calendar
        self.now = now
    }
}
