import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// stdout and stderr through write(2): Glibc's `stderr` is a shared mutable global that
/// Swift 6 rejects, and write(2) keeps each line whole.
///
/// ``writeError(_:)``, ``writeOutput(_:)`` and ``progress(_:)`` are the boundary where text
/// leaves the process: each passes it through ``KnownSecrets/redact(_:)`` (SPEC §1: a secret
/// never appears in a log or a message, even when a platform repeats it in an error). A report
/// body written with ``write(fd:_:)`` is data read from the store and is left as it is.
enum Terminal {
    /// Whether stderr is a terminal (progress lines and human log format only then).
    static let stderrIsTerminal = isatty(2) == 1

    /// Writes `text` and a newline to stderr.
    static func writeError(_ text: String) {
        write(fd: 2, KnownSecrets.redact(text) + "\n")
    }

    /// Writes `text` and a newline to stdout.
    static func writeOutput(_ text: String) {
        write(fd: 1, KnownSecrets.redact(text) + "\n")
    }

    /// Overwrites the current stderr line with `text`, on a terminal only.
    static func progress(_ text: String) {
        guard stderrIsTerminal else { return }
        write(fd: 2, "\r\u{1B}[2K" + KnownSecrets.redact(text))
    }

    /// Clears the progress line, on a terminal only.
    static func endProgress() {
        guard stderrIsTerminal else { return }
        write(fd: 2, "\r\u{1B}[2K")
    }

    static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// The process environment.
    static var environment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
