/// The top-level `"key": "string"` and `"key": number` members of a JSON object body, as
/// `key=value` routing parameters for fixtures (`getarticletotaldetail@begin_date=2025-10-26.json`).
///
/// A small scanner rather than a JSON parser: the simulator has no dependency on the collector's
/// jansson bridge, and request bodies are the flat objects the adapters build. Nested objects
/// and arrays are skipped; strings with escapes are taken as they are written.
enum JSONBodyParameters {
    /// The parameters, in the body's order; none for a body that is not a JSON object.
    static func parse(_ body: [UInt8]) -> [String] {
        var scanner = Scanner(bytes: body)
        scanner.skipBlanks()
        guard scanner.take(UInt8(ascii: "{")) else { return [] }
        var parameters: [String] = []
        while true {
            scanner.skipBlanks()
            guard let key = scanner.string() else { return parameters }
            scanner.skipBlanks()
            guard scanner.take(UInt8(ascii: ":")) else { return parameters }
            scanner.skipBlanks()
            if let value = scanner.string() ?? scanner.number() {
                parameters.append("\(key)=\(value)")
            } else if !scanner.skipValue() {
                return parameters
            }
            scanner.skipBlanks()
            guard scanner.take(UInt8(ascii: ",")) else { return parameters }
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func skipBlanks() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// A string's text between its quotes (escapes kept as written).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// A number as written (`7`, `-1.5e3`).
        mutating func number() -> String? {
            let start = position
            while position < bytes.count, "+-.0123456789eE".utf8.contains(bytes[position]) { position += 1 }
            return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }

        /// Skips `true`, `false`, `null`, an object or an array; false when the body ends first.
        mutating func skipValue() -> Bool {
            var depth = 0
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    _ = string()
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    if depth == 0 { return true }
                    depth -= 1
                }
                if byte == UInt8(ascii: ","), depth == 0 { return true }
                position += 1
            }
            return false
        }
    }
}
