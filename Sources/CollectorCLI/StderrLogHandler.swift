import Collector
import Logging

/// Logs one line per event to stderr (SPEC §1): on a terminal `warning bilibili/208259: message
/// key=value…`, elsewhere logfmt (`time=… level=warning msg="…" adapter=bilibili …`) so log
/// shippers can parse it. Secrets never reach here: adapters log ids and codes, not tokens.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private let label: String
    private let calendar: PlatformCalendar

    init(label: String, level: Logger.Level, calendar: PlatformCalendar = .beijing) {
        self.label = label
        self.logLevel = level
        self.calendar = calendar
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted("\($0.value)"))" }
        let line: String
        if Terminal.stderrIsTerminal {
            line = ([event.level.rawValue + ":", "\(event.message)"] + fields).joined(separator: " ")
        } else {
            let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
            line =
                ([
                    "time=\(calendar.render(now))", "level=\(event.level.rawValue)",
                    "msg=\(Self.quoted("\(event.message)"))",
                ] + fields)
                .joined(separator: " ")
        }
        Terminal.endProgress()
        Terminal.writeError(line)
    }

    /// logfmt quoting: bare when safe, else double-quoted with `"` and `\` escaped and newlines as `\n`.
    static func quoted(_ text: String) -> String {
        let needsQuotes =
            text.isEmpty || text.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\n" || $0 == "\\" }
        guard needsQuotes else { return text }
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
