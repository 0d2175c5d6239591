public import Collector

/// Imports the WeChat Channels (视频号) post export of 视频号助手 (channels.weixin.qq.com →
/// 数据中心 → 作品数据 → 下载; PLATFORMS.md §1.10, mapping §1.12). Channels has no API for these
/// figures, so this file is its only source.
///
/// ## Kind `posts`
/// One row per post: a CSV with a UTF-8 byte order mark, `发布时间` as `2026/07/27`, rates as
/// `18.42%`, durations as `13.77秒`, and `视频描述` holding title and body over several lines.
/// - object: `视频ID` as it is (`export/UzFf…`).
/// - `播放量` → `views`, `推荐` → `recommends` (the closest §4 meaning of 在看), `喜欢` → `likes`,
///   `评论量` → `comments`, `分享量` → `shares`, `完播率` → `completion_rate` (`18.42%` → 0.1842),
///   `平均播放时长` → `channels_avg_play_seconds` (`13.77秒` → 13.77), `关注量` →
///   `channels_follows_gained` (follows attributed to the post, not the account's followers).
/// - objects.csv: the first line of `视频描述` as the title, `发布时间` as the publishing day.
///
/// ## Time
/// The export carries no as-of date and its figures are cumulative, so, as WeChat articles
/// (``WeChatImporter``), each is stamped at 00:00 of the post's publishing day: a later export
/// of the same post supersedes the earlier totals under the same key (SPEC §3).
public struct ChannelsImporter: ExportImporter {
    /// 视频号助手 → 作品数据.
    public static let posts = ExportKind(
        name: "posts",
        summary: "视频号助手 作品数据 download: cumulative plays, likes, shares and follows per post.",
        columns: [
            ExportColumn("视频ID", aliases: ["视频id", "作品ID", "作品id", "视频号ID"], required: true),
            ExportColumn("发布时间", aliases: ["发表时间", "发布日期"], required: true),
            ExportColumn("播放量", aliases: ["播放次数", "播放数"], required: true),
            ExportColumn("视频描述", aliases: ["作品描述", "描述", "视频标题", "标题"]),
            ExportColumn("完播率"),
            ExportColumn("平均播放时长", aliases: ["平均播放时间", "平均观看时长"]),
            ExportColumn("推荐", aliases: ["推荐数", "推荐量"]),
            ExportColumn("喜欢", aliases: ["喜欢数", "喜欢量", "点赞", "点赞量"]),
            ExportColumn("评论量", aliases: ["评论数", "评论"]),
            ExportColumn("分享量", aliases: ["分享数", "分享", "转发量"]),
            ExportColumn("关注量", aliases: ["新增关注", "关注数", "涨粉量"]),
        ],
        metrics: [
            MetricDescriptor(.views, .content, "播放量: cumulative plays."),
            MetricDescriptor(.recommends, .content, "推荐."),
            MetricDescriptor(.likes, .content, "喜欢."),
            MetricDescriptor(.comments, .content, "评论量."),
            MetricDescriptor(.shares, .content, "分享量."),
            MetricDescriptor(.completionRate, .content, "完播率 as a fraction: 18.42% → 0.1842."),
            MetricDescriptor(ChannelsImporter.avgPlaySeconds, .content, "平均播放时长 in seconds: 13.77秒 → 13.77."),
            MetricDescriptor(ChannelsImporter.followsGained, .content, "关注量: follows attributed to the post."),
        ]
    )

    /// 平均播放时长.
    static let avgPlaySeconds = MetricName(rawValue: "channels_avg_play_seconds")
    /// 关注量.
    static let followsGained = MetricName(rawValue: "channels_follows_gained")

    /// WeChat Channels.
    public static let platform = Platform.channels
    /// `posts`.
    public static let kinds = [posts]

    /// Creates the importer.
    public init() {}

    /// Imports the rows of a `posts` table.
    public func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let account = try context.requireAccount()
        let idColumn = header.requiredIndex(of: "视频ID")
        let timeColumn = header.requiredIndex(of: "发布时间")
        let titleColumn = header.index(of: "视频描述")
        let metrics = header.metricColumns(
            [
                ("播放量", .views, .count),
                ("推荐", .recommends, .count),
                ("喜欢", .likes, .count),
                ("评论量", .comments, .count),
                ("分享量", .shares, .count),
                ("完播率", .completionRate, .rate),
                ("平均播放时长", ChannelsImporter.avgPlaySeconds, .seconds),
                ("关注量", ChannelsImporter.followsGained, .count),
            ],
            file: table.name,
            batch: batch
        )
        var output = RowImport(file: table.name, header: header, batch: batch)
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            rows += 1
            let id = CellText.trimmed(row[cell: idColumn])
            guard !id.isEmpty else {
                // The totals row Excel adds under the posts (`合计` in its first cell) is no data.
                if CellText.isSummaryRow(row) {
                    rows -= 1
                    continue
                }
                output.badRow(row, column: idColumn, expected: "a video id")
                continue
            }
            if output.isRefusedID(id, row, column: idColumn) { continue }
            guard let published = DateTimeCell(row[cell: timeColumn]) else {
                output.badDate(row, column: timeColumn, role: .publishingTime, today: context.today)
                continue
            }
            if output.isFuture(published.date, row, column: timeColumn, context: context) { continue }
            try output.addMetrics(
                of: row,
                metrics,
                time: context.calendar.startOfDay(published.date),
                platform: .channels,
                account: account,
                object: id
            )
            batch.add(
                object: ContentObject(
                    platform: .channels,
                    object: id,
                    account: account,
                    publishedAt: published.timestamp(calendar: context.calendar),
                    title: titleColumn.map { ContentObject.title(from: row[cell: $0]) } ?? "",
                    url: ""
                )
            )
        }
        try output.finish()
        return rows
    }
}
