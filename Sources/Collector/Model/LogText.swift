/// Text from platforms, files and the configuration made safe for one line of a log or a
/// summary: nothing in it can end the line, start a forged one, or send a terminal escape.
///
/// Works on Unicode scalars, not `Character`s: `"\r\n"` is a single grapheme, so a comparison
/// with `"\n"` misses it, and ESC, TAB or a lone CR would pass through.
///
/// - `\n`, `\r` and `\t` become those two-character escapes;
/// - every other C0 control (U+0000…U+001F), DEL (U+007F), every C1 control (U+0080…U+009F)
///   and the Unicode line and paragraph separators (U+2028, U+2029) become `\u{1B}`-style
///   escapes: the scalar's value in upper-case hex, at least two digits;
/// - ``logfmt(_:)`` also escapes `"` and `\`, and quotes the value when it needs quotes.
package enum LogText {
    /// `text` with its control characters escaped; quotes and backslashes stay as they are.
    /// For human text: terminal log lines and summary lines.
    package static func escapingControls(_ text: String) -> String {
        // The common case, no control at all, costs one scan and no copy.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &result, escapingQuotes: false) }
        return result
    }

    /// A logfmt value: bare when it holds no space, `=`, `"`, `\` or control character and is
    /// not empty; else double-quoted, with `"` and `\` escaped as well as the controls.
    package static func logfmt(_ text: String) -> String {
        let needsQuotes =
            text.isEmpty
            || text.unicodeScalars.contains { scalar in
                scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || needsEscape(scalar)
            }
        guard needsQuotes else { return text }
        var result = "\""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &result, escapingQuotes: true) }
        return result + "\""
    }

    /// Whether `scalar` may not appear raw in a log line.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String, escapingQuotes: Bool) {
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\"" where escapingQuotes: result += "\\\""
        case "\\" where escapingQuotes: result += "\\\\"
        default:
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                return
            }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result += "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
        }
    }
}
