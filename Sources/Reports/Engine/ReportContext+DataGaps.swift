import Collector

/// Main accounts that lack data in the period.
extension ReportContext {
    /// The main accounts without a `followers` row in the period, without content data, or
    /// whose collection covers only part of the period, in registry order.
    func dataGaps(_ accounts: [MeasuredAccount]) -> [DataGap] {
        accounts.compactMap { account in
            let entry = account.entry
            guard entry.main else { return nil }
            // As attainment judges it: the latest row before the period end, if it is in the period.
            let latest = index.latest(entry.platform, entry.account, .followers, before: periodEnd)
            let noFollowers = latest.map { $0.time < periodStart } ?? true
            let noContent = account.posts.basis == .none
            // Without content data nothing is collected in the period: the days say no more.
            let collectedDays = noContent ? nil : account.collectedDays
            guard noFollowers || noContent || collectedDays != nil else { return nil }
            return DataGap(
                unit: account.unit,
                account: entry,
                noFollowers: noFollowers,
                noContent: noContent,
                collectedDays: collectedDays
            )
        }
    }
}
