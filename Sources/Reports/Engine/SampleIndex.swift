import Collector

/// The samples of a report grouped into time-sorted series, one per (platform, account,
/// object, metric): for one key and time, rows are reduced by SPEC §3's rule, as the store
/// reduces them: the last row wins, but an `approx` or `lower_bound` row replaces an `exact`
/// one only when it disproves it (`10万+` after 95000). `collector report` passes rows already
/// reduced (``Exporter``); the rule here sorts out raw rows given to the library.
struct SampleIndex {
    struct Key: Hashable {
        var platform: Platform
        var account: String
        var object: String
        var metric: MetricName
    }

    struct AccountKey: Hashable {
        var platform: Platform
        var account: String
    }

    struct Point {
        var time: Timestamp
        var value: SampleValue
        var quality: Quality

        var double: Double { value.doubleValue }
        var integer: Int64 {
            switch value {
            case .integer(let count): count
            // A rate never reaches the count paths; round for safety rather than trap.
            case .decimal(let decimal): Int64(decimal.doubleValue.rounded())
            }
        }
    }

    private var series: [Key: [Point]] = [:]
    /// Content objects seen in samples, per account, with their first sample time.
    private(set) var firstSeen: [AccountKey: [String: Timestamp]] = [:]
    /// The time of each account's first account-level row (followers, flows, totals).
    private(set) var firstAccountRow: [AccountKey: Timestamp] = [:]
    /// The time of each account's latest row of any kind (account-level or content) before
    /// `horizon`: how far its collection reached in the period.
    private(set) var lastRow: [AccountKey: Timestamp] = [:]

    /// Indexes `samples`, ignoring everything after `cutoff` (the report's "now"); ``lastRow``
    /// looks only before `horizon` (the period's end), since content rows after the period are
    /// read for the period's posts and say nothing of the days of the period.
    init(samples: [Sample], cutoff: Timestamp, horizon: Timestamp) {
        var grouped: [Key: [Point]] = [:]
        for sample in samples where sample.time <= cutoff {
            if sample.time < horizon {
                let owner = AccountKey(platform: sample.platform, account: sample.account)
                if lastRow[owner].map({ sample.time > $0 }) ?? true { lastRow[owner] = sample.time }
            }
            let key = Key(
                platform: sample.platform,
                account: sample.account,
                object: sample.object,
                metric: sample.metric
            )
            grouped[key, default: []].append(Point(time: sample.time, value: sample.value, quality: sample.quality))
            if sample.object.isEmpty {
                let owner = AccountKey(platform: sample.platform, account: sample.account)
                if firstAccountRow[owner].map({ sample.time < $0 }) ?? true { firstAccountRow[owner] = sample.time }
            }
            if !sample.object.isEmpty {
                let account = AccountKey(platform: sample.platform, account: sample.account)
                if let known = firstSeen[account]?[sample.object], known <= sample.time { continue }
                firstSeen[account, default: [:]][sample.object] = sample.time
            }
        }
        for (key, points) in grouped {
            // A stable sort keeps file order among equal times, so "the last row wins" holds.
            let sorted = points.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            var merged: [Point] = []
            merged.reserveCapacity(sorted.count)
            for (_, point) in sorted {
                if let last = merged.last, last.time == point.time {
                    if point.value.supersedes(last.value, quality: point.quality, earlierQuality: last.quality) {
                        merged[merged.count - 1] = point
                    }
                } else {
                    merged.append(point)
                }
            }
            series[key] = merged
        }
    }

    /// The series of one key, oldest first.
    func points(_ platform: Platform, _ account: String, object: String = "", _ metric: MetricName) -> [Point] {
        series[Key(platform: platform, account: account, object: object, metric: metric)] ?? []
    }

    /// Whether any value of `metric` exists for the object.
    func has(_ platform: Platform, _ account: String, object: String, _ metric: MetricName) -> Bool {
        series[Key(platform: platform, account: account, object: object, metric: metric)] != nil
    }

    /// The latest point strictly before `end`.
    func latest(
        _ platform: Platform,
        _ account: String,
        object: String = "",
        _ metric: MetricName,
        before end: Timestamp
    )
        -> Point?
    {
        points(platform, account, object: object, metric).last { $0.time < end }
    }

    /// An object's total so far of a cumulative content metric (reads, likes): the largest of its
    /// points up to the report's `now`, not the latest-stamped one. Cumulative content counters do
    /// not fall, but sources stamp them at different times: an export's total at download is
    /// stamped at the publishing day (docs/imports.md, "As-of date"), so an older, smaller
    /// adapter snapshot stamped later would hide it. Points are compared by what they are known
    /// to be, the lower end of their value range (``FollowerInterval``): an exact 120000 over a
    /// `10万+` (lower bound 100001), the `10万+` over an exact 95000. On equal lower ends the one
    /// that leaves room for more wins: a `10万+` stored as the lower bound 100000 over an exact
    /// 100000 (the count grew past it), then the later one. The point keeps its own quality.
    func total(_ platform: Platform, _ account: String, object: String, _ metric: MetricName) -> Point? {
        func range(_ point: Point) -> (lower: Double, upper: Double) {
            let interval = FollowerInterval(value: point.integer, quality: point.quality)
            return (interval.lower, interval.upper)
        }
        var best: Point?
        for point in points(platform, account, object: object, metric) {
            // Oldest first, so on a tie the later point takes the place.
            if let current = best, range(point) < range(current) { continue }
            best = point
        }
        return best
    }

    /// The value of a content metric at a fixed age: the latest point at or before `target`,
    /// else the first one after it.
    func valueAtAge(
        _ platform: Platform,
        _ account: String,
        object: String,
        _ metric: MetricName,
        target: Timestamp
    )
        -> Point?
    {
        let points = points(platform, account, object: object, metric)
        return points.last { $0.time <= target } ?? points.first
    }
}
