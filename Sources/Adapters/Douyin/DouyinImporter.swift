public import Collector

/// Imports the Douyin creator-centre 作品数据 export (creator.douyin.com → 数据中心 → 作品数据 →
/// 导出数据; PLATFORMS.md §3.4, mapping §3.5).
///
/// ## Kind `works`
/// One row per work: `.xlsx` (or CSV), `发布时间` as `2026-07-27 14:47:18`, rates already as
/// fractions (`0.0512`; `5.12%` is read too), `-` for a value the back office does not have,
/// `作品名称` holding title and body in one cell.
/// - `播放量` → `views`, `点赞量` → `likes`, `分享量` → `shares`, `评论量` → `comments`, `收藏量` →
///   `favorites`, `完播率` → `completion_rate`, `平均播放时长` → `douyin_avg_play_seconds`,
///   `5s完播率` → `douyin_completion_rate_5s`, `封面点击率` → `douyin_cover_ctr`, `2s跳出率` →
///   `douyin_bounce_rate_2s`, `主页访问量` → `douyin_profile_visits`, `粉丝增量` →
///   `douyin_follows_gained`. `体裁` and `审核状态` are not stored.
/// - A header with Kuaishou's `涨粉量`, `涨粉` or `平均观看时长` is no Douyin export
///   (``ExportKind/absentColumns``): the file is refused, with how to import it as Kuaishou's.
/// - objects.csv: the first line of `作品名称` as the title, `发布时间` (Beijing time).
///
/// ## Object id
/// The export has no `item_id` column. A column `作品ID` (or `item_id`) is used when a version
/// has one. Otherwise the work is looked up in objects.csv (``CataloguedWorks``): a video the
/// API catalogued with the same title, published in the same minute, gives its `item_id`, so an
/// account fed by both routes has each work once. Failing that, the id is derived from the
/// publishing minute and a hash of `作品名称` (``DerivedObjectID``: `202503031100_5d1c4b2a`),
/// stable across CSV and XLSX downloads and Excel's re-saving of the same work. A work imported
/// before the API catalogued it keeps its derived id for those rows: import after a collection.
///
/// ## Time
/// The figures are cumulative and the file has no as-of date: each is stamped at 00:00 of the
/// work's publishing day, as WeChat articles (``WeChatImporter``).
public struct DouyinImporter: ExportImporter {
    /// 作品数据.
    public static let works = ExportKind(
        name: "works",
        summary: "创作者中心 作品数据 export: cumulative plays, likes, shares and rates per work.",
        columns: [
            ExportColumn("作品名称", aliases: ["作品标题", "视频标题", "标题", "作品描述"], required: true),
            ExportColumn("发布时间", aliases: ["发布日期", "发表时间"], required: true),
            ExportColumn("播放量", aliases: ["播放次数", "播放数"], required: true),
            ExportColumn("作品ID", aliases: ["作品id", "item_id", "视频ID", "视频id"]),
            ExportColumn("完播率"),
            ExportColumn("5s完播率", aliases: ["5秒完播率"]),
            ExportColumn("封面点击率"),
            ExportColumn("2s跳出率", aliases: ["2秒跳出率"]),
            ExportColumn("平均播放时长", aliases: ["平均播放时间"]),
            ExportColumn("点赞量", aliases: ["点赞数", "点赞"]),
            ExportColumn("分享量", aliases: ["分享数", "分享"]),
            ExportColumn("评论量", aliases: ["评论数", "评论"]),
            ExportColumn("收藏量", aliases: ["收藏数", "收藏"]),
            ExportColumn("主页访问量", aliases: ["主页访问数"]),
            // Not 涨粉量: Douyin's export says 粉丝增量 (PLATFORMS.md §3.4); 涨粉量 is Kuaishou's.
            ExportColumn("粉丝增量", aliases: ["新增粉丝"]),
            ExportColumn("体裁"),
            ExportColumn("审核状态"),
        ],
        metrics: [
            MetricDescriptor(.views, .content, "播放量."),
            MetricDescriptor(.likes, .content, "点赞量."),
            MetricDescriptor(.shares, .content, "分享量."),
            MetricDescriptor(.comments, .content, "评论量."),
            MetricDescriptor(.favorites, .content, "收藏量."),
            MetricDescriptor(.completionRate, .content, "完播率, a fraction."),
            MetricDescriptor(DouyinImporter.avgPlaySeconds, .content, "平均播放时长 in seconds."),
            MetricDescriptor(DouyinImporter.completionRate5s, .content, "5s完播率, a fraction."),
            MetricDescriptor(DouyinImporter.coverClickRate, .content, "封面点击率, a fraction."),
            MetricDescriptor(DouyinImporter.bounceRate2s, .content, "2s跳出率, a fraction."),
            MetricDescriptor(DouyinImporter.profileVisits, .content, "主页访问量 from the work."),
            MetricDescriptor(DouyinImporter.followsGained, .content, "粉丝增量 from the work."),
        ],
        // Kuaishou's 作品数据 has the title, time and count columns too (the shipped mapping's
        // 作品描述, 发布时间, 播放量, 点赞量, …), and both back offices name the download
        // 作品数据.xlsx: a file with its own columns is refused rather than stored as Douyin's.
        absentColumns: ["涨粉量", "涨粉", "平均观看时长"],
        absentColumnsAdvice: "涨粉量 and 平均观看时长 are the columns of Kuaishou's 作品数据, which has no built-in "
            + "kind: import it with --platform kuaishou and a column mapping, such as "
            + "samples/mappings/kuaishou_works_UNVERIFIED.toml (docs/imports.md, \"The mapping file\")"
    )

