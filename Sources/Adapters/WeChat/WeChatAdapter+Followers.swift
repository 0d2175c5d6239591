import Collector

extension WeChatAdapter {
    /// `getusercumulate` → `followers`, in windows of at most 7 days after the cursor.
    func collectCumulate(_ run: inout Collection) async throws {
        let windows = Self.windows(
            after: run.cursor.cumulateThrough,
            yesterday: run.yesterday,
            firstRunDays: backfillDays,
            span: Self.followerWindowDays
        )
        for window in windows {
            let response = try await run.datacube.query("getusercumulate", window)
            var samples: [Sample] = []
            var latest: CivilDate?
            do throws(JSONFieldError) {
                for item in try Self.list(response) {
                    let day = try Self.day(item, "ref_date")
                    guard admits(day, endpoint: "getusercumulate", asked: window, run: &run) else { continue }
                    samples.append(run.sample(day, .followers, try Self.requiredCount(item, "cumulate_user")))
                    latest = Self.later(latest, day)
                }
            } catch {
                throw error.adapterError
            }
            try run.batch.add(contentsOf: samples)
            // An empty list is "not ready yet" (yesterday, before about 08:00): the cursor stays,
            // as it does when no day of the window came back; it moves over kept days only.
            if let latest { run.cursor.cumulateThrough = Self.later(run.cursor.cumulateThrough, latest) }
        }
    }

    /// `getusersummary` → `followers_new` / `followers_lost`: the sums over the `user_source`
    /// rows of each day, for the days that have rows.
    func collectSummary(_ run: inout Collection) async throws {
        let windows = Self.windows(
            after: run.cursor.summaryThrough,
            yesterday: run.yesterday,
            firstRunDays: backfillDays,
            span: Self.followerWindowDays
        )
        for window in windows {
            let response = try await run.datacube.query("getusersummary", window)
            var totals: [CivilDate: DayTotals] = [:]
            do throws(JSONFieldError) {
                for item in try Self.list(response) {
                    let day = try Self.day(item, "ref_date")
                    guard admits(day, endpoint: "getusersummary", asked: window, run: &run) else { continue }
                    let new = try Self.requiredCount(item, "new_user")
                    let lost = try Self.requiredCount(item, "cancel_user")
                    totals[day, default: DayTotals()].add(new: new, lost: lost)
                }
            } catch {
                throw error.adapterError
            }
            for (day, total) in totals.sorted(by: { $0.key < $1.key }) {
                try run.batch.add(run.sample(day, .followersNew, value: total.new, quality: total.quality))
                try run.batch.add(run.sample(day, .followersLost, value: total.lost, quality: total.quality))
            }
            if let latest = totals.keys.max() {
                run.cursor.summaryThrough = Self.later(run.cursor.summaryThrough, latest)
            }
        }
    }

    /// The follows and unfollows of one day, summed over its `user_source` rows.
    struct DayTotals {
        var new: Int64 = 0
        var lost: Int64 = 0
        /// The least exact of the parts.
        var quality = Quality.exact

        mutating func add(new: ParsedCount, lost: ParsedCount) {
            // Saturating: a nonsense value must not trap; it shows as a huge count instead.
            self.new = Self.sum(self.new, new.point)
            self.lost = Self.sum(self.lost, lost.point)
            quality = min(quality, new.quality, lost.quality)
        }

        private static func sum(_ a: Int64, _ b: Int64) -> Int64 {
            let (total, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : total
        }
    }

    /// The later of a day that may not be known yet and one that is.
    static func later(_ known: CivilDate?, _ day: CivilDate) -> CivilDate {
        guard let known else { return day }
        return max(known, day)
    }
}

extension WeChatAdapter.Collection {
    /// A sample of this account with a value already computed.
    func sample(
        _ day: CivilDate,
        object: String = "",
        _ metric: MetricName,
        value: Int64,
        quality: Quality
    ) -> Sample {
        Sample(
            time: stamp(day),
            platform: .wechat,
            account: account,
            object: object,
            metric: metric,
            value: .integer(value),
            quality: quality,
            source: .api
        )
    }
}
