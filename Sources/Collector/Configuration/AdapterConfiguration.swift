/// One `[[adapters.<type>]]` section of `adapters.conf`, after substitution, with the means
/// to read its keys as typed values and to point an error at the line it came from.
public struct AdapterConfiguration: Sendable {
    /// The section's adapter type (`bilibili`, `exec`, `import`, …).
    public var type: String
    /// The instance's name in logs and summaries: the `name` key, else `<type>` or `<type>#<n>`.
    public var name: String
    /// The configuration file.
    public var file: String
    /// The line of the section header.
    public var line: Int
    /// The section's keys.
    public var values: [String: ConfigValue]
    /// The line of each key, for errors.
    public var keyLines: [String: Int]
    /// The `[collector]` table.
    public var settings: CollectorSettings
    /// The account registry, when one is configured.
    public var registry: AccountRegistry?
    /// The folder relative paths in the section are resolved against (the config file's folder).
    public var baseDirectory: String
    /// The keys whose value came, wholly or in part, from `${VAR}` or `@file:`, with the value
    /// as written in the file: what messages show in place of the value, which may be a secret
    /// (``quoted(_:from:)``, ``error(_:_:)``).
    public var writtenValues: [String: ConfigValue]
    /// The keys declared secret: their value is never shown, however it was written.
    public var secretKeys: Set<String>
    /// The keys the loader already reported, as invalid (left out of ``values``) or as missing
    /// and required. Reading one throws (``isAboutRejectedKey(_:)``), so an adapter does not call
    /// a rejected key missing; the caller drops that, and anything else on a line already reported.
    public var rejectedKeys: Set<String>

    /// Creates a configuration, as the configuration loader and tests do.
    public init(
        type: String,
        name: String? = nil,
        file: String = "adapters.conf",
        line: Int = 1,
        values: [String: ConfigValue],
        keyLines: [String: Int] = [:],
        settings: CollectorSettings = CollectorSettings(),
        registry: AccountRegistry? = nil,
        baseDirectory: String = ".",
        writtenValues: [String: ConfigValue] = [:],
        secretKeys: Set<String> = [],
        rejectedKeys: Set<String> = []
    ) {
        self.type = type
        self.name = name ?? type
        self.file = file
        self.line = line
        self.values = values
        self.keyLines = keyLines
        self.settings = settings
        self.registry = registry
        self.baseDirectory = baseDirectory
        self.writtenValues = writtenValues
        self.secretKeys = secretKeys
        self.rejectedKeys = rejectedKeys
    }

    /// An error pointing at `key`'s line (or the section's when the key is absent).
    ///
    /// Write configured values into `message` through ``quoted(_:from:)``. As a second line of
    /// defence, any value that came from `${VAR}` or `@file:`, and any secret key's value, still
    /// left in `message` is replaced by what the file says (`${VAR}`) or `<redacted>`: wherever
    /// it stands when it has 6 bytes or more, only between quotes when shorter (a short value such
    /// as `1` also occurs in ordinary words and numbers of the message).
    public func error(_ key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(
            file: file,
            line: key.flatMap { keyLines[$0] } ?? line,
            message: redacted(message) + " in [[adapters.\(type)]]"
        )
    }

