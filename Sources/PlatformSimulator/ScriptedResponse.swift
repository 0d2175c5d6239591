/// One response the simulator plays instead of (or before) the fixtures: a status, headers, a
/// body, and misbehaviour on demand (a delay, a truncated body, a dropped connection).
///
/// ```swift
/// simulator.script(path: "/bilibili/x/relation/stat", [.rateLimited(retryAfter: 2), .serverError, .fixture()])
/// ```
public struct ScriptedResponse: Sendable, Hashable {
    /// Where the body comes from.
    public enum Body: Sendable, Hashable {
        /// The fixture the request routes to, as without a script (a 404 body when none).
        case fixture
        /// These bytes.
        case bytes([UInt8])
        /// A file, relative to the fixture root (or absolute).
        case file(String)
    }

    /// The status code.
    public var status: Int
    /// Extra response headers, in order.
    public var headers: [Header]
    /// The body.
    public var body: Body
    /// The `Content-Type`.
    public var contentType: String
    /// How long to wait before answering.
    public var delay: Duration?
    /// Send `Content-Length` of the whole body, then only this many bytes, then close.
    public var truncateBodyAt: Int?
    /// Read the request, then close the connection without answering.
    public var closeWithoutResponse: Bool
    /// Send the body with `Transfer-Encoding: chunked` instead of `Content-Length`.
    public var chunked: Bool
    /// How a body cut by ``truncateBodyAt`` ends.
    public var cut: Cut

    /// How a cut body ends, after the status line, the headers and the first bytes of the body.
    public enum Cut: Sendable, Hashable {
        /// The connection closes (FIN): fewer bytes than announced.
        case close
        /// The connection is reset (RST), as a proxy or server that crashes mid-answer does.
        case reset
        /// A chunked body goes on with a chunk size that is no hexadecimal number, then closes.
        case badChunk
    }

    /// One response header.
    public struct Header: Sendable, Hashable {
        /// The name.
        public var name: String
        /// The value.
        public var value: String

        /// Creates a header.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a response; the static helpers cover the usual cases.
    public init(
        status: Int = 200,
        headers: [Header] = [],
        body: Body = .fixture,
        contentType: String = "application/json",
        delay: Duration? = nil,
        truncateBodyAt: Int? = nil,
        closeWithoutResponse: Bool = false,
        chunked: Bool = false,
        cut: Cut = .close
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.contentType = contentType
        self.delay = delay
        self.truncateBodyAt = truncateBodyAt
        self.closeWithoutResponse = closeWithoutResponse
        self.chunked = chunked
        self.cut = cut
    }

    // MARK: - Helpers

    /// The routed fixture, with `status`.
    public static func fixture(status: Int = 200) -> ScriptedResponse {
        ScriptedResponse(status: status)
    }

    /// A JSON body given as text.
    public static func json(_ text: String, status: Int = 200) -> ScriptedResponse {
        ScriptedResponse(status: status, body: .bytes(Array(text.utf8)))
    }

    /// A JSON body from a file, relative to the fixture root.
    public static func json(file: String, status: Int = 200) -> ScriptedResponse {
        ScriptedResponse(status: status, body: .file(file))
    }

    /// An HTML page, as a proxy error or a login wall sends it.
    public static func html(status: Int = 200, _ text: String = defaultHTML) -> ScriptedResponse {
        ScriptedResponse(status: status, body: .bytes(Array(text.utf8)), contentType: "text/html; charset=utf-8")
    }

    /// `429 Too Many Requests`, with `Retry-After` in seconds when given.
    public static func rateLimited(retryAfter seconds: Int? = nil) -> ScriptedResponse {
        ScriptedResponse(
            status: 429,
            headers: seconds.map { [Header("Retry-After", String($0))] } ?? [],
            body: .bytes(genericBody(status: 429))
        )
    }

    /// `429 Too Many Requests` with `Retry-After` as an HTTP-date (`Wed, 21 Oct 2037 07:28:00
    /// GMT`), as gateways and CDNs send it; the text is sent as given, well-formed or not.
    public static func rateLimited(retryAfterDate date: String) -> ScriptedResponse {
        ScriptedResponse(status: 429, headers: [Header("Retry-After", date)], body: .bytes(genericBody(status: 429)))
    }

    /// `500 Internal Server Error` with a small JSON body.
    public static var serverError: ScriptedResponse {
        ScriptedResponse(status: 500, body: .bytes(genericBody(status: 500)))
    }

    /// Any status with a small JSON body.
    public static func status(_ status: Int) -> ScriptedResponse {
        ScriptedResponse(status: status, body: .bytes(genericBody(status: status)))
    }

    /// A redirect to `location` (a path on the simulator or a full URL).
    public static func redirect(to location: String, status: Int = 302) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [Header("Location", location)], body: .bytes([]))
    }

    /// The routed fixture after `delay`: long enough, a server that never answers.
    public static func stall(_ delay: Duration) -> ScriptedResponse {
        ScriptedResponse(delay: delay)
    }

    /// Reads the request, then closes the connection without a response.
    public static var close: ScriptedResponse {
        ScriptedResponse(closeWithoutResponse: true)
    }

    /// This response, sent after `delay`.
    public func delayed(by delay: Duration) -> ScriptedResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    /// This response, cut after `count` body bytes (the announced length stays the full one).
    public func truncated(at count: Int) -> ScriptedResponse {
        var copy = self
        copy.truncateBodyAt = count
        return copy
    }

    /// This response, cut after `count` body bytes by a connection reset.
    public func reset(at count: Int) -> ScriptedResponse {
        var copy = truncated(at: count)
        copy.cut = .reset
        return copy
    }

    /// This response as a chunked body whose framing breaks after `count` bytes.
    public func brokenChunks(at count: Int) -> ScriptedResponse {
        var copy = truncated(at: count).inChunks()
        copy.cut = .badChunk
        return copy
    }

    /// This response with a chunked body (no `Content-Length`).
    public func inChunks() -> ScriptedResponse {
        var copy = self
        copy.chunked = true
        return copy
    }

    /// The page ``html(status:_:)`` sends by default.
    public static let defaultHTML =
        "<!DOCTYPE html>\n<html><head><title>Security check</title></head><body><p>Please verify.</p></body></html>\n"

    static func genericBody(status: Int) -> [UInt8] {
        Array("{\"code\":\(status),\"message\":\"scripted \(status)\"}".utf8)
    }
}
