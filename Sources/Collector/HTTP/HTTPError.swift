/// A transport failure: the request got no complete response.
///
/// Names the host and path, never the query string (which may hold a token).
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case timeout, couldNotResolve, couldNotConnect, tls, bodyTooLarge, truncated, cancelled, setup, dailyCap, other
    }

    private let code: Code
    /// The host of the request.
    public var host: String
    /// The path of the request, without the query string.
    public var path: String
    /// libcurl's explanation, or the collector's.
    public var detail: String
    /// Until when every request of the instance is refused alike, when that is known: the reset
    /// of a used-up daily cap (``dailyCap(_:_:until:)``). The service waits for it rather than
    /// asking again at each interval.
    public private(set) var refusedUntil: Timestamp?

    private init(_ code: Code, host: String, path: String, detail: String, refusedUntil: Timestamp? = nil) {
        self.code = code
        self.host = host
        self.path = path
        self.detail = detail
        self.refusedUntil = refusedUntil
    }

    /// The request took longer than its timeout.
    public static func timeout(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.timeout, host: request.host, path: request.path, detail: detail)
    }
    /// The host name did not resolve.
    public static func couldNotResolve(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.couldNotResolve, host: request.host, path: request.path, detail: detail)
    }
    /// The connection was refused, or reset or closed before an answer began.
    public static func couldNotConnect(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.couldNotConnect, host: request.host, path: request.path, detail: detail)
    }
    /// TLS failed (certificate, handshake).
    public static func tls(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.tls, host: request.host, path: request.path, detail: detail)
    }
    /// The body was larger than the client's cap.
    public static func bodyTooLarge(_ request: HTTPRequest, limit: Int) -> HTTPError {
        HTTPError(.bodyTooLarge, host: request.host, path: request.path, detail: "response body over \(limit) bytes")
    }
    /// The answer broke off after its status line: the connection closed or was reset before
    /// the whole body arrived, or the chunk framing broke.
    public static func truncated(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.truncated, host: request.host, path: request.path, detail: detail)
    }

    /// `the answer (HTTP 200) broke off in the body: <libcurl's words>; …`: names the server or
    /// a proxy as the cause, since the host was reached and began to answer.
    static func brokenAnswerDetail(status: Int, _ detail: String) -> String {
        let answer = status == 0 ? "the answer" : "the answer (HTTP \(status))"
        return "\(answer) broke off in the body: \(detail); the server or a proxy in between cut it short"
    }
    /// The task was cancelled.
    public static func cancelled(_ request: HTTPRequest) -> HTTPError {
        HTTPError(.cancelled, host: request.host, path: request.path, detail: "cancelled")
    }
    /// The client could not be set up as it must be (libcurl refused a protocol restriction or
    /// a TLS verification option), so it sends nothing.
    public static func setup(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.setup, host: request.host, path: request.path, detail: detail)
    }
    /// The request was not sent: the instance's daily request cap is used up, or the count of
    /// its requests could not be kept (``DailyRequestCap``). It holds for every further request
    /// of the instance that day (``stopsInstance``).
    /// - Parameter until: When the cap resets, for a cap used up (``refusedUntil``); nil when
    ///   the count could not be kept, which only the operator can mend.
    public static func dailyCap(_ request: HTTPRequest, _ detail: String, until: Timestamp? = nil) -> HTTPError {
        HTTPError(.dailyCap, host: request.host, path: request.path, detail: detail, refusedUntil: until)
    }
    /// Any other transport failure.
    public static func other(_ request: HTTPRequest, _ detail: String) -> HTTPError {
        HTTPError(.other, host: request.host, path: request.path, detail: detail)
    }

    /// A bounded label for self-metrics: `timeout`, `bodyTooLarge`, ….
    public var metricLabel: String { code.rawValue }

    /// Whether retrying later may help (timeouts, resets, truncation).
    public var isRetryable: Bool {
        switch code {
        case .timeout, .couldNotConnect, .truncated, .other: true
        case .couldNotResolve, .tls, .bodyTooLarge, .cancelled, .setup, .dailyCap: false
        }
    }

    /// Whether every further request of the instance would fail alike, so the runner stops the
    /// instance for the run (the accounts not reached stay due): a used-up daily cap.
    public var stopsInstance: Bool { code == .dailyCap }

    /// Whether the request did not reach the platform at all: refused, unresolved, a failed TLS
    /// handshake, or no answer in time. Several accounts in a row failing so mean the host is
    /// down or cut off, not that those accounts have a problem.
    public var meansUnreachable: Bool {
        switch code {
        case .timeout, .couldNotResolve, .couldNotConnect, .tls: true
        case .bodyTooLarge, .truncated, .cancelled, .setup, .dailyCap, .other: false
        }
    }

    /// Whether the host was reached and began to answer, but the answer broke off in the body
    /// (``truncated(_:_:)``): nothing usable was read, as when the host is unreachable, but the
    /// cause is the server or a proxy in between, not the network.
    public var meansBrokenAnswer: Bool { code == .truncated }

    /// `api.bilibili.com/x/relation/stat: Operation timed out after 2000 ms`: the description
    /// without the kind, for a message that carries the kind as its label already.
    public var placeAndDetail: String { "\(host)\(path): \(detail)" }

    /// `GET api.bilibili.com/x/relation/stat: timeout (Operation timed out after 2000 ms)`.
    public var description: String { "\(host)\(path): \(code.rawValue) (\(detail))" }
}
