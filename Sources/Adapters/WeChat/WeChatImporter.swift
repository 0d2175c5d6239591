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
///
/// ## Values
/// Counts may carry thousands separators (`1,234`, exact); `-`, `--`, `—` and empty cells are
/// missing and give no sample; rates are `12.22%` or a fraction. A cell that is none of these is
/// reported as a `badCell` failure and skipped; the rest of its row is still imported.
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

    /// People who shared (PLATFORMS.md §1.11).
    static let shareUsers = MetricName(rawValue: "wechat_share_users")
    /// 送达人数.
    static let delivered = MetricName(rawValue: "wechat_delivered")
    /// 阅读后关注人数.
    static let followsAfterRead = MetricName(rawValue: "wechat_follows_after_read")

    /// WeChat Official Accounts.
    public static let platform = Platform.wechat
    /// `user_growth` and `notified_articles`.
    public static let kinds = [userGrowth, notifiedArticles]

    /// Creates the importer.
    public init() {}

    /// Imports the rows of a `user_growth` or `notified_articles` table.
    public func importRows(
        of table: inout some Table,
        header: MatchedHeader,
        kind: ExportKind,
        account: String,
        calendar: PlatformCalendar,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        switch kind.name {
        case WeChatImporter.userGrowth.name:
            try importUserGrowth(of: &table, header: header, account: account, calendar: calendar, into: batch)
        case WeChatImporter.notifiedArticles.name:
            try importNotifiedArticles(of: &table, header: header, account: account, calendar: calendar, into: batch)
        default:
            throw ImportError.unknownKindName(kind.name, platform: .wechat, kinds: WeChatImporter.kinds)
        }
    }

    // MARK: - 用户增长

    private func importUserGrowth(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        calendar: PlatformCalendar,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        // Required columns: the matcher has checked they are there.
        let timeColumn = header.index(of: "时间") ?? 0
        let metrics: [(MetricName, Int)] = [
            (.followers, header.index(of: "累积关注人数")),
            (.followersNew, header.index(of: "新关注人数")),
            (.followersLost, header.index(of: "取消关注人数")),
        ].compactMap { metric, index in index.map { (metric, $0) } }
        var badCells = BadCellLog(file: table.name)
        var rows = 0
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            let timeCell = row[cell: timeColumn]
            guard let date = CivilDate(parsing: timeCell.trimmingSpaces) else {
                // The summary rows some versions add under the days are no data.
                if WeChatImporter.summaryLabels.contains(timeCell.trimmingSpaces) { continue }
                rows += 1
                badCells.record(
                    line: row.number,
                    column: timeColumn,
                    title: header.title(ofCell: timeColumn),
                    value: timeCell,
                    expected: "a date such as 2025-03-04",
                    skipsRow: true,
                    into: batch
                )
                continue
            }
            rows += 1
            let time = calendar.startOfDay(date)
            for (metric, index) in metrics {
                switch Cell.count(row[cell: index]) {
                case .missing:
                    continue
                case .value(let value):
                    try add(
                        Sample(
                            time: time,
                            platform: .wechat,
                            account: account,
                            metric: metric,
                            value: value,
                            source: .import
                        ),
                        to: batch,
                        file: table.name
                    )
                case .bad(let expected):
                    badCells.record(
                        line: row.number,
                        column: index,
                        title: header.title(ofCell: index),
                        value: row[cell: index],
                        expected: expected,
                        into: batch
                    )
                }
            }
        }
        badCells.finish(into: batch)
        return rows
    }

    private static let summaryLabels: Set<String> = ["合计", "总计", "汇总", "平均", "平均值", "总数"]

    // MARK: - 已通知内容

    private func importNotifiedArticles(
        of table: inout some Table,
        header: MatchedHeader,
        account: String,
        calendar: PlatformCalendar,
        into batch: SampleBatch
    ) throws(ImportError) -> Int {
        // Required columns: the matcher has checked they are there.
        let urlColumn = header.index(of: "内容url") ?? 0
        let timeColumn = header.index(of: "发表时间") ?? 0
        let titleColumn = header.index(of: "内容标题")
        let metrics: [(metric: MetricName, index: Int, isRate: Bool)] = [
            (.views, header.index(of: "总阅读次数"), false),
            (.viewers, header.index(of: "总阅读人数"), false),
            (.shares, header.index(of: "分享次数"), false),
            (.completionRate, header.index(of: "阅读完成率"), true),
            (WeChatImporter.shareUsers, header.index(of: "总分享人数"), false),
            (WeChatImporter.delivered, header.index(of: "送达人数"), false),
            (WeChatImporter.followsAfterRead, header.index(of: "阅读后关注人数"), false),
        ].compactMap { metric, index, isRate in index.map { (metric, $0, isRate) } }
        let file = table.name
        var badCells = BadCellLog(file: file)
        var output = SampleBuffer(batch: batch, file: file)
        var rows = 0
        // Consecutive articles share their day: convert each day once.
        var lastDay: CivilDate?
        var dayStart = Timestamp(secondsSinceEpoch: 0)
        var beijingDayStart = Timestamp(secondsSinceEpoch: 0)

        var row = ByteRow()
        while try table.nextRow(into: &row) {
            if row.isBlank { continue }
            rows += 1
            // Read the row's bytes; failures are reported after, outside the borrow of `row`.
            var failure: (column: Int, expected: String, skipsRow: Bool)?
            var object: ContentObject?
            row.withCells { cells in
                guard let id = WeChatImporter.articleID(cells[urlColumn]) else {
                    failure = (urlColumn, WeChatImporter.articleIDExpected, true)
                    return
                }
                guard let published = PublishingTime(cells[timeColumn]) else {
                    failure = (timeColumn, "a date such as 2025-03-04 or 2025-03-04 14:47:18", true)
                    return
                }
                if published.date != lastDay {
                    lastDay = published.date
                    dayStart = calendar.startOfDay(published.date)
                    // Beijing has kept +08:00 all day, every day, since 1991.
                    beijingDayStart = PlatformCalendar.beijing.startOfDay(published.date)
                }
                for (metric, index, isRate) in metrics {
                    let cell = cells[index]
                    switch isRate ? Cell.rate(cell) : Cell.count(cell) {
                    case .missing:
                        continue
                    case .value(let value):
                        output.append(
                            Sample(
                                time: dayStart,
                                platform: .wechat,
                                account: account,
                                object: id,
                                metric: metric,
                                value: value,
                                source: .import
                            )
                        )
                    case .bad(let expected):
                        // Rare: record it and go on with the row's other cells.
                        failure = (index, expected, false)
                    }
                }
                object = ContentObject(
                    platform: .wechat,
                    object: id,
                    account: account,
                    // A time of day is Beijing time, as every WeChat time; a bare date is a platform day.
                    publishedAt: published.hasTime
                        ? beijingDayStart.adding(seconds: published.secondOfDay) : dayStart,
                    title: titleColumn.map { WeChatImporter.firstLine(cells[$0]) } ?? "",
                    url: WeChatImporter.trimmedText(cells[urlColumn])
                )
            }
            if let failure {
                // Re-read the row to report every bad cell, not only the last one.
                for (column, expected, skipsRow) in WeChatImporter.badCells(in: row, metrics: metrics, failure: failure)
                {
                    badCells.record(
                        line: row.number,
                        column: column,
                        title: header.title(ofCell: column),
                        value: row[cell: column],
                        expected: expected,
                        skipsRow: skipsRow,
                        into: batch
                    )
                }
            }
            try output.flushIfFull()
            if let object { batch.add(object: object) }
        }
        try output.flush()
        badCells.finish(into: batch)
        return rows
    }

    private static let articleIDExpected = "an article link with mid= and idx= (or a msgid such as 2247501234_1)"

    /// The bad cells of a row whose reading reported `failure`: the row-level failure alone, or
    /// every metric cell that does not parse.
    private static func badCells(
        in row: ByteRow,
        metrics: [(metric: MetricName, index: Int, isRate: Bool)],
        failure: (column: Int, expected: String, skipsRow: Bool)
    ) -> [(Int, String, Bool)] {
        if failure.skipsRow { return [failure] }
        return row.withCells { cells in
            metrics.compactMap { _, index, isRate in
                if case .bad(let expected) = isRate ? Cell.rate(cells[index]) : Cell.count(cells[index]) {
                    return (index, expected, false)
                }
                return nil
            }
        }
    }

    private func add(_ sample: Sample, to batch: SampleBatch, file: String) throws(ImportError) {
        do {
            try batch.add(sample)
        } catch {
            throw ImportError.storage(file, error)
        }
    }

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

    /// A title's first line (ContentObject keeps one line).
    package static func firstLine(of title: String) -> String {
        var text = title
        return text.withUTF8 { firstLine($0) }
    }

    /// ``firstLine(of:)`` on the cell's bytes.
    static func firstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = 0
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
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

