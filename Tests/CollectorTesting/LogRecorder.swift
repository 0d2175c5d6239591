public import Logging
import Synchronization

/// Keeps what a logger logs, for a test to read back. Every handler copy swift-log makes writes
/// into the same recorder; the handlers let every level through.
///
/// ```swift
/// let logs = LogRecorder()
/// let store = try SampleStore(settings: settings, logger: logs.logger)
/// #expect(logs.warnings == ["cut a torn last line"])
/// ```
public final class LogRecorder: Sendable {
    /// One logged message.
    public struct Entry: Sendable {
        /// The level it was logged at.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The logger's metadata with the message's own on top, values as text.
        public var metadata: [String: String]
    }

    private let stored = Mutex<[Entry]>([])

    /// Creates an empty recorder.
    public init() {}

    /// A logger that records here.
    ///
    /// - Parameter label: The logger's label.
    /// - Returns: The logger.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(recorder: self) }
    }

    /// A logger labelled `test` that records here.
    public var logger: Logger { logger() }

    /// Everything logged so far, in order.
    public var entries: [Entry] { stored.withLock { $0 } }

    /// The messages logged at `warning` level or above, in order.
    public var warnings: [String] { entries.filter { $0.level >= .warning }.map(\.message) }

    /// Everything logged so far, one `level message metadata` line per entry.
    public var text: String {
        entries.map { "\($0.level) \($0.message) \($0.metadata)" }.joined(separator: "\n")
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
                flat[key] = "\(value)"
            }
            let entry = Entry(level: event.level, message: "\(event.message)", metadata: flat)
            recorder.stored.withLock { $0.append(entry) }
        }
    }
}
