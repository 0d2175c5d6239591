/// The problems of one adapter section, collected so that `init(configuration:)` checks every
/// key and reports them all at once instead of stopping at the first (SPEC §1: `check` prints
/// every problem).
///
/// Each independent check runs in its own closure; a failed one records its problem and yields
/// nil, and the adapter carries on with a stand-in value that never escapes, because
/// ``finish()`` throws when anything was recorded:
///
/// ```swift
/// var check = ConfigurationCheck()
/// let days = check { () throws(ConfigurationError) in try configuration.integer("days") } ?? 7
/// if days > 30 { check.report(configuration.error("days", "\"days\" must be at most 30")) }
/// try check.finish()
/// ```
public struct ConfigurationCheck: Sendable {
    /// The problems so far, in the order found, each once.
    public private(set) var problems: [ConfigurationError] = []

    /// Creates an empty check.
    public init() {}

    /// Runs one check: its result, or nil with its problem recorded.
    public mutating func callAsFunction<T>(_ body: () throws(ConfigurationError) -> T) -> T? {
        do {
            return try body()
        } catch {
            report(error)
            return nil
        }
    }

    /// Records a problem, unless the same one (file, line and message) is already recorded.
    public mutating func report(_ problem: ConfigurationError) {
        if !problems.contains(problem) { problems.append(problem) }
    }

    /// Records several problems.
    public mutating func report(_ problems: ConfigurationErrors) {
        for problem in problems.errors { report(problem) }
    }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { problems.isEmpty }

    /// - Throws: Every recorded problem, when there is one.
    public func finish() throws(ConfigurationErrors) {
        guard problems.isEmpty else { throw ConfigurationErrors(problems) }
    }
}
