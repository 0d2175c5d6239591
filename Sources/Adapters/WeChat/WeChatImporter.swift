public import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Imports the WeChat Official Account back-office exports (mp.weixin.qq.com → 数据分析;
/// PLATFORMS.md §1.8, mapping §1.11).
///
/// ## Kinds
/// - `user_growth`, 用户分析 → 用户增长 "下载表格": one row per day. `累积关注人数` → `followers`,
///   `新关注人数` → `followers_new`, `取消关注人数` → `followers_lost`, each at 00:00 of the day in
///   `时间` in the configured timezone. `净增关注人数` is not stored (it is new minus lost).
/// - `notified_articles`, 内容分析 → 已通知内容, both back-office versions: one row per article,
///   object `<mid>_<idx>` from the `mid` and `idx` of `内容url` (a cell holding a msgid such as
///   `2247501234_1` is taken as it is). `总阅读次数` → `views`, `总阅读人数`/`阅读人数` → `viewers`,
///   `分享次数` → `shares`, `阅读完成率` → `completion_rate` (`62.35%` → 0.6235),
///   `总分享人数`/`分享人数` → `wechat_share_users`, `送达人数` → `wechat_delivered`,
///   `阅读后关注人数` → `wechat_follows_after_read`; `内容标题`, `发表时间` and `内容url` go to
///   objects.csv.
/// - `content_trend`, 内容分析 → 数据趋势 "下载数据明细", both versions: one row per day and
///   渠道; only the `全部` rows, the account total, are stored (the other channels have no SPEC
///   column). `阅读次数` → `views`, `阅读人数` → `viewers`, `分享次数` → `shares`, `收藏次数` →
///   `favorites`, `分享人数` → `wechat_share_users`, `群发篇数`/`群发篇`/`发表篇数` → `posts_new`,
///   each at 00:00 of the day in `日期`. The second block of the newer version (per-article
///   reads by channel) ends the import.
/// - `article_detail`, 单篇详情 "下载数据明细" (see ``articleDetail``).
///
/// ## Values
/// Counts go through ``CountString`` (`1,234` exact, `1.2万` approx; a read or 在看 count
/// `10万+` is the lower bound 100001, see ``countProfiles``), rates and durations
/// through ``MeasureString``; `-`, `--`, `—` and empty cells are missing and give no sample. A
/// cell that is none of these is reported as a `badCell` failure and skipped; the rest of its
/// row is still imported.
///
/// ## Time of article values
/// The 已通知内容 export carries no as-of date (PLATFORMS.md §1.11 leaves the choice open). Its
/// figures are cumulative totals, so each is stamped at 00:00 of the article's publishing day
/// (`发表时间`/`发表日期`): the stored value is the latest known cumulative total of the article,
/// and a later export of the same article, whose totals have grown, supersedes it under the same
/// key (SPEC §3) instead of adding a row per export date.
public struct WeChatImporter: ExportImporter {
    /// 用户分析 → 用户增长.
    public static let userGrowth = ExportKind(
        name: "user_growth",
        summary: "用户分析 → 用户增长 \"下载表格\": daily new, lost and total followers.",
        columns: [
            ExportColumn("时间", aliases: ["日期"], required: true),
            ExportColumn("累积关注人数", aliases: ["累计关注人数", "总关注人数"], required: true),
            ExportColumn("新关注人数", aliases: ["新增关注人数"]),
            ExportColumn("取消关注人数", aliases: ["取消关注"]),
            ExportColumn("净增关注人数", aliases: ["净增关注"]),
        ],
        metrics: [
            MetricDescriptor(.followers, .account, "累积关注人数 of the day in 时间."),
            MetricDescriptor(.followersNew, .account, "新关注人数 of the day."),
            MetricDescriptor(.followersLost, .account, "取消关注人数 of the day."),
        ]
    )

    /// 内容分析 → 已通知内容.
    public static let notifiedArticles = ExportKind(
        name: "notified_articles",
        summary: "内容分析 → 已通知内容: cumulative reads, shares and deliveries per article.",
        columns: [
            ExportColumn("内容url", aliases: ["内容链接", "文章链接", "原文链接", "链接", "msgid"], required: true),
            ExportColumn("发表时间", aliases: ["发表日期", "发布时间", "发布日期", "群发时间", "群发日期"], required: true),
            ExportColumn("总阅读人数", aliases: ["阅读人数"], required: true),
            ExportColumn("内容标题", aliases: ["标题", "文章标题"]),
            ExportColumn("总阅读次数", aliases: ["阅读次数"]),
            ExportColumn("分享次数", aliases: ["总分享次数"]),
            ExportColumn("阅读完成率", aliases: ["完读率"]),
            ExportColumn("总分享人数", aliases: ["分享人数"]),
            ExportColumn("送达人数"),
            ExportColumn("阅读后关注人数", aliases: ["阅读后关注"]),
        ],
        metrics: [
            MetricDescriptor(.views, .content, "总阅读次数: cumulative reads of the article."),
            MetricDescriptor(.viewers, .content, "总阅读人数 (阅读人数): cumulative readers."),
            MetricDescriptor(.shares, .content, "分享次数: cumulative shares."),
            MetricDescriptor(.completionRate, .content, "阅读完成率 as a fraction: 62.35% → 0.6235."),
            MetricDescriptor(WeChatImporter.shareUsers, .content, "总分享人数 (分享人数): people who shared it."),
            MetricDescriptor(WeChatImporter.delivered, .content, "送达人数: followers it was delivered to."),
            MetricDescriptor(WeChatImporter.followsAfterRead, .content, "阅读后关注人数: follows after reading it."),
        ]
    )

    /// How the WeChat exports' counts are read: reads and 在看 under
    /// ``CountProfile/wechatReads``, so a `10万+` is stored as the lower bound 100001 (more than
    /// 100000: the `read_num` cap and the Qingbo convention, COUNTS_AND_TARGETS.md §1.2 Step 6),
    /// every other count under the default profile.
    static let countProfiles: [MetricName: CountProfile] = [
        .views: .wechatReads, .viewers: .wechatReads, .recommends: .wechatReads,
    ]

    /// People who shared (PLATFORMS.md §1.11).
    static let shareUsers = MetricName(rawValue: "wechat_share_users")
    /// 送达人数.
    static let delivered = MetricName(rawValue: "wechat_delivered")
    /// 阅读后关注人数.
    static let followsAfterRead = MetricName(rawValue: "wechat_follows_after_read")

    /// WeChat Official Accounts.
    public static let platform = Platform.wechat
    /// `user_growth`, `notified_articles`, `content_trend` and `article_detail`.
    public static let kinds = [userGrowth, notifiedArticles, contentTrend, articleDetail]

    /// Creates the importer.
    public init() {}

    /// Imports the rows of a table of one of ``kinds``.
    public func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let account = try context.requireAccount()
        switch header.kind.name {
        case WeChatImporter.userGrowth.name:
            return try importUserGrowth(of: &table, header: header, account: account, context: context, into: batch)
        case WeChatImporter.notifiedArticles.name:
            return try importNotifiedArticles(
                of: &table,
                header: header,
                account: account,
                context: context,
                into: batch
            )
        case WeChatImporter.contentTrend.name:
            return try importContentTrend(of: &table, header: header, account: account, context: context, into: batch)
        case WeChatImporter.articleDetail.name:
            return try importArticleDetail(of: &table, header: header, account: account, context: context, into: batch)
        default:
            throw ImportError.unknownKindName(header.kind.name, platform: .wechat, kinds: WeChatImporter.kinds)
        }
    }

    // MARK: - 用户增长

    private func importUserGrowth(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let timeColumn = header.requiredIndex(of: "时间")
        let metrics = header.metricColumns(
            [
                ("累积关注人数", .followers, .count),
                ("新关注人数", .followersNew, .count),
                ("取消关注人数", .followersLost, .count),
            ],
            file: table.name,
            batch: batch
        )
        var output = RowImport(file: table.name, header: header, batch: batch)
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            let timeCell = CellText.trimmed(row[cell: timeColumn])
            // The summary rows some versions add under the days are no data.
            if CellText.isSummaryLabel(timeCell) { continue }
            rows += 1
            guard let day = DateTimeCell(timeCell) else {
                output.badDate(row, column: timeColumn, role: .countedDay, today: context.today)
                continue
            }
            if output.isFuture(day.date, row, column: timeColumn, context: context) { continue }
            try output.addMetrics(
                of: row,
                metrics,
                time: context.calendar.startOfDay(day.date),
                platform: .wechat,
                account: account
            )
        }
        try output.finish()
        return rows
    }

    // MARK: - 已通知内容

    private func importNotifiedArticles(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let calendar = context.calendar
        let latestDay = context.latestDay
        let urlColumn = header.requiredIndex(of: "内容url")
        let timeColumn = header.requiredIndex(of: "发表时间")
        let titleColumn = header.index(of: "内容标题")
        let metrics = header.metricColumns(
            [
                ("总阅读次数", .views, .count),
                ("总阅读人数", .viewers, .count),
                ("分享次数", .shares, .count),
                ("阅读完成率", .completionRate, .rate),
                ("总分享人数", WeChatImporter.shareUsers, .count),
                ("送达人数", WeChatImporter.delivered, .count),
                ("阅读后关注人数", WeChatImporter.followsAfterRead, .count),
            ],
            file: table.name,
            batch: batch
        )
        let file = table.name
        var badCells = BadCellLog(file: file)
        var output = SampleBuffer(batch: batch, file: file)
        var rows = 0
        // Consecutive articles share their day: convert each day once.
        var lastDay: CivilDate?
        var dayStart = Timestamp(secondsSinceEpoch: 0)

        var row = ByteRow()
        while try table.nextRow(into: &row) {
            if row.isBlank { continue }
            rows += 1
            // Read the row's bytes; failures are reported after, outside the borrow of `row`.
            var rowFailure: (column: Int, expected: String)?
            var futureDate: CivilDate?
            var cellFailures: [(column: Int, reason: String)] = []
            var object: ContentObject?
            row.withCells { cells in
                guard let id = WeChatImporter.articleID(cells[urlColumn]) else {
                    rowFailure = (urlColumn, WeChatImporter.articleIDExpected)
                    return
                }
                guard let published = DateTimeCell(cells[timeColumn]) else {
                    rowFailure = (timeColumn, DateTimeCell.expected)
                    return
                }
                guard published.date <= latestDay else {
                    futureDate = published.date
                    return
                }
                if published.date != lastDay {
                    lastDay = published.date
                    dayStart = calendar.startOfDay(published.date)
                }
                for column in metrics {
                    let profile = WeChatImporter.countProfiles[column.metric] ?? .default
                    switch CellReader.read(
                        cells[column.index],
                        as: column.kind,
                        for: column.metric,
                        range: column.range,
                        profile: profile,
                        unit: column.unit
                    ) {
                    case .missing:
                        continue
                    case .value(let value, let quality):
                        output.append(
                            Sample(
                                time: dayStart,
                                platform: .wechat,
                                account: account,
                                object: id,
                                metric: column.metric,
                                value: value,
                                quality: quality,
                                source: .import
                            )
                        )
                    case .bad(let reason):
                        // Rare: record it and go on with the row's other cells.
                        cellFailures.append((column.index, reason))
                    }
                }
                object = ContentObject(
                    platform: .wechat,
                    object: id,
                    account: account,
                    // A time of day is Beijing time, as every WeChat time; a bare date is a platform day.
                    publishedAt: published.timestamp(calendar: calendar),
                    title: titleColumn.map { WeChatImporter.firstLine(cells[$0]) } ?? "",
                    url: WeChatImporter.trimmedText(cells[urlColumn])
                )
            }
            // Off the fast path: a row without an article link may be the totals row under
            // the articles (`合计` in its first cell, as Excel adds it), which is no data.
            if let failure = rowFailure, failure.column == urlColumn, CellText.isSummaryRow(row) {
                rows -= 1
                continue
            }
            if let futureDate {
                badCells.recordFutureDate(
                    line: row.number,
                    column: timeColumn,
                    title: header.title(ofCell: timeColumn),
                    cell: CellText.trimmed(row[cell: timeColumn]),
                    date: futureDate,
                    latest: latestDay,
                    today: context.today,
                    into: batch
                )
            }
            if let rowFailure, rowFailure.column == timeColumn {
                badCells.recordBadDate(
                    line: row.number,
                    column: timeColumn,
                    title: header.title(ofCell: timeColumn),
                    value: row[cell: timeColumn],
                    role: .publishingTime,
                    today: context.today,
                    into: batch
                )
            } else if let rowFailure {
                badCells.record(
                    line: row.number,
                    column: rowFailure.column,
                    title: header.title(ofCell: rowFailure.column),
                    value: row[cell: rowFailure.column],
                    expected: rowFailure.expected,
                    skipsRow: true,
                    into: batch
                )
            }
            for failure in cellFailures {
                badCells.record(
                    line: row.number,
                    column: failure.column,
                    title: header.title(ofCell: failure.column),
                    reason: failure.reason,
                    into: batch
                )
            }
            try output.flushIfFull()
            if let object { batch.add(object: object) }
        }
        try output.flush()
        badCells.finish(into: batch)
        return rows
    }

    private static let articleIDExpected = "an article link with mid= and idx= (or a msgid such as 2247501234_1)"

    /// `<mid>_<idx>` from an article link (`…&mid=2247501234&idx=1&…`, also with `&amp;`), or a
    /// msgid written as such (`2247501234_1`); nil otherwise. Never the title: titles get edited.
    package static func articleID(_ cell: String) -> String? {
        var text = cell
        return text.withUTF8 { articleID($0) }
    }

    /// ``articleID(_:)`` on the cell's bytes.
    static func articleID(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        // A msgid as it is: digits, `_`, digits.
        if isDigit(bytes[start]) {
            var index = start
            while index < end, isDigit(bytes[index]) { index += 1 }
            if index < end, bytes[index] == UInt8(ascii: "_"), index + 1 < end {
                var rest = index + 1
                while rest < end, isDigit(bytes[rest]) { rest += 1 }
                if rest == end {
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                }
            }
        }
        // `mid=` and `idx=` after `?`, `&` or `&amp;`: look back from each `=`.
        var mid: Range<Int>?
        var idx: Range<Int>?
        var index = start + 4
        while index < end {
            // Jump to the next `=`.
            guard let base = bytes.baseAddress,
                let found = memchr(base + index, Int32(UInt8(ascii: "=")), end - index)
            else { break }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let separator = bytes[index - 4]
            if separator == UInt8(ascii: "?") || separator == UInt8(ascii: "&") || separator == UInt8(ascii: ";") {
                let name = (bytes[index - 3], bytes[index - 2], bytes[index - 1])
                let isMid = name == (UInt8(ascii: "m"), UInt8(ascii: "i"), UInt8(ascii: "d"))
                let isIdx = name == (UInt8(ascii: "i"), UInt8(ascii: "d"), UInt8(ascii: "x"))
                if (isMid && mid == nil) || (isIdx && idx == nil) {
                    var digitsEnd = index + 1
                    while digitsEnd < end, isDigit(bytes[digitsEnd]) { digitsEnd += 1 }
                    if digitsEnd > index + 1 {
                        if isMid { mid = (index + 1)..<digitsEnd } else { idx = (index + 1)..<digitsEnd }
                        if mid != nil && idx != nil { break }
                    }
                }
            }
            index += 1
        }
        guard let mid, let idx else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[mid]), as: UTF8.self) + "_"
            + String(decoding: UnsafeBufferPointer(rebasing: bytes[idx]), as: UTF8.self)
    }

    /// The cell's text without surrounding spaces.
    static func trimmedText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The first line of a title cell, on its bytes: the import's fast path (a million cells
    /// without a `String` each); other code uses ``ContentObject/title(from:)``, and so does a
    /// line holding a control character or a Unicode line break (NEL, U+2028), which that rule
    /// ends the line at or drops.
    static func firstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = 0
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if StoredID.hasControlCharacter(UnsafeRawBufferPointer(line)) {
            return ContentObject.title(from: String(decoding: bytes, as: UTF8.self))
        }
        return String(decoding: line, as: UTF8.self)
    }
}

/// Samples on their way to the batch, handed over a few thousand at a time.
private struct SampleBuffer {
    let batch: SampleBatch
    let file: String
    private var pending: [Sample] = []

    init(batch: SampleBatch, file: String) {
        self.batch = batch
        self.file = file
        pending.reserveCapacity(4096)
    }

    mutating func append(_ sample: Sample) { pending.append(sample) }

    mutating func flushIfFull() throws(ImportError) {
        if pending.count >= 4096 { try flush() }
    }

    mutating func flush() throws(ImportError) {
        do {
            try batch.add(contentsOf: pending)
        } catch {
            throw ImportError.storage(file, error)
        }
        pending.removeAll(keepingCapacity: true)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
