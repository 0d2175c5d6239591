import Collector

/// Attainment of the follower rules (COUNTS_AND_TARGETS.md §4.3).
extension ReportContext {
    /// A main account's latest followers row of the period and its growth pace.
    struct FollowerObservation {
        var point: SampleIndex.Point?
        /// The day of an older row, when the period has none.
        var staleDate: CivilDate?
        /// Net followers per day over the trailing 30 days.
        var pacePerDay: Double?
        /// Whether that pace rests on estimated rows.
        var paceQuality: Quality?

        var interval: FollowerInterval? { point.map { FollowerInterval(value: $0.integer, quality: $0.quality) } }
    }

    func observe(_ entry: RegistryEntry) -> FollowerObservation {
        guard let latest = index.latest(entry.platform, entry.account, .followers, before: periodEnd) else {
            return FollowerObservation()
        }
        guard latest.time >= periodStart else { return FollowerObservation(staleDate: date(latest.time)) }
        let pace = pace(of: entry, latest: latest)
        return FollowerObservation(point: latest, pacePerDay: pace?.perDay, paceQuality: pace?.quality)
    }

    /// Net followers per day over the 30 days up to `latest`: from followers_new/lost when they
    /// exist in that window, else from the followers series (the row at least 30 days older,
    /// or the oldest row when the history is shorter). None when the series spans less than a
    /// day: COUNTS_AND_TARGETS.md §4.3 paces on daily net growth, and a change over minutes
    /// times 30 days is no such figure (+69 between two polls 2 s apart made 89 million a
    /// month). Approx when it rests on fewer than 30 days: it is extrapolated to them.
    func pace(of entry: RegistryEntry, latest: SampleIndex.Point) -> (perDay: Double, quality: Quality)? {
        let last = date(latest.time)
        if let flows = netNewFollowers(of: entry, from: last.adding(days: -29), to: last) {
            // Daily figures: one day of them is a daily pace, fewer than 30 an extrapolated one.
            return (flows.net / Double(flows.days), flows.days < 30 ? .approx : .exact)
        }
        let series = index.points(entry.platform, entry.account, .followers)
        let base =
            series.last { $0.time <= latest.time.adding(seconds: -30 * Self.day) }
            ?? series.first { $0.time < latest.time }
        guard let base else { return nil }
        let seconds = latest.time.secondsSinceEpoch - base.time.secondsSinceEpoch
        // A day less an hour, so that daily rows across a daylight-saving change still count.
        guard seconds >= Self.day - 3600 else { return nil }
        let quality =
            seconds < 30 * Self.day - 3600 ? .approx : Self.differenceQuality(latest.quality, base.quality)
        return ((latest.double - base.double) / (Double(seconds) / Double(Self.day)), quality)
    }

    /// Seconds in a day.
    private static let day: Int64 = 86400

    /// The quality of a difference of two stored values: exact when both are, else approx (a
    /// lower bound minus another value is a bound of neither side).
    static func differenceQuality(_ qualities: Quality...) -> Quality {
        qualities.allSatisfy { $0 == .exact } ? .exact : .approx
    }

