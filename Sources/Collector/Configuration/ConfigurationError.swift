/// A problem in `adapters.conf`, the account registry or another configuration file: always
/// with the file and, where one applies, the line, so the operator can go straight to it.
///
/// Exit code 2 (SPEC §1).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// What is wrong and what to do, never containing a secret value.
    public var message: String

    /// Creates an error at `file:line`.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `adapters.conf:12: unknown key "acounts" in [[adapters.bilibili]]; did you mean "accounts"?`
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// How many characters of a key or value a message quotes.
    public static let quotedLimit = 200

    /// `text` in double quotes for a message, cut as ``cut(_:)`` cuts it: `"aaaa…" (4194304
    /// characters)`.
    public static func quoted(_ text: String) -> String {
        guard isLong(text) else { return "\"\(text)\"" }
        return "\"\(text.prefix(quotedLimit))…\" (\(text.count) characters)"
    }

    /// `text` for a message, cut after ``quotedLimit`` characters with `…` and its length: a
    /// key or value of megabytes (a damaged or hostile file) must not make a message of
    /// megabytes, as the exec adapter cuts a command's stderr lines.
    public static func cut(_ text: String) -> String {
        guard isLong(text) else { return text }
        return "\(text.prefix(quotedLimit))… (\(text.count) characters)"
    }

    private static func isLong(_ text: String) -> Bool {
        // `utf8.count` first: it is free for a native string, counting characters is not.
        text.utf8.count > quotedLimit && text.count > quotedLimit
    }
}

/// Several configuration problems at once: `collector check` reports every problem, not the first.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ConfigurationError]
    /// Problems found in the same pass that alone would not stop a run (a secret written into
    /// the file): printed with the errors, so one `check` shows everything there is to fix.
    public var warnings: [ConfigurationError]

    /// Creates the collection.
    public init(_ errors: [ConfigurationError], warnings: [ConfigurationError] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
