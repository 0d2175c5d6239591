extension ConfigurationFile {
    /// Where table headers and keys sit in the raw text of `adapters.conf`.
    ///
    /// TOMLKit's values carry no source position (STYLE §2), so this light scan of the text
    /// recovers the lines errors point at: each `[table]` and `[[array]]` header, and each
    /// `key = value` line (bare, quoted and dotted keys) inside them. It skips multi-line strings,
    /// comments and values that span lines (arrays), and it never judges the syntax: TOMLKit
    /// does that. When the scan and the parser disagree, errors fall back to the nearest header.
    struct LineIndex {
        /// One `[header]` or `[[header]]` and the keys written under it.
        struct Table {
            /// The header's key path: `[adapters.import.columns]` → `adapters`, `import`, `columns`.
            var path: [String]
            /// `[[…]]` rather than `[…]`.
            var isArray: Bool
            /// The header's line.
            var line: Int
            /// Each key path under the header (dotted, and each of its prefixes) → first line.
            var keys: [String: Int] = [:]
        }

        /// One `[[adapters.<type>]]` occurrence.
        struct Instance {
            /// The header's line.
            var line: Int
            /// The section's keys, sub-table keys dotted (`columns`, `columns.date`).
            var keyLines: [String: Int]
        }

        /// Keys before the first header.
        var rootKeys: [String: Int] = [:]
        /// Headers in file order.
        var tables: [Table] = []

        /// Indexes `text`.
        init(text: String) {
            var scanner = Scanner()
            // Split as bytes: splitting the String would break a 100,000-account line into
            // grapheme clusters first.
            for (offset, rawLine) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .enumerated()
            {
                let number = offset + 1
                var bytes = Array(rawLine)
                if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                guard scanner.isAtStatement else {
                    scanner.scan(bytes, from: 0)
                    continue
                }
                if let header = Self.header(in: bytes) {
                    tables.append(Table(path: header.path, isArray: header.isArray, line: number))
                    continue
                }
                guard let key = Self.keyPath(in: bytes, from: Self.skipBlanks(bytes, from: 0)),
                    key.end < bytes.count, bytes[key.end] == UInt8(ascii: "=")
                else {
                    scanner.scan(bytes, from: 0)
                    continue
                }
                for length in 1...key.path.count {
                    let dotted = key.path[..<length].joined(separator: ".")
                    if tables.isEmpty {
                        if rootKeys[dotted] == nil { rootKeys[dotted] = number }
                    } else if tables[tables.count - 1].keys[dotted] == nil {
                        tables[tables.count - 1].keys[dotted] = number
                    }
                }
                scanner.scan(bytes, from: key.end + 1)
            }
        }

        /// The `[[adapters.<type>]]` (or single `[adapters.<type>]`) sections of `type`, in file
        /// order, with the keys of their sub-tables.
        func instances(ofAdapter type: String) -> [Instance] {
            var result: [Instance] = []
            for table in tables where table.path.count >= 2 && table.path[0] == "adapters" && table.path[1] == type {
                if table.path.count == 2 {
                    result.append(Instance(line: table.line, keyLines: table.keys))
                } else if !result.isEmpty {
                    Self.merge(table, relativePath: table.path.dropFirst(2), into: &result[result.count - 1].keyLines)
                }
            }
            if result.isEmpty, let line = firstLine(of: ["adapters", type]) {
                // `[adapters]` with `bilibili = [{…}]` or dotted keys: best effort, one line for all.
                result.append(Instance(line: line, keyLines: [:]))
            }
            return result
        }

        /// The `[collector]` header's line and the keys under it (and under `[collector.x]`).
        func collector() -> (line: Int?, keyLines: [String: Int]) {
            var line: Int?
            var keyLines: [String: Int] = [:]
            for (dotted, keyLine) in rootKeys where dotted.hasPrefix("collector.") {
                keyLines[String(dotted.dropFirst("collector.".count))] = keyLine
            }
            for table in tables where table.path.first == "collector" {
                if table.path.count == 1, line == nil { line = table.line }
                Self.merge(table, relativePath: table.path.dropFirst(), into: &keyLines)
            }
            return (line ?? rootKeys["collector"], keyLines)
        }

        /// The first line that defines `path` or something under it: a header starting with it,
        /// or a key spelling it under a shorter header (or at the top).
        func firstLine(of path: [String]) -> Int? {
            var best: Int?
            func consider(_ line: Int?) {
                guard let line else { return }
                best = min(best ?? line, line)
            }
            for table in tables {
                if table.path.starts(with: path) {
                    consider(table.line)
                } else if path.starts(with: table.path) {
                    consider(table.keys[path.dropFirst(table.path.count).joined(separator: ".")])
                }
            }
            consider(rootKeys[path.joined(separator: ".")])
            return best
        }

        /// Adds a sub-table's header (as its relative path and prefixes) and keys to `keyLines`.
        private static func merge(_ table: Table, relativePath: ArraySlice<String>, into keyLines: inout [String: Int])
        {
            let prefix = Array(relativePath)
            if !prefix.isEmpty {
                for length in 1...prefix.count {
                    let dotted = prefix[..<length].joined(separator: ".")
                    if keyLines[dotted] == nil { keyLines[dotted] = table.line }
                }
            }
            for (key, line) in table.keys {
                let dotted = prefix.isEmpty ? key : prefix.joined(separator: ".") + "." + key
                if keyLines[dotted] == nil { keyLines[dotted] = line }
            }
        }

        // MARK: - Lexing

        /// `[a.b]` or `[[a.b]]` at the start of a line (after blanks).
        private static func header(in bytes: [UInt8]) -> (path: [String], isArray: Bool)? {
            var index = skipBlanks(bytes, from: 0)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
            index += 1
            let isArray = index < bytes.count && bytes[index] == UInt8(ascii: "[")
            if isArray { index += 1 }
            guard let key = keyPath(in: bytes, from: index), key.end < bytes.count,
                bytes[key.end] == UInt8(ascii: "]")
            else { return nil }
            if isArray, key.end + 1 >= bytes.count || bytes[key.end + 1] != UInt8(ascii: "]") { return nil }
            return (key.path, isArray)
        }

        /// A dotted key starting at `start`: bare, `"basic"` or `'literal'` segments joined by
        /// dots; `end` is the first byte after it and the blanks that follow.
        private static func keyPath(in bytes: [UInt8], from start: Int) -> (path: [String], end: Int)? {
            var path: [String] = []
            var index = start
            while true {
                index = skipBlanks(bytes, from: index)
                guard index < bytes.count else { return nil }
                var segment: [UInt8] = []
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        // Escapes in keys are rare; keeping the escaped byte is close enough.
                        if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                        if index < bytes.count { segment.append(bytes[index]) }
                        index += 1
                    }
                    guard index < bytes.count else { return nil }
                    index += 1
                case UInt8(ascii: "'"):
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "'") {
                        segment.append(bytes[index])
                        index += 1
                    }
                    guard index < bytes.count else { return nil }
                    index += 1
                default:
                    while index < bytes.count, isBareKeyByte(bytes[index]) {
                        segment.append(bytes[index])
                        index += 1
                    }
                    guard !segment.isEmpty else { return nil }
                }
                path.append(String(decoding: segment, as: UTF8.self))
                index = skipBlanks(bytes, from: index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return (path, index) }
                index += 1
            }
        }

        private static func isBareKeyByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }

        private static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
            var index = start
            while index < bytes.count,
                bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
                    || bytes[index] == UInt8(ascii: "\r")
            {
                index += 1
            }
            return index
        }

        /// Follows strings, comments and brackets across lines, so a line inside a multi-line
        /// string or array is not taken for a header or a key.
        private struct Scanner {
            enum Mode { case normal, multiLineBasic, multiLineLiteral }
            var mode = Mode.normal
            /// Open `[` and `{` of values.
            var depth = 0

            /// Whether the next line starts a new statement (header or key).
            var isAtStatement: Bool { mode == .normal && depth == 0 }

            mutating func scan(_ bytes: [UInt8], from start: Int) {
                var index = start
                func at(_ text: StaticString) -> Bool {
                    let count = text.utf8CodeUnitCount
                    guard index + count <= bytes.count else { return false }
                    return (0..<count).allSatisfy { bytes[index + $0] == text.utf8Start[$0] }
                }
                while index < bytes.count {
                    switch mode {
                    case .multiLineBasic:
                        if bytes[index] == UInt8(ascii: "\\") {
                            index += 2
                        } else if at("\"\"\"") {
                            mode = .normal
                            index += 3
                        } else {
                            index += 1
                        }
                    case .multiLineLiteral:
                        if at("'''") {
                            mode = .normal
                            index += 3
                        } else {
                            index += 1
                        }
                    case .normal:
                        switch bytes[index] {
                        case UInt8(ascii: "#"):
                            return
                        case UInt8(ascii: "\"") where at("\"\"\""):
                            mode = .multiLineBasic
                            index += 3
                        case UInt8(ascii: "'") where at("'''"):
                            mode = .multiLineLiteral
                            index += 3
                        case UInt8(ascii: "\""):
                            index += 1
                            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                            }
                            index += 1
                        case UInt8(ascii: "'"):
                            index += 1
                            while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
                            index += 1
                        case UInt8(ascii: "["), UInt8(ascii: "{"):
                            depth += 1
                            index += 1
                        case UInt8(ascii: "]"), UInt8(ascii: "}"):
                            depth = max(0, depth - 1)
                            index += 1
                        default:
                            index += 1
                        }
                    }
                }
            }
        }
    }
}
