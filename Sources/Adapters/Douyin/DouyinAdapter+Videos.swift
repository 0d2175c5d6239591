import Collector
import Logging

extension DouyinAdapter {
    /// Videos asked for per page (the platform's maximum).
    static let videoPageSize = 20
    /// Pages read at most per account and run: 10,000 videos.
    static let maximumVideoPages = 500
    /// Pages in a row without a video, each still saying `has_more`, after which the paging
    /// stops: a list that only ever says "more" would otherwise spend 500 requests of the app's
    /// daily quota. One or two empty pages can happen (videos hidden after the page was cut).
    static let maximumEmptyPages = 3
    /// Item data exists only for videos created within this many seconds (30 days).
    static let itemDataWindow: Int64 = 30 * 86_400

    /// A `statistics` field of the video list and its metric.
    private struct VideoStatistic {
        var field: String
        var metric: MetricName
        /// Whether an absent field is a schema change (false: simply no row).
        var required: Bool
    }

    private static let videoStatistics: [VideoStatistic] = [
        VideoStatistic(field: "statistics.play_count", metric: .views, required: true),
        VideoStatistic(field: "statistics.digg_count", metric: .likes, required: true),
        VideoStatistic(field: "statistics.comment_count", metric: .comments, required: true),
        VideoStatistic(field: "statistics.share_count", metric: .shares, required: true),
        VideoStatistic(field: "statistics.forward_count", metric: forwards, required: false),
    ]

    /// Pages through the video list of `video_list` (cursor + has_more, bounded, a repeated
    /// cursor stops it; the two endpoints take the same query and answer in the same shape):
    /// a snapshot of every video's counts and a catalogue row; then the average play time of the
    /// videos young enough to have item data.
    func collectVideos(
        account: String,
        session: DouyinSession,
        batch: SampleBatch,
        context: AdapterContext,
        deferred: inout [AdapterError]
    ) async throws {
        let endpoint = videoList.path
        var cursor = "0"
        var seen: Set<String> = [cursor]
        // Every video read this run: one met again on a later page (a page served twice, or the
        // list moving under us) gets no second row and no second item-data request.
        var videosSeen: Set<String> = []
        var young: [String] = []
        var emptyPages = 0
        let youngSince = context.now().secondsSinceEpoch - Self.itemDataWindow
        for page in 1...Self.maximumVideoPages {
            let response: JSONReader
            do {
                response = try await session.get(
                    endpoint,
                    query: [("open_id", account), ("cursor", cursor), ("count", String(Self.videoPageSize))]
                )
            } catch var error as AdapterError where Self.concernsOneEndpoint(error) {
                if error.hasSameKind(as: .permission("")) || error.platformCode == "28001012" {
                    error.message += "; " + Self.otherEndpointHint(videoList)
                }
                deferred.append(error)
                break
            }
            let observed = context.now()
            var problems = DouyinFieldProblems()
            var videos: [JSONReader] = []
            do throws(JSONFieldError) {
                // Absent is a changed response; `null` or `[]` is an empty page.
                guard response.value("data.list") != nil else { throw DouyinValues.missing(response, "data.list") }
                videos = try response.optionalArray("data.list") ?? []
            } catch {
                problems.note(error)
            }
            for video in videos {
                guard
                    let (itemID, created) = try add(
                        video,
                        account: account,
                        observed: observed,
                        batch: batch,
                        seen: &videosSeen,
                        problems: &problems
                    )
                else { continue }
                if let created, created.secondsSinceEpoch >= youngSince { young.append(itemID) }
            }
            var next: String?
            do throws(JSONFieldError) {
                if try DouyinValues.flag(response, "data.has_more") {
                    next = try DouyinValues.cursor(response, "data.cursor")
                }
            } catch {
                problems.note(error)
            }
            if let problem = problems.error { deferred.append(problem) }
            guard let next else { break }
            guard seen.insert(next).inserted else {
                deferred.append(
                    .schemaChanged(
                        "douyin \(endpoint): the cursor \(next) came back on page \(page) although has_more is true; "
                            + "paging stopped there so that it cannot loop"
                    )
                )
                break
            }
            emptyPages = videos.isEmpty ? emptyPages + 1 : 0
            if emptyPages == Self.maximumEmptyPages {
                deferred.append(
                    .schemaChanged(
                        "douyin \(endpoint): pages \(page - emptyPages + 1) to \(page) had no videos although has_more "
                            + "is true; paging stopped there so that empty pages do not spend the app's daily quota"
                    )
                )
                break
            }
            cursor = next
            if page == Self.maximumVideoPages {
                context.logger.warning(
                    "the Douyin video list has more than \(Self.maximumVideoPages) pages; the later videos were not read in this run"
                )
            }
        }
        if readsPlayDuration {
            try await collectPlayDurations(
                of: young,
                account: account,
                session: session,
                batch: batch,
                context: context,
                deferred: &deferred
            )
        }
    }

