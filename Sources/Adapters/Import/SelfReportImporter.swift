public import Collector

/// Imports the self-report sheet the units fill in (`collector template` writes it; SPEC §6
/// registry): one row per registry account with the day and the unit's own figures.
///
/// ## Kind `self_report` (platform `any`)
/// Columns `unit, platform, account, name, date, followers, posts, views, notes` (Chinese
/// headers such as 单位, 平台, 账号, 日期, 粉丝数, 发文数, 阅读量 are read too). `followers` →
/// `followers` (the total on that day), `posts` → `posts` (total posts to that day), `views` →
/// `views` (reads or plays of that day, as SPEC §4 defines account-level views), each at 00:00
/// of `date` in the configured timezone, for the row's platform and account.
///
/// ## Checks
/// Every row is checked and each problem reported with its line (a failure in the batch), and
/// the rest of the sheet is imported:
/// - `unknownAccount`: the platform and account are not in the registry: the row is skipped.
/// - `badCell`: a platform that is neither built in nor in the registry, a date that is not
///   one (row skipped), or text where a count belongs (that cell skipped; `1.2万` is read as
///   `approx`).
/// - `futureDate`: a date after the day of the import: the row is skipped.
/// - `drop`: `followers` or `posts` below the last stored value of an earlier day (or of an
///   earlier row of the sheet) by more than `max_drop` (default 20 %): that value is skipped.
///   Totals rarely fall that fast; a typo or the wrong account is likelier. `views` is a daily
///   figure and may fall freely.
/// Cells left empty give no sample, so a unit may fill in only what it has.
public struct SelfReportImporter: ExportImporter {
    /// The self-report sheet.
    public static let selfReport = ExportKind(
        name: "self_report",
        summary: "The units' self-report sheet (collector template): followers, posts and views per account and day.",
        columns: [
            ExportColumn("platform", aliases: ["平台"], required: true),
            ExportColumn("account", aliases: ["账号", "账号ID", "账号id", "帐号"], required: true),
            ExportColumn("date", aliases: ["日期", "填报日期", "统计日期"], required: true),
            ExportColumn("unit", aliases: ["单位", "单位名称"]),
            ExportColumn("name", aliases: ["名称", "账号名称"]),
            ExportColumn("followers", aliases: ["粉丝数", "粉丝", "关注人数", "粉丝总数"]),
            ExportColumn("posts", aliases: ["发文数", "作品数", "发布数", "发文总数"]),
            ExportColumn("views", aliases: ["阅读量", "播放量", "阅读数", "当日阅读量"]),
            ExportColumn("notes", aliases: ["备注"]),
        ],
        metrics: [
            MetricDescriptor(.followers, .account, "followers: the total on the day in date."),
            MetricDescriptor(.posts, .account, "posts: total posts to that day."),
            MetricDescriptor(.views, .account, "views: reads or plays of that day."),
        ]
    )

    /// The column names of the sheet, in the order `collector template` writes them.
    public static let columnNames = [
        "unit", "platform", "account", "name", "date", "followers", "posts", "views", "notes",
    ]

    /// `any`: the rows name their platforms.
    public static let platform = Platform(rawValue: "any")
    /// `self_report`.
    public static let kinds = [selfReport]

    /// Platform names as units write them.
    static let platformNames: [String: Platform] = [
        "微信": .wechat, "微信公众号": .wechat, "公众号": .wechat, "视频号": .channels, "微信视频号": .channels,
        "微博": .weibo, "新浪微博": .weibo, "抖音": .douyin, "快手": .kuaishou, "哔哩哔哩": .bilibili, "b站": .bilibili,
        "头条": .toutiao, "今日头条": .toutiao, "头条号": .toutiao,
    ]

    /// Creates the importer.
    public init() {}

