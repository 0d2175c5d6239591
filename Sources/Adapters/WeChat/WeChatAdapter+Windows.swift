package import Collector

extension WeChatAdapter {
    /// An inclusive range of platform days: a datacube query's `begin_date` and `end_date`.
    package struct DateWindow: Sendable, Hashable, CustomStringConvertible {
        /// The first day.
        package var begin: CivilDate
        /// The last day (≤ yesterday: the platform refuses today with 61501).
        package var end: CivilDate

        /// A window from `begin` through `end`.
        package init(_ begin: CivilDate, _ end: CivilDate) {
            self.begin = begin
            self.end = end
        }

        /// One day.
        package init(day: CivilDate) {
            self.init(day, day)
        }

        /// Days in the window, both ends included.
        package var dayCount: Int { Int(end.daysSinceEpoch - begin.daysSinceEpoch) + 1 }

        /// `2025-11-18..2025-11-24`, or `2025-11-24` for one day.
        package var description: String { begin == end ? "\(begin)" : "\(begin)..\(end)" }

        /// `{"begin_date":"2025-11-18","end_date":"2025-11-24"}`: the request body.
        package var body: String {
            #"{"begin_date":"\#(begin)","end_date":"\#(end)"}"#
        }
    }

    /// The windows still to fetch for an endpoint whose data is stored through `through`.
    ///
    /// The range starts the day after `through` (on the first run, with no `through`,
    /// `firstRunDays` days before `yesterday`), never more than `maxDaysBack` days before
    /// `yesterday`, and ends `yesterday`. It is cut into windows of at most `span` days from
    /// its start, oldest first, so the last window ends yesterday.
    ///
    /// - Parameters:
    ///   - through: The last day whose data is stored, from the cursor; nil on the first run.
    ///   - yesterday: The last day the platform serves.
    ///   - firstRunDays: How many days a first run fetches (`backfill_days`).
    ///   - span: The longest window the endpoint accepts (7 for getusersummary/getusercumulate).
    ///   - maxDaysBack: The oldest day fetched, as days before and including yesterday: a long
    ///     outage is resumed from there, and the gap before it filled from an export.
    /// - Returns: The windows, oldest first; empty when `through` is yesterday or later.
    package static func windows(
        after through: CivilDate?,
        yesterday: CivilDate,
        firstRunDays: Int,
        span: Int,
        maxDaysBack: Int = maximumBackfillDays
    ) -> [DateWindow] {
        let span = max(1, span)
        let earliest = yesterday.adding(days: -(max(1, maxDaysBack) - 1))
        var start = through?.adding(days: 1) ?? yesterday.adding(days: -(max(1, firstRunDays) - 1))
        if start < earliest { start = earliest }
        var windows: [DateWindow] = []
        while start <= yesterday {
            let end = min(start.adding(days: span - 1), yesterday)
            windows.append(DateWindow(start, end))
            start = end.adding(days: 1)
        }
        return windows
    }

    /// One-day windows for the `count` days ending yesterday, oldest first (publish dates whose
    /// articles still gain reads: 30 for getarticletotaldetail, 7 for the legacy getarticletotal).
    package static func days(last count: Int, endingAt yesterday: CivilDate) -> [DateWindow] {
        guard count > 0 else { return [] }
        return (0..<count).reversed().map { DateWindow(day: yesterday.adding(days: -$0)) }
    }
}
