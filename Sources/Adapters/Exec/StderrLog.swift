import Logging

/// Passes an exec command's stderr to the log, bounded: the first ``lineLimit`` lines at notice
/// level as they come, each prefixed with the instance name and cut at ``lineLengthLimit``
/// bytes, then one line with the count of those not shown. Keeps the last line for the error
/// message of a failed run, and the last ``tailLimit`` lines for ``logTailOfFailure()``.
///
/// Notice, not warning: a command that logs its progress (Python's `logging` at INFO writes to
/// stderr) would otherwise make every successful `run --once --quiet` print, and cron mail it,
/// every time. The default log level (warning) hides the lines of a run that succeeds; a run
/// that fails logs its last lines as warnings, so what the command said before it failed is
/// there without asking. `COLLECTOR_LOG_LEVEL=notice` shows every line as it comes.
///
/// Each line goes through the section's ``SecretRedactor`` first: the `env` values are how
/// secrets reach a command, and a command may well print one in a debug line.
struct StderrLog {
    /// Lines logged at most.
    static let lineLimit = 100
    /// Bytes of a line logged (and kept as the last line) at most.
    static let lineLengthLimit = 1000
    /// Lines kept for the warnings of a failed run, the last ones.
    static let tailLimit = 20

    private let logger: Logger
    private let prefix: String
    private let redactor: SecretRedactor
    private var partial: [UInt8] = []
    private var partialLength = 0
    private var logged = 0
    private var suppressed = 0
    /// Whether the logger lets notices through, so each line was shown as it came.
    private let showsLines: Bool
    /// The last ``tailLimit`` lines, a ring starting at `tailStart` once full; kept only when
    /// the lines are not shown as they come.
    private var tail: [String] = []
    private var tailStart = 0
    /// Non-empty lines seen.
    private var lineCount = 0
    /// The last non-empty line, cut to ``lineLengthLimit`` bytes.
    private(set) var lastLine: String?

    /// Creates a log for the instance `name` whose lines go through `redactor`.
    init(logger: Logger, name: String, redactor: SecretRedactor) {
        self.logger = logger
        self.prefix = name + ": "
        self.redactor = redactor
        showsLines = logger.logLevel <= .notice
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
            logger.notice("\(prefix)\(suppressed) more stderr line\(suppressed == 1 ? "" : "s") not shown")
        }
    }

    /// Logs the last lines as warnings, for a run that failed: unless the log level showed
    /// them as they came, they would otherwise be lost but for the message's last line.
    func logTailOfFailure() {
        guard !showsLines, !tail.isEmpty else { return }
        let earlier = lineCount - tail.count
        if earlier > 0 {
            let message =
                "\(prefix)the command failed; its last \(tail.count) stderr lines follow, \(earlier) earlier"
                + " line\(earlier == 1 ? "" : "s") not shown (COLLECTOR_LOG_LEVEL=notice shows every line)"
            logger.warning("\(message)")
        }
        for index in tail.indices { logger.warning("\(prefix)\(tail[(tailStart + index) % tail.count])") }
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
        lineCount += 1
        if !showsLines {
            if tail.count < Self.tailLimit {
                tail.append(line)
            } else {
                tail[tailStart] = line
                tailStart = (tailStart + 1) % Self.tailLimit
            }
        }
        guard logged < Self.lineLimit else {
            suppressed += 1
            return
        }
        logged += 1
        logger.notice("\(prefix)\(line)")
    }
}
