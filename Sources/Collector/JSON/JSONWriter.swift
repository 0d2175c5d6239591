/// Writes JSON text by hand: compact, object keys sorted by their UTF-8 bytes (as
/// `JSON_COMPACT | JSON_SORT_KEYS` would), strings escaped per RFC 8259.
///
/// Written in Swift rather than through `json_dumps` because jansson prints reals with 17
/// significant digits (`0.41229999999999999`), while Swift's shortest round-trip text keeps
/// `0.4123` as it was read. JSON Lines output (`JSONLinesFormat`) escapes its strings with
/// the byte-level `appendString(_:to:)` here.
package enum JSONWriter {
    /// Appends `value` as compact JSON. Object keys are sorted bytewise; when a key repeats, the
    /// last member wins (as in jansson). Non-finite reals, which JSON cannot spell, become `null`.
    /// - Parameters:
    ///   - value: The value to write.
    ///   - bytes: The buffer to append to.
    package static func append(_ value: JSONValue, to bytes: inout [UInt8]) {
        switch value {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let flag):
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number):
            bytes.append(contentsOf: String(number).utf8)
        case .real(let number):
            appendReal(number, to: &bytes)
        case .string(let text):
            appendString(text, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            // Stable on the original index, so that among equal keys the last one is found last.
            let order = members.indices.sorted { left, right in
                let leftKey = members[left].key.utf8
                let rightKey = members[right].key.utf8
                if leftKey.elementsEqual(rightKey) { return left < right }
                return leftKey.lexicographicallyPrecedes(rightKey)
            }
            var first = true
            for (position, index) in order.enumerated() {
                let isOverridden =
                    position + 1 < order.count
                    && members[order[position + 1]].key.utf8.elementsEqual(members[index].key.utf8)
                if isOverridden { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                appendString(members[index].key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                append(members[index].value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\t`,
    /// `\r`, `\b`, `\f` or `\u00XX`; everything else, including non-ASCII, as raw UTF-8.
    /// - Parameters:
    ///   - text: The string.
    ///   - bytes: The buffer to append to.
    package static func appendString(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: &bytes) }
    }

    /// Appends the UTF-8 bytes `text` as a JSON string, escaped as above. On the hot path of
    /// JSON Lines output: a string with nothing to escape, the usual case, is copied in one go.
    /// - Parameters:
    ///   - text: The string's UTF-8 bytes.
    ///   - bytes: The buffer to append to.
    @inline(__always)
    package static func appendString(_ text: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var clean = true
        for byte in text where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean {
            bytes.append(contentsOf: text)
        } else {
            for byte in text {
                switch byte {
                case UInt8(ascii: "\""): ByteText.append("\\\"", to: &bytes)
                case UInt8(ascii: "\\"): ByteText.append("\\\\", to: &bytes)
                case 0x0A: ByteText.append("\\n", to: &bytes)
                case 0x0D: ByteText.append("\\r", to: &bytes)
                case 0x09: ByteText.append("\\t", to: &bytes)
                case 0x08: ByteText.append("\\b", to: &bytes)
                case 0x0C: ByteText.append("\\f", to: &bytes)
                case 0..<0x20:
                    ByteText.append("\\u00", to: &bytes)
                    bytes.append(hexDigit(byte >> 4))
                    bytes.append(hexDigit(byte & 0xF))
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Swift's shortest round-trip text (`0.4123`, `2.0`, `1e-05`), all of it valid JSON.
    private static func appendReal(_ number: Double, to bytes: inout [UInt8]) {
        guard number.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        bytes.append(contentsOf: number.description.utf8)
    }
}

extension JSONValue {
    /// The value as compact JSON text with object keys sorted: the form in which exec state
    /// cursors are saved, and a stable form for comparing documents.
    /// - Returns: Valid UTF-8 JSON, such as `{"cursor":"2026-03-31","page":2}`.
    public func serialized() -> String {
        var bytes: [UInt8] = []
        JSONWriter.append(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
