/// A stable object id for exports without an id column (Douyin 作品数据, mapped sheets with a
/// title and a publishing time but no id): the publishing time and a hash of the title.
///
/// `202503031100_5d1c4b2a`: the Beijing publishing time to the minute as `YYYYMMDDhhmm`
/// (`YYYYMMDD` when the export gives only the day), `_`, and the FNV-1a 32-bit hash of the title
/// cell in eight lower-case hex digits. The title is hashed whole (Douyin's 作品名称 holds title
/// and body) after trimming white space at both ends and turning CRLF and CR into LF, so that the
/// same work exported as CSV or XLSX, on Windows or not, gets the same id. Editing the title
/// changes the id: the export offers nothing steadier. So does an Excel re-save in code page
/// 936, which writes `?` for an emoji (``CodePage936``): the importer then finds the work by its
/// catalogued title instead (the adapters' `CataloguedWorks`), and the id stays as it is.
///
/// The seconds are left out on purpose: Excel re-saves `2025-03-06 18:30:12` as
/// `2025/3/6 18:30`, and an id with the seconds then named the same work twice. The price: two
/// works of one account with the same title published within the same minute (a post sent
/// twice) share an id, and their rows are one work's. Two different titles in the same minute
/// collide only when their 32-bit hashes do (about one chance in 4 × 10⁹ per pair).
package enum DerivedObjectID {
    /// The id of the work published at `published` with title `title`.
    package static func make(published: DateTimeCell, title: String) -> String {
        let date = published.date
        var text = pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2)
        if published.hasTime {
            let second = Int(published.secondOfDay)
            text += pad(second / 3600, 2) + pad(second % 3600 / 60, 2)
        }
        return text + "_" + hex8(fnv1a(normalized(title)))
    }

    /// Whether `id` has the shape of a derived id: `YYYYMMDD`, `YYYYMMDDhhmm` or (before the
    /// seconds were dropped) `YYYYMMDDhhmmss`, `_`, eight lower-case hex digits. A platform's own
    /// ids (Douyin's `@…` item ids, numeric ids) never have it.
    package static func isDerived(_ id: String) -> Bool {
        let parts = id.utf8.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
        guard parts.count == 2, [8, 12, 14].contains(parts[0].count), parts[1].count == 8 else { return false }
        return parts[0].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && parts[1].allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
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
