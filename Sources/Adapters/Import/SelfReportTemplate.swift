public import Collector

/// The self-report sheet for the units to fill (`collector template`): one row per registry
/// account, with the unit, platform, account, name and day filled in and the figures left
/// empty, as a CSV (UTF-8 with a byte order mark, CRLF, so that Excel opens it as UTF-8) and
/// as an `.xlsx` workbook. ``SelfReportImporter`` reads the filled sheet back.
public enum SelfReportTemplate {
    /// The header and one row per registry account, in registry order.
    public static func rows(registry: AccountRegistry, date: CivilDate) -> [[String]] {
        [SelfReportImporter.columnNames]
            + registry.entries.map { entry in
                [entry.unit, entry.platform.rawValue, entry.account, entry.name, date.description, "", "", "", ""]
            }
    }

    /// Writes the sheet as CSV to `path`.
    public static func writeCSV(path: String, registry: AccountRegistry, date: CivilDate) throws(StorageError) {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for row in rows(registry: registry, date: date) {
            bytes.append(contentsOf: row.map(quoted).joined(separator: ",").utf8)
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
        try FileSystem.writeAtomically(path, bytes)
    }

    /// Writes the sheet as an `.xlsx` workbook to `path`; the account and date columns are
    /// formatted as text, so that Excel keeps long ids and the day as they are.
    public static func writeXLSX(path: String, registry: AccountRegistry, date: CivilDate) throws(StorageError) {
        let writer = try XLSXWriter(
            path: path,
            sheetName: "self_report",
            widths: [28, 10, 22, 24, 12, 12, 10, 12, 30],
            textColumns: [2, 4]
        )
        for row in rows(registry: registry, date: date) {
            try writer.append(row.map { $0.isEmpty ? .empty : .text($0) })
        }
        try writer.finish()
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return cell
        }
        return "\"" + cell.replacing("\"", with: "\"\"") + "\""
    }
}
