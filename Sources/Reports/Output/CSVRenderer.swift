import Collector

/// RFC 4180 CSV: UTF-8, LF line ends, a header row, fields quoted only when they must be.
///
/// A cell of a text column (``ReportTable/textColumns``) that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is prefixed with `'` (``SpreadsheetFormula``, shared with the
/// self-report template), as OWASP recommends against CSV injection: a spreadsheet would
/// otherwise run a unit or account name such as `=HYPERLINK(…)` as a formula. A plain number
/// (`-12`, `+3.5`) is no formula and is left as it is; so are the other columns, which hold
/// numbers, ISO dates and codes only.
enum CSVRenderer {
    /// One table.
    static func render(_ table: ReportTable) -> String {
        var text = line(table.columns)
        for row in table.rows {
            var cells = row
            for index in cells.indices where table.textColumns.contains(index) {
                cells[index] = SpreadsheetFormula.neutralised(cells[index])
            }
            text += line(cells)
        }
        return text
    }

    /// Several tables, each after a `# <id>` line and followed by a blank line.
    static func render(_ tables: [ReportTable]) -> String {
        tables.map { "# \($0.id)\n" + render($0) }.joined(separator: "\n")
    }

    private static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }

    private static func field(_ text: String) -> String {
        let needsQuotes =
            text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.hasPrefix("#")
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}
