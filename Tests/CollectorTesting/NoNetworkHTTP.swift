public import Collector
import Testing

/// An HTTP client for tests that make no request: any request records an issue, failing the
/// test, and throws.
///
/// Use it where an `AdapterContext` needs a client but the code under test must not reach the
/// network (the exec and import adapters, the runner's scripted adapters).
public struct NoNetworkHTTP: HTTPFetching {
    private let reason: String

    /// Creates the client.
    ///
    /// - Parameter reason: Why no request is expected; it names the failure.
    public init(_ reason: String = "this test makes no HTTP request") {
        self.reason = reason
    }

    /// Records an issue and throws ``HTTPError/other(_:_:)``.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        Issue.record("\(reason), but \(request.method.rawValue) \(request.redactedURL) was made")
        throw .other(request, "no network in this test")
    }
}
