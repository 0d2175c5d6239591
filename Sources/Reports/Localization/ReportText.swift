/// A fixed human-facing string of the Markdown and HTML report. `%1`, `%2`, … in a
/// translation stand for the arguments, in order.
package enum ReportText: String, Sendable, Hashable, CaseIterable {
    // MARK: - Report
    case reportTitle
    case runningBanner
    case runningNotice
    case runningBasisMonth
    case runningBasisRange
    case footer

    // MARK: - Cards
    case cardPeriod
    case cardAsOf
    case cardDeadline
    case cardRunning

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

    // MARK: - Charts
    case chartAttainment
    case chartFollowers
    case chartRanking
    case chartUnitsPerStatus
    case chartUnitsPerStatusLabel
    case chartNoFollowers
    case chartTarget
    case chartNotRanked
    case legendExact
    case legendApprox
    case legendLowerBound
    case legendTarget
}