    func attainment(of unit: UnitProfile) -> (rows: [AttainmentRow], units: [UnitAttainment]) {
        let period = input.period
        let matching = rules.followerRules(
            category: unit.category,
            city: unit.city,
            students: unit.students,
            from: period.from,
            to: period.to
        )
        let mains = unit.mainAccounts
        guard !mains.isEmpty else {
            let note = AttainmentNote.noMainAccount
            let ruleList: [Rule?] = matching.isEmpty ? [nil] : matching
            return (
                ruleList.map {
                    var row = AttainmentRow(unit: unit, rule: $0, account: nil, status: .missingAccount)
                    row.reason = note
                    return row
                },
                ruleList.map {
                    UnitAttainment(
                        unit: unit,
                        rule: $0,
                        mainAccounts: 0,
                        best: nil,
                        sum: nil,
                        status: .missingAccount,
                        reason: note
                    )
                }
            )
        }
        let observations = mains.map(observe)
        let values = observations.compactMap { $0.point?.integer }
        let best = values.max()
        let sum = values.isEmpty ? nil : values.reduce(0, +)

        guard !matching.isEmpty else {
            let reason = noRuleReason(unit)
            var rows: [AttainmentRow] = []
            for (entry, observation) in zip(mains, observations) {
                var row = observedRow(
                    unit: unit,
                    rule: nil,
                    entry: entry,
                    observation: observation,
                    best: best,
                    sum: sum
                )
                row.status = .noRule
                row.reason = reason
                rows.append(row)
            }
            let unitRow = UnitAttainment(
                unit: unit,
                rule: nil,
                mainAccounts: mains.count,
                best: best,
                sum: sum,
                status: .noRule,
                reason: reason
            )
            return (rows, [unitRow])
        }

        var rows: [AttainmentRow] = []
        var unitRows: [UnitAttainment] = []
        for rule in matching {
            var statuses: [AttainmentStatus] = []
            for (entry, observation) in zip(mains, observations) {
                let row = observedRow(
                    unit: unit,
                    rule: rule,
                    entry: entry,
                    observation: observation,
                    best: best,
                    sum: sum
                )
                statuses.append(row.status)
                rows.append(row)
            }
            let status: AttainmentStatus
            let note: AttainmentNote
            switch rule.aggregation {
            case .each, .any:
                status = AttainmentStatus.combine(statuses, requireAll: rule.aggregation == .each)
                note = .combined(
                    rule.aggregation,
                    zip(mains, statuses).map { AttainmentNote.AccountStatus(platform: $0.platform, status: $1) }
                )
            case .sum:
                // An account without data may hold any count: [0, ∞).
                let total = observations.map { $0.interval ?? FollowerInterval(point: 0, lower: 0, upper: .infinity) }
                    .reduce(FollowerInterval(point: 0, lower: 0, upper: 0), +)
                status =
                    values.isEmpty ? .noData : total.judge(rule.comparison ?? .atLeast, rule.threshold ?? 0)
                note = .summed(mains.map(\.platform))
            }
            unitRows.append(
                UnitAttainment(
                    unit: unit,
                    rule: rule,
                    mainAccounts: mains.count,
                    best: best,
                    sum: sum,
                    status: status,
                    reason: note
                )
            )
        }
        return (rows, unitRows)
    }

    /// A main account's row: the observed value, and the judgement when `rule` is given.
    private func observedRow(
        unit: UnitProfile,
        rule: Rule?,
        entry: RegistryEntry,
        observation: FollowerObservation,
        best: Int64?,
        sum: Int64?
    ) -> AttainmentRow {
        var row = AttainmentRow(unit: unit, rule: rule, account: entry, status: .noData)
        row.unitBest = best
        row.unitSum = sum
        guard let point = observation.point, let interval = observation.interval else {
            row.reason = observation.staleDate.map(AttainmentNote.staleFollowers) ?? .noFollowersRow
            return row
        }
        row.asOf = date(point.time)
        row.followers = point.integer
        row.quality = point.quality
        row.interval = interval
        row.net30 = observation.pacePerDay.map { $0 * 30 }
        row.paceQuality = observation.paceQuality
        guard let rule, let comparison = rule.comparison, let threshold = rule.threshold else { return row }

        // Counts are integers: "more than T" is reached at T + 1, so the ratio and the gap are
        // measured against that, and a count of exactly T is not shown as 100% beside NOT_MET.
        let minimum = comparison.canonical == .greaterThan ? threshold + 1 : threshold
        let target = Double(minimum)
        row.status = interval.judge(comparison, threshold)
        row.ratio = Self.ratio(interval.point, of: minimum)
        let gap = target - interval.point
        row.gap = gap
        if let deadline = rules.deadline(of: rule) {
            let daysLeft = Int(deadline.date(in: input.calendar).daysSinceEpoch - asOf.daysSinceEpoch)
            row.daysLeft = daysLeft
            if gap > 0, daysLeft > 0 { row.requiredDaily = gap / Double(daysLeft) }
        }
        if row.status == .met {
            row.projection = .reached
        } else if row.status == .indeterminate {
            // The target may already be met (a `4万+` below 5万): a date, or "never", would be a
            // verdict on a count that is not known; the status asks for an exact one (§2.3). A
            // lower bound's pace is no pace either: `4万+` stays `4万+` until the count passes 5万.
        } else if gap > 0, let pace = observation.pacePerDay {
            if pace > 0, let asOf = row.asOf {
                row.projection = .on(asOf.adding(days: Int((gap / pace).rounded(.up))))
            } else {
                row.projection = .never
            }
        }
        if row.status == .indeterminate { row.reason = .cannotDecide }
        return row
    }

