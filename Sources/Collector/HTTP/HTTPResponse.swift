/// A complete HTTP response. A status of 400 or more is a response, not an error: the adapter
/// maps it (429 and 5xx to a retry, 412 or 432 to anti-bot, …).
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The decoded (decompressed) body.
    public var body: [UInt8]
    /// The header block as received, parsed only when ``headers`` is read: most responses are
    /// only asked for a header or two (``header(_:)`` reads them in place), so the client does
    /// not build a string per header line for every response.
    private var headerBlock: HeaderBlock
    /// The URL that answered, when a followed redirect made it another than the request's
    /// (``RedirectFollowingHTTPClient``): `http://127.0.0.1:8080/final/api/container/getIndex`,
    /// without its query, fragment or user info (``HTTPRequest/redactedURL``: a query may hold
    /// a token), so that a message about the answer names the address the operator should
    /// check. Nil when the request's own URL answered: most answers, which pay nothing for it.
    public var finalURL: String?

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headerBlock = .parsed(headers)
        self.body = body
    }

    /// Creates a response from the header lines received (`Name: value`, CRLF or LF), without
    /// the status line.
    package init(status: Int, headerLines: [UInt8], body: [UInt8]) {
        self.status = status
        self.headerBlock = .raw(headerLines)
        self.body = body
    }

    /// The response headers (of the last response, after any `100 Continue`), in order; blank
    /// and malformed lines are left out.
    public var headers: [HTTPHeader] {
        get {
            switch headerBlock {
            case .parsed(let headers):
                return headers
            case .raw(let bytes):
                var headers: [HTTPHeader] = []
                Self.forEachHeader(in: bytes) { name, value in
                    headers.append(
                        HTTPHeader(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
                    )
                    return false
                }
                return headers
            }
        }
        set { headerBlock = .parsed(newValue) }
    }

    /// The first header named `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        firstHeader(among: CollectionOfOne(name))
    }

    /// The value of the first of `names` that the response has, case-insensitively, for a
    /// header that servers send under more than one name (`X-RateLimit-Remaining`,
    /// `RateLimit-Remaining`): an earlier name wins wherever it stands, as with
    /// `header(a) ?? header(b)`, but the header lines are read once.
    public func header(preferring names: [String]) -> String? {
        firstHeader(among: names)
    }

    private func firstHeader(among names: some Collection<String>) -> String? {
        switch headerBlock {
        case .parsed(let headers):
            for name in names {
                if let header = headers.first(where: { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }) {
                    return header.value
                }
            }
            return nil
        case .raw(let bytes):
            // The best name found so far, by its place in `names`: only an earlier one replaces it.
            var found: (rank: Int, value: String)?
            Self.forEachHeader(in: bytes) { candidate, value in
                for (rank, name) in names.enumerated() {
                    if let found, rank >= found.rank { return false }
                    guard Self.equalIgnoringASCIICase(candidate, name.utf8) else { continue }
                    found = (rank, String(decoding: value, as: UTF8.self))
                    return rank == 0
                }
                return false
            }
            return found?.value
        }
    }

    /// How long `Retry-After` asks to wait, seen at `now`: the header is a number of seconds or
    /// an HTTP-date (RFC 9110 §10.2.3; gateways and CDNs send the date), and a date already past
    /// asks for no wait. Nil when the header is absent or neither form.
    /// - Parameter now: The caller's wall clock, which a date is measured from; read only when
    ///   the header is a date.
    public func retryAfter(now: () -> Timestamp) -> Duration? {
        guard let text = header("Retry-After")?.trimmingSpaces else { return nil }
        if let seconds = Int64(text) { return seconds >= 0 ? .seconds(seconds) : nil }
        let clock = now()
        guard let date = HTTPDate.parse(text, now: clock) else { return nil }
        return .seconds(max(0, date.secondsSinceEpoch - clock.secondsSinceEpoch))
    }

    /// Whether the body looks like HTML rather than JSON: an error page from a proxy, a login wall.
    public var looksLikeHTML: Bool {
        let start = body.drop(while: {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
        })
        return start.first == UInt8(ascii: "<")
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers == rhs.headers && lhs.finalURL == rhs.finalURL
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(headers)
        hasher.combine(body)
        hasher.combine(finalURL)
    }

    // MARK: - Header lines

    private enum HeaderBlock: Sendable {
        case parsed([HTTPHeader])
        case raw([UInt8])
    }

    /// Calls `body` with the name and value bytes (value trimmed of blanks) of each
    /// `Name: value` line, in order, until it returns true.
    private static func forEachHeader(
        in bytes: [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        bytes.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                var colon = -1
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") {
                    if colon < 0, bytes[lineEnd] == UInt8(ascii: ":") { colon = lineEnd }
                    lineEnd += 1
                }
                var end = lineEnd
                if end > lineStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if colon > lineStart, colon < end {
                    var valueStart = colon + 1
                    while valueStart < end, isBlank(bytes[valueStart]) { valueStart += 1 }
                    var valueEnd = end
                    while valueEnd > valueStart, isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
                    let name = UnsafeBufferPointer(rebasing: bytes[lineStart..<colon])
                    let value = UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])
                    if body(name, value) { return }
                }
                lineStart = lineEnd + 1
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Header names are ASCII: compares them byte by byte, folding A–Z, without the
    /// allocations of `lowercased()`. Most names differ in length, which is checked first.
    private static func equalIgnoringASCIICase(
        _ left: some Collection<UInt8>,
        _ right: some Collection<UInt8>
    ) -> Bool {
        left.count == right.count
            && left.elementsEqual(right) { a, b in
                a == b || (a ^ 0x20 == b && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
            }
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
