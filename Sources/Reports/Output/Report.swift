public import Collector

/// The result of ``ReportBuilder/build(_:rules:)``: typed rows for programs, and
/// ``tables`` / ``render(_:)`` for people.
public struct Report: Sendable {
    /// `Report 2023-11: 鲁教办函〔2022〕16号 (2022-11-01)`.
    public var title: String
    /// The period.
    public var period: ReportPeriod
    /// The day the report speaks for (the period's last day, or today for an unfinished period).
    public var asOf: CivilDate
    /// Whether the period was still running when the report was made (`now` before the end of
    /// its last day): the figures are partial, and the report says so.
    public var isRunning: Bool
    /// When it was made, RFC 3339 in the configured timezone.
    public var generatedAt: String
    /// The rules applied.
    public var rules: RuleSet
    /// The rules file's deadline, as a day.
    public var deadline: CivilDate?
    /// One row per main account and follower rule (and per unit that cannot be judged).
    public var attainment: [AttainmentRow]
    /// One row per unit and follower rule, with the rule's aggregation applied.
    public var units: [UnitAttainment]
    /// Units per status, per category and tier.
    public var summary: [AttainmentSummary]
    /// Posts, hits and dormancy per registry account.
    public var activity: [AccountActivity]
    /// EII and the platform index per registry account.
    public var influence: [AccountInfluence]
    /// Composite EII per unit, ranked within category and tier.
    public var ranking: [UnitInfluence]
    /// Per platform, the EII figures that no account of it has: counted 0 for all of them alike
    /// (docs/reports.md §4.1), and said once in the summary and under the influence tables.
    public var uncollected: [UncollectedFigures]
    /// The main accounts without a followers row in the period or without content data, for
    /// the summary's counts (each also has its row note).
    public var dataGaps: [DataGap]
    /// Followers over time of each main account, for charts.
    public var followerSeries: [FollowerSeries]
    /// How many registry units each rule selects, by rule id.
    public var unitsSelected: [String: Int]
    /// The configured timezone the report's days are in.
    public var calendar: PlatformCalendar
    /// When the content figures of the period are final: the period's last post reaches
    /// `content_age_days` (the end of the last day plus that age while the period is running),
    /// RFC 3339; nil for a complete period without posts.
    public var contentFinalAt: String?
    /// Whether the report was made before ``contentFinalAt``: its per-post figures (V, Vmax, L,
    /// C, S), EII, indices and ranking use values read earlier than the fixed age and will change.
    public var contentProvisional: Bool

    /// Creates a report (``ReportBuilder`` does this).
    public init(
        title: String,
        period: ReportPeriod,
        asOf: CivilDate,
        generatedAt: String,
        rules: RuleSet,
        deadline: CivilDate?,
        attainment: [AttainmentRow],
        units: [UnitAttainment],
        summary: [AttainmentSummary],
        activity: [AccountActivity],
        influence: [AccountInfluence],
        ranking: [UnitInfluence],
        uncollected: [UncollectedFigures] = [],
        dataGaps: [DataGap] = [],
        followerSeries: [FollowerSeries],
        unitsSelected: [String: Int],
        calendar: PlatformCalendar,
        isRunning: Bool = false,
        contentFinalAt: String? = nil,
        contentProvisional: Bool = false
    ) {
        self.title = title
        self.period = period
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.rules = rules
        self.deadline = deadline
        self.attainment = attainment
        self.units = units
        self.summary = summary
        self.activity = activity
        self.influence = influence
        self.ranking = ranking
        self.uncollected = uncollected
        self.dataGaps = dataGaps
        self.followerSeries = followerSeries
        self.unitsSelected = unitsSelected
        self.calendar = calendar
        self.isRunning = isRunning
        self.contentFinalAt = contentFinalAt
        self.contentProvisional = contentProvisional
    }

    /// The warning of a report made while its period is running, nil for a complete period.
    /// It names d, because a month's index keeps d = 30 (a range its full length) while fewer
    /// days have passed, so the per-day terms are lower than they will be.
    public var runningNotice: String? { runningNotice(.machine) }

    /// The report as text in `format`.
    ///
    /// CSV puts every table in one text, each preceded by a `# <table id>` line and followed
    /// by a blank line; ``csvFiles()`` gives one RFC 4180 text per table instead. CSV keeps its
    /// column keys, codes and plain numbers in every language: `language` words the Markdown
    /// and HTML only. English is the default here, so programs that render a report keep their
    /// output; `collector report` defaults to Chinese, for the people who read it.
    public func render(_ format: ReportFormat, language: ReportLanguage = .en) -> String {
        switch format {
        case .markdown: MarkdownRenderer.render(self, style: .human(language))
        case .csv: CSVRenderer.render(tables)
        case .html: HTMLRenderer.render(self, style: .human(language))
        }
    }

    /// One CSV text per table, named `<table id>.csv`, in report order.
    public func csvFiles() -> [(name: String, text: String)] {
        tables.map { ($0.id + ".csv", CSVRenderer.render($0)) }
    }
}