/// 发表时间 `2025-03-04 14:47:18`, `2025/3/4 9:05`, or 发表日期 `2025-03-04`.
private struct PublishingTime {
    var date: CivilDate
    /// Seconds after midnight, when the cell has a time.
    var secondOfDay: Int64 = 0
    var hasTime = false

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var fields: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        var count = 0
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        var end = bytes.count
        while end > index, bytes[end - 1] == 0x20 { end -= 1 }
        let start = index
        // Up to six numbers: year, month, day (`-`, `/` or `.`), then hour, minute, second.
        var valid = true
        scan: while index < end && count < 6 {
            var value = 0
            var digits = 0
            while index < end, isDigit(bytes[index]), digits < 4 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0, count != 0 || digits == 4 else {
                valid = false
                break scan
            }
            switch count {
            case 0: fields.0 = value
            case 1: fields.1 = value
            case 2: fields.2 = value
            case 3: fields.3 = value
            case 4: fields.4 = value
            default: fields.5 = value
            }
            count += 1
            guard index < end else { break }
            let separator = bytes[index]
            switch count {
            case 1, 2:
                valid =
                    separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".")
            case 3:
                valid = separator == 0x20 || separator == UInt8(ascii: "T")
            case 4, 5:
                valid = separator == UInt8(ascii: ":")
            default:
                valid = false
            }
            guard valid else { break scan }
            index += 1
        }
        guard valid, index == end, count == 3 || count >= 5,
            let date = CivilDate(year: fields.0, month: fields.1, day: fields.2),
            fields.3 < 24, fields.4 < 60, fields.5 < 60
        else {
            // Rarer forms (`20250304`) through the general day parser, without the time.
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            guard let date = CivilDate(parsing: text) else { return nil }
            self.date = date
            return
        }
        self.date = date
        if count >= 5 {
            hasTime = true
            secondOfDay = Int64(fields.3 * 3600 + fields.4 * 60 + fields.5)
        }
    }
}

