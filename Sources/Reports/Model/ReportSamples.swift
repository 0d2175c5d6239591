public import Collector
public import Logging

/// Reads from the store the samples a report of one period needs, in memory proportional to
/// the period and a bounded look-back rather than to the whole history (docs/reports.md §8).
///
/// What the report engine reads of the rows before the period (Sources/Reports/Engine):
/// - F and the attainment row: the latest `followers` row before the period's end, however old
///   (an older one makes the "stale" note); ΔF: the latest `followers` row before its start.
/// - The 30-day pace (`net_30d`, `eta`): `followers_new`/`followers_lost` of the 30 days up to
///   the latest followers row of the period, else the latest followers row at least 30 days
///   older than it (any age), else the oldest one.
/// - Posts: an object without `published_at` counts from the first time a sample names it, so
///   an object seen before the period is not one of its posts even when it is read again in
///   it; an account that ever had an object counts posts by objects, not `posts_new`.
/// - The HTML followers chart: every followers row of a main account up to the period's end.
///
/// So the rows from ``lookBackDays`` before the period's first day on are loaded in full;
/// before that, one streaming pass keeps only the latest row of each account-level series,
/// the first row of each object that no catalogue date places outside the period, every row
/// of the objects the catalogue dates in the period, and, for HTML only, the main accounts'
/// followers rows. Each later query of the engine then finds the row the whole history gives.
public enum ReportSamples {
    /// Days before the period's first day that are read in full: the pace looks 30 days back
    /// from a row of the period; one more day covers a daylight-saving hour.
    public static let lookBackDays = 31

    /// The samples of a report of `period` made on `today`: the period and its look-back in
    /// full, the reduced history before it, and after the period the content rows of its posts
    /// up to `today` (docs/reports.md §4.1).
    /// - Parameter followerHistory: keep every followers row of the main accounts, for the
    ///   HTML report's charts, which draw the whole series.
    /// - Throws: ``StorageError`` when a file cannot be read.
    public static func load(
        settings: CollectorSettings,
        registry: AccountRegistry,
        objects: [ContentObject],
        period: ReportPeriod,
        today: CivilDate,
        followerHistory: Bool,
        logger: Logger? = nil
    ) throws -> [Sample] {
        let windowStart = period.from.adding(days: -lookBackDays)
        var samples = try history(
            settings: settings,
            before: windowStart,
            registry: registry,
            objects: objects,
            period: period,
            followerHistory: followerHistory,
            logger: logger
        )
        samples += try Exporter.samples(
            settings: settings,
            from: windowStart,
            to: period.to,
            platforms: [],
            logger: logger
        )
        return try samples
            + postPeriodRows(
                samples,
                settings: settings,
                objects: objects,
                period: period,
                today: today,
                logger: logger
            )
    }

    /// Every sample up to the period's end, and after it the content rows of its posts: what
    /// ``load(settings:registry:objects:period:today:followerHistory:logger:)`` must give the
    /// same report as, in memory proportional to the whole history. For comparisons.
    /// - Throws: ``StorageError`` when a file cannot be read.
    public static func loadAll(
        settings: CollectorSettings,
        objects: [ContentObject],
        period: ReportPeriod,
        today: CivilDate,
        logger: Logger? = nil
    ) throws -> [Sample] {
        let samples = try Exporter.samples(settings: settings, from: nil, to: period.to, platforms: [], logger: logger)
        return try samples
            + postPeriodRows(
                samples,
                settings: settings,
                objects: objects,
                period: period,
                today: today,
                logger: logger
            )
    }

    /// The reduced rows before `windowStart`, from one streaming pass that keeps only them.
    private static func history(
        settings: CollectorSettings,
        before windowStart: CivilDate,
        registry: AccountRegistry,
        objects: [ContentObject],
        period: ReportPeriod,
        followerHistory: Bool,
        logger: Logger?
    ) throws -> [Sample] {
        var history = History(
            registry: registry,
            objects: objects,
            period: period,
            calendar: settings.calendar,
            followerHistory: followerHistory
        )
        try Exporter.forEachSample(
            settings: settings,
            from: nil,
            to: windowStart.adding(days: -1),
            platforms: [],
            logger: logger
        ) { history.add($0) }
        return history.samples()
    }