    /// Imports and checks the rows of a self-report sheet.
    public func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        context: ImportContext,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        guard let registry = context.options.registry else { throw ImportError.missingRegistry(context.file) }
        var known = Set<String>()
        for entry in registry.entries { known.insert(entry.platform.rawValue + "\u{0}" + entry.account) }
        // The registry may name platforms of exec adapters (xiaohongshu): the template lists
        // their accounts, so their rows must come back in.
        let registryPlatforms = Set(registry.entries.map(\.platform)).subtracting(Platform.builtIn)
        let platformColumn = header.requiredIndex(of: "platform")
        let accountColumn = header.requiredIndex(of: "account")
        let dateColumn = header.requiredIndex(of: "date")
        let metrics = header.metricColumns([
            ("followers", .followers, .count),
            ("posts", .posts, .count),
            ("views", .views, .count),
        ])
        let file = table.name
        var output = RowImport(file: file, header: header, batch: batch)
        var accepted: [String: [(date: CivilDate, value: Int64)]] = [:]
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            rows += 1
            let platformCell = CellText.trimmed(row[cell: platformColumn])
            guard let platform = SelfReportImporter.platform(named: platformCell, alsoKnown: registryPlatforms) else {
                let names = Platform.builtIn.map(\.rawValue) + registryPlatforms.map(\.rawValue).sorted()
                output.badRow(row, column: platformColumn, expected: "a platform: " + names.joined(separator: ", "))
                continue
            }
            let account = CellText.trimmed(row[cell: accountColumn])
            guard known.contains(platform.rawValue + "\u{0}" + account) else {
                batch.recordFailure(
                    CollectionFailure(
                        adapter: "import",
                        account: file,
                        object: "line \(row.number)",
                        label: "unknownAccount",
                        message: "\(file):\(row.number): \(platform) account \"\(account)\" is not in the account "
                            + "registry; check the platform and account cells against the registry; the row was skipped"
                    )
                )
                continue
            }
            guard let day = DateTimeCell(row[cell: dateColumn]) else {
                output.badRow(row, column: dateColumn, expected: DateTimeCell.expected)
                continue
            }
            guard day.date <= context.today else {
                batch.recordFailure(
                    CollectionFailure(
                        adapter: "import",
                        account: file,
                        object: "line \(row.number)",
                        label: "futureDate",
                        message: "\(file):\(row.number): the date \(day.date) is after the day of the import "
                            + "(\(context.today)); correct it; the row was skipped"
                    )
                )
                continue
            }
            let time = context.calendar.startOfDay(day.date)
            for column in metrics {
                switch CellReader.read(row[cell: column.index], as: .count) {
                case .missing:
                    continue
                case .bad(let reason):
                    output.badCell(row, column: column.index, reason: reason)
                case .value(let value, let quality):
                    if column.metric != .views, case .integer(let reported) = value {
                        let key = platform.rawValue + "\u{0}" + account + "\u{0}" + column.metric.rawValue
                        let stored = try context.options.previousValues?.lastValue(
                            platform: platform,
                            account: account,
                            metric: column.metric,
                            before: day.date
                        )
                        let earlier = accepted[key, default: []].filter { $0.date < day.date }.max { $0.date < $1.date }
                        let previous = [stored.map { ($0.date, $0.value) }, earlier.map { ($0.date, $0.value) }]
                            .compactMap { $0 }.max { $0.0 < $1.0 }
                        if let previous,
                            SelfReportImporter.fell(from: previous.1, to: reported, by: context.options.maxDrop)
                        {
                            batch.recordFailure(
                                CollectionFailure(
                                    adapter: "import",
                                    account: file,
                                    object: "line \(row.number)",
                                    label: "drop",
                                    message:
                                        "\(file):\(row.number): \(column.metric) of \(platform) account \"\(account)\" "
                                        + "fell from \(previous.1) on \(previous.0) to \(reported) on \(day.date), "
                                        + "by \(SelfReportImporter.percent(from: previous.1, to: reported)), more than the "
                                        + "\(SelfReportImporter.percent(context.options.maxDrop)) allowed (max_drop); "
                                        + "the value was skipped: check it, correct the sheet and import it again"
                                )
                            )
                            continue
                        }
                        accepted[key, default: []].append((day.date, reported))
                    }
                    try output.append(
                        Sample(
                            time: time,
                            platform: platform,
                            account: account,
                            metric: column.metric,
                            value: value,
                            quality: quality,
                            source: .import
                        )
                    )
                }
            }
        }
        try output.finish()
        return rows
    }

    /// The platform a cell names: a built-in id (any case), a Chinese name, or one of
    /// `alsoKnown` (the registry's other platforms, any case).
    static func platform(named cell: String, alsoKnown: Set<Platform> = []) -> Platform? {
        let lowered = cell.lowercased()
        if let builtIn = Platform.builtIn.first(where: { $0.rawValue == lowered }) { return builtIn }
        if let named = platformNames[lowered] { return named }
        return alsoKnown.first { $0.rawValue.lowercased() == lowered }
    }

    /// Whether `new` lies below `old` by more than the share `maxDrop`: new < old × (1 − maxDrop).
    package static func fell(from old: Int64, to new: Int64, by maxDrop: DecimalValue) -> Bool {
        guard old > 0, new < old else { return false }
        // new × 10^s < old × (10^s − m), in integers while they fit.
        var unit: Int64 = 1
        for _ in 0..<maxDrop.scale { unit *= 10 }
        let (left, overflow1) = new.multipliedReportingOverflow(by: unit)
        let (right, overflow2) = old.multipliedReportingOverflow(by: unit - maxDrop.mantissa)
        if !overflow1 && !overflow2 { return left < right }
        return Double(new) < Double(old) * (1 - maxDrop.doubleValue)
    }

    /// `45.2%`: how far `new` lies below `old`.
    static func percent(from old: Int64, to new: Int64) -> String {
        let tenths = ((Double(old - new) / Double(old)) * 1000).rounded()
        return DecimalValue(mantissa: Int64(tenths), scale: 1).description + "%"
    }

    /// `20%`.
    static func percent(_ share: DecimalValue) -> String {
        guard share.scale >= 2 else {
            return DecimalValue(mantissa: share.mantissa * (share.scale == 1 ? 10 : 100), scale: 0).description + "%"
        }
        return DecimalValue(mantissa: share.mantissa, scale: share.scale - 2).description + "%"
    }
}
