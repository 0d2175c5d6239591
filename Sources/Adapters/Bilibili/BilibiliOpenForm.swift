/// `application/x-www-form-urlencoded` for arcopen's query strings and token requests: every
/// byte outside RFC 3986's unreserved set is percent-encoded (upper-case hex), so a token or a
/// secret with `+`, `/` or `=` arrives as sent.
enum BilibiliOpenForm {
    /// `a=1&b=x%2By`.
    static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// One component, percent-encoded.
    static func escape(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
