/// A body that is not the JSON it should be, with where parsing stopped.
///
/// Syntax errors carry jansson's own line, column (in characters), byte position and text:
/// `line 1, column 12: '}' expected near ','`. The bodies an API answers with when something is
/// wrong upstream get a ``Kind`` of their own and a message that says what to suspect: an
/// empty body, an HTML page (an error page, a login page, an anti-bot challenge) and a body that
/// stops in the middle of a value (a truncated download).
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; a bounded label for summaries and self-metrics.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case syntax, empty, html, truncated, notAnObject, duplicateMember
        }

        private let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// The text is not valid JSON.
        public static let syntax = Kind(.syntax)
        /// The body is empty or only whitespace.
        public static let empty = Kind(.empty)
        /// The body is an HTML page.
        public static let html = Kind(.html)
        /// The body ends in the middle of a JSON value.
        public static let truncated = Kind(.truncated)
        /// The JSON is valid but is not the object the caller needs (a JSON Lines record).
        public static let notAnObject = Kind(.notAnObject)
        /// An object has a member twice, where the parse refuses that (a JSON Lines record:
        /// which of the two values was meant cannot be told).
        public static let duplicateMember = Kind(.duplicateMember)

        /// `syntax`, `empty`, `html`, `truncated`, `notAnObject` or `duplicateMember`.
        public var description: String { code.rawValue }
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The 1-based line where parsing stopped (1 for empty and HTML bodies).
    public var line: Int
    /// The column on that line, in characters, where parsing stopped (0 before the first one).
    public var column: Int
    /// The byte offset where parsing stopped.
    public var position: Int
    /// What is wrong, in words; never more of the body than jansson's short excerpt.
    public var text: String

    /// Creates an error.
    public init(kind: Kind, line: Int, column: Int, position: Int, text: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.position = position
        self.text = text
    }

    /// `line 1, column 12: '}' expected near ','`; the empty and HTML cases describe the body
    /// instead, since a position in it would not help.
    public var description: String {
        if kind == .empty || kind == .html { return text }
        return "line \(line), column \(column): \(text)"
    }
}
