/// A stable object id for exports without an id column (Douyin 作品数据, mapped sheets with a
/// title and a publishing time but no id): the publishing time and a hash of the title.
///
/// `20250303110000_5d1c4b2a`: the Beijing publishing time as `YYYYMMDDhhmmss` (`YYYYMMDD`
/// when the export gives only the day), `_`, and the FNV-1a 32-bit hash of the title cell in
/// eight lower-case hex digits. The title is hashed whole (Douyin's 作品名称 holds title and
/// body) after trimming white space at both ends and turning CRLF and CR into LF, so that the
/// same work exported as CSV or XLSX, on Windows or not, gets the same id. Editing the title
/// changes the id: the export offers nothing steadier.
package enum DerivedObjectID {
    /// The id of the work published at `published` with title `title`.
    package static func make(published: DateTimeCell, title: String) -> String {
        let date = published.date
        var text = pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2)
        if published.hasTime {
            let second = Int(published.secondOfDay)
            text += pad(second / 3600, 2) + pad(second % 3600 / 60, 2) + pad(second % 60, 2)
        }
        return text + "_" + hex8(fnv1a(normalized(title)))
    }

    /// The title as hashed: trimmed, line breaks as LF.
    package static func normalized(_ title: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(title.utf8.count)
        var previousWasCR = false
        for byte in title.utf8 {
            if byte == 0x0D {
                bytes.append(0x0A)
                previousWasCR = true
                continue
            }
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            bytes.append(byte)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.unicodeScalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: trimmed)
        return Array(String(scalars).utf8)
    }

    /// FNV-1a, 32 bits.
    package static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.value == 0xFEFF
    }

    private static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
