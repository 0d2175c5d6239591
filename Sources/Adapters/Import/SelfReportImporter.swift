public import Collector

/// Imports the self-report sheet the units fill in (`collector template` writes it; SPEC §6
/// registry): one row per registry account with the day and the unit's own figures.
///
/// ## Kind `self_report` (platform `any`)
/// Columns `unit, platform, account, name, date, followers, posts, views, notes` (the
/// template's bilingual headers such as `单位 unit`, ``headers``, and Chinese headers such as
/// 单位, 平台, 账号, 日期, 粉丝数, 发文总数, 当日阅读量 are read too). `followers` →
/// `followers` (the total on that day), `posts` → `posts` (total posts to that day), `views` →
/// `views` (reads or plays of that day, as SPEC §4 defines account-level views), each at 00:00
/// of `date` in the configured timezone, for the row's platform and account.
///
/// ## Checks
/// Every row is checked and each problem reported with its line (a failure in the batch), and
/// the rest of the sheet is imported:
/// - `unknownAccount`: the platform and account are not in the registry: the row is skipped.
///   The message names the nearest account of that platform in the registry ("did you
///   mean …"), also for a difference of case only: account ids are matched exactly, since
///   some platforms' ids (Douyin and Kuaishou `open_id`s) are case-sensitive.
/// - `unitMismatch`: the unit cell names another unit than the registry's owner of the
///   account (compared without white space, with full-width letters, digits and brackets as
///   ASCII and Latin letters in lower case): the row is skipped, since a copy-paste slip would
///   otherwise put the figures under another unit's account. An empty unit cell is not checked.
/// - `badCell`: a platform that is neither built in nor in the registry, a date that is not
///   one (row skipped; `2025年3月8日` and a date with a time are dates, `3/8` without a year is
///   not), or text where a count belongs (that cell skipped; `1.2万` is read as `approx`).
/// - `futureDate`: a date after the day of the import: the row is skipped.
/// - `drop`: `followers` or `posts` below the last stored value of an earlier day (or of an
///   earlier row of the sheet), or below the stored value of the same day it would replace, by
///   more than `max_drop` (default 20 %): that value is skipped. Totals rarely fall that fast;
///   a typo or the wrong account is likelier; for `posts` the message adds that a count of one
///   period (a month's posts) is no total. `views` is a daily figure and may fall freely.
/// - `rise`: `followers` or `posts` above the same values by more than the factor `max_rise`
///   (default 10) and by at least ``ImportOptions/riseAllowance``: that value is skipped, for
///   the same reason (an extra digit, another account's figure).
/// - `otherUnit`: with ``ImportOptions/unit`` (`--unit`), a row with figures for an account the
///   registry gives to another unit, whatever its unit cell says; then nothing of the sheet is
///   imported (``ImportError/otherUnits(_:unit:rows:others:)``): a sheet returned by one unit
///   holds that unit's figures only, and one that does not is not the sheet it was asked for.
///   Rows of other units without figures (the template lists every account) pass.
///
/// Unit, platform, account and name cells are read without the `'` that the template's CSV
/// puts before a cell a spreadsheet would run as a formula (``SpreadsheetFormula``), and a long
/// numeric account id without the `="…"` it writes around it (``SelfReportTemplate``).
///
/// Two findings are notices (``SampleBatch/recordNotice(_:)``), not failures, and the row is
/// imported: `valueReplaced`, a value that replaces a different one stored for the same account,
/// metric and day (a corrected re-send; the store keeps the newer row); `nameMismatch`, a name
/// cell other than the registry's name of the account (display names change; the registry may
/// be behind); without ``ImportOptions/unit``, `severalUnits`, a sheet with figures of several
/// units' accounts (right for a sheet filled centrally, wrong for one unit's).
///
/// Cells left empty give no sample, so a unit may fill in only what it has.
///
/// ## Columns
/// Checked once per sheet, from the header alone (``columnFindings(_:file:)``): a header that
/// does not say what time its count covers (`发文数`, `阅读量`; ``ambiguousHeaders``), where the
/// sheet has no column of that metric, is an `ambiguousColumn` failure and the column is not
/// read; every other column that nothing reads is named in one `columnNotRead` notice.
public struct SelfReportImporter: ExportImporter {
    /// The self-report sheet.
    public static let selfReport = ExportKind(
        name: "self_report",
        summary: "The units' self-report sheet (collector template): followers, posts and views per account and day.",
        columns: [
            // The bilingual headers are those `collector template` writes (``headers``).
            ExportColumn("platform", aliases: ["平台", "平台 platform"], required: true),
            ExportColumn("account", aliases: ["账号", "账号ID", "账号id", "帐号", "账号 account"], required: true),
            ExportColumn("date", aliases: ["日期", "填报日期", "统计日期", "日期 date"], required: true),
            ExportColumn("unit", aliases: ["单位", "单位名称", "单位 unit"]),
            ExportColumn("name", aliases: ["名称", "账号名称", "名称 name"]),
            ExportColumn("followers", aliases: ["粉丝数", "粉丝", "关注人数", "粉丝总数", "粉丝总数 followers"]),
            // Only headers that say what time the count covers: `发文数` and `阅读量` alone are
            // read as counts of a period (``ambiguousHeaders``).
            ExportColumn("posts", aliases: postsHeaders + ["发文总数 posts"]),
            // `当日阅读量 views` is the header of the templates of sessions 10 to 15.
            ExportColumn("views", aliases: viewsHeaders + ["当日阅读/播放量 views", "当日阅读量 views"]),
            ExportColumn("notes", aliases: ["备注", "备注 notes"]),
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

    /// The header cells `collector template` writes, Chinese first for the units who fill the
    /// sheet, then the column name; each is an alias of its column, and sheets of older
    /// templates with the bare column names, or with `当日阅读量 views` (until session 16), import
    /// as before. The views column says 阅读/播放量: the sheet's video accounts count plays.
    public static let headers = [
        "单位 unit", "平台 platform", "账号 account", "名称 name", "日期 date", "粉丝总数 followers",
        "发文总数 posts", "当日阅读/播放量 views", "备注 notes",
    ]

    /// `any`: the rows name their platforms.
    public static let platform = Platform(rawValue: "any")
    /// `self_report`.
    public static let kinds = [selfReport]

    /// The name `collector template` writes for each built-in platform, the one the reports
    /// use (微信公众号, not `wechat`, which does not say whether it is 公众号 or 视频号): the
    /// sheet goes to units that do not know the codes. Each is a key of ``platformNames``, so
    /// it reads back; a platform without a name here (an exec adapter's) is written as its code.
    static let chineseNames: [Platform: String] = [
        .wechat: "微信公众号", .channels: "视频号", .weibo: "微博", .douyin: "抖音", .kuaishou: "快手",
        .bilibili: "哔哩哔哩", .toutiao: "今日头条",
    ]

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
        var owners: [String: RegistryEntry] = [:]
        for entry in registry.entries where owners[entry.platform.rawValue + "\u{0}" + entry.account] == nil {
            owners[entry.platform.rawValue + "\u{0}" + entry.account] = entry
        }
        // The registry may name platforms of exec adapters (xiaohongshu): the template lists
        // their accounts, so their rows must come back in.
        let registryPlatforms = Set(registry.entries.map(\.platform)).subtracting(Platform.builtIn)
        let platformColumn = header.requiredIndex(of: "platform")
        let accountColumn = header.requiredIndex(of: "account")
        let dateColumn = header.requiredIndex(of: "date")
        let unitColumn = header.index(of: "unit")
        let nameColumn = header.index(of: "name")
        let findings = SelfReportImporter.columnFindings(header, file: table.name)
        for failure in findings.failures { batch.recordFailure(failure) }
        if let notice = findings.notice { batch.recordNotice(notice) }
        let metrics = header.metricColumns(
            [
                ("followers", .followers, .count),
                ("posts", .posts, .count),
                ("views", .views, .count),
            ],
            file: table.name,
            batch: batch
        )
        let file = table.name
        var output = RowImport(file: file, header: header, batch: batch)
        var accepted: [String: [(date: CivilDate, value: Int64, line: Int)]] = [:]
        var rows = 0
        // Held until the end: a sheet of one unit (``ImportOptions/unit``) that turns out to
        // hold another unit's figures is refused whole, and then nothing was replaced either.
        var samples: [Sample] = []
        var notices: [CollectionFailure] = []
        let sheetUnit = context.options.unit
        var otherUnitRows = 0
        var otherUnits: [String] = []
        // The units whose figures the sheet holds, with their rows, in the order met.
        var unitRows: [(unit: String, rows: Int)] = []
        func hasFigures(_ row: TableRow) -> Bool {
            metrics.contains { column in
                if case .missing = CellReader.read(row[cell: column.index], as: .count, unit: column.unit) {
                    return false
                }
                return true
            }
        }
        while let row = try table.nextRow() {
            if row.isBlank { continue }
            rows += 1
            func about(_ label: String, _ message: String) -> CollectionFailure {
                CollectionFailure(
                    adapter: "import",
                    account: file,
                    object: "line \(row.number)",
                    label: label,
                    message: "\(file):\(row.number): " + message
                )
            }
            func fail(_ label: String, _ message: String) { batch.recordFailure(about(label, message)) }
            func notice(_ label: String, _ message: String) { notices.append(about(label, message)) }
            // The template writes a `'` before a cell a spreadsheet would run as a formula, and a
            // long numeric id as `="…"` (SelfReportTemplate.writeCSV): neither is part of the id.
            func text(_ column: Int) -> String {
                SelfReportTemplate.unwrappedText(SpreadsheetFormula.restored(CellText.trimmed(row[cell: column])))
            }
            let platformCell = text(platformColumn)
            guard let platform = SelfReportImporter.platform(named: platformCell, alsoKnown: registryPlatforms) else {
                let names = Platform.builtIn.map(\.rawValue) + registryPlatforms.map(\.rawValue).sorted()
                output.badRow(row, column: platformColumn, expected: "a platform: " + names.joined(separator: ", "))
                continue
            }
            let account = text(accountColumn)
            if output.isRefusedID(account, row, column: accountColumn, advice: ExcelRoundedID.selfReportAdvice) {
                continue
            }
            guard let owner = owners[platform.rawValue + "\u{0}" + account] else {
                fail("unknownAccount", SelfReportImporter.unknownAccountMessage(platform, account, registry: registry))
                continue
            }
            // Checked before the unit cell, which whoever fills the sheet can write as they
            // like: with --unit, the registry's owner of the account decides. A row of another
            // unit without figures (the template lists every account) carries nothing.
            if let sheetUnit, SelfReportImporter.comparable(owner.unit) != SelfReportImporter.comparable(sheetUnit),
                hasFigures(row)
            {
                otherUnitRows += 1
                if !otherUnits.contains(owner.unit) { otherUnits.append(owner.unit) }
                if otherUnitRows <= SelfReportImporter.listedOtherUnitRows {
                    fail(
                        "otherUnit",
                        "\(platform) account \"\(account)\" belongs to \(owner.unit) in the account registry (line "
                            + "\(owner.line)), not to \(sheetUnit), whose sheet this is (--unit); nothing of the file "
                            + "was imported"
                    )
                }
                continue
            }
            if let unitColumn {
                let unit = text(unitColumn)
                if !unit.isEmpty, SelfReportImporter.comparable(unit) != SelfReportImporter.comparable(owner.unit) {
                    fail(
                        "unitMismatch",
                        "\(platform) account \"\(account)\" belongs to \(owner.unit) in the account registry "
                            + "(line \(owner.line)), but the row's unit is \(unit); the row was skipped: correct "
                            + "the account (or the unit) in the sheet and import it again, or, if the account has "
                            + "changed hands, its unit in the registry"
                    )
                    continue
                }
            }
            guard let day = DateTimeCell(row[cell: dateColumn]) else {
                let cell = CellText.trimmed(row[cell: dateColumn])
                if let example = DateTimeCell.exampleDay(ofDayless: cell, today: context.today) {
                    // A month: the figure was counted on a day of it, which only the unit knows.
                    output.badCell(
                        row,
                        column: dateColumn,
                        reason: "\"\(cell)\" is a month without its day; write the day the figure was counted, such "
                            + "as \(example) (\(DateTimeCell.workbookAdvice))",
                        skipsRow: true
                    )
                } else if let example = DateTimeCell.wholeDate(ofYearless: cell, year: context.today.year) {
                    output.badCell(
                        row,
                        column: dateColumn,
                        reason: "\"\(cell)\" has no year; write the whole date, such as \(example) "
                            + "(\(DateTimeCell.workbookAdvice))",
                        skipsRow: true
                    )
                } else {
                    output.badRow(row, column: dateColumn, expected: DateTimeCell.expected)
                }
                continue
            }
            guard day.date <= context.today else {
                fail(
                    "futureDate",
                    "the date \(day.date) is after the day of the import (\(context.today)); correct it; the row was "
                        + "skipped"
                )
                continue
            }
            if let nameColumn {
                let name = text(nameColumn)
                if !name.isEmpty, !owner.name.isEmpty,
                    SelfReportImporter.comparable(name) != SelfReportImporter.comparable(owner.name)
                {
                    notice(
                        "nameMismatch",
                        "the name \(name) differs from the registry's name \(owner.name) of \(platform) account "
                            + "\"\(account)\" (\(owner.unit)); the row was imported: if the account was renamed, "
                            + "update its name in the registry"
                    )
                }
            }
            let time = context.calendar.startOfDay(day.date)
            let samplesBefore = samples.count
            for column in metrics {
                let profile = SelfReportImporter.countProfile(of: column.metric, on: platform)
                switch CellReader.read(row[cell: column.index], as: .count, profile: profile, unit: column.unit) {
                case .missing:
                    continue
                case .bad(let reason):
                    output.badCell(row, column: column.index, reason: reason)
                case .value(let value, let quality):
                    if case .integer(let reported) = value {
                        let key = platform.rawValue + "\u{0}" + account + "\u{0}" + column.metric.rawValue
                        // The value this one replaces: an earlier row of the sheet for the same
                        // day (the store keeps the later row), else the stored value of the day.
                        // An estimate does not replace an exact value (SPEC §3): nothing to check.
                        let sameDay: (value: Int64, place: String)? =
                            if let row = accepted[key, default: []].last(where: { $0.date == day.date }) {
                                (row.value, "line \(row.line) of the sheet")
                            } else if let stored = try context.options.previousValues?.value(
                                platform: platform,
                                account: account,
                                metric: column.metric,
                                on: day.date
                            ), quality == .exact || stored.quality != .exact {
                                (stored.value, "stored")
                            } else {
                                nil
                            }
                        if column.metric != .views {
                            if let sameDay,
                                SelfReportImporter.fell(from: sameDay.value, to: reported, by: context.options.maxDrop)
                            {
                                fail(
                                    "drop",
                                    "\(column.metric) of \(platform) account \"\(account)\" on \(day.date) would fall "
                                        + "from \(sameDay.value) (\(sameDay.place)) to \(reported), by "
                                        + "\(SelfReportImporter.percent(from: sameDay.value, to: reported)), more than the "
                                        + "\(SelfReportImporter.percent(context.options.maxDrop)) allowed (max_drop)"
                                        + "\(SelfReportImporter.totalsOnly(column.metric)); the value was skipped: check "
                                        + "it, correct the sheet and import it again (if the value it replaces is the "
                                        + "wrong one, import with a larger --max-drop)"
                                )
                                continue
                            }
                            if let sameDay,
                                SelfReportImporter.rose(from: sameDay.value, to: reported, by: context.options.maxRise)
                            {
                                fail(
                                    "rise",
                                    "\(column.metric) of \(platform) account \"\(account)\" on \(day.date) would rise "
                                        + "from \(sameDay.value) (\(sameDay.place)) to \(reported), "
                                        + "\(SelfReportImporter.times(from: sameDay.value, to: reported)) that, more than "
                                        + "the \(ImportOptions.describeRise(context.options.maxRise)) allowed (max_rise); "
                                        + "the value was skipped: check it (a typo, another account's figure?), correct "
                                        + "the sheet and import it again (if the figure is right, import with a larger "
                                        + "--max-rise)"
                                )
                                continue
                            }
                            let stored = try context.options.previousValues?.lastValue(
                                platform: platform,
                                account: account,
                                metric: column.metric,
                                before: day.date
                            )
                            let earlier = accepted[key, default: []].filter { $0.date < day.date }
                                .max { $0.date < $1.date }
                            // The sheet's row first: on the same day it replaces the stored
                            // value, and `max` keeps the first of equals.
                            let previous = [earlier.map { ($0.date, $0.value) }, stored.map { ($0.date, $0.value) }]
                                .compactMap { $0 }.max { $0.0 < $1.0 }
                            if let previous,
                                SelfReportImporter.fell(from: previous.1, to: reported, by: context.options.maxDrop)
                            {
                                fail(
                                    "drop",
                                    "\(column.metric) of \(platform) account \"\(account)\" fell from \(previous.1) on "
                                        + "\(previous.0) to \(reported) on \(day.date), by "
                                        + "\(SelfReportImporter.percent(from: previous.1, to: reported)), more than the "
                                        + "\(SelfReportImporter.percent(context.options.maxDrop)) allowed (max_drop)"
                                        + "\(SelfReportImporter.totalsOnly(column.metric)); the value was skipped: check "
                                        + "it, correct the sheet and import it again"
                                )
                                continue
                            }
                            if let previous,
                                SelfReportImporter.rose(from: previous.1, to: reported, by: context.options.maxRise)
                            {
                                fail(
                                    "rise",
                                    "\(column.metric) of \(platform) account \"\(account)\" rose from \(previous.1) on "
                                        + "\(previous.0) to \(reported) on \(day.date), "
                                        + "\(SelfReportImporter.times(from: previous.1, to: reported)) the earlier value, "
                                        + "more than the \(ImportOptions.describeRise(context.options.maxRise)) allowed "
                                        + "(max_rise); the value was skipped: check it (a typo, another account's "
                                        + "figure?), correct the sheet and import it again (if the figure is right, "
                                        + "import with a larger --max-rise)"
                                )
                                continue
                            }
                        }
                        if let sameDay, sameDay.value != reported {
                            notice(
                                "valueReplaced",
                                "replaced \(sameDay.value) (\(sameDay.place)) with \(reported) for \(column.metric) of "
                                    + "\(platform) account \"\(account)\" on \(day.date)"
                            )
                        }
                        accepted[key, default: []].append((day.date, reported, row.number))
                    }
                    samples.append(
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
            if samples.count > samplesBefore {
                if let index = unitRows.firstIndex(where: { $0.unit == owner.unit }) {
                    unitRows[index].rows += 1
                } else {
                    unitRows.append((owner.unit, 1))
                }
            }
        }
        if let sheetUnit, otherUnitRows > 0 {
            try output.finish()
            throw ImportError.otherUnits(file, unit: sheetUnit, rows: otherUnitRows, others: otherUnits)
        }
        for sample in samples { try output.append(sample) }
        for notice in notices { batch.recordNotice(notice) }
        if sheetUnit == nil, unitRows.count > 1 {
            batch.recordNotice(SelfReportImporter.severalUnits(file, unitRows))
        }
        try output.finish()
        return rows
    }

    /// How many rows of other units' accounts a sheet refused for them lists one by one; the
    /// refusal counts them all.
    static let listedOtherUnitRows = 20

    /// The notice for a sheet imported without `--unit` whose figures belong to several units:
    /// right for a sheet filled centrally, wrong for one unit's, which `--unit` would refuse.
    static func severalUnits(_ file: String, _ units: [(unit: String, rows: Int)]) -> CollectionFailure {
        let named =
            units.prefix(5).map { "\($0.unit) \($0.rows) \($0.rows == 1 ? "row" : "rows")" }
            .joined(separator: ", ") + (units.count > 5 ? " and \(units.count - 5) more" : "")
        return CollectionFailure(
            adapter: "import",
            account: file,
            label: "severalUnits",
            message: "\(file): the sheet holds figures for \(units.count) units (\(named)), imported as a sheet "
                + "filled for several units; if it came from one unit, import it with --unit UNIT, which refuses "
                + "the rows of other units' accounts"
        )
    }

    /// The registry's name of the unit `name` names (compared as ``comparable(_:)`` compares
    /// names, so `青岛ａｂｃ中学` finds `青岛ABC中学`); nil when no account of the registry
    /// belongs to it.
    public static func registryUnit(named name: String, in registry: AccountRegistry) -> String? {
        let key = comparable(name)
        return registry.entries.first { comparable($0.unit) == key }?.unit
    }

    /// Why `name` (given as `option`) is no unit of the registry, with the nearest unit when
    /// one is close.
    public static func unknownUnitMessage(_ name: String, option: String, registry: AccountRegistry) -> String {
        var units: [String] = []
        for entry in registry.entries where !units.contains(entry.unit) { units.append(entry.unit) }
        let nearest = KeySuggestion.nearest(to: name, among: units).map { "did you mean \($0)? " } ?? ""
        return "\(option) \(name): no account of the registry belongs to that unit; \(nearest)write the unit as the "
            + "registry's unit column names it (\(units.count) units)"
    }

    /// The message for an account the registry does not list on `platform`: with the nearest
    /// registered account of the platform and its unit, when one is close (a typo, a swap, a
    /// difference of case).
    static func unknownAccountMessage(
        _ platform: Platform,
        _ account: String,
        registry: AccountRegistry,
        tail: String = "check the platform and account cells against the registry; the row was skipped"
    ) -> String {
        let head = "\(platform) account \"\(account)\" is not in the account registry; "
        let candidates = registry.accounts(for: platform)
        guard let nearest = KeySuggestion.nearest(to: account, among: candidates),
            let owner = registry.entries.first(where: { $0.platform == platform && $0.account == nearest })
        else { return head + tail }
        // Ids are compared exactly (Douyin and Kuaishou ids are case-sensitive): say so when
        // case is the only difference, or the unit would not see why the row was refused.
        let caseOnly = nearest.lowercased() == account.lowercased() ? " (account ids are case-sensitive)" : ""
        return head + "did you mean \"\(nearest)\" of \(owner.unit)\(caseOnly)? " + tail.prefix(1).uppercased()
            + tail.dropFirst()
    }

    /// A unit or account name reduced for comparison: no white space, full-width ASCII forms
    /// (letters, digits, brackets) as ASCII, Latin letters in lower case. Units type their
    /// names with an IME that may switch widths or add a space; those are the same name.
    package static func comparable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
                0xFEFF:
                continue
            case 0xFF01...0xFF5E:
                // Full-width forms sit 0xFEE0 above their ASCII counterparts.
                let ascii = UInt8(scalar.value - 0xFEE0)
                scalars.append(Unicode.Scalar((0x41...0x5A).contains(ascii) ? ascii + 0x20 : ascii))
            case 0x41...0x5A:
                scalars.append(Unicode.Scalar(UInt8(scalar.value) + 0x20))
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// How a count of `metric` reported for an account of `platform` is read: a WeChat
    /// `10万+` read is the lower bound 100001, as in WeChat's own exports
    /// (``WeChatImporter/countProfiles``, COUNTS_AND_TARGETS.md §1.2 Step 6); everything else
    /// under the default profile.
    static func countProfile(of metric: MetricName, on platform: Platform) -> CountProfile {
        guard platform == .wechat else { return .default }
        return WeChatImporter.countProfiles[metric] ?? .default
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

    /// Whether `new` lies above `old` by more than the factor `maxRise`, and by at least
    /// ``ImportOptions/riseAllowance``: a total that leaps tenfold overnight is likelier a typo
    /// or another account's figure than growth.
    package static func rose(from old: Int64, to new: Int64, by maxRise: Double) -> Bool {
        guard old > 0, new > old, new - old >= ImportOptions.riseAllowance else { return false }
        return Double(new) > Double(old) * maxRise
    }

    /// `249.9 times`: how many times `old` `new` is, rounded down to a tenth.
    static func times(from old: Int64, to new: Int64) -> String {
        let tenths = (Double(new) / Double(old) * 10).rounded(.down)
        let text = tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int64(tenths / 10)) : String(tenths / 10)
        return text + " times"
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