    /// `point / target` truncated to 4 decimals (the CSV's; Markdown's percentage has 2), nil
    /// for a target ≤ 0. Truncated rather than rounded, so the figure never contradicts the
    /// status: 999990 of 1,000,000 is NOT_MET, and rounding would print 1.0000 (100.00%) beside
    /// it; truncated, a ratio is 1 or more exactly when the point reaches the target. Integer
    /// arithmetic, since a division in binary floating point puts 0.29 just below itself.
    static func ratio(_ point: Double, of target: Int64) -> Double? {
        guard target > 0 else { return nil }
        let scaled = point * 10_000
        // Counts are whole numbers; beyond what Int64 holds (never a real count) plain division does.
        guard point == point.rounded(), scaled.magnitude < 9.0e18 else {
            return (scaled / Double(target)).rounded(.down) / 10_000
        }
        let (quotient, remainder) = Int64(scaled).quotientAndRemainder(dividingBy: target)
        // Toward −∞ for a negative point, as floor does.
        let floored = remainder < 0 ? quotient - 1 : quotient
        return Double(floored) / 10_000
    }

    private func noRuleReason(_ unit: UnitProfile) -> AttainmentNote {
        let categoryRules = rules.rules.filter { $0.judgesFollowers && $0.category == unit.category }
        if categoryRules.isEmpty { return .noRuleForCategory(unit.category) }
        if unit.students == nil, categoryRules.contains(where: { $0.students != nil }) {
            return .studentsUnknown(category: unit.category)
        }
        return .noRuleForCity(unit.city)
    }

    /// Units per status, per category and tier, in SPEC §6 category order and rule file order.
    func summary(of unitRows: [UnitAttainment]) -> [AttainmentSummary] {
        var order: [String] = []
        var rows: [String: AttainmentSummary] = [:]
        for unitRow in unitRows {
            let key = unitRow.unit.category + "\u{0}" + (unitRow.rule?.id ?? "")
            if rows[key] == nil {
                order.append(key)
                rows[key] = AttainmentSummary(category: unitRow.unit.category, rule: unitRow.rule, counts: [:])
            }
            rows[key]?.counts[unitRow.status, default: 0] += 1
        }
        return order.compactMap { rows[$0] }.sorted { lhs, rhs in
            let left = (Self.categoryRank(lhs.category), lhs.rule?.line ?? Int.max)
            let right = (Self.categoryRank(rhs.category), rhs.rule?.line ?? Int.max)
            return left != right ? left < right : lhs.category < rhs.category
        }
    }

    /// SPEC §6 order of categories, unknown ones last.
    static func categoryRank(_ category: String) -> Int {
        let order = [
            "city_bureau", "county_bureau", "undergraduate", "vocational", "high_school", "middle_school",
            "primary_school", "other",
        ]
        return order.firstIndex(of: category) ?? order.count
    }

    /// Each main account's followers series against its first rule's threshold.
    func followerSeries(of unit: UnitProfile, rows: [AttainmentRow]) -> [FollowerSeries] {
        var seen = Set<String>()
        var series: [FollowerSeries] = []
        for row in rows {
            guard let entry = row.account, seen.insert(entry.platform.rawValue + "/" + entry.account).inserted else {
                continue
            }
            let points = index.points(entry.platform, entry.account, .followers).filter { $0.time < periodEnd }.map {
                FollowerSeries.Point(date: date($0.time), value: $0.integer, quality: $0.quality)
            }
            series.append(
                FollowerSeries(
                    label: "\(unit.name) · \(entry.platform)",
                    account: entry.account,
                    points: points,
                    threshold: row.rule?.threshold,
                    ruleID: row.rule?.id,
                    status: row.status,
                    unit: unit.name,
                    platform: entry.platform
                )
            )
        }
        return series
    }
}