/// A cell's value: missing, a value, or not readable (with what was expected).
///
/// TODO(counts): use CountString
private enum Cell {
    case missing
    case value(SampleValue)
    case bad(String)

    /// The count in a string cell.
    static func count(_ cell: String) -> Cell {
        var text = cell
        return text.withUTF8 { count($0) }
    }

    /// `1,234` → 1234; `-`, `--`, `—`, empty → missing.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Cell {
        guard let (start, end) = trimmed(bytes) else { return .missing }
        var value: Int64 = 0
        var digits = 0
        for index in start..<end {
            let byte = bytes[index]
            if isDigit(byte) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return .bad("a count that fits 64 bits") }
                value = sum
                digits += 1
            } else if byte != UInt8(ascii: ",") || digits == 0 {
                return .bad("an integer count such as 1,234 (or - when missing)")
            }
        }
        guard digits > 0 else { return .bad("an integer count such as 1,234 (or - when missing)") }
        return .value(.integer(value))
    }

    /// `62.35%` → 0.6235; `0.6235` stays; `-`, `--`, `—`, empty → missing.
    static func rate(_ bytes: UnsafeBufferPointer<UInt8>) -> Cell {
        guard let (start, trimmedEnd) = trimmed(bytes) else { return .missing }
        var end = trimmedEnd
        let isPercent = bytes[end - 1] == UInt8(ascii: "%")
        if isPercent { end -= 1 }
        var mantissa: Int64 = 0
        var scale: UInt8 = 0
        var digits = 0
        var sawPoint = false
        for index in start..<end {
            let byte = bytes[index]
            if isDigit(byte) {
                guard digits < 17 else { return .bad("a rate with at most 17 digits") }
                mantissa = mantissa * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
                if sawPoint { scale += 1 }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                return .bad("a rate such as 62.35% or 0.6235 (or - when missing)")
            }
        }
        guard digits > 0 else { return .bad("a rate such as 62.35% or 0.6235 (or - when missing)") }
        if isPercent { scale += 2 }
        let value = DecimalValue(mantissa: mantissa, scale: scale)
        guard isPercent || value.mantissa <= pow10(value.scale) else {
            return .bad("a rate: a fraction up to 1 such as 0.6235, or a percentage such as 62.35%")
        }
        return .value(.decimal(value))
    }

    /// The bounds of `bytes` without surrounding spaces; nil for a missing value.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let length = end - start
        if length == 0 { return nil }
        if length <= 2 && bytes[start..<end].allSatisfy({ $0 == UInt8(ascii: "-") }) { return nil }
        // `—` (U+2014).
        if length == 3 && bytes[start] == 0xE2 && bytes[start + 1] == 0x80 && bytes[start + 2] == 0x94 { return nil }
        return (start, end)
    }

    private static func pow10(_ exponent: UInt8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

extension String {
    /// The text without leading and trailing ASCII spaces.
    fileprivate var trimmingSpaces: String {
        guard utf8.first == 0x20 || utf8.last == 0x20 else { return self }
        return String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
