public import Collector

extension WeChatImporter {
    /// 内容分析 → 数据趋势 "下载数据明细" (both versions; PLATFORMS.md §1.8).
    public static let contentTrend = ExportKind(
        name: "content_trend",
        summary: "内容分析 → 数据趋势 \"下载数据明细\": daily reads, shares and posts by channel; 全部 is the total.",
        columns: [
            ExportColumn("日期", aliases: ["时间"], required: true),
            ExportColumn("渠道", aliases: ["渠道名称"], required: true),
            ExportColumn("阅读人数", aliases: ["总阅读人数"], required: true),
            ExportColumn("阅读次数", aliases: ["总阅读次数"]),
            ExportColumn("分享次数"),
            ExportColumn("分享人数"),
            ExportColumn("收藏次数"),
            ExportColumn("群发篇数", aliases: ["群发篇", "发表篇数"]),
        ],
        metrics: [
            MetricDescriptor(.views, .account, "阅读次数 of the 全部 row of the day in 日期."),
            MetricDescriptor(.viewers, .account, "阅读人数 of the 全部 row of the day."),
            MetricDescriptor(.shares, .account, "分享次数 of the 全部 row of the day."),
            MetricDescriptor(.favorites, .account, "收藏次数 of the 全部 row of the day."),
            MetricDescriptor(WeChatImporter.shareUsers, .account, "分享人数 of the 全部 row: people who shared."),
            MetricDescriptor(.postsNew, .account, "群发篇数 (群发篇, 发表篇数) of the 全部 row of the day."),
        ]
    )

    /// The 渠道 values that mean the account total.
    static let totalChannels: Set<String> = ["全部", "全部渠道"]

    /// Header cells of the second block of the newer 数据趋势 export (per-article reads by
    /// channel), which ends the daily table.
    static let secondBlockHeaders: Set<String> = ["传播渠道", "内容标题"]

    func importContentTrend(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        let dateColumn = header.requiredIndex(of: "日期")
        let channelColumn = header.requiredIndex(of: "渠道")
        let metrics = header.metricColumns(
            [
                ("阅读次数", .views, .count),
                ("阅读人数", .viewers, .count),
                ("分享次数", .shares, .count),
                ("收藏次数", .favorites, .count),
                ("分享人数", WeChatImporter.shareUsers, .count),
                ("群发篇数", .postsNew, .count),
            ],
            file: table.name,
            batch: batch
        )
        var output = RowImport(file: table.name, header: header, batch: batch)
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            let dateCell = CellText.trimmed(row[cell: dateColumn])
            if CellText.isSummaryLabel(dateCell) { continue }
            guard let day = DateTimeCell(dateCell) else {
                if row.cells.contains(where: { WeChatImporter.secondBlockHeaders.contains(CellText.trimmed($0)) }) {
                    break
                }
                rows += 1
                output.badDate(row, column: dateColumn, role: .countedDay, today: context.today)
                continue
            }
            rows += 1
            // Per-channel rows have no SPEC column; the 全部 row is the account's day.
            guard WeChatImporter.totalChannels.contains(CellText.trimmed(row[cell: channelColumn])) else { continue }
            if output.isFuture(day.date, row, column: dateColumn, context: context) { continue }
            try output.addMetrics(
                of: row,
                metrics,
                profiles: WeChatImporter.countProfiles,
                time: context.calendar.startOfDay(day.date),
                platform: .wechat,
                account: account
            )
        }
        try output.finish()
        return rows
    }
}
