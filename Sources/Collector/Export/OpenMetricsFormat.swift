/// OpenMetrics text for `collector export --format openmetrics` (STYLE §6): one family per
/// metric, `social_<metric>`, typed `gauge` (so no `_total` suffix is needed), labels
/// `platform, account, object, quality, source` (`object` left out when empty), timestamps in
/// seconds, the samples of a series together and in time order, families never interleaved,
/// and `# EOF` at the end, so that `promtool tsdb create-blocks-from openmetrics` accepts it.
enum OpenMetricsFormat {
    /// The last line.
    static let endOfFile: StaticString = "# EOF\n"

    /// The family prefix.
    static let familyPrefix: StaticString = "social_"

    /// `# TYPE` and `# HELP` of a family. Every family has a help text (`promtool check
    /// metrics` flags one without): the SPEC §4 meaning, or for a name SPEC §4 does not list
    /// (an exec adapter's own), a pointer to where such names are described.
    static func appendFamilyHeader(metric: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        ByteText.append("# TYPE ", to: &bytes)
        ByteText.append(familyPrefix, to: &bytes)
        appendSanitizedName(metric, to: &bytes)
        ByteText.append(" gauge\n", to: &bytes)
        let name = String(decoding: metric, as: UTF8.self)
        ByteText.append("# HELP ", to: &bytes)
        ByteText.append(familyPrefix, to: &bytes)
        appendSanitizedName(metric, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: (help[name] ?? "Metric \(name) of the platform that names it (docs/SPEC.md §4).").utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A metric name with any byte a family name may not hold written as `_`.
    static func appendSanitizedName(_ metric: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        for byte in metric {
            let allowed =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            bytes.append(allowed ? byte : UInt8(ascii: "_"))
        }
    }

    /// One sample line: `social_followers{platform="wechat",account="gh_x",quality="exact",source="api"} 182408 1741017600`.
    static func appendSample(_ row: RowParts, to bytes: inout [UInt8]) {
        ByteText.append(familyPrefix, to: &bytes)
        appendSanitizedName(row.metric, to: &bytes)
        ByteText.append("{platform=\"", to: &bytes)
        appendLabelValue(row.platform, to: &bytes)
        ByteText.append("\",account=\"", to: &bytes)
        appendLabelValue(row.account, to: &bytes)
        if !row.object.isEmpty {
            ByteText.append("\",object=\"", to: &bytes)
            appendLabelValue(row.object, to: &bytes)
        }
        ByteText.append("\",quality=\"", to: &bytes)
        ByteText.append(ByteText.name(of: row.quality), to: &bytes)
        ByteText.append("\",source=\"", to: &bytes)
        ByteText.append(ByteText.name(of: row.source), to: &bytes)
        ByteText.append("\"} ", to: &bytes)
        ByteText.appendValue(row.value, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        ByteText.appendInteger(row.time.secondsSinceEpoch, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A label value with `\`, `"` and LF escaped.
    static func appendLabelValue(_ text: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "\\"): ByteText.append("\\\\", to: &bytes)
            case UInt8(ascii: "\""): ByteText.append("\\\"", to: &bytes)
            case 0x0A: ByteText.append("\\n", to: &bytes)
            default: bytes.append(byte)
            }
        }
    }

    /// Every exported sample, held until all partitions are read: families may not be
    /// interleaved, and one family spans every platform folder and month. 32 bytes a sample.
    struct Collection {
        private let tables: PartitionMerger.Tables
        private var rows: [PartitionMerger.Row] = []

        /// Creates an empty collection whose rows' strings are in `tables`.
        init(tables: PartitionMerger.Tables) {
            self.tables = tables
        }

        /// Adds the rows of one partition.
        mutating func add(_ partition: [PartitionMerger.Row]) {
            rows.append(contentsOf: partition)
        }

        /// Writes every family (by name), each series (labels in order, bytewise) with its
        /// samples in time order, then `# EOF`; `emit` gets the bytes when they pass
        /// `chunkSize` and at the end.
        mutating func write(
            chunkSize: Int = 1 << 20,
            _ emit: (inout [UInt8]) throws(StorageError) -> Void
        ) throws(StorageError) {
            let metricRanks = tables.metrics.ranks()
            let platformRanks = tables.platforms.ranks()
            let accountRanks = tables.accounts.ranks()
            let objectRanks = tables.objects.ranks()
            rows.sort { lhs, rhs in
                if lhs.metric != rhs.metric { return metricRanks[Int(lhs.metric)] < metricRanks[Int(rhs.metric)] }
                if lhs.platform != rhs.platform {
                    return platformRanks[Int(lhs.platform)] < platformRanks[Int(rhs.platform)]
                }
                if lhs.account != rhs.account { return accountRanks[Int(lhs.account)] < accountRanks[Int(rhs.account)] }
                if lhs.object != rhs.object { return objectRanks[Int(lhs.object)] < objectRanks[Int(rhs.object)] }
                if lhs.quality != rhs.quality { return lhs.quality.rawValue < rhs.quality.rawValue }
                if lhs.source != rhs.source { return lhs.source.rawValue < rhs.source.rawValue }
                return lhs.time < rhs.time
            }
            var bytes: [UInt8] = []
            var family: UInt16?
            for row in rows {
                tables.withRowParts(of: row) { parts in
                    if row.metric != family {
                        appendFamilyHeader(metric: parts.metric, to: &bytes)
                        family = row.metric
                    }
                    appendSample(parts, to: &bytes)
                }
                if bytes.count >= chunkSize { try emit(&bytes) }
            }
            ByteText.append(endOfFile, to: &bytes)
            try emit(&bytes)
        }
    }

    /// `# HELP` texts of the SPEC §4 names, extensions included.
    static let help: [String: String] = [
        "followers": "Total followers at that time.",
        "followers_new": "Follows during the day.",
        "followers_lost": "Unfollows during the day.",
        "following": "Accounts the account follows.",
        "posts": "Total posts.",
        "posts_new": "Posts published that day.",
        "views": "Reads or plays: per day at account level, cumulative at content level.",
        "viewers": "Unique readers: per day at account level, cumulative at content level.",
        "likes": "Likes.",
        "comments": "Comments.",
        "shares": "Shares or reposts.",
        "favorites": "Favorites.",
        "recommends": "WeChat recommends.",
        "coins": "Bilibili coins.",
        "danmaku": "Bilibili danmaku.",
        "profile_views": "Profile visits.",
        "impressions": "Impressions.",
        "completion_rate": "Completion rate, a fraction 0-1.",
        "bilibili_likes_received": "Bilibili lifetime likes received by the account.",
        "wechat_share_users": "WeChat people who shared (not times).",
        "wechat_delivered": "WeChat followers the article was delivered to.",
        "wechat_follows_after_read": "WeChat follows after reading the article.",
        "douyin_net_followers": "Douyin net change of followers during the day (may be negative).",
        "douyin_forwards": "Douyin forwards of a video.",
        "douyin_avg_play_seconds": "Douyin average play time of a video, seconds.",
        "douyin_completion_rate_5s": "Douyin 5-second completion rate, a fraction 0-1.",
        "douyin_cover_ctr": "Douyin cover click-through rate, a fraction 0-1.",
        "douyin_bounce_rate_2s": "Douyin 2-second bounce rate, a fraction 0-1.",
        "douyin_profile_visits": "Douyin profile visits attributed to a video.",
        "douyin_follows_gained": "Douyin follows attributed to a video.",
        "toutiao_forwards": "Toutiao forwards (apart from shares).",
        "toutiao_ctr": "Toutiao click-through rate, a fraction 0-1.",
        "toutiao_avg_read_seconds": "Toutiao average read time, seconds.",
        "toutiao_follower_impressions": "Toutiao impressions among followers.",
        "toutiao_follower_views": "Toutiao reads by followers.",
        "channels_avg_play_seconds": "WeChat Channels average play time of a video, seconds.",
        "channels_follows_gained": "WeChat Channels follows attributed to a video.",
        "kuaishou_follows_gained": "Kuaishou follows attributed to a video.",
        "kuaishou_avg_watch_seconds": "Kuaishou average watch time of a video, seconds.",
    ]
}
