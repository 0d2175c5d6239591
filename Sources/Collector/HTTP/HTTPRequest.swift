/// An HTTP request as adapters describe it; the client adds the user agent, timeouts and
/// compression.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET` or `POST`.
    public var method: HTTPMethod
    /// The full URL, query included. Never logged as is: see ``redactedURL``.
    public var url: String
    /// Extra request headers. `Cookie`, `Authorization` and `access-token` never leave the HTTP layer.
    public var headers: [HTTPHeader]
    /// The request body, for `POST`.
    public var body: [UInt8]?
    /// A total timeout for this request, overriding the client's.
    public var timeout: Duration?

    /// Creates a request.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The URL without its query string, fragment and user info:
    /// `https://api.weixin.qq.com/datacube/getusercumulate`. Safe for logs and errors: WeChat,
    /// Kuaishou, Weibo and Bilibili arcopen put tokens in the query.
    public var redactedURL: String {
        let utf8 = url.utf8
        let authority = self.authority
        let end = utf8[authority.upperBound...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        let rest = url[authority.upperBound..<(end ?? utf8.endIndex)]
        return String(url[..<authority.lowerBound]) + host + rest
    }

    /// The host, for errors: `api.bilibili.com`.
    public var host: String {
        let authority = self.authority
        // Drop any user info: it could hold a credential.
        let start = url.utf8[authority].lastIndex(of: UInt8(ascii: "@")).map { url.utf8.index(after: $0) }
        return String(url[(start ?? authority.lowerBound)..<authority.upperBound])
    }

    /// The path, for errors and metric labels: `/x/relation/stat`.
    public var path: String {
        let utf8 = url.utf8
        let start = authority.upperBound
        let end = utf8[start...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? utf8.endIndex
        return start == end ? "/" : String(url[start..<end])
    }

    /// The authority (user info, host and port) of ``url``: after `scheme://`, up to the first
    /// `/`, `?` or `#`. Scanned as UTF-8 bytes: this runs for every error message.
    private var authority: Range<String.Index> {
        let utf8 = url.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        // The scheme ends at the first "://" before any "/".
        while index < utf8.endIndex, utf8[index] != UInt8(ascii: "/") {
            if utf8[index] == UInt8(ascii: ":"), utf8[index...].starts(with: "://".utf8) {
                start = utf8.index(index, offsetBy: 3)
                break
            }
            index = utf8.index(after: index)
        }
        let end =
            utf8[start...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? utf8.endIndex
        return start..<end
    }
}

/// The HTTP methods the collector uses: it only reads.
public enum HTTPMethod: String, Sendable, Hashable {
    /// GET.
    case get = "GET"
    /// POST, for APIs that take their query as a JSON body (WeChat datacube, token endpoints).
    case post = "POST"
}

/// One header line.
public struct HTTPHeader: Sendable, Hashable {
    /// The name, as sent.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
