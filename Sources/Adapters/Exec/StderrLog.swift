import Logging

/// Passes an exec command's stderr to the log, bounded: the first ``lineLimit`` lines at warning
/// level, each prefixed with the instance name and cut at ``lineLengthLimit`` bytes, then one
/// line with the count of those not shown. Keeps the last line for the error message of a
/// failed run.
///
/// Each line goes through the section's ``SecretRedactor`` first: the `env` values are how
/// secrets reach a command, and a command may well print one in a debug line.
struct StderrLog {
    /// Lines logged at most.
    static let lineLimit = 100
    /// Bytes of a line logged (and kept as the last line) at most.
    static let lineLengthLimit = 1000

    private let logger: Logger
    private let prefix: String
    private let redactor: SecretRedactor
    private var partial: [UInt8] = []
    private var partialLength = 0
    private var logged = 0
    private var suppressed = 0
    /// The last non-empty line, cut to ``lineLengthLimit`` bytes.
    private(set) var lastLine: String?

    /// Creates a log for the instance `name` whose lines go through `redactor`.
    init(logger: Logger, name: String, redactor: SecretRedactor) {
        self.logger = logger
        self.prefix = name + ": "
        self.redactor = redactor
    }

    /// Takes the next bytes of stderr.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var lineStart = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            appendPartial(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index]))
            endLine()
            lineStart = index + 1
        }
        appendPartial(UnsafeRawBufferPointer(rebasing: bytes[lineStart...]))
    }

    /// Logs a last line without `\n`, and the count of lines not shown.
    mutating func finish() {
        if partialLength > 0 { endLine() }
        if suppressed > 0 {
            logger.warning("\(prefix)\(suppressed) more stderr line\(suppressed == 1 ? "" : "s") not shown")
        }
    }

    private mutating func appendPartial(_ bytes: UnsafeRawBufferPointer) {
        partialLength += bytes.count
        let room = Self.lineLengthLimit - partial.count
        if room > 0 { partial.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func endLine() {
        defer {
            partial.removeAll(keepingCapacity: true)
            partialLength = 0
        }
        if partial.last == 0x0D { partial.removeLast() }
        guard !partial.isEmpty else { return }
        // Invalid UTF-8 is repaired (U+FFFD) rather than dropped: a log line must stay text.
        var line = redactor.redact(String(decoding: partial, as: UTF8.self), cut: partialLength > partial.count)
        if partialLength > partial.count { line += "… (\(partialLength) bytes)" }
        lastLine = line
        guard logged < Self.lineLimit else {
            suppressed += 1
            return
        }
        logged += 1
        logger.warning("\(prefix)\(line)")
    }
}
