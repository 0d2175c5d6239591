public import Collector

extension WeChatImporter {
    /// 单篇详情 "下载数据明细": a multi-sheet workbook about one article (PLATFORMS.md §1.8).
    ///
    /// The sheet 数据概况 holds the article's cumulative totals: `阅读次数` → `views`, `完读率` →
    /// `completion_rate`, `分享次数` → `shares`, `在看次数` → `recommends`, `点赞次数` → `likes`,
    /// `评论(条)` → `comments`. The sheet 数据趋势明细 holds its reads per day and 传播渠道.
    ///
    /// **The article**: the export does not name it in a column of its own. Its id
    /// (`<mid>_<idx>`) is taken from a `内容url` column of 数据概况 or a link in the rows above
    /// its header; failing both, from the file name (`2247501234_1.xlsx`, or any name holding
    /// the msgid), so the operator names the file after the article.
    ///
    /// **As-of day**: the totals are stamped at 00:00 of the last day of the 全部 rows of
    /// 数据趋势明细, the day the export's figures run to; without that sheet (a 数据概况 saved as
    /// CSV), at the day of the import. A later export of the same article then adds its later
    /// totals on their own day.
    ///
    /// **Days before**: `阅读次数` and `分享次数` are counts of reads and shares, so their running
    /// sums over the 全部 rows are the article's cumulative totals on each earlier day; they are
    /// stored as `views` and `shares` of those days when the sum over all days equals the total
    /// in 数据概况 (the trend then covers the article's whole life). `阅读人数` and `分享人数` count
    /// people, who do not add up across days, and are not stored.
    public static let articleDetail = ExportKind(
        name: "article_detail",
        summary: "单篇详情 \"下载数据明细\": one article's totals (数据概况) and daily reads (数据趋势明细).",
        columns: [
            ExportColumn("阅读次数", required: true),
            ExportColumn("完读率", required: true),
            ExportColumn("分享次数"),
            ExportColumn("在看次数", aliases: ["在看数", "在看"]),
            ExportColumn("点赞次数", aliases: ["点赞数", "点赞"]),
            ExportColumn("评论(条)", aliases: ["评论数", "评论次数", "评论"]),
            ExportColumn("内容url", aliases: ["内容链接", "文章链接", "原文链接", "链接", "msgid"]),
        ],
        metrics: [
            MetricDescriptor(.views, .content, "阅读次数: the article's reads as of the export's last day."),
            MetricDescriptor(.completionRate, .content, "完读率 as a fraction."),
            MetricDescriptor(.shares, .content, "分享次数: shares as of the export's last day."),
            MetricDescriptor(.recommends, .content, "在看次数."),
            MetricDescriptor(.likes, .content, "点赞次数."),
            MetricDescriptor(.comments, .content, "评论(条)."),
        ]
    )

    /// The 数据趋势明细 sheet of a 单篇详情 workbook.
    static let articleTrend = ExportKind(
        name: "article_detail_trend",
        summary: "单篇详情 → 数据趋势明细: one article's reads and shares per day and channel.",
        columns: [
            ExportColumn("日期", aliases: ["时间"], required: true),
            ExportColumn("传播渠道", aliases: ["渠道"], required: true),
            ExportColumn("阅读次数", required: true),
            ExportColumn("分享次数"),
            ExportColumn("阅读人数"),
            ExportColumn("分享人数"),
        ],
        metrics: []
    )

    func importArticleDetail(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let metrics = header.metricColumns(
            [
                ("阅读次数", .views, .count),
                ("完读率", .completionRate, .rate),
                ("分享次数", .shares, .count),
                ("在看次数", .recommends, .count),
                ("点赞次数", .likes, .count),
                ("评论(条)", .comments, .count),
            ],
            file: table.name,
            batch: batch
        )
        var overview: TableRow?
        while let row = try table.nextRow() {
            if !row.isBlank {
                overview = row
                break
            }
        }
        guard let overview else { return 0 }
        let object = try articleDetailObject(overview: overview, header: header, file: table.name)
        let trend = try readArticleTrend(context: context, into: batch)
        let asOf = trend.last?.date ?? context.today

        var output = RowImport(file: table.name, header: header, batch: batch)
        // Running totals of the days before, per metric, when they add up to the total.
        for (metric, totals) in [
            (MetricName.views, trend.map { ($0.date, $0.views) }),
            (MetricName.shares, trend.map { ($0.date, $0.shares) }),
        ] {
            // An exact total only: a column in 万 (or refused for its unit) gives none.
            guard let column = metrics.first(where: { $0.metric == metric }), column.unit == nil,
                case .value(.integer(let total), .exact) = CellReader.read(overview[cell: column.index], as: .count),
                totals.allSatisfy({ $0.1 != nil })
            else { continue }
            var sum: Int64 = 0
            var running: [(CivilDate, Int64)] = []
            for (date, value) in totals {
                sum += value ?? 0
                running.append((date, sum))
            }
            guard sum == total else { continue }
            for (date, value) in running where date < asOf {
                try output.append(
                    Sample(
                        time: context.calendar.startOfDay(date),
                        platform: .wechat,
                        account: account,
                        object: object,
                        metric: metric,
                        value: .integer(value),
                        source: .import
                    )
                )
            }
        }
        try output.addMetrics(
            of: overview,
            metrics,
            profiles: WeChatImporter.countProfiles,
            time: context.calendar.startOfDay(asOf),
            platform: .wechat,
            account: account,
            object: object
        )
        try output.finish()
        return 1
    }