    static let avgPlaySeconds = MetricName(rawValue: "douyin_avg_play_seconds")
    static let completionRate5s = MetricName(rawValue: "douyin_completion_rate_5s")
    static let coverClickRate = MetricName(rawValue: "douyin_cover_ctr")
    static let bounceRate2s = MetricName(rawValue: "douyin_bounce_rate_2s")
    static let profileVisits = MetricName(rawValue: "douyin_profile_visits")
    static let followsGained = MetricName(rawValue: "douyin_follows_gained")

    /// Douyin.
    public static let platform = Platform.douyin
    /// `works`.
    public static let kinds = [works]

    /// Creates the importer.
    public init() {}

    /// Imports the rows of a `works` table.
    public func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let account = try context.requireAccount()
        let titleColumn = header.requiredIndex(of: "作品名称")
        let timeColumn = header.requiredIndex(of: "发布时间")
        let idColumn = header.index(of: "作品ID")
        let metrics = header.metricColumns(
            [
                ("播放量", .views, .count),
                ("点赞量", .likes, .count),
                ("分享量", .shares, .count),
                ("评论量", .comments, .count),
                ("收藏量", .favorites, .count),
                ("完播率", .completionRate, .rate),
                ("平均播放时长", DouyinImporter.avgPlaySeconds, .seconds),
                ("5s完播率", DouyinImporter.completionRate5s, .rate),
                ("封面点击率", DouyinImporter.coverClickRate, .rate),
                ("2s跳出率", DouyinImporter.bounceRate2s, .rate),
                ("主页访问量", DouyinImporter.profileVisits, .count),
                ("粉丝增量", DouyinImporter.followsGained, .count),
            ],
            file: table.name,
            batch: batch
        )
        let known = CataloguedWorks(
            try context.options.knownObjects?.objects(platform: .douyin, account: account) ?? []
        )
        var output = RowImport(file: table.name, header: header, batch: batch)
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            let title = row[cell: titleColumn]
            if CellText.isSummaryLabel(title) { continue }
            rows += 1
            guard let published = DateTimeCell(row[cell: timeColumn]) else {
                output.badDate(row, column: timeColumn, role: .publishingTime, today: context.today)
                continue
            }
            if output.isFuture(published.date, row, column: timeColumn, context: context) { continue }
            var id = idColumn.map { CellText.trimmed(row[cell: $0]) } ?? ""
            if let idColumn, output.isRefusedID(id, row, column: idColumn) { continue }
            var catalogueTitle = ContentObject.title(from: title)
            if id.isEmpty {
                guard !CellText.trimmed(title).isEmpty else {
                    output.badRow(row, column: titleColumn, expected: "a work's title (the id is derived from it)")
                    continue
                }
                (id, catalogueTitle) = known.work(published: published, title: title)
            }
            try output.addMetrics(
                of: row,
                metrics,
                time: context.calendar.startOfDay(published.date),
                platform: .douyin,
                account: account,
                object: id
            )
            batch.add(
                object: ContentObject(
                    platform: .douyin,
                    object: id,
                    account: account,
                    publishedAt: published.timestamp(calendar: context.calendar),
                    title: catalogueTitle,
                    url: ""
                )
            )
        }
        try output.finish()
        return rows
    }
}