    /// How a message shows `text`, a value read from `key` or made from it: `"text"` when it
    /// was written into the file, else where it came from (`from ${WECHAT_SECRET}`,
    /// `from @file:token`), so a value from the environment or a file never reaches a message.
    ///
    /// `bilibili account \(configuration.quoted(account, from: "accounts")) is not a numeric user id`
    public func quoted(_ text: String, from key: String) -> String {
        let leaves = hiddenLeaves(of: key)
        // The written value that holds `text` (an account of a list), else one `text` is part
        // of (a path resolved against the folder).
        let source =
            leaves.first { $0.value == text }
            ?? leaves.first { !$0.value.isEmpty && text.utf8.count >= $0.value.utf8.count && text.contains($0.value) }
        if let source { return "from \(source.written)" }
        if secretKeys.contains(key) { return "from \"\(key)\" (a secret, not shown)" }
        // Made from the key's values in a way not traced above: show the value only when it is
        // one written into the file.
        if writtenValues[key] != nil, !Self.strings(in: values[key]).contains(text) {
            return "from \(writtenValues[key].map(\.description) ?? "\"\(key)\"")"
        }
        return "\"\(text)\""
    }

    /// `"key" = "text"` for a value written into the file, else `"key" from ${VAR}`.
    public func assignment(_ key: String, _ text: String) -> String {
        let shown = quoted(text, from: key)
        return shown.hasPrefix("from ") ? "\"\(key)\" \(shown)" : "\"\(key)\" = \(shown)"
    }

    /// `message` with every hidden value of the section replaced (see ``error(_:_:)``).
    private func redacted(_ message: String) -> String {
        var replacements: [(value: String, written: String)] = []
        for key in Set(writtenValues.keys).union(secretKeys) {
            replacements += hiddenLeaves(of: key).filter { !$0.value.isEmpty }
        }
        guard !replacements.isEmpty else { return message }
        var result = message
        // Longest first: a value that contains another is replaced whole.
        for (value, written) in replacements.sorted(by: { $0.value.utf8.count > $1.value.utf8.count }) {
            guard result.contains(value) else { continue }
            if value.utf8.count >= 6 {
                result = result.replacing(value, with: written)
            } else {
                result = result.replacing("\"\(value)\"", with: "\"\(written)\"")
            }
        }
        return result
    }

    /// The strings of `key` that must not be shown, each with what stands for it in messages:
    /// the text written in the file for a value from `${VAR}` or `@file:` (a lone reference as
    /// is, else quoted), `<redacted>` for a secret written as a literal.
    private func hiddenLeaves(of key: String) -> [(value: String, written: String)] {
        var leaves: [(value: String, written: String)] = []
        if let written = writtenValues[key], let value = values[key] {
            Self.pairLeaves(written, value, into: &leaves)
        }
        if secretKeys.contains(key) {
            let traced = Set(leaves.map(\.value))
            for text in Self.strings(in: values[key]) where !traced.contains(text) {
                leaves.append((text, "<redacted>"))
            }
        }
        return leaves
    }

    /// Walks the value as written and as expanded side by side (expansion keeps the shape),
    /// collecting each expanded string that came from a reference.
    private static func pairLeaves(
        _ written: ConfigValue,
        _ value: ConfigValue,
        into leaves: inout [(value: String, written: String)]
    ) {
        switch (written, value) {
        case (.string(let source), .string(let text)):
            guard Substitution.isIndirect(source) else { return }
            leaves.append((text, isLoneReference(source) ? source : "\"\(source)\""))
        case (.array(let sources), .array(let texts)):
            for (source, text) in zip(sources, texts) { pairLeaves(source, text, into: &leaves) }
        case (.table(let sources), .table(let texts)):
            for key in sources.keys.sorted() {
                if let source = sources[key], let text = texts[key] { pairLeaves(source, text, into: &leaves) }
            }
        default:
            break
        }
    }

    /// `${NAME}`, `${NAME:-default}` or `@file:PATH` alone, which reads well unquoted.
    private static func isLoneReference(_ source: String) -> Bool {
        if source.hasPrefix(Substitution.filePrefix) { return true }
        guard source.hasPrefix("${"), source.hasSuffix("}") else { return false }
        return source.dropFirst(2).dropLast().allSatisfy { $0 != "$" && $0 != "}" }
    }

    /// Every string inside `value`.
    private static func strings(in value: ConfigValue?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let items)?: items.flatMap { strings(in: $0) }
        case .table(let table)?: table.keys.sorted().flatMap { strings(in: table[$0]) }
        default: []
        }
    }

    // MARK: - Typed access

    /// A string value, or nil when the key is absent.
    public func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = try lookup(key) else { return nil }
        guard case .string(let text) = value else { throw typeError(key, "a string", value) }
        return text
    }

    /// A string value that must be present.
    public func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try string(key) else { throw error(nil, "missing required key \"\(key)\"") }
        guard !text.isEmpty else { throw error(key, "\"\(key)\" must not be empty") }
        return text
    }

    /// An array of strings. A single string is refused, as the loader refuses it (SPEC §2: a
    /// wrong type is an error), except `accounts = "registry"`, which ``accounts(platform:)`` reads.
    public func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = try lookup(key) else { return nil }
        switch value {
        case .string(let text) where ConfigValue.isAcceptedString(text, forArrayKey: key): return [text]
        case .string(let text):
            let source: String
            if case .string(let written)? = writtenValues[key] {
                source = written
            } else {
                source = secretKeys.contains(key) ? "…" : text
            }
            throw error(
                key,
                "\"\(key)\" must be an array of strings, not a string; "
                    + ConfigValue.singleStringAdvice(key: key, written: source)
            )
        case .array(let items):
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw typeError(key, "an array of strings", value) }
                result.append(text)
            }
            return result
        default: throw typeError(key, "an array of strings", value)
        }
    }

    /// An integer value.
    public func integer(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = try lookup(key) else { return nil }
        guard case .integer(let number) = value else { throw typeError(key, "an integer", value) }
        return number
    }

    /// A boolean value.
    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = try lookup(key) else { return nil }
        guard case .bool(let flag) = value else { throw typeError(key, "true or false", value) }
        return flag
    }

    /// A duration such as `30s`, `5m`, `6h`, `1d`.
    public func duration(_ key: String) throws(ConfigurationError) -> Duration? {
        guard let text = try string(key) else { return nil }
        guard let duration = Duration(configurationText: text) else {
            throw error(key, "\(assignment(key, text)) is not a duration; write 30s, 5m, 6h or 1d")
        }
        return duration
    }

    /// A rate such as `2/s`.
    public func rate(_ key: String) throws(ConfigurationError) -> Rate? {
        guard let text = try string(key) else { return nil }
        guard let rate = Rate(parsing: text) else {
            throw error(key, "\(assignment(key, text)) is not a rate; write N/s, N/m, N/h or N/d")
        }
        return rate
    }

    /// A table value.
    public func table(_ key: String) throws(ConfigurationError) -> [String: ConfigValue]? {
        guard let value = try lookup(key) else { return nil }
        guard case .table(let table) = value else { throw typeError(key, "a table", value) }
        return table
    }

    /// A path, resolved against the configuration file's folder when relative.
    public func path(_ key: String) throws(ConfigurationError) -> String? {
        try string(key).map(resolve)
    }

    /// `path` resolved against the configuration file's folder when relative.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory == "." || baseDirectory.isEmpty { return path }
        return baseDirectory + "/" + path
    }

    /// The accounts of this instance: `account = "id"`, `accounts = ["a", "b"]`, or
    /// `accounts = "registry"` for every registry account of `platform` (SPEC §6).
    ///
    /// An account listed more than once is taken once, at its first place: it would be
    /// requested as often as it is listed, for the same rows (`collector check` warns about
    /// the repeat, ``LoadedConfiguration``).
    public func accounts(platform: Platform) throws(ConfigurationError) -> [String] {
        if let single = try string("account") {
            guard values["accounts"] == nil else { throw error("account", "use either \"account\" or \"accounts\"") }
            return [single]
        }
        guard let listed = try strings("accounts") else {
            throw error(nil, "missing required key \"accounts\" (or \"account\")")
        }
        if listed == ["registry"] {
            guard let registry else {
                // A registry that is configured but could not be loaded has its own errors.
                if settings.registryPath != nil { throw registryUnavailableError }
                throw error("accounts", "accounts = \"registry\" needs [collector] registry = \"accounts.csv\"")
            }
            let fromRegistry = registry.accounts(for: platform)
            guard !fromRegistry.isEmpty else {
                throw error("accounts", "the registry lists no \(platform) account")
            }
            return fromRegistry
        }
        guard !listed.isEmpty else { throw error("accounts", "\"accounts\" is empty") }
        var seen = Set<String>(minimumCapacity: listed.count)
        return listed.filter { seen.insert($0).inserted }
    }

    /// The key's value; for a key the loader rejected, an error at its line instead of the
    /// nil that would make it look missing.
    private func lookup(_ key: String) throws(ConfigurationError) -> ConfigValue? {
        guard !rejectedKeys.contains(key) else { throw rejectedKeyError(key) }
        return values[key]
    }

    /// What reading a rejected key throws.
    private func rejectedKeyError(_ key: String) -> ConfigurationError {
        error(key, "\"\(key)\" is invalid (reported above)")
    }

    /// What reading `accounts = "registry"` throws when `[collector] registry` is set but the
    /// registry could not be loaded: the registry's own errors say why.
    private var registryUnavailableError: ConfigurationError {
        error("accounts", "accounts = \"registry\": the registry could not be loaded; its own errors say why")
    }

    /// Whether `problem` is only the consequence of a key the loader rejected or found missing
    /// (the error reading it throws), which the loader has reported in its own words, or of a
    /// configured registry that could not be loaded, whose errors are reported with it.
    package func isAboutRejectedKey(_ problem: ConfigurationError) -> Bool {
        if registry == nil, settings.registryPath != nil, problem == registryUnavailableError { return true }
        return rejectedKeys.contains { problem == rejectedKeyError($0) }
    }

    private func typeError(_ key: String, _ expected: String, _ value: ConfigValue) -> ConfigurationError {
        let article = value.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return error(key, "\"\(key)\" must be \(expected), not \(article) \(value.typeName)")
    }
}
