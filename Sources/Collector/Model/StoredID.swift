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
}
