/// A complete HTTP response. A status of 400 or more is a response, not an error: the adapter
/// maps it (429 and 5xx to a retry, 412 or 432 to anti-bot, …).
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The response headers of the final response (after redirects), in order.
    public var headers: [HTTPHeader]
    /// The decoded (decompressed) body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { Self.equalIgnoringASCIICase($0.name, name) }?.value
    }

    /// Header names are ASCII: compares them byte by byte, folding A–Z, without the
    /// allocations of `lowercased()` (this runs several times per response).
    private static func equalIgnoringASCIICase(_ left: String, _ right: String) -> Bool {
        left.utf8.elementsEqual(right.utf8) { a, b in
            a == b || (a ^ 0x20 == b && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }

    /// `Retry-After` in seconds, when the header is a number of seconds.
    public var retryAfter: Duration? {
        guard let text = header("Retry-After")?.trimmingSpaces, let seconds = Int64(text), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }

    /// Whether the body looks like HTML rather than JSON: an error page from a proxy, a login wall.
    public var looksLikeHTML: Bool {
        let start = body.drop(while: {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
        })
        return start.first == UInt8(ascii: "<")
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
