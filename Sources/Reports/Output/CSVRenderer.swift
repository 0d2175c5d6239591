/// RFC 4180 CSV: UTF-8, LF line ends, a header row, fields quoted only when they must be.
enum CSVRenderer {
    /// One table.
    static func render(_ table: ReportTable) -> String {
        var text = line(table.columns)
        for row in table.rows { text += line(row) }
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
