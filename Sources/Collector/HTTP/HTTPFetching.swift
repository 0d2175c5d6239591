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
}
