public import Collector

/// Passes requests on to another client, showing each to `observe` before it is sent.
public struct ObservingHTTP: HTTPFetching {
    private let base: any HTTPFetching
    private let observe: @Sendable (HTTPRequest) -> Void

    /// Creates the client.
    ///
    /// - Parameters:
    ///   - base: The client that performs the requests.
    ///   - observe: Sees each request before it is sent.
    public init(base: any HTTPFetching, observe: @escaping @Sendable (HTTPRequest) -> Void) {
        self.base = base
        self.observe = observe
    }

    /// Shows `request` to `observe`, then fetches it through `base`.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        observe(request)
        return try await base.fetch(request)
    }
}
