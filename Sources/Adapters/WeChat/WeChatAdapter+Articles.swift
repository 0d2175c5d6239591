import Collector

extension WeChatAdapter {
    /// `getbizsummary` → account-level `viewers`, `recommends`, `likes`, `comments`,
    /// `wechat_share_users` per day. While the platform answers `is_delay: true`, the window's
    /// first day stays in the cursor and is polled again next run; the changed values then
    /// supersede the early ones in the store.
    func collectBizSummary(_ run: inout Collection) async throws {
        // Resume from the earliest delayed day, else after the last day stored.
        let resumeAfter = run.cursor.bizDelayedFrom.map { $0.adding(days: -1) } ?? run.cursor.bizThrough
        let windows = Self.windows(
            after: resumeAfter,
            yesterday: run.yesterday,
            firstRunDays: backfillDays,
            span: Self.bizWindowDays
        )
        var delayedFrom: CivilDate?
        for window in windows {
            let response = try await run.datacube.query("getbizsummary", window)
            var samples: [Sample] = []
            var latest: CivilDate?
            let isDelayed: Bool
            do throws(JSONFieldError) {
                isDelayed = try Self.isDelayed(response)
                for item in try Self.list(response) {
                    let day = try Self.day(item, "ref_date")
                    guard admits(day, endpoint: "getbizsummary", asked: window, run: &run) else { continue }
                    samples.append(run.sample(day, .viewers, try Self.requiredCount(item, "detail.read_user")))
                    for (path, metric) in Self.bizInteractions {
                        if let count = try Self.count(item, path) { samples.append(run.sample(day, metric, count)) }
                    }
                    latest = Self.later(latest, day)
                }
            } catch {
                throw error.adapterError
            }
            try run.batch.add(contentsOf: samples)
            if let latest { run.cursor.bizThrough = Self.later(run.cursor.bizThrough, latest) }
            if isDelayed && delayedFrom == nil { delayedFrom = window.begin }
            // Every window before this one was final, so this is where the next run starts.
            run.cursor.bizDelayedFrom = delayedFrom
        }
    }

    /// getbizsummary's optional fields, in the order their rows are written.
    static let bizInteractions: [(String, MetricName)] = [
        ("detail.zaikan_user", .recommends),
        ("detail.like_user", .likes),
        ("detail.comment_count", .comments),
        ("detail.share_user", shareUsers),
    ]

    /// The top-level `is_delay`: true while the platform has not finished the data. Absent is false.
    static func isDelayed(_ response: JSONReader) throws(JSONFieldError) -> Bool {
        switch response.value("is_delay") {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        case .integer(let number)?: return number != 0
        default: return try response.bool("is_delay")
        }
    }

    /// `getarticletotaldetail` for each publish date of the last 30 days (one day per call):
    /// content-level values per `msgid`, cumulative at each `stat_date`. An article whose
    /// entry is malformed is reported and skipped; the others are kept.
    ///
    /// Each key (`stat_date`, `msgid`, metric) gets one value per run, so a run that sees the
    /// same answers again writes nothing (SPEC §3): an article listed again (under a second
    /// publish date, or twice under one) is written from its first listing only, and a
    /// `stat_date` repeated in one `detail_list` from its later item. Either is reported as a
    /// notice naming the article.
    func collectArticles(_ run: inout Collection) async throws {
        // The publish date of each article read in this run. The dates are asked oldest first,
        // so an article's first listing is under its earliest publish date in every run.
        var listed: [String: CivilDate] = [:]
        for window in Self.days(last: Self.articleDays, endingAt: run.yesterday) {
            let response = try await run.datacube.query("getarticletotaldetail", window)
            let items: [JSONReader]
            do throws(JSONFieldError) {
                items = try Self.list(response)
            } catch {
                throw error.adapterError
            }
            for item in items {
                let samples: [Sample]
                let object: ContentObject?
                do throws(JSONFieldError) {
                    (samples, object) = try articleSamples(item, window: window, listed: &listed, run: &run)
                } catch {
                    recordArticleFailure(error, item: item, run: run)
                    continue
                }
                try run.batch.add(contentsOf: samples)
                if let object { run.batch.add(object: object) }
            }
        }
    }

    /// The samples of one getarticletotaldetail entry, and its catalogue row when it has a title:
    /// none for an entry published outside `window` (the publish date asked for), and none for a
    /// `stat_date` before its publish date or after yesterday (``DayCheck``). None either for an
    /// article `listed` before in this run; an entry read whole is added to `listed`.
    private func articleSamples(
        _ item: JSONReader,
        window: DateWindow,
        listed: inout [String: CivilDate],
        run: inout Collection
    ) throws(JSONFieldError) -> ([Sample], ContentObject?) {
        // Read as an id: an empty msgid would store the article's figures as the account's own.
        let msgid = try item.id("msgid")
        let published = try Self.day(item, "ref_date")
        guard admits(published, endpoint: "getarticletotaldetail", asked: window, run: &run) else { return ([], nil) }
        if let first = listed[msgid] {
            // Two listings give two values for each stat_date both hold (and two publish dates for
            // objects.csv); writing both would append them again on every run for 30 days.
            recordArticleListedAgain(msgid, first: first, again: published, run: run)
            return ([], nil)
        }
        var samples: [Sample] = []
        // The stat_dates read so far: the platform may give one twice.
        var days: Set<CivilDate> = []
        for detail in try item.array("detail_list") {
            let day = try Self.day(detail, "stat_date")
            guard admitsStatDate(day, published: published, endpoint: "getarticletotaldetail", window, &run) else {
                continue
            }
            let first = samples.count
            samples.append(run.sample(day, object: msgid, .viewers, try Self.requiredCount(detail, "read_user")))
            for (path, metric) in Self.articleInteractions {
                if let count = try Self.count(detail, path) {
                    samples.append(run.sample(day, object: msgid, metric, count))
                }
            }
            if let rate = Self.fraction(detail, "read_finish_rate") {
                samples.append(
                    Sample(
                        time: run.stamp(day),
                        platform: .wechat,
                        account: run.account,
                        object: msgid,
                        metric: .completionRate,
                        value: .decimal(rate),
                        source: .api
                    )
                )
            }
            guard !days.insert(day).inserted else { continue }
            // A stat_date given again: its samples take the place of the earlier item's.
            let again = Array(samples[first...])
            samples.removeSubrange(first...)
            let changed = Self.replace(&samples, with: again)
            if !changed.isEmpty { recordStatDateRepeated(msgid, published: published, day: day, changed, run: run) }
        }
        listed[msgid] = published
        return (samples, Self.catalogueRow(item, msgid: msgid, published: published, run: run))
    }