    /// The article's id: a `内容url` cell, a link above the header, or the file name.
    private func articleDetailObject(
        overview: TableRow,
        header: MatchedHeader,
        file: String
    ) throws(ImportError)
        -> String
    {
        if let index = header.index(of: "内容url"), let id = WeChatImporter.articleID(overview[cell: index]) {
            return id
        }
        for row in header.preamble {
            for cell in row.cells {
                if cell.contains("mid="), let id = WeChatImporter.articleID(cell) { return id }
            }
        }
        let base = file.split(separator: "/").last.map(String.init) ?? file
        if let id = WeChatImporter.msgid(inName: base) { return id }
        throw ImportError.missingObject(
            file,
            "the 单篇详情 export does not say which article it describes; name the file after the article's msgid, "
                + "the mid and idx of its link (for …&mid=2247501234&idx=1&…: 2247501234_1.xlsx), "
                + "or add a column 内容url with the article's link to the 数据概况 sheet"
        )
    }

    /// `2247501234_1` in a file name such as `单篇详情_2247501234_1.xlsx`: six or more digits,
    /// `_`, one or two digits, not inside a longer number.
    package static func msgid(inName name: String) -> String? {
        let bytes = Array(name.utf8)
        func isDigit(_ index: Int) -> Bool {
            index >= 0 && index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        var index = 0
        while index < bytes.count {
            guard isDigit(index), !isDigit(index - 1) else {
                index += 1
                continue
            }
            var end = index
            while isDigit(end) { end += 1 }
            if end - index >= 6, end < bytes.count, bytes[end] == UInt8(ascii: "_"), isDigit(end + 1) {
                var idxEnd = end + 1
                while isDigit(idxEnd) { idxEnd += 1 }
                if idxEnd - end - 1 <= 2 {
                    return String(decoding: bytes[index..<idxEnd], as: UTF8.self)
                }
            }
            index = end
        }
        return nil
    }

    /// One 全部 day of 数据趋势明细.
    private struct TrendDay {
        var date: CivilDate
        var views: Int64?
        var shares: Int64?
    }

    /// The 全部 days of the workbook's 数据趋势明细 sheet, in date order; empty without it.
    private func readArticleTrend(
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError)
        -> [TrendDay]
    {
        guard let workbook = context.workbook,
            let name = workbook.names.first(where: { $0.contains("趋势") && $0 != workbook.current })
        else { return [] }
        var sheet = try workbook.open(name)
        let sheetFile = "\(context.file) (sheet \(name))"
        let header = try HeaderMatcher.match(
            &sheet,
            kinds: [WeChatImporter.articleTrend],
            platform: .wechat,
            requested: true
        )
        let dateColumn = header.requiredIndex(of: "日期")
        let channelColumn = header.requiredIndex(of: "传播渠道")
        // Exact daily figures only: a column whose header names a unit (`阅读次数(万)`) has none.
        func exactColumn(_ name: String) -> Int? {
            header.index(of: name).flatMap {
                HeaderUnit.reading(header: header.title(ofCell: $0), as: .count) == .none ? $0 : nil
            }
        }
        let viewsColumn = exactColumn("阅读次数")
        let sharesColumn = exactColumn("分享次数")
        var output = RowImport(file: sheetFile, header: header, batch: batch)
        var days: [CivilDate: TrendDay] = [:]
        while let row = try sheet.nextRow() {
            if row.isBlank { continue }
            let dateCell = CellText.trimmed(row[cell: dateColumn])
            if CellText.isSummaryLabel(dateCell) { continue }
            guard let day = DateTimeCell(dateCell) else {
                output.badDate(row, column: dateColumn, role: .countedDay, today: context.today)
                continue
            }
            guard WeChatImporter.totalChannels.contains(CellText.trimmed(row[cell: channelColumn])) else { continue }
            if output.isFuture(day.date, row, column: dateColumn, context: context) { continue }
            func count(_ column: Int?) -> Int64? {
                guard let column else { return nil }
                switch CellReader.read(row[cell: column], as: .count) {
                case .value(.integer(let value), .exact): return value
                case .bad(let reason):
                    output.badCell(row, column: column, reason: reason)
                    return nil
                default: return nil
                }
            }
            days[day.date] = TrendDay(date: day.date, views: count(viewsColumn), shares: count(sharesColumn))
        }
        try output.finish()
        return days.values.sorted { $0.date < $1.date }
    }
}