    /// The reads of the period's posts go on after its last day: the day-7 value of a post of
    /// the 31st and a later 10万+ are stamped in the next month. Only those content rows:
    /// account rows after the period belong to later periods.
    private static func postPeriodRows(
        _ samples: [Sample],
        settings: CollectorSettings,
        objects: [ContentObject],
        period: ReportPeriod,
        today: CivilDate,
        logger: Logger?
    ) throws -> [Sample] {
        guard today > period.to else { return [] }
        let posts = PeriodPosts(samples: samples, objects: objects, period: period, calendar: settings.calendar)
        return try Exporter.samples(
            settings: settings,
            from: period.to.adding(days: 1),
            to: today,
            platforms: [],
            logger: logger,
            where: posts.includes
        )
    }

    /// What a streaming pass over the rows before the look-back keeps.
    private struct History {
        struct SeriesKey: Hashable {
            var platform: Platform
            var account: String
            var metric: MetricName
        }

        struct ObjectKey: Hashable {
            var platform: Platform
            var account: String
            var object: String
        }

        struct AccountKey: Hashable {
            var platform: Platform
            var account: String
        }

        /// The main accounts, whose followers rows an HTML chart draws (none when not charting).
        private let mains: Set<AccountKey>
        /// Objects the catalogue dates in the period: possible posts, kept in full.
        private let periodPosts: Set<ObjectKey>
        /// Objects every catalogue row of which dates outside the period: never posts of it,
        /// and their first sighting is never consulted.
        private let datedElsewhere: Set<ObjectKey>

        private var latest: [SeriesKey: Sample] = [:]
        private var firstSeen: [ObjectKey: Sample] = [:]
        private var kept: [Sample] = []

        init(
            registry: AccountRegistry,
            objects: [ContentObject],
            period: ReportPeriod,
            calendar: PlatformCalendar,
            followerHistory: Bool
        ) {
            mains =
                followerHistory
                ? Set(registry.entries.filter(\.main).map { AccountKey(platform: $0.platform, account: $0.account) })
                : []
            var undated = Set<ObjectKey>()
            var inPeriod = Set<ObjectKey>()
            var dated = Set<ObjectKey>()
            for object in objects {
                let key = ObjectKey(platform: object.platform, account: object.account, object: object.object)
                guard let published = object.publishedAt else {
                    undated.insert(key)
                    continue
                }
                if period.contains(calendar.civilDate(of: published)) {
                    inPeriod.insert(key)
                } else {
                    dated.insert(key)
                }
            }
            periodPosts = inPeriod
            datedElsewhere = dated.subtracting(undated).subtracting(inPeriod)
        }

        mutating func add(_ sample: Sample) {
            if sample.object.isEmpty {
                if sample.metric == .followers,
                    mains.contains(AccountKey(platform: sample.platform, account: sample.account))
                {
                    kept.append(sample)
                    return
                }
                let key = SeriesKey(platform: sample.platform, account: sample.account, metric: sample.metric)
                // Rows come month by month in time order, one per key and time: the last one is
                // the latest, already merged as readers merge (exact before estimates).
                if let known = latest[key], known.time > sample.time { return }
                latest[key] = sample
                return
            }
            let key = ObjectKey(platform: sample.platform, account: sample.account, object: sample.object)
            if periodPosts.contains(key) {
                kept.append(sample)
                return
            }
            guard !datedElsewhere.contains(key) else { return }
            if let known = firstSeen[key], known.time <= sample.time { return }
            firstSeen[key] = sample
        }

        /// The kept rows, the latest row of each account-level series and the first row of
        /// each object, oldest first.
        func samples() -> [Sample] {
            (kept + Array(latest.values) + Array(firstSeen.values)).sorted { $0.time < $1.time }
        }
    }
}
