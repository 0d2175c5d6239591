/// Something that failed during a collection or an import and was reported, not hidden.
public struct CollectionFailure: Sendable, Hashable, CustomStringConvertible {
    /// The adapter instance.
    public var adapter: String
    /// The account, or the file for imports.
    public var account: String
    /// The object or the line, when the failure concerns one.
    public var object: String?
    /// A bounded label for summaries and self-metrics: `rateLimited`, `schemaChanged`, `timeout`, ….
    public var label: String
    /// The platform's own error code, when there is one.
    public var platformCode: String?
    /// What happened and what to do, with no secret in it.
    public var message: String
    /// How many failures the record stands for: 1, or the number of like ones it sums up
    /// after the first were listed one by one (`400 more invalid lines not listed`), so that a
    /// summary counts them all (``RunSummary/failureCount``).
    public var occurrences: Int

    /// Creates a failure record.
    public init(
        adapter: String,
        account: String,
        object: String? = nil,
        label: String,
        platformCode: String? = nil,
        message: String,
        occurrences: Int = 1
    ) {
        self.adapter = adapter
        self.account = account
        self.object = object
        self.label = label
        self.platformCode = platformCode
        self.message = message
        self.occurrences = max(1, occurrences)
    }

    /// `bilibili/208259: rateLimited (code -799): …`; for a file, `import /srv/x.csv [line 5]:
    /// badCell: column 粉丝数: …`. Always one line: control characters are escaped
    /// (`\n`, `\r`, `\t`, `\u{1B}`).
    public var description: String {
        // An absolute path after `import/` would read `import//srv/x.csv`.
        var text = account.hasPrefix("/") ? "\(adapter) \(account)" : "\(adapter)/\(account)"
        if let object { text += " [\(object)]" }
        text += ": \(label)"
        if let platformCode { text += " (code \(platformCode))" }
        // One line of the summary: platform text or a section name holding a line break or a
        // terminal escape must not start a line of its own (LogText).
        return LogText.escapingControls(text + ": " + messageAfterPlace)
    }

    /// The message without the `file:line:` it starts with when that repeats the account (an
    /// import's file) and the object (`line N`): the summary names them already.
    private var messageAfterPlace: String {
        guard message.hasPrefix(account + ":") else { return message }
        var rest = message.dropFirst(account.count + 1)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(":") {
            rest = rest.dropFirst(digits.count + 1)
            // Said by the object already, or else kept in words.
            if object != "line \(digits)" { return "line \(digits):" + rest }
        }
        return String(rest.drop { $0 == " " })
    }
}
