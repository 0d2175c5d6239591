/// Something that performs HTTP requests: ``CurlHTTPClient`` in production.
///
/// ## Implementation requirements
/// - Return every response that arrived whole, whatever its status.
/// - Throw ``HTTPError`` for transport failures: timeouts, refused connections, TLS failures,
///   bodies over the size cap, truncated bodies, cancellation.
/// - Never put the query string, a cookie or an authorisation header into an error or a log.
public protocol HTTPFetching: Sendable {
    /// Performs `request` and returns the whole response.
    func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse

    /// The executor that callers waiting mostly on this client may prefer, so that they resume
    /// where the responses arrive (``CurlHTTPClient/taskExecutor``); nil when there is none.
    /// A client that wraps another passes the other's on.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension HTTPFetching {
    /// None: callers run on the global executor.
    public var taskExecutor: (any TaskExecutor)? { nil }
}
