/// One field of the tab-separated files in `state_dir` (the schedule's snapshot and journal,
/// the import ledger): `%`, tab, LF and CR are written as `%25`, `%09`, `%0A` and `%0D`, so a
/// name never splits a field or a line.
package enum TabSeparatedField {
    /// Appends `text` to `bytes`, escaped.
    package static func append(_ text: String, to bytes: inout [UInt8]) {
        // Names almost never hold a byte to escape: copy them whole when none does.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: needsEscape) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        for byte in text.utf8 {
            switch byte {
            case 0x25: bytes += "%25".utf8
            case 0x09: bytes += "%09".utf8
            case 0x0A: bytes += "%0A".utf8
            case 0x0D: bytes += "%0D".utf8
            default: bytes.append(byte)
            }
        }
    }

    /// The text of an escaped field, undone in one pass, so `%2509` reads as the text `%09`.
    package static func decode(_ field: some Collection<UInt8>) -> String {
        guard field.contains(0x25) else { return String(decoding: field, as: UTF8.self) }
        let bytes = Array(field)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count,
                let value = escaped(bytes[index + 1], bytes[index + 2])
            {
                result.append(value)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x25 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The byte `%XY` stands for, when it is one that ``append(_:to:)`` escapes.
    private static func escaped(_ high: UInt8, _ low: UInt8) -> UInt8? {
        switch (high, low) {
        case (0x32, 0x35): 0x25  // %25
        case (0x30, 0x39): 0x09  // %09
        case (0x30, 0x41), (0x30, 0x61): 0x0A  // %0A
        case (0x30, 0x44), (0x30, 0x64): 0x0D  // %0D
        default: nil
        }
    }
}
