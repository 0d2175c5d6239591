/// The settings of a ``CurlHTTPClient``: timeouts, the body cap, the user agent and how many
/// transfers run at once. TLS certificates and host names are always verified.
public struct HTTPClientConfiguration: Sendable, Hashable {
    /// How long connecting (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// How long a whole request may take, unless ``HTTPRequest/timeout`` overrides it.
    public var timeout: Duration
    /// The largest response body accepted; a larger one fails with `bodyTooLarge`.
    public var maxBodyBytes: Int
    /// The `User-Agent` header sent with every request that does not set its own.
    public var userAgent: String
    /// How many transfers run at once; further requests wait in a queue.
    public var maxInFlight: Int
    /// The URL schemes libcurl may use (`CURLOPT_PROTOCOLS_STR`). Not public: only the tests
    /// change it, naming an unknown scheme to see that a refused security option fails the
    /// request instead of being skipped.
    package var protocols = "http,https,file"

    /// Creates a configuration; every parameter has the production default.
    public init(
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30),
        maxBodyBytes: Int = 16 << 20,
        userAgent: String = "collector/0.1 (+metrics collector; measurement only)",
        maxInFlight: Int = 16
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.userAgent = userAgent
        self.maxInFlight = maxInFlight
    }
}

extension Duration {
    /// Whole milliseconds for libcurl's `_MS` options, at least 1 so that a tiny positive
    /// duration never turns into libcurl's "0 = no timeout".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1000 else { return Int.max }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(clamping: max(1, milliseconds))
    }
}
