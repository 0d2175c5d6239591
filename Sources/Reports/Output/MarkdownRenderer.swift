/// GitHub-flavoured Markdown: a heading per table, its note, then a pipe table.
enum MarkdownRenderer {
    static func render(_ report: Report, style: TableStyle) -> String {
        var text = "# \(escape(report.title(style)))\n"
        if let notice = report.runningNotice(style) {
            text += "\n> **\(style.text(.runningBanner))** \(escape(notice))\n"
        }
        let notes = report.summaryNotes(style)
        if !notes.isEmpty {
            text += "\n## \(escape(style.text(.summaryTitle)))\n\n" + notes.map { "- \(escape($0))\n" }.joined()
        }
        for table in report.tables(style) {
            text += "\n## \(escape(table.title))\n\n"
            if !table.note.isEmpty { text += escape(table.note) + "\n\n" }
            text += render(table)
        }
        return text
    }

    /// A pipe table; an empty table still has its header.
    static func render(_ table: ReportTable) -> String {
        var text = row(table.columns)
        text += "|" + table.columns.map { _ in "---|" }.joined() + "\n"
        for cells in table.rows { text += row(cells) }
        return text
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.map(escape).joined(separator: " | ") + " |\n"
    }

    /// Pipes would end a cell and line breaks a row. HTML in a registry or rules name
    /// (`<script>`, `<img onerror=…>`) is shown, never run, by a Markdown viewer that passes HTML
    /// through: a `<` that could open a tag, comment or link (`<` before an ASCII letter, `/`,
    /// `!` or `?`, CommonMark §6.6) becomes `&lt;`, and a `&` that could start an entity (before
    /// a letter or `#`) `&amp;`. Any other `<`, `>` or `&` (`在校生 < 20000`, `lo >= target`,
    /// `R & D`) is left as it is: Markdown shows it as written, and a reader who opens the file in
    /// WPS or Notepad, or pastes it into Word, would see a `&lt;` literally. `*` and `_` are left
    /// alone on purpose (ids such as `SD16_X` stay readable in the source).
    static func escape(_ text: String) -> String {
        var escaped = ""
        var characters = text.makeIterator()
        var next = characters.next()
        while let character = next {
            next = characters.next()
            switch character {
            case "|": escaped += "\\|"
            case "<" where next.map(opensMarkup) ?? false: escaped += "&lt;"
            case "&" where next.map(startsEntity) ?? false: escaped += "&amp;"
            case "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Whether `<` followed by `character` may begin raw HTML or an autolink.
    private static func opensMarkup(_ character: Character) -> Bool {
        (character.isASCII && character.isLetter) || "/!?".contains(character)
    }

    /// Whether `&` followed by `character` may begin an entity or numeric character reference.
    private static func startsEntity(_ character: Character) -> Bool {
        (character.isASCII && character.isLetter) || character == "#"
    }
}
