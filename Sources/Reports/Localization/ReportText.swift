/// A fixed human-facing string of the Markdown and HTML report. `%1`, `%2`, … in a
/// translation stand for the arguments, in order.
package enum ReportText: String, Sendable, Hashable, CaseIterable {
    // MARK: - Report
    case reportTitle
    case runningBanner
    case runningNotice
    case runningBasisMonth
    case runningBasisYear
    case runningBasisRange
    case footer
    /// The heading of the summary notes at the top of the Markdown and HTML report.
    case summaryTitle
    /// Content figures read before the period's last posts reach `content_age_days`: `%1` the
    /// age in days, `%2` when they reach it.
    case contentProvisional

    // MARK: - Cards
    case cardPeriod
    case cardAsOf
    case cardDeadline
    case cardRunning
    case cardUnitsLackingData
    case cardAccountsLackingData

    // MARK: - Tables
    case tableReport
    case noteReport
    case tableSummary
    case noteSummary
    case tableUnits
    case noteUnits
    case tableAttainment
    case noteAttainment
    case tableRanking
    case noteRanking
    case tableInfluence
    case noteInfluence
    case tableActivity
    case noteActivity
    case tableRules
    case noteRules
    /// The column of one platform's EII in the ranking: `%1` is the platform.
    case columnPlatformEII

    // MARK: - Cells
    case selectorCities
    case selectorStudents
    case citySeparator
    case listSeparator
    case reasonSeparator
    case noteSeparator
    /// Between two sentences: a space in English, nothing after a Chinese full stop.
    case sentenceSeparator
    case labelled
    case evaluatedYes
    case evaluatedNotInForce
    case evaluatedManual
    case evaluatedHits
    case evaluatedInfo
    case evaluatedNotComputed
    case noteNoMainAccount
    case noteNoFollowersRow
    case noteStaleFollowers
    case noteCannotDecide
    case noteNoRuleForCategory
    case noteStudentsUnknown
    case noteNoRuleForCity
    case noteAccountStatus
    /// An account's note: `%1` the figures counted 0 because no account of the platform has them.
    case noteCountedZero
    /// `%1` platform, `%2` the figures no account of it has, `%3` the EII components they feed.
    case notePlatformUncollected
    /// Appended to ``notePlatformUncollected``: `%1` the third-party index left empty.
    case notePlatformIndexEmpty
    /// `%1` platform, `%2` accounts lacking, `%3` accounts with posts, `%4` the figures some lack.
    case notePlatformPartlyCollected
    /// A platform and the figures it lacks: `%1` platform, `%2` figures.
    case platformFigures
    /// The summary on main accounts lacking data: `%1` accounts, `%2` units, `%3` without
    /// followers, `%4` without content, `%5` ``gapBoth`` or nothing, `%6` ``gapPartialCount``
    /// or nothing; then what to do.
    case noteDataGaps
    /// `%1` main accounts whose collection covers only part of the period.
    case gapPartialCount
    /// What a main account lacks: `%1` the days collected (``collectedSpan``), the others not.
    case gapCollectedDays
    /// The days an account's collection covers: `%1` the first, `%2` the last.
    case collectedSpan
    /// `%1` main accounts without followers and without content.
    case gapBoth
    /// What a main account lacks: no followers row in the period (none, or only older ones).
    case gapNoFollowers
    /// `%1` the accounts named (``gapAccount``), after ``noteDataGaps``.
    case gapAccounts
    /// `%1` unit, `%2` platform, `%3` account, `%4` what it lacks.
    case gapAccount
    /// What a main account lacks: no content data.
    case gapNoContent
    /// `%1` accounts lacking data beyond those named.
    case gapMore

    // MARK: - Dates in prose
    /// A day: `%1` year, `%2` month, `%3` day, `%4` month and `%5` day with two digits.
    case dateDay
    /// A calendar month: `%1` year, `%2` month, `%4` month with two digits.
    case dateMonth
    /// A calendar year: `%1`.
    case dateYear
    /// A moment: `%1` the day (``dateDay``), `%2` hour, `%3` minute with two digits, `%4` the
    /// RFC 3339 text it was written from.
    case dateMoment

    // MARK: - Charts
    case chartAttainment
    case chartFollowers
    case chartRanking
    case chartUnitsPerStatus
    case chartUnitsPerStatusLabel
    case chartNoFollowers
    case chartTarget
    case chartNotRanked
    /// The title of one ranking chart: `%1` category, `%2` the tier's target, `%3` the tier's rule id.
    case chartRankingTier
    case legendExact
    case legendApprox
    case legendLowerBound
    case legendTarget
}
