extension ConfigurationFile {
    /// Characters that look like TOML's quotes but are not, as a Chinese input method or a word
    /// processor types them, with their code points: TOML's own message only says "could not
    /// determine value type" at a column, which does not show the difference.
    static let lookalikeQuotes: [(character: Character, codePoint: String)] = [
        ("“", "U+201C"), ("”", "U+201D"), ("‘", "U+2018"), ("’", "U+2019"),
        ("＂", "U+FF02"), ("＇", "U+FF07"), ("「", "U+300C"), ("」", "U+300D"),
        ("『", "U+300E"), ("』", "U+300F"), ("„", "U+201E"), ("″", "U+2033"),
    ]

    /// What to do about a TOML syntax error on `line`, when the cause can be told from the
    /// line: look-alike quotes, or a text value without quotes. Nil otherwise.
    ///
    /// The hint names characters and the key, never the value: the line may hold a secret
    /// written as a literal.
    /// - Parameters:
    ///   - line: The text of the line the error points at.
    ///   - description: The TOML parser's description of the error.
    static func syntaxHint(line: Substring, description: String) -> String? {
        let found = lookalikeQuotes.filter { line.contains($0.character) }
        if !found.isEmpty {
            let names = found.map { "\($0.character) (\($0.codePoint))" }
            let listed =
                names.count == 1
                ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
            return "the line has \(listed), which TOML does not read as quotes: type straight double quotes \" "
                + "instead (a Chinese input method set to full-width punctuation, or a word processor, types the others)"
        }
        // `app_id = wx0123456789abcdef`: TOML takes only quoted text, numbers, booleans, dates.
        guard description.contains("could not determine value type"),
            let equals = line.firstIndex(of: "=")
        else { return nil }
        let key = trimmingBlanks(line[..<equals])
        let value = trimmingBlanks(line[line.index(after: equals)...])
        let isBareKey =
            !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
        guard isBareKey, let first = value.first, first.isLetter else { return nil }
        return "a text value needs straight double quotes around it: write \(key) = \"…\""
    }

    /// `text` without the blanks (spaces, tabs, a CR) at either end.
    private static func trimmingBlanks(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
