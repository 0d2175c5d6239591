public import Collector

/// The self-report sheet for the units to fill (`collector template`): one row per registry
/// account, with the unit, platform, account, name and day filled in and the figures left
/// empty, as a CSV (UTF-8 with a byte order mark, CRLF, so that Excel opens it as UTF-8) and
/// as an `.xlsx` workbook. ``SelfReportImporter`` reads the filled sheet back.
///
/// The headers are bilingual (`单位 unit`, ``SelfReportImporter/headers``), and the sheet says
/// what each column wants: the workbook in a second sheet, 填报说明 (``instructions``), the
/// CSV, which has one sheet only, in a line above the header (``csvNote``), which the importer
/// passes over as it does the title rows of exports.
public enum SelfReportTemplate {
    /// The header and one row per registry account, in registry order. The platform is
    /// written by its Chinese name (微信公众号, 抖音), which ``SelfReportImporter`` reads back;
    /// a platform that has none (an exec adapter's) by its code.
    public static func rows(registry: AccountRegistry, date: CivilDate) -> [[String]] {
        [SelfReportImporter.headers]
            + registry.entries.map { entry in
                let platform = SelfReportImporter.chineseNames[entry.platform] ?? entry.platform.rawValue
                return [entry.unit, platform, entry.account, entry.name, date.description, "", "", "", ""]
            }
    }

    /// The instructions sheet of the workbook: a title, then one row per column with what to
    /// write in it, in Chinese for the units and in English.
    public static let instructions: [[String]] = [
        [
            "填报说明 How to fill in the sheet",
            "每行一个账号；只填粉丝总数、发文总数、当日阅读/播放量（及备注），不知道的留空。"
                + "One row per account: fill in followers, posts and views (and notes); leave a figure you do not have empty.",
        ],
        ["列 column", "填写内容 what to write"],
        ["单位 unit", "账号所属单位，已按账号登记表填好，请勿修改。The unit that owns the account, from the registry; do not change it."],
        ["平台 platform", "账号所在平台（如微信公众号、视频号、抖音），已填好，请勿修改。The platform; do not change it."],
        ["账号 account", "账号ID，已填好，请勿修改（大小写须一致）。The account id; do not change it (case matters)."],
        ["名称 name", "账号名称，供核对；名称有变化请在备注中说明。The account's name, for checking; note a new name in notes."],
        ["日期 date", "数据所属日期，须含年份，如 2026-11-25 或 2026年11月25日。The day the figures describe, with its year."],
        // A rounded figure (10万) is stored as approximate, and one near a target cannot be judged
        // (无法判定): the back offices show the owner the exact count, so the sheet asks for it.
        [
            "粉丝总数 followers",
            "该日的粉丝（关注）总数，不是新增数。请照抄后台显示的准确数字（如 100234），不要写成约数（如“10万”）："
                + "约数按约数保存，接近考核目标时会判为“无法判定”；后台只显示约数时照抄（如 1.2万）。"
                + "Total followers on that day, not the day's gain: copy the exact figure the back office shows "
                + "(100234, not 10万); a rounded figure is stored as approximate and may not be judged against a target.",
        ],
        ["发文总数 posts", "截至该日累计发文（作品）总数。Total posts (works) up to that day."],
        [
            "当日阅读/播放量 views",
            "该日一天的阅读量（微信公众号、微博、今日头条）或播放量（视频号、抖音、快手、哔哩哔哩），不是累计数。"
                + "Reads (or plays, for video accounts) of that day alone, not a total.",
        ],
        ["备注 notes", "其他说明，可不填。Anything else; may be left empty."],
    ]

    /// The line above the header of the CSV, which has no second sheet for ``instructions``.
    public static let csvNote =
        "填报说明：只填粉丝总数（该日总数，照抄后台的准确数字，不写约数）、发文总数（截至该日累计）、"
        + "当日阅读/播放量（该日一天），不知道的留空；日期须含年份；单位、平台、账号请勿修改。"
        + "Fill in followers (total on the day, the exact figure, not a rounded one), posts (total to the day) "
        + "and views (reads or plays of that day); leave unknown figures empty; keep unit, platform and account "
        + "as they are."

    /// Writes the sheet as CSV to `path`.
    ///
    /// The sheet is written for Excel and sent out to the units, and its unit, account and name
    /// cells come from the registry: a cell that a spreadsheet would run as a formula
    /// (`=HYPERLINK(…)`, `@SUM(…)`) is written with a `'` before it, as `collector report
    /// --format csv` writes its text cells (``SpreadsheetFormula``); ``SelfReportImporter``
    /// removes the `'` again. The workbook needs none: its cells are stored as text.
    ///
    /// A long numeric account id (a 16-digit bilibili uid) is written as `="3493000000000001"`
    /// (``keptAsText(_:)``): Excel would read it as a number, keep 15 digits and save it back
    /// as `3.493E+15`. As a formula giving text, Excel shows and saves the id whole.
    public static func writeCSV(path: String, registry: AccountRegistry, date: CivilDate) throws(StorageError) {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for (index, row) in ([[csvNote]] + rows(registry: registry, date: date)).enumerated() {
            let cells = row.enumerated().map { column, cell in
                // Rows 0 and 1 are the note and the header; column 2 is the account.
                (index > 1 && column == 2 ? keptAsText(cell) : nil) ?? SpreadsheetFormula.neutralised(cell)
            }
            bytes.append(contentsOf: cells.map(quoted).joined(separator: ",").utf8)
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
        try FileSystem.writeAtomically(path, bytes)
    }

    /// Writes the sheet as an `.xlsx` workbook to `path`, with the ``instructions`` in a
    /// second sheet; the account and date columns are formatted as text, so that Excel keeps
    /// long ids and the day as they are.
    public static func writeXLSX(path: String, registry: AccountRegistry, date: CivilDate) throws(StorageError) {
        let writer = try XLSXWriter(
            path: path,
            sheetName: "self_report",
            widths: [28, 14, 22, 24, 12, 12, 10, 16, 30],
            textColumns: [2, 4]
        )
        writer.secondSheet = (name: "填报说明", rows: instructions, widths: [22, 100])
        for row in rows(registry: registry, date: date) {
            try writer.append(row.map { $0.isEmpty ? .empty : .text($0) })
        }
        try writer.finish()
    }

    /// `id` as `="id"` when Excel would not keep it as it is: all digits, and 12 digits or more
    /// (Excel shows those as `3.493E+15` and saves a CSV as shown, losing digits from the 16th)
    /// or a leading zero (which Excel drops); nil for any other id.
    static func keptAsText(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.allSatisfy({ (48...57).contains($0) }), id.utf8.count >= 12 || id.hasPrefix("0")
        else { return nil }
        return "=\"" + id + "\""
    }

    /// The id inside a cell ``keptAsText(_:)`` wrote (`="3493000000000001"`, as a sheet saved
    /// by a program that does not run the formula, or the template itself, holds it), else the
    /// cell as it is. Excel saves the id alone, which needs nothing.
    static func unwrappedText(_ cell: String) -> String {
        guard cell.hasPrefix("=\""), cell.hasSuffix("\""), cell.utf8.count >= 3 else { return cell }
        let inner = cell.dropFirst(2).dropLast()
        guard !inner.isEmpty, inner.utf8.allSatisfy({ (48...57).contains($0) }) else { return cell }
        return String(inner)
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return cell
        }
        return "\"" + cell.replacing("\"", with: "\"\"") + "\""
    }
}
