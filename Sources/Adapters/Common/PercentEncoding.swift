/// Percent-encoding for query strings and `application/x-www-form-urlencoded` bodies: every
/// byte outside the RFC 3986 unreserved set (`A–Z a–z 0–9 - . _ ~`) becomes `%XX`. One
/// implementation for every adapter, so an app id or a redirect URI is escaped the same way
/// on every platform.
package enum PercentEncoding {
    /// `text` with every byte outside the unreserved set as `%XX` (upper-case hex).
    package static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `a=1&b=x%2By`: every name and value escaped, in order.
    package static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}
