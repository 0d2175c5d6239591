/// An ``HTTPFetching`` that follows the same-origin redirects of a `GET`, each hop a request
/// of its own through `base`: placed above ``BudgetedHTTPClient`` and ``MeteredHTTPClient``,
/// every hop waits for the request budgets (the instance's `rate`, a shared credential's) and
/// is counted in `collector_http_requests_total` with its own status. The `rate` is a ceiling
/// promised to the operator, and a redirect is one more request the platform sees.
///
/// - Follows a 301, 302, 303, 307 or 308 answer to a `GET` whose `Location` (resolved against
///   the URL it answered, RFC 3986: `stat?vmid=1`, `../stat` and `/x/stat` all work) has the
///   request's scheme, host and port; at most ``maxRedirects`` in a row. The hop is a `GET`
///   with the request's headers and timeout (each hop has the whole timeout: it may wait for
///   the budget first).
/// - Returns any other redirect as the 3xx answer it is, for the adapter to report with its
///   target and why (`JSONResponse`): one to another origin (another host or port, https to
///   http), a `POST`'s (its body may hold an app secret), the one after ``maxRedirects``, one
///   without a `Location` that parses. A request's credentials (a token in the query, a cookie)
///   never go anywhere but the host they were meant for.
///
/// The last answer carries the URL that gave it (``HTTPResponse/finalURL``, without its query)
/// when a redirect was followed. An answer that is no redirect costs one comparison of its
/// status.
public struct RedirectFollowingHTTPClient: HTTPFetching {
    /// How many same-origin redirects one request follows.
    public static let maxRedirects = 5

    /// The client that sends the request and each hop: the budgets, the metrics, libcurl.
    public let base: any HTTPFetching

    /// Creates a client.
    /// - Parameter base: The client that sends the request and each hop.
    public init(base: any HTTPFetching) {
        self.base = base
    }

    /// Performs `request`, following its same-origin redirects if it is a `GET`.
    /// - Returns: The last answer, whatever its status: a redirect that is not followed included;
    ///   after a followed redirect, with the ``HTTPResponse/finalURL`` that gave it.
    /// - Throws: ``HTTPError``: the base client's, for the request or for a hop (naming the hop's
    ///   host and path).
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        var response = try await base.fetch(request)
        // Most answers are no redirect: they leave here, with nothing built.
        guard (301...308).contains(response.status), request.method == .get else { return response }
        var hop = request
        var followed = 0
        while followed < Self.maxRedirects, let target = Self.sameOriginTarget(of: response, answering: hop.url) {
            hop.url = target
            followed += 1
            response = try await base.fetch(hop)
        }
        // The answer names the address that gave it (without its query), for the messages
        // built from it: the operator corrects base_url to it.
        if followed > 0 { response.finalURL = hop.redactedURL }
        return response
    }

    /// The absolute URL `response` redirects to, when it is a redirect that may be followed
    /// from `url`: a followed status, and a `Location` with `url`'s scheme, host and port.
    static func sameOriginTarget(of response: HTTPResponse, answering url: String) -> String? {
        guard [301, 302, 303, 307, 308].contains(response.status),
            let location = response.header("Location"), !location.isEmpty,
            let target = CurlURL.resolve(location, against: url),
            let origin = CurlURL.origin(of: url), CurlURL.origin(of: target) == origin
        else { return nil }
        return target
    }
}