    /// Puts `later`, the samples of a `stat_date` read again in one `detail_list`, in place of
    /// the earlier samples of their metric, or after them for a metric the earlier item lacked:
    /// the later item wins, as the later of two lines of one key does (SPEC §5). Returns the
    /// values that changed.
    static func replace(
        _ samples: inout [Sample],
        with later: [Sample]
    ) -> [(metric: MetricName, earlier: SampleValue, later: SampleValue)] {
        var changed: [(metric: MetricName, earlier: SampleValue, later: SampleValue)] = []
        for sample in later {
            guard let index = samples.lastIndex(where: { $0.time == sample.time && $0.metric == sample.metric }) else {
                samples.append(sample)
                continue
            }
            if samples[index].value != sample.value || samples[index].quality != sample.quality {
                changed.append((sample.metric, samples[index].value, sample.value))
            }
            samples[index] = sample
        }
        return changed
    }

    /// Whether an article's `stat_date` lies between its publish date and yesterday: the days
    /// its cumulative totals can have reached (``DayCheck``).
    func admitsStatDate(
        _ day: CivilDate,
        published: CivilDate,
        endpoint: String,
        _ window: DateWindow,
        _ run: inout Collection
    ) -> Bool {
        admits(
            day,
            field: "stat_date",
            in: DateWindow(published, max(published, run.yesterday)),
            meaning: "from the article's publish date through yesterday",
            endpoint: endpoint,
            asked: window,
            run: &run
        )
    }

    /// getarticletotaldetail's optional per-day fields, in the order their rows are written.
    static let articleInteractions: [(String, MetricName)] = [
        ("zaikan_user", .recommends),
        ("like_user", .likes),
        ("comment_count", .comments),
        ("share_user", shareUsers),
        ("collection_user", .favorites),
    ]

    /// An objects.csv row for an entry with a non-empty `title`.
    static func catalogueRow(_ item: JSONReader, msgid: String, published: CivilDate, run: Collection) -> ContentObject?
    {
        guard let title = (try? item.optionalString("title")).flatMap({ $0 }), !title.isEmpty else { return nil }
        return ContentObject(
            platform: .wechat,
            object: msgid,
            account: run.account,
            publishedAt: run.stamp(published),
            title: ContentObject.title(from: title)
        )
    }

    /// Reports an article listed again in one run: a notice, since its first listing is written.
    func recordArticleListedAgain(_ msgid: String, first: CivilDate, again: CivilDate, run: Collection) {
        let listing = first == again ? "twice under publish date \(first)" : "under publish dates \(first) and \(again)"
        run.batch.recordNotice(
            CollectionFailure(
                adapter: name,
                account: run.account,
                object: msgid,
                label: "articleListedTwice",
                message:
                    "wechat /datacube/getarticletotaldetail lists article \(msgid) \(listing); only the listing under"
                    + " \(first) is written, the other's figures and title are not (an article has one publish date:"
                    + " nothing to do here; report it to WeChat if it recurs)"
            )
        )
    }

    /// Reports the values a repeated `stat_date` changed: a notice, since the later item's are written.
    func recordStatDateRepeated(
        _ msgid: String,
        published: CivilDate,
        day: CivilDate,
        _ changed: [(metric: MetricName, earlier: SampleValue, later: SampleValue)],
        run: Collection
    ) {
        let values = changed.map { "\($0.metric) \($0.earlier) then \($0.later)" }.joined(separator: ", ")
        run.batch.recordNotice(
            CollectionFailure(
                adapter: name,
                account: run.account,
                object: msgid,
                label: "statDateRepeated",
                message:
                    "wechat /datacube/getarticletotaldetail \(published): article \(msgid) gives stat_date \(day)"
                    + " twice, with \(values); the later item's values are written (nothing to do here; report it to"
                    + " WeChat if it recurs)"
            )
        )
    }

    /// Reports one malformed article entry, naming its msgid when it has one.
    func recordArticleFailure(_ error: JSONFieldError, item: JSONReader, run: Collection) {
        // Only a storable one: the failure is printed and kept with its object.
        let msgid = try? item.id("msgid")
        run.batch.recordFailure(
            CollectionFailure(
                adapter: name,
                account: run.account,
                object: msgid,
                label: error.adapterError.label,
                message: error.description + "; the article is skipped"
            )
        )
    }
}
