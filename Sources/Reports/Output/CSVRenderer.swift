/// RFC 4180 CSV: UTF-8, LF line ends, a header row, fields quoted only when they must be.
///
/// A cell of a text column (``ReportTable/textColumns``) that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is prefixed with `'`, as OWASP recommends against CSV injection: a
/// spreadsheet would otherwise run a unit or account name such as `=HYPERLINK(…)` as a formula.
/// A plain number (`-12`, `+3.5`) is no formula and is left as it is; so are the other columns,
/// which hold numbers, ISO dates and codes only.
enum CSVRenderer {
    /// One table.
    static func render(_ table: ReportTable) -> String {
        var text = line(table.columns)
        for row in table.rows {
            var cells = row
            for index in cells.indices where table.textColumns.contains(index) {
                cells[index] = neutralised(cells[index])
            }
            text += line(cells)
        }
        return text
    }

    /// `text` with a `'` before it when a spreadsheet would read it as a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            !isPlainNumber(text)
        else { return text }
        return "'" + text
    }

    /// `-12`, `+3.5`: an optional sign, digits, and an optional fraction.
    private static func isPlainNumber(_ text: String) -> Bool {
        var digits = text.utf8.dropFirst()
        if let dot = digits.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = digits[digits.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ (48...57).contains($0) }) else { return false }
            digits = digits[..<dot]
        }
        return !digits.isEmpty && digits.allSatisfy { (48...57).contains($0) }
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
