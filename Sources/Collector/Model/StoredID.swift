/// What an account or object id must not hold, whichever route it comes by (an exec line,
/// an export file): SPEC §5's rule for the stored files, kept in one place.
///
/// - A control character: C0 (below U+0020), DEL, a C1 control (U+0080–U+009F; U+0085 is NEL)
///   or the line and paragraph separators U+2028 and U+2029. A Unicode-aware line reader
///   (Python's `str.splitlines()`) splits a stored row at any of them, not only at `\n`.
/// - A backslash: the Influx line protocol has no encoding for one in a tag that every reader
///   agrees on (InfluxDB 1.x keeps `\\` as two backslashes, 2.x reads one, and a tag value
///   ending in a backslash escapes the separator after it), so an id in the `.lp` files would
///   no longer match the same id in the CSV and JSON files.
package enum StoredID {
    /// Why an id cannot be stored.
    package enum Problem: Sendable, Hashable {
        /// It holds a control character (a NUL, a line break, an escape).
        case controlCharacter
        /// It holds a backslash.
        case backslash
    }

    /// Why `bytes` (UTF-8) cannot be an id, or nil when it can.
    package static func problem(_ bytes: UnsafeRawBufferPointer) -> Problem? {
        if hasControlCharacter(bytes) { return .controlCharacter }
        if bytes.contains(UInt8(ascii: "\\")) { return .backslash }
        return nil
    }

    /// Why `id` cannot be an id, or nil when it can.
    package static func problem(_ id: String) -> Problem? {
        var id = id
        return id.withUTF8 { problem(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `bytes` (UTF-8) holds a control character as the type's summary defines it.
    package static func hasControlCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Byte by byte, with no array to allocate: the ids of every exec line are checked.
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return true }
            if byte == 0xC2, index + 1 < count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
            if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
            {
                return true
            }
            index += 1
        }
        return false
    }

    /// Whether `bytes` starts or ends with a space: ASCII, no-break (U+00A0) or ideographic
    /// (U+3000). Tabs and line breaks are control characters, refused already.
    package static func startsOrEndsWithSpace(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || last == 0x20 { return true }
        // Byte by byte, with no array to allocate: the object of every line is checked.
        let count = bytes.count
        if count >= 2, (first == 0xC2 && bytes[1] == 0xA0) || (bytes[count - 2] == 0xC2 && last == 0xA0) {
            return true
        }
        if count >= 3,
            (first == 0xE3 && bytes[1] == 0x80 && bytes[2] == 0x80)
                || (bytes[count - 3] == 0xE3 && bytes[count - 2] == 0x80 && last == 0x80)
        {
            return true
        }
        return false
    }

    /// Why `account`, an account id written in the configuration or on the command line, cannot
    /// be stored, as a message: ``problem(_:)``, or white space at either end (`" gh_01 "` would
    /// be an account apart from `gh_01`); nil when it can.
    package static func accountProblem(_ account: String) -> String? {
        var bytes = account
        return bytes.withUTF8 { utf8 -> String? in
            let raw = UnsafeRawBufferPointer(utf8)
            switch problem(raw) {
            case .controlCharacter: return "holds a control character, which no stored id may hold"
            case .backslash:
                return "holds a backslash, which no stored id may hold (Influx line protocol cannot carry one)"
            case nil: break
            }
            if startsOrEndsWithSpace(raw) {
                return
                    "has white space at its start or end, which would make it an account apart from the id without it"
            }
            return nil
        }
    }
}
