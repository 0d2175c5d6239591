import Collector

/// The seven counters of one video, shared by `x/web-interface/view` (`data.stat`) and arcopen
/// `arc/stat` (`data`), which use the same field names (PLATFORMS.md §5.4).
///
/// Every counter goes through ``CountString``: a number (or a numeric string) is exact, a
/// display string such as `1.2万` is approximate, and a placeholder such as `"--"` (the
/// platform's answer for access-restricted videos) or `null` produces no row, never a zero.
enum BilibiliVideoStats {
    /// Field → metric, in the order the rows are written.
    static let fields: [(field: String, metric: MetricName)] = [
        ("view", .views), ("danmaku", .danmaku), ("reply", .comments), ("favorite", .favorites),
        ("coin", .coins), ("share", .shares), ("like", .likes),
    ]

    /// The content-level descriptors, with where each value comes from.
    static func descriptors(from origin: String) -> [MetricDescriptor] {
        fields.map { MetricDescriptor($0.metric, .content, "\(origin)\($0.field), per video (bvid)") }
    }

    /// The samples of one video and the problems found: absent fields and values that are not
    /// counts. A problem costs only its own row.
    static func samples(
        from stat: JSONReader,
        account: String,
        bvid: String,
        time: Timestamp,
        source: Source
    ) -> (samples: [Sample], problems: [String]) {
        var samples: [Sample] = []
        var problems: [String] = []
        for (field, metric) in fields {
            guard let value = stat.value(field) else {
                problems.append("field \"\(stat.path(field))\" is missing")
                continue
            }
            switch CountString.parse(json: value) {
            case .count(let count):
                samples.append(
                    Sample(
                        time: time,
                        platform: .bilibili,
                        account: account,
                        object: bvid,
                        metric: metric,
                        value: count.sampleValue,
                        quality: count.quality,
                        source: source
                    )
                )
            case .missing:
                continue
            case .rejected(let reason):
                problems.append("field \"\(stat.path(field))\": \(reason)")
            }
        }
        return (samples, problems)
    }

    /// Adds the samples of one video to `batch` and records its problems as one failure.
    static func add(
        from stat: JSONReader,
        adapter: String,
        account: String,
        bvid: String,
        time: Timestamp,
        source: Source,
        into batch: SampleBatch
    ) throws {
        let (samples, problems) = samples(from: stat, account: account, bvid: bvid, time: time, source: source)
        try batch.add(contentsOf: samples)
        guard !problems.isEmpty else { return }
        batch.recordFailure(
            CollectionFailure(
                adapter: adapter,
                account: account,
                object: bvid,
                label: AdapterError.schemaChanged("").label,
                message: "\(stat.origin): " + problems.joined(separator: "; ")
                    + " (the platform may have changed its response)"
            )
        )
    }

    /// The catalogue row of a video.
    static func object(account: String, bvid: String, title: String?, published: Int64?) -> ContentObject {
        ContentObject(
            platform: .bilibili,
            object: bvid,
            account: account,
            publishedAt: published.flatMap { $0 > 0 ? Timestamp(secondsSinceEpoch: $0) : nil },
            title: title.map(ContentObject.title(from:)) ?? "",
            url: "https://www.bilibili.com/video/\(bvid)"
        )
    }

    /// Records `error` as the failure of one video.
    static func record(_ error: AdapterError, adapter: String, account: String, bvid: String, in batch: SampleBatch) {
        batch.recordFailure(
            CollectionFailure(
                adapter: adapter,
                account: account,
                object: bvid,
                label: error.label,
                platformCode: error.platformCode,
                message: error.message
            )
        )
    }
}
