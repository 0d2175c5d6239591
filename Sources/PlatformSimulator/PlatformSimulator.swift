/// An HTTP/1.1 server on 127.0.0.1 that plays the platforms from fixture files: for tests, the
/// demo and benchmarks.
///
/// ## Routing
/// A request for `/a/b/c?k=v&x=y` is answered from the first file that exists of
/// `<fixtureRoot>/a/b/c@k=v.json`, `<fixtureRoot>/a/b/c@x=y.json` (query parameters in the order
/// sent), `<fixtureRoot>/a/b/c.json`; else `404` with a JSON error body and the header
/// `X-Simulator: no-fixture`, logged to stderr and kept in ``fixtureProblems``: a platform's
/// own 404 is scripted (`404 file=error.json`), never a missing file. One simulator plays
/// every platform by prefix: an adapter with `base_url = "http://127.0.0.1:PORT/bilibili"`
/// requesting `/bilibili/x/relation/stat?vmid=208259` gets
/// `<fixtureRoot>/bilibili/x/relation/stat@vmid=208259.json`.
///
/// ## Scripts
/// ``script(_:path:_:)`` queues responses for one method and path, served in order before the
/// fixtures take over again. A file `<fixtureRoot>/<path>.script` does the same for any method
/// (see the CLI's help for its lines: `429 retry-after=2`, `200 delay=3s`, `close`, …), read
/// the first time the path is requested.
///
/// ## Behaviour
/// Binds 127.0.0.1 only. Keep-alive; one thread per connection; `Content-Type:
/// application/json` unless the response says otherwise; `POST` bodies are read and recorded.
/// No TLS, no compression.
public final class PlatformSimulator: Sendable {
    private let server: SimulatorServer

    /// Starts a simulator.
    ///
    /// - Parameters:
    ///   - fixtureRoot: The folder holding the fixtures (`<platform>/<path>.json`).
    ///   - port: The port on 127.0.0.1; 0 picks a free one (see ``port``).
    ///   - recordsRequests: Whether to keep every request for ``requests``; a long benchmark
    ///     run switches it off to keep memory flat.
    /// - Throws: ``SimulatorError`` when the folder is missing or the port cannot be bound.
    public init(fixtureRoot: String, port: Int = 0, recordsRequests: Bool = true) throws(SimulatorError) {
        server = try SimulatorServer(fixtureRoot: fixtureRoot, port: port, recordsRequests: recordsRequests)
    }

    deinit {
        server.stop()
    }

    /// The port the simulator listens on.
    public var port: Int { server.port }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The folder the fixtures are read from.
    public var fixtureRoot: String { server.fixtureRoot }

    /// Queues `responses` for `method` and `path` (without query), served in order; after the
    /// last one the fixtures answer again. A second call for the same pair appends.
    public func script(_ method: String = "GET", path: String, _ responses: [ScriptedResponse]) {
        server.script(method: method, path: path, responses)
    }

    /// Every request received so far, in arrival order (empty when not recording).
    public var requests: [RecordedRequest] { server.requests }

    /// The requests the simulator answered itself instead of from a fixture or script, one
    /// line each: no fixture for the path (`X-Simulator: no-fixture`), a missing `file=`
    /// (`missing-file`), an unreadable `.script` (`broken-script`). Empty when the fixtures
    /// covered every request; tests check it so a mistyped path fails loudly.
    public var fixtureProblems: [String] { server.fixtureProblems }

    /// How many requests were received so far.
    public var requestCount: Int { server.requestCount }

    /// How many TCP connections were accepted so far: with keep-alive, far fewer than requests.
    public var connectionsAccepted: Int { server.connectionsAccepted }

    /// Stops listening and closes every connection; waits for the connection threads to end.
    /// Idempotent.
    public func stop() {
        server.stop()
    }
}

/// Why the simulator could not start.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    /// What failed and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
