/// An ``HTTPFetching`` that counts each request of one platform in ``SelfMetrics``: by HTTP
/// status, or by the transport error's label (`timeout`, `couldNotConnect`, …).
public struct MeteredHTTPClient: HTTPFetching {
    /// The client that performs the requests.
    public let base: any HTTPFetching
    /// The platform the requests are counted under.
    public let platform: Platform
    /// Where they are counted.
    public let metrics: SelfMetrics

    /// Creates a metered client.
    public init(base: any HTTPFetching, platform: Platform, metrics: SelfMetrics) {
        self.base = base
        self.platform = platform
        self.metrics = metrics
    }

    /// Performs `request` with the base client and counts its outcome (a cancelled request is
    /// not counted: it was never answered).
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        do {
            let response = try await base.fetch(request)
            metrics.recordRequest(platform: platform, code: String(response.status))
            return response
        } catch {
            if error.metricLabel != "cancelled" { metrics.recordRequest(platform: platform, code: error.metricLabel) }
            throw error
        }
    }
}
