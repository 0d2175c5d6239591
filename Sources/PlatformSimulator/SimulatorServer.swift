import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The listening socket, the accept thread and the shared state behind ``PlatformSimulator``.
///
/// Connection threads hold this object, not the public one, so the simulator's `deinit` can
/// stop them.
final class SimulatorServer: Sendable {
    let fixtureRoot: String
    let port: Int
    let recordsRequests: Bool
    private let listenSocket: Int32
    /// Written once by ``stop()``, never read: every poll that includes it wakes for good.
    private let stopPipe: (read: Int32, write: Int32)
    private let state = Mutex(State())

    private struct State {
        var scripts: [String: [ScriptedResponse]] = [:]
        var fileScripts: [String: FileScript] = [:]
        var requests: [RecordedRequest] = []
        var fixtureProblems: [String] = []
        var requestCount = 0
        var connectionsAccepted = 0
        var openConnections: Set<Int32> = []
        var isStopped = false
        var acceptThread: pthread_t?
    }

    /// A `.script` file's responses and how many were served.
    private enum FileScript {
        case responses([ScriptedResponse], next: Int)
        case broken(String)
    }

    init(fixtureRoot: String, port: Int, recordsRequests: Bool) throws(SimulatorError) {
        var root = fixtureRoot
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        guard POSIX.isDirectory(root) else {
            throw SimulatorError(
                "fixture folder \(fixtureRoot) does not exist: pass the folder holding <platform>/…json"
            )
        }
        guard (0...65535).contains(port) else { throw SimulatorError("port \(port) is out of range 0-65535") }
        self.fixtureRoot = root
        self.recordsRequests = recordsRequests

        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { throw SimulatorError("socket() failed: \(POSIX.describe(errno))") }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        // Loopback only: the simulator must never be reachable from another machine.
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 1024) == 0 else {
            let code = errno
            close(socketFD)
            throw SimulatorError("cannot listen on 127.0.0.1:\(port): \(POSIX.describe(code)); pick another port or 0")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listenSocket = socketFD

        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(socketFD)
            throw SimulatorError("pipe() failed: \(POSIX.describe(errno))")
        }
        // No pipe2/accept4 in Swift's Glibc module (they need _GNU_SOURCE): set FD_CLOEXEC after.
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        self.stopPipe = (pipeFDs[0], pipeFDs[1])

