#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One keep-alive connection: reads requests, asks the server for answers, writes them.
///
/// Runs on its own thread; returns when the peer closes, the server stops, a request is
/// malformed or a response says to close. The caller closes the socket.
struct SimulatorConnection {
    let socket: Int32
    let server: SimulatorServer
    let stop: Int32

    /// Bytes read but not yet consumed (the start of the next pipelined request).
    private var buffer: [UInt8] = []

    private static let maxHeadBytes = 64 << 10
    private static let maxBodyBytes = 64 << 20

    init(socket: Int32, server: SimulatorServer, stop: Int32) {
        self.socket = socket
        self.server = server
        self.stop = stop
    }

    mutating func serve() {
        while let request = readRequest() {
            let plan = server.respond(to: request.recorded)
            guard send(plan, keepAlive: request.keepAlive) else { return }
        }
    }

    // MARK: - Reading

    private struct Request {
        var recorded: RecordedRequest
        var keepAlive: Bool
    }

    /// Reads one request; nil at end of stream or on a malformed request (after answering 400).
    private mutating func readRequest() -> Request? {
        var headEnd: Int?
        var scanned = 0
        while true {
            headEnd = findHeadEnd(from: max(0, scanned - 3))
            if headEnd != nil { break }
            scanned = buffer.count
            guard buffer.count < Self.maxHeadBytes else {
                _ = send(.json(status: 431, ["error": "request head over 64 KiB"]), keepAlive: false)
                return nil
            }
            guard readMore() else { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self).split(separator: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3 else {
            _ = send(.json(status: 400, ["error": "malformed request line"]), keepAlive: false)
            return nil
        }
        let method = String(requestLine[0])
        let target = requestLine[1]
        let version = requestLine[2]
        var headers: [ScriptedResponse.Header] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            headers.append(.init(String(line[..<colon]), String(value)))
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.lowercased()
        }
        if header("transfer-encoding") != nil {
            _ = send(.json(status: 501, ["error": "chunked request bodies are not supported"]), keepAlive: false)
            return nil
        }
        let length = Int(header("content-length") ?? "0") ?? -1
        guard (0...Self.maxBodyBytes).contains(length) else {
            _ = send(.json(status: 400, ["error": "bad Content-Length"]), keepAlive: false)
            return nil
        }
        buffer.removeFirst(headEnd)
        if length > buffer.count, header("expect") == "100-continue" {
            let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            guard interim.withUnsafeBytes({ POSIX.sendAll(socket, $0) }) else { return nil }
        }
        while buffer.count < length {
            guard readMore() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)

        let connection = header("connection")
        let keepAlive = version == "HTTP/1.0" ? connection == "keep-alive" : connection != "close"
        let (path, query) = splitTarget(target)
        return Request(
            recorded: RecordedRequest(method: method, path: path, query: query, headers: headers, body: body),
            keepAlive: keepAlive
        )
    }

    private func findHeadEnd(from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    private func splitTarget(_ target: Substring) -> (path: String, query: String) {
        let withoutFragment = target.prefix(while: { $0 != "#" })
        guard let mark = withoutFragment.firstIndex(of: "?") else { return (String(withoutFragment), "") }
        return (String(withoutFragment[..<mark]), String(withoutFragment[withoutFragment.index(after: mark)...]))
    }

    /// Appends what the socket has; false at end of stream, on error, or when the server stops.
    private mutating func readMore() -> Bool {
        guard POSIX.wait(for: socket, stop: stop, milliseconds: -1) == .readable else { return false }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
    }

    // MARK: - Writing

    /// Sends `plan`; false when the connection must close afterwards.
    private func send(_ plan: ResponsePlan, keepAlive: Bool) -> Bool {
        if let delay = plan.delay, !pause(for: delay) { return false }
        if plan.closeWithoutResponse { return false }
        let closes = !keepAlive || plan.truncateBodyAt != nil
        var head = "HTTP/1.1 \(plan.status) \(reasonPhrase(plan.status))\r\n"
        head += "Server: platform-simulator\r\nContent-Type: \(plan.contentType)\r\n"
        head += plan.chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: \(plan.body.count)\r\n"
        head += closes ? "Connection: close\r\n" : "Connection: keep-alive\r\n"
        for header in plan.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"

        var bytes = Array(head.utf8)
        var body = plan.body
        if let cut = plan.truncateBodyAt { body = Array(body.prefix(cut)) }
        if plan.chunked {
            if !body.isEmpty {
                bytes += Array("\(String(body.count, radix: 16))\r\n".utf8) + body + Array("\r\n".utf8)
            }
            // A truncated chunked body stops before the last chunk, or goes on with a size
            // that is no hexadecimal number.
            if plan.truncateBodyAt == nil {
                bytes += Array("0\r\n\r\n".utf8)
            } else if plan.cut == .badChunk {
                bytes += Array("zz\r\n".utf8)
            }
        } else {
            bytes += body
        }
        let sent = bytes.withUnsafeBytes { POSIX.sendAll(socket, $0) }
        if plan.truncateBodyAt != nil, plan.cut == .reset {
            // A zero linger makes the caller's close send RST instead of FIN.
            var linger = linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        }
        return sent && !closes
    }

    /// Waits `delay` unless the server stops or the client goes away first; false then.
    private func pause(for delay: Duration) -> Bool {
        var remaining = delay
        let clock = ContinuousClock()
        let deadline = clock.now + delay
        var watchSocket = true
        while remaining > .zero {
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            switch POSIX.wait(for: watchSocket ? socket : -1, stop: stop, milliseconds: milliseconds) {
            case .stopped:
                return false
            case .timedOut:
                break
            case .readable:
                // End of stream means the client gave up (its timeout); data is a pipelined
                // request, which waits in the socket: stop watching it.
                var byte: UInt8 = 0
                if recv(socket, &byte, 1, Int32(MSG_PEEK)) <= 0 { return false }
                watchSocket = false
            }
            remaining = clock.now.duration(to: deadline)
        }
        return true
    }
}

/// The standard phrase for the statuses the platforms send; `Status` otherwise.
func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 204: "No Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 308: "Permanent Redirect"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 412: "Precondition Failed"
    case 418: "I'm a teapot"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Status"
    }
}
