public import Collector

/// Everything wrong with a rules file (or another report input), each problem with its file
/// and line, in file order, so the operator can fix them all in one pass.
///
/// The problems are ``ConfigurationError`` values, the same kind `collector check` prints for
/// `adapters.conf` and the registry, so the CLI can merge them into one list.
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by line.
    public var problems: [ConfigurationError]

    /// Creates an error from one or more problems.
    public init(_ problems: [ConfigurationError]) {
        self.problems = problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }

    /// Creates an error from a single problem.
    public init(file: String, line: Int?, message: String) {
        self.init([ConfigurationError(file: file, line: line, message: message)])
    }

    /// One problem per line: `rules/x.toml:23: unknown key "treshold" …`.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
