extension CollectorSettings {
    /// The keys of `[collector]` (SPEC §2), for checking, suggestions and `collector adapters`.
    package static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey("data_dir", type: "path", default: "data", help: "The time-series root."),
        ConfigurationKey(
            "state_dir",
            type: "path",
            default: "state",
            help: "Tokens, cursors and the run lock; created 0700, files 0600."
        ),
        ConfigurationKey(
            "instance",
            type: "string",
            default: "main",
            help: "Names this collector's part files; one per shard."
        ),
        ConfigurationKey(
            "formats",
            type: "array of strings",
            default: "[\"csv\"]",
            help: "Any of csv, jsonl, influx."
        ),
        ConfigurationKey(
            "timezone",
            type: "string",
            default: "Asia/Shanghai",
            help: "Calendar of platform dates and of partitions."
        ),
        ConfigurationKey("interval", type: "duration", default: "24h", help: "Default schedule of each account."),
        ConfigurationKey(
            "jitter",
            type: "duration",
            default: "10m",
            help: "Random delay added to each due time, at most."
        ),
        ConfigurationKey(
            "concurrency",
            type: "integer",
            default: "16",
            help: "HTTP requests in flight, all adapters together (1 to 1024)."
        ),
        ConfigurationKey(
            "stop_grace",
            type: "duration",
            default: "10s",
            help: "After SIGINT/SIGTERM, how long collections in flight may finish before they are cut off."
        ),
        ConfigurationKey("registry", type: "path", help: "Optional account registry (SPEC §6)."),
    ]

    /// The largest `concurrency` accepted.
    package static let maximumConcurrency = 1024

    /// Reads `[collector]` values that already passed the key and type checks of
    /// ``ConfigurationFile``; what is left wrong goes to `errors`, and that key keeps its default.
    ///
    /// `data_dir` and `state_dir` stay as written: a relative path is relative to the working
    /// directory of the `collector` process, as in telegraf, not to the configuration file's
    /// folder. Services should therefore set a working directory or write absolute paths.
    /// `registry` is a file the operator writes, like `@file:` secrets, `paths` and `command`:
    /// a relative one is taken from the configuration file's folder (session 13).
    init(parsing values: [String: ConfigValue], section: ConfigurationFile.Section, errors: inout [ConfigurationError])
    {
        self.init()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            switch (key, value) {
            case ("data_dir", .string(let text)):
                if let problem = Self.checkPath(key, text, section) {
                    errors.append(problem)
                } else {
                    dataDirectory = text
                }
            case ("state_dir", .string(let text)):
                if let problem = Self.checkPath(key, text, section) {
                    errors.append(problem)
                } else {
                    stateDirectory = text
                }
            case ("registry", .string(let text)):
                if let problem = Self.checkPath(key, text, section) {
                    errors.append(problem)
                } else {
                    // Like `@file:`, `paths` and `command`: the registry is kept beside the
                    // file that names it (/etc/collector), whatever folder the command runs in.
                    registryPath = Substitution.resolve(text, against: ConfigurationFile.directory(of: section.file))
                    registryAsWritten = text
                }
            case ("instance", .string(let text)):
                if Self.isSafeFileName(text) {
                    instance = text
                } else {
                    errors.append(
                        section.error(
                            key,
                            "\(section.shown(key, value)) is not a safe file name; use letters, digits, "
                                + "\"-\", \"_\" and \".\" (not first), at most 64 characters"
                        )
                    )
                }
            case ("formats", _):
                if let parsed = Self.formats(value, section: section, errors: &errors) { formats = parsed }
            case ("timezone", .string(let text)):
                if let zone = PlatformCalendar(identifier: text) {
                    calendar = zone
                } else {
                    errors.append(section.error(key, Self.unknownZone(section.shown(key, value), text)))
                }
            case ("interval", .string(let text)):
                // The type check already parsed it; only zero is left to refuse.
                guard let duration = Duration(configurationText: text) else { continue }
                if duration > .zero {
                    interval = duration
                } else {
                    errors.append(section.error(key, "\(section.subject(key)) must be longer than 0s"))
                }
            case ("jitter", .string(let text)):
                if let duration = Duration(configurationText: text) { jitter = duration }
            case ("stop_grace", .string(let text)):
                if let duration = Duration(configurationText: text) { stopGrace = duration }
            case ("concurrency", .integer(let number)):
                if (1...Self.maximumConcurrency).contains(number) {
                    concurrency = number
                } else {
                    errors.append(
                        section.error(
                            key,
                            "\(section.shown(key, value)) is out of range; write a number from 1 to "
                                + "\(Self.maximumConcurrency)"
                        )
                    )
                }
            default:
                break
            }
        }
    }

    /// Why `text` is refused as a timezone, and what to write: Foundation reads abbreviations
    /// its own way (`CST` is US Central time to it), so only IANA names are taken.
    private static func unknownZone(_ shown: String, _ text: String) -> String {
        let abbreviation = !text.contains("/") && text.count <= 5 && text.allSatisfy { $0.isASCII && $0.isUppercase }
        var message = "\(shown) is not an IANA timezone name"
        if abbreviation {
            message += " but an abbreviation, which is ambiguous"
            if text == "CST" { message += " (CST is read as US Central time, not China Standard Time)" }
        } else if SystemZoneDatabase.system.hasZone(text) {
            // In the tz database, but refused: an old name without an area (`Japan`), or a
            // zone newer than the zone data Foundation was built with.
            message =
                text.contains("/")
                ? "\(shown) is in the system's tz database but not in this build's zone data; write an older name"
                    + " of the same zone"
                : "\(shown) is an old alias of the tz database, without an area"
        }
        if let suggestion = PlatformCalendar.suggestedZoneName(for: text) {
            // The offset lets the operator see that the suggestion is the zone meant.
            let offset = PlatformCalendar(identifier: suggestion).map { " (\($0.currentOffsetText) now)" } ?? ""
            return message + "; write \"\(suggestion)\"\(offset)"
        }
        return message
            + "; write a zone such as \"Asia/Shanghai\" or \"America/Chicago\" (the names are those of"
            + " /usr/share/zoneinfo)"
    }

    private static func checkPath(
        _ key: String,
        _ text: String,
        _ section: ConfigurationFile.Section
    ) -> ConfigurationError? {
        text.isEmpty ? section.error(key, "\(section.subject(key)) must not be empty") : nil
    }

    /// `["csv", "influx"]` (or a single `"csv"`), each known, at least one, duplicates dropped.
    private static func formats(
        _ value: ConfigValue,
        section: ConfigurationFile.Section,
        errors: inout [ConfigurationError]
    ) -> [OutputFormat]? {
        let names: [String]
        switch value {
        case .string(let name): names = [name]
        case .array(let items):
            names = items.compactMap { if case .string(let name) = $0 { name } else { nil } }
        default: return nil
        }
        guard !names.isEmpty else {
            errors.append(section.error("formats", "\(section.subject("formats")) must list at least one format"))
            return nil
        }
        var result: [OutputFormat] = []
        var valid = true
        for name in names {
            guard let format = OutputFormat(rawValue: name) else {
                valid = false
                let choices = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
                let written = section.hiddenKeys.contains("formats") ? "a format" : "\"\(name)\""
                errors.append(
                    section.error("formats", "\(section.subject("formats")) lists \(written); choose from \(choices)")
                )
                continue
            }
            if !result.contains(format) { result.append(format) }
        }
        return valid ? result : nil
    }

    /// A name that is safe as one path component of a part file: `main`, `shard-2`, `host_a.1`.
    /// - Parameters:
    ///   - name: The name.
    ///   - maximumLength: The most bytes it may have.
    static func isSafeFileName(_ name: String, maximumLength: Int = 64) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maximumLength, name.utf8.first != UInt8(ascii: ".") else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// Whether `name` may name an instance's files: the rule of the `instance` key
    /// (``isSafeFileName(_:maximumLength:)``), with room for the `-shard-K` that `--shard`
    /// appends to the configured name. The store and the run lock check it again for library
    /// callers that bypass the configuration.
    static func isSafeInstanceName(_ name: String) -> Bool {
        isSafeFileName(name, maximumLength: 64 + "-shard-".utf8.count + String(Int.max).utf8.count)
    }
}
