import Logging

/// Passes an exec command's stderr to the log, bounded: the first ``lineLimit`` lines at warning
/// level, each prefixed with the instance name and cut at ``lineLengthLimit`` bytes, then one
/// line with the count of those not shown. Keeps the last line for the error message of a
/// failed run.
///
/// The values of the section's `env` table are the way secrets reach a command (a cookie, a
/// token), and a command may well print them in a debug line: each value of at least
/// ``minimumSecretLength`` bytes is written as `<redacted>`, as is the start of one cut off by
/// the line length limit.
struct StderrLog {
    /// Lines logged at most.
    static let lineLimit = 100
    /// Bytes of a line logged (and kept as the last line) at most.
    static let lineLengthLimit = 1000
    /// The shortest `env` value redacted: shorter ones (`1`, `zh`) would blot out ordinary text.
    static let minimumSecretLength = 6

    private let logger: Logger
    private let prefix: String
    /// The values to redact, longest first, so that one containing another goes whole.
    private let secrets: [String]
    private var partial: [UInt8] = []
    private var partialLength = 0
    private var logged = 0
    private var suppressed = 0
    /// The last non-empty line, cut to ``lineLengthLimit`` bytes.
    private(set) var lastLine: String?

    /// Creates a log for the instance `name` that redacts `secrets` (the `env` values).
    init(logger: Logger, name: String, secrets: [String] = []) {
        self.logger = logger
        self.prefix = name + ": "
        self.secrets = Set(secrets.filter { $0.utf8.count >= Self.minimumSecretLength })
            .sorted { $0.utf8.count > $1.utf8.count }
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
        var line = redacted(String(decoding: partial, as: UTF8.self), cut: partialLength > partial.count)
        if partialLength > partial.count { line += "… (\(partialLength) bytes)" }
        lastLine = line
        guard logged < Self.lineLimit else {
            suppressed += 1
            return
        }
        logged += 1
        logger.warning("\(prefix)\(line)")
    }

    /// `line` with every secret replaced; when the line was `cut`, also an end of it that starts
    /// a secret (at least 4 bytes of it, less could be chance).
    private func redacted(_ line: String, cut: Bool) -> String {
        var line = line
        for secret in secrets where line.contains(secret) { line = line.replacing(secret, with: "<redacted>") }
        guard cut else { return line }
        for secret in secrets {
            var prefix = Substring(secret.dropLast())
            while prefix.utf8.count >= 4 {
                if line.hasSuffix(prefix) { return String(line.dropLast(prefix.count)) + "<redacted>" }
                prefix = prefix.dropLast()
            }
        }
        return line
    }
}
