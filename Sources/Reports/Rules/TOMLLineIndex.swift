/// Where each table header and each `key =` line of a TOML text sits.
///
/// TOMLKit's parsed values carry no source position (STYLE §2), so the rules parser keeps this
/// light index of the raw text to report unknown keys and wrong types as `file:line`.
///
/// Paths name array-of-tables elements by their 1-based position: the `threshold` key of the
/// third `[[rules]]` is `rules[3].threshold`, its inline `students = { … }` table is
/// `rules[3].students`, and a `[rules.students]` header after it maps to the same path.
struct TOMLLineIndex {
    private var lines: [String: Int] = [:]
    /// The line of each `[[name]]` header, in file order.
    private(set) var arrayHeaders: [String: [Int]] = [:]

    init(text: String) {
        var scanner = Scanner()
        var currentTable = ""
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let startsInsideValue = scanner.isInsideValue
            let line = Substring(rawLine)
            if startsInsideValue {
                scanner.scan(line)
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("[[") {
                let name = Self.headerName(trimmed.dropFirst(2), closing: "]]")
                currentTable = resolve(name, isArrayElement: true, line: lineNumber)
                record(currentTable, line: lineNumber)
            } else if trimmed.hasPrefix("[") {
                let name = Self.headerName(trimmed.dropFirst(1), closing: "]")
                currentTable = resolve(name, isArrayElement: false, line: lineNumber)
                record(currentTable, line: lineNumber)
            } else if let equals = Self.keyValueSplit(trimmed) {
                let key = Self.keyPath(trimmed[..<equals])
                if !key.isEmpty {
                    var path = currentTable
                    for component in key {
                        path = path.isEmpty ? component : path + "." + component
                        record(path, line: lineNumber)
                    }
                }
                scanner.scan(trimmed[trimmed.index(after: equals)...])
            }
        }
    }

    /// The line of `path`, or of its nearest recorded ancestor (`rules[3].students.op` falls
    /// back to the `students = { … }` line, then to the `[[rules]]` header).
    func line(of path: String) -> Int? {
        var path = Substring(path)
        while true {
            if let line = lines[String(path)] { return line }
            guard let dot = path.lastIndex(of: ".") else { return nil }
            path = path[..<dot]
        }
    }

    // MARK: - Scanning

    private mutating func record(_ path: String, line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// Maps a header name to its path: `rules` → `rules[k]` for `[[rules]]`; `rules.students`
    /// → `rules[k].students` when `rules` is an array of tables.
    private mutating func resolve(_ name: [String], isArrayElement: Bool, line: Int) -> String {
        var path = ""
        for (position, component) in name.enumerated() {
            let prefix = path.isEmpty ? component : path + "." + component
            let isLast = position == name.count - 1
            if isLast && isArrayElement {
                arrayHeaders[prefix, default: []].append(line)
                path = prefix + "[\(arrayHeaders[prefix, default: []].count)]"
            } else if let count = arrayHeaders[prefix]?.count {
                path = prefix + "[\(count)]"
            } else {
                path = prefix
            }
        }
        return path
    }

    private static func headerName(_ text: Substring, closing: String) -> [String] {
        let body = text.firstRange(of: closing).map { text[..<$0.lowerBound] } ?? text
        return keyPath(body)
    }

    /// `a.b` / `"quoted key".c` → components, without quotes and spaces.
    private static func keyPath(_ text: Substring) -> [String] {
        var components: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                components.append(current)
                current = ""
            } else if character != " " && character != "\t" {
                current.append(character)
            }
        }
        components.append(current)
        return components.allSatisfy(\.isEmpty) ? [] : components
    }

    /// The index of the `=` that ends a key, outside quotes; nil for comments and blank lines.
    private static func keyValueSplit(_ text: Substring) -> Substring.Index? {
        guard let first = text.first, first != "#" else { return nil }
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                return index
            } else if character == "#" {
                return nil
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Follows strings, brackets and braces across lines, so the lines of a multi-line array or
    /// string are not mistaken for keys or headers.
    private struct Scanner {
        private var depth = 0
        private var multilineQuote: String?

        var isInsideValue: Bool { depth > 0 || multilineQuote != nil }

        mutating func scan(_ text: Substring) {
            var rest = text
            while let character = rest.first {
                if let quote = multilineQuote {
                    if rest.hasPrefix(quote) {
                        multilineQuote = nil
                        rest = rest.dropFirst(3)
                    } else {
                        rest = rest.dropFirst(character == "\\" && quote == "\"\"\"" ? 2 : 1)
                    }
                    continue
                }
                if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
                    multilineQuote = String(rest.prefix(3))
                    rest = rest.dropFirst(3)
                    continue
                }
                switch character {
                case "\"", "'":
                    // A single-line string: skip to its closing quote.
                    rest = rest.dropFirst()
                    while let next = rest.first, next != character {
                        rest = rest.dropFirst(next == "\\" && character == "\"" ? 2 : 1)
                    }
                    rest = rest.dropFirst()
                case "[", "{":
                    depth += 1
                    rest = rest.dropFirst()
                case "]", "}":
                    depth = max(0, depth - 1)
                    rest = rest.dropFirst()
                case "#":
                    return
                default:
                    rest = rest.dropFirst()
                }
            }
        }
    }
}
