package import Collector

extension WeChatAdapter {
    /// The retired article APIs (PLATFORMS.md §1.4), for accounts whose history predates
    /// 2025-11: `getuserread` then `getarticletotal`. The platform now reportedly answers 47009
    /// to both; the first such answer ends the section with "switch legacy_articles off".
    ///
    /// Both are read only for days through ``legacyLastDay``: from 2025-11-01 the current APIs
    /// write the same metric names (`viewers` from getbizsummary and getarticletotaldetail),
    /// and their reader counts differ in definition from the legacy ones (PLATFORMS.md §1.9),
    /// so one day must never get both or the later would silently replace the other.
    func collectLegacy(_ run: inout Collection) async throws {
        try await collectLegacyRead(&run)
        try await collectLegacyArticles(&run)
    }

    /// `getuserread` (3 days per call) → account-level `views`, `viewers`, `shares`,
    /// `favorites` from the `user_source` 99999999 ("all sources") rows.
    func collectLegacyRead(_ run: inout Collection) async throws {
        let windows = Self.windows(
            after: run.cursor.legacyReadThrough,
            yesterday: run.yesterday,
            firstRunDays: backfillDays,
            span: Self.legacyReadWindowDays
        )
        for window in Self.beforeCutOver(windows) {
            let response = try await run.datacube.query("getuserread", window)
            var samples: [Sample] = []
            var latest: CivilDate?
            do throws(JSONFieldError) {
                for item in try Self.list(response) where try Self.isAllSources(item) {
                    let day = try Self.day(item, "ref_date")
                    // The window ends at the cut-over, so this also keeps out a row past it.
                    guard admits(day, endpoint: "getuserread", asked: window, run: &run) else { continue }
                    samples.append(run.sample(day, .viewers, try Self.requiredCount(item, "int_page_read_user")))
                    for (path, metric) in Self.legacyCounts {
                        if let count = try Self.count(item, path) { samples.append(run.sample(day, metric, count)) }
                    }
                    latest = Self.later(latest, day)
                }
            } catch {
                throw error.adapterError
            }
            try run.batch.add(contentsOf: samples)
            if let latest { run.cursor.legacyReadThrough = Self.later(run.cursor.legacyReadThrough, latest) }
        }
    }

    /// `getarticletotal` (one push date per call, the last 7: it covers the first 7 days after
    /// publishing) → content-level `views`, `viewers`, `shares`, `favorites` and
    /// `wechat_delivered`, cumulative at each `stat_date`.
    func collectLegacyArticles(_ run: inout Collection) async throws {
        let pushDates = Self.days(last: Self.legacyArticleDays, endingAt: run.yesterday)
        for window in Self.beforeCutOver(pushDates) {
            let response = try await run.datacube.query("getarticletotal", window)
            let items: [JSONReader]
            do throws(JSONFieldError) {
                items = try Self.list(response)
            } catch {
                throw error.adapterError
            }
            for item in items {
                var samples: [Sample] = []
                let object: ContentObject?
                do throws(JSONFieldError) {
                    let msgid = try item.id("msgid")
                    let published = try Self.day(item, "ref_date")
                    guard admits(published, endpoint: "getarticletotal", asked: window, run: &run) else { continue }
                    for detail in try item.array("details") {
                        let day = try Self.day(detail, "stat_date")
                        guard admitsStatDate(day, published: published, endpoint: "getarticletotal", window, &run)
                        else { continue }
                        // An article pushed late in October is counted into November; those
                        // days belong to getarticletotaldetail.
                        guard day <= Self.legacyLastDay else { continue }
                        samples.append(
                            run.sample(
                                day,
                                object: msgid,
                                .viewers,
                                try Self.requiredCount(detail, "int_page_read_user")
                            )
                        )
                        for (path, metric) in Self.legacyCounts + [("target_user", Self.delivered)] {
                            if let count = try Self.count(detail, path) {
                                samples.append(run.sample(day, object: msgid, metric, count))
                            }
                        }
                    }
                    object = Self.catalogueRow(item, msgid: msgid, published: published, run: run)
                } catch {
                    recordArticleFailure(error, item: item, run: run)
                    continue
                }
                try run.batch.add(contentsOf: samples)
                if let object { run.batch.add(object: object) }
            }
        }
    }

    /// The last day the legacy APIs are read for: the current APIs serve from 2025-11-01
    /// (PLATFORMS.md §1.3, §1.9; docs/adapters/wechat.md "Metrics").
    /// (20,392 days after 1970-01-01 is 2025-10-31: a literal date without an optional.)
    package static let legacyLastDay = CivilDate(daysSinceEpoch: 20_392)

    /// `windows` cut to end at ``legacyLastDay``; the windows wholly after it are left out.
    static func beforeCutOver(_ windows: [DateWindow]) -> [DateWindow] {
        windows.compactMap { window in
            guard window.begin <= legacyLastDay else { return nil }
            return DateWindow(window.begin, min(window.end, legacyLastDay))
        }
    }

    /// The legacy APIs' optional counts, in the order their rows are written.
    static let legacyCounts: [(String, MetricName)] = [
        ("int_page_read_count", .views),
        ("share_count", .shares),
        ("add_to_fav_count", .favorites),
    ]

    /// Whether a getuserread row is the 99999999 ("all sources") total; the per-source rows
    /// have no SPEC column (PLATFORMS.md §10).
    static func isAllSources(_ item: JSONReader) throws(JSONFieldError) -> Bool {
        try item.optionalInt64("user_source") == 99_999_999
    }
}
