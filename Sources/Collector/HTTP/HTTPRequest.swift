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

    /// The URL without its query string and fragment: `https://api.weixin.qq.com/datacube/getusercumulate`.
    /// Safe for logs and errors: WeChat, Kuaishou, Weibo and Bilibili arcopen put tokens in the query.
    public var redactedURL: String {
        String(url.prefix(while: { $0 != "?" && $0 != "#" }))
    }

    private var afterScheme: Substring {
        let full = Substring(redactedURL)
        var index = full.startIndex
        while index < full.endIndex {
            if full[index...].hasPrefix("://") { return full[full.index(index, offsetBy: 3)...] }
            if full[index] == "/" { break }
            index = full.index(after: index)
        }
        return full
    }

    /// The host, for errors: `api.bilibili.com`.
    public var host: String {
        let rest = afterScheme
        let authority = rest.prefix(while: { $0 != "/" })
        // Drop any user info: it could hold a credential.
        return String(authority.split(separator: "@").last ?? authority)
    }

    /// The path, for errors and metric labels: `/x/relation/stat`.
    public var path: String {
        let rest = afterScheme
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
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