    /// What to try when the app or the authorisation covers only the other video list: the two
    /// endpoints need different abilities (scopes), and a console may grant only one of them.
    static func otherEndpointHint(_ endpoint: DouyinVideoListEndpoint) -> String {
        switch endpoint {
        case .current:
            "an app granted only the older video.list ability can read /video/list/ instead: set video_list = \"legacy\" in [[adapters.douyin]]"
        case .legacy:
            "an app granted video.list.bind reads /api/douyin/v1/video/video_list/: remove video_list = \"legacy\" from [[adapters.douyin]]"
        }
    }

    /// One video of the list: its catalogue row and counts, unless it is in `seen` already.
    /// - Returns: its id and creation time, or nil when it has no usable id or was seen before.
    private func add(
        _ video: JSONReader,
        account: String,
        observed: Timestamp,
        batch: SampleBatch,
        seen: inout Set<String>,
        problems: inout DouyinFieldProblems
    ) throws -> (String, Timestamp?)? {
        // Read as an id: an empty one is reported, not dropped without a word (nor stored as the
        // account's own figures).
        guard let itemID = problems.attempt({ () throws(JSONFieldError) in try video.id("item_id") }),
            seen.insert(itemID).inserted
        else { return nil }
        let title = problems.attempt { () throws(JSONFieldError) in try video.optionalString("title") } ?? nil
        let created = problems.attempt { () throws(JSONFieldError) in try DouyinValues.unixTime(video, "create_time") }
        let url = problems.attempt { () throws(JSONFieldError) in try video.optionalString("share_url") } ?? nil
        batch.add(
            object: ContentObject(
                platform: .douyin,
                object: itemID,
                account: account,
                publishedAt: created ?? nil,
                title: String((title ?? "").prefix(while: { $0 != "\n" && $0 != "\r\n" })),
                url: url ?? ""
            )
        )
        let visibility = DouyinVideoVisibility(video)
        for statistic in Self.videoStatistics {
            if !statistic.required && video.value(statistic.field) == nil { continue }
            let read = problems.attempt { () throws(JSONFieldError) in try DouyinValues.count(video, statistic.field) }
            guard let count = read ?? nil else { continue }
            // A private (or not yet public) video reads 0 plays whatever its count: no row, so
            // that the 0 does not replace the real count stored before.
            if statistic.metric == .views && count.point == 0 && !visibility.zeroPlaysIsCount { continue }
            try batch.add(
                Sample(
                    time: observed,
                    platform: .douyin,
                    account: account,
                    object: itemID,
                    metric: statistic.metric,
                    value: count.sampleValue,
                    quality: count.quality,
                    source: .api
                )
            )
        }
        return (itemID, created ?? nil)
    }

    /// `douyin_avg_play_seconds` of each young video from `/data/external/item/base/`. A missing
    /// ability stops the loop (it is the same for every video); other problems concern one video.
    private func collectPlayDurations(
        of items: [String],
        account: String,
        session: DouyinSession,
        batch: SampleBatch,
        context: AdapterContext,
        deferred: inout [AdapterError]
    ) async throws {
        for item in items {
            do {
                let response = try await session.get(
                    "/data/external/item/base/",
                    query: [("open_id", account), ("item_id", item)]
                )
                var problems = DouyinFieldProblems()
                let read = problems.attempt { () throws(JSONFieldError) in
                    try DouyinValues.decimal(response, "data.result.avg_play_duration")
                }
                if let seconds = read ?? nil {
                    try batch.add(
                        Sample(
                            time: context.now(),
                            platform: .douyin,
                            account: account,
                            object: item,
                            metric: Self.averagePlaySeconds,
                            value: .decimal(seconds),
                            source: .api
                        )
                    )
                }
                if let problem = problems.error {
                    batch.recordFailure(
                        DouyinSession.collectionFailure(problem, instance: name, account: account, object: item)
                    )
                }
            } catch let error as AdapterError
                where error.hasSameKind(as: .permission("")) || error.platformCode == "28001012"
            {
                deferred.append(error)
                return
            } catch let error as AdapterError where Self.concernsOneEndpoint(error) {
                batch.recordFailure(
                    DouyinSession.collectionFailure(error, instance: name, account: account, object: item)
                )
            }
        }
    }
}
