// `platform-simulator`: serves the fixture tree over HTTP/1.1 on 127.0.0.1 until SIGTERM or
// SIGINT. See `PlatformSimulator` for the routing and the `.script` files.

import PlatformSimulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

let usage = """
    usage: platform-simulator --fixtures DIR [--port N] [--port-file FILE] [--record]

    Serves DIR over HTTP/1.1 on 127.0.0.1 until SIGTERM or SIGINT.
      --fixtures DIR     fixture tree: GET /a/b?k=v is answered from DIR/a/b@k=v.json, else DIR/a/b.json;
                         a POST with the JSON body {"k":"v"} is routed the same way; a request with
                         no fixture gets 404 with X-Simulator: no-fixture and a line on stderr
      --port N           port to listen on (default 0: any free port)
      --port-file FILE   write the chosen port to FILE (written whole, then renamed into place)
      --record           keep every request in memory (off: long runs stay flat)

    DIR/a/b.script scripts the answers for /a/b, one per line, served in order, then the fixtures:
      429 retry-after=2 | 500 | 200 file=x.json | 200 delay=3s | 200 truncate=20 file=x.json
      200 html | 200 chunked | 302 location=/a/c | close
    A script is read at the first request for its path and played once: to play it again, or an
    edited one, restart the simulator.

    """

/// Writes `text` to a file descriptor; stdout and stderr are shared mutable globals in Swift 6.
func emit(_ text: String, to fd: Int32) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        // `offset < count`, so the buffer is not empty and has a base address.
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
    emit("platform-simulator: \(message)\n", to: 2)
    exit(status)
}

var fixtures: String?
var port = 0
var portFile: String?
var record = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--fixtures":
        guard let value = arguments.popFirst() else { fail("--fixtures needs a folder\n\n\(usage)") }
        fixtures = value
    case "--port":
        guard let value = arguments.popFirst(), let number = Int(value), (0...65535).contains(number) else {
            fail("--port needs a number from 0 to 65535\n\n\(usage)")
        }
        port = number
    case "--port-file":
        guard let value = arguments.popFirst() else { fail("--port-file needs a path\n\n\(usage)") }
        portFile = value
    case "--record":
        record = true
    case "-h", "--help":
        emit(usage, to: 1)
        exit(0)
    default:
        fail("unknown argument \(argument)\n\n\(usage)")
    }
}
guard let fixtures else { fail("--fixtures is required\n\n\(usage)") }

// Block the stop signals before any thread starts, so every thread inherits the mask and the
// main thread alone receives them through sigwait.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
signal(SIGPIPE, SIG_IGN)

let simulator: PlatformSimulator
do {
    simulator = try PlatformSimulator(fixtureRoot: fixtures, port: port, recordsRequests: record)
} catch {
    fail(error.description, status: 1)
}

if let portFile {
    let temporary = "\(portFile).tmp.\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { fail("cannot write \(temporary): \(String(cString: strerror(errno)))", status: 1) }
    emit("\(simulator.port)\n", to: fd)
    close(fd)
    guard rename(temporary, portFile) == 0 else {
        fail("cannot rename \(temporary) to \(portFile): \(String(cString: strerror(errno)))", status: 1)
    }
}
emit("listening on \(simulator.baseURL)\n", to: 1)

var received: Int32 = 0
sigwait(&stopSignals, &received)
simulator.stop()
emit("stopped after \(simulator.requestCount) requests on \(simulator.connectionsAccepted) connections\n", to: 2)
exit(0)
