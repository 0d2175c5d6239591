import Collector
import Logging

/// Logs one line per event to stderr (SPEC §1): on a terminal `warning bilibili/208259: message
/// key=value…`, elsewhere logfmt (`time=… level=warning msg="…" adapter=bilibili …`) so log
/// shippers can parse it. Adapters log ids and codes, not tokens; a secret that still gets
/// in (a platform repeating it in an error text) is replaced by `<redacted>` in the message and
/// in every metadata value before quoting (``KnownSecrets``), and ``Terminal`` redacts the line
/// once more.
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
        // Before quoting and escaping, which would change how a secret is spelt.
        let fields = merged.sorted { $0.key < $1.key }.map {
            "\($0.key)=\(Self.quoted(KnownSecrets.redact("\($0.value)")))"
        }
        let message = KnownSecrets.redact("\(event.message)")
        let line: String
        if Terminal.stderrIsTerminal {
            // Human text, but a message still cannot break the line or reach the terminal raw.
            line = ([event.level.rawValue + ":", LogText.escapingControls(message)] + fields)
                .joined(separator: " ")
        } else {
            let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
            line =
                ([
                    "time=\(calendar.render(now))", "level=\(event.level.rawValue)",
                    "msg=\(Self.quoted(message))",
                ] + fields)
                .joined(separator: " ")
        }
        Terminal.endProgress()
        Terminal.writeError(line)
    }

    /// logfmt quoting (``LogText/logfmt(_:)``): bare when safe, else double-quoted with `"`, `\`
    /// and every control character escaped (`\n`, `\r`, `\t`, `\u{1B}`), so no value can
    /// end the line or forge another.
    static func quoted(_ text: String) -> String {
        LogText.logfmt(text)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