        guard let thread = POSIX.startThread(detached: false, { [self] in acceptLoop() }) else {
            close(socketFD)
            close(pipeFDs[0])
            close(pipeFDs[1])
            throw SimulatorError("could not start the accept thread")
        }
        state.withLock { $0.acceptThread = thread }
    }

    // MARK: - Public operations

    func script(method: String, path: String, _ responses: [ScriptedResponse]) {
        state.withLock { $0.scripts["\(method) \(path)", default: []].append(contentsOf: responses) }
    }

    var requests: [RecordedRequest] { state.withLock { $0.requests } }
    var requestCount: Int { state.withLock { $0.requestCount } }
    var fixtureProblems: [String] { state.withLock { $0.fixtureProblems } }
    var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }

    func stop() {
        let acceptThread: pthread_t? = state.withLock { state in
            guard !state.isStopped else { return nil }
            state.isStopped = true
            // Under the lock: a connection thread closes its socket under the same lock, so the
            // descriptor numbers here cannot have been reused.
            for connection in state.openConnections { shutdown(connection, Int32(SHUT_RDWR)) }
            defer { state.acceptThread = nil }
            return state.acceptThread
        }
        guard let acceptThread else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        pthread_join(acceptThread, nil)
        // Connection threads see the stop pipe or their shut-down socket at once; wait for them
        // so that nothing touches the pipe after it is closed.
        while state.withLock({ !$0.openConnections.isEmpty }) { usleep(1000) }
        close(listenSocket)
        close(stopPipe.read)
        close(stopPipe.write)
    }

    // MARK: - Accepting

    private func acceptLoop() {
        while POSIX.wait(for: listenSocket, stop: stopPipe.read, milliseconds: -1) == .readable {
            let connection = accept(listenSocket, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let admitted = state.withLock { state in
                guard !state.isStopped else { return false }
                state.connectionsAccepted += 1
                state.openConnections.insert(connection)
                return true
            }
            guard admitted else {
                close(connection)
                return
            }
            let started = POSIX.startThread(detached: true) { [self] in
                var handler = SimulatorConnection(socket: connection, server: self, stop: stopPipe.read)
                handler.serve()
                closeConnection(connection)
            }
            if started == nil { closeConnection(connection) }
        }
    }

    private func closeConnection(_ connection: Int32) {
        state.withLock { state in
            state.openConnections.remove(connection)
            close(connection)
        }
    }

    // MARK: - Answering

    /// Records `request` and decides the answer: a script first, then the fixtures.
    func respond(to request: RecordedRequest) -> ResponsePlan {
        let scripted: Result<ScriptedResponse, SimulatorError>? = state.withLock { state in
            state.requestCount += 1
            if recordsRequests { state.requests.append(request) }
            let key = "\(request.method) \(request.path)"
            if var queued = state.scripts[key], !queued.isEmpty {
                let first = queued.removeFirst()
                state.scripts[key] = queued.isEmpty ? nil : queued
                return .success(first)
            }
            return nextFromScriptFile(path: request.path, in: &state)
        }
        switch scripted {
        case .none:
            return plan(.fixture(), for: request)
        case .success(let response):
            return plan(response, for: request)
        case .failure(let error):
            var plan = ResponsePlan.json(status: 500, ["error": "broken script", "detail": error.message])
            plan.headers.append(report("broken-script", "\(describe(request)): broken script: \(error.message)"))
            return plan
        }
    }

    /// Keeps `problem` for ``PlatformSimulator/fixtureProblems`` and logs it to stderr, and
    /// returns the header that marks the answer as the simulator's own (`X-Simulator: kind`),
    /// so that a missing fixture is not mistaken for a platform's answer.
    private func report(_ kind: String, _ problem: String) -> ScriptedResponse.Header {
        state.withLock { $0.fixtureProblems.append(problem) }
        let line = Array("platform-simulator: \(problem)\n".utf8)
        // One write(2): Glibc's `stderr` is a shared mutable global, rejected in Swift 6.
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        return ScriptedResponse.Header("X-Simulator", kind)
    }

    private func describe(_ request: RecordedRequest) -> String {
        "\(request.method) \(request.path)" + (request.query.isEmpty ? "" : "?\(request.query)")
    }

    private func nextFromScriptFile(path: String, in state: inout State) -> Result<ScriptedResponse, SimulatorError>? {
        guard isSafe(path) else { return nil }
        if state.fileScripts[path] == nil {
            let file = "\(fixtureRoot)\(path).script"
            guard let bytes = POSIX.readFile(file) else { return nil }
            do {
                state.fileScripts[path] = .responses(
                    try ScriptFile.parse(
                        String(decoding: bytes, as: UTF8.self),
                        path: file,
                        // `/bilibili/x/stat` → `bilibili/x`: the folder under the root.
                        folder: path.lastIndex(of: "/").map { String(path[..<$0].dropFirst()) } ?? ""
                    ),
                    next: 0
                )
            } catch {
                state.fileScripts[path] = .broken(error.description)
            }
        }
        switch state.fileScripts[path] {
        case .responses(let responses, let next) where next < responses.count:
            state.fileScripts[path] = .responses(responses, next: next + 1)
            return .success(responses[next])
        case .broken(let message):
            return .failure(SimulatorError(message))
        default:
            return nil
        }
    }

    private func plan(_ response: ScriptedResponse, for request: RecordedRequest) -> ResponsePlan {
        var plan: ResponsePlan
        switch response.body {
        case .fixture:
            guard let body = fixture(path: request.path, query: request.query, body: request.body) else {
                plan = .json(status: 404, ["error": "no fixture", "path": request.path])
                plan.headers.append(
                    report("no-fixture", "\(describe(request)): no fixture \(fixtureRoot)\(request.path)[@k=v].json")
                )
                break
            }
            plan = ResponsePlan(status: response.status, contentType: response.contentType, body: body)
        case .bytes(let bytes):
            plan = ResponsePlan(status: response.status, contentType: response.contentType, body: bytes)
        case .file(let name):
            let path = name.hasPrefix("/") ? name : "\(fixtureRoot)/\(name)"
            guard let body = POSIX.readFile(path) else {
                plan = .json(status: 500, ["error": "scripted file missing", "file": path])
                plan.headers.append(report("missing-file", "\(describe(request)): scripted file \(path) is missing"))
                break
            }
            plan = ResponsePlan(status: response.status, contentType: response.contentType, body: body)
        }
        plan.headers += response.headers
        plan.delay = response.delay
        plan.truncateBodyAt = response.truncateBodyAt
        plan.closeWithoutResponse = response.closeWithoutResponse
        plan.chunked = response.chunked
        plan.cut = response.cut
        return plan
    }

    /// The fixture for `path`, `query` and a POST `body`: `path@k=v.json` for the first
    /// parameter that has one — query parameters first, then the top-level members of a JSON
    /// object body whose values are strings or numbers (WeChat's datacube takes its dates as
    /// `{"begin_date":"2025-10-26",…}`) — else `path.json`.
    private func fixture(path: String, query: String, body: [UInt8]) -> [UInt8]? {
        guard isSafe(path) else { return nil }
        let base = "\(fixtureRoot)\(path)"
        let parameters = query.split(separator: "&").filter { $0.contains("=") }.map(String.init)
        for parameter in parameters + JSONBodyParameters.parse(body) where !parameter.contains("/") {
            if let body = POSIX.readFile("\(base)@\(parameter).json") { return body }
        }
        return POSIX.readFile("\(base).json")
    }

    /// A path that stays inside the fixture root: absolute, no `.` or `..` segment, no NUL.
    private func isSafe(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.contains("\0") else { return false }
        return !path.split(separator: "/").contains { $0 == ".." || $0 == "." }
    }
}

/// Everything a connection needs to send one answer.
struct ResponsePlan {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var headers: [ScriptedResponse.Header] = []
    var delay: Duration?
    var truncateBodyAt: Int?
    var closeWithoutResponse = false
    var chunked = false
    var cut = ScriptedResponse.Cut.close

    /// A small JSON object of strings.
    static func json(status: Int, _ fields: KeyValuePairs<String, String>) -> ResponsePlan {
        let members = fields.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
        let text = "{\(members.joined(separator: ","))}"
        return ResponsePlan(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
