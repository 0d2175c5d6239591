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
        baseDirectory: String = "."
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
    }

    /// An error pointing at `key`'s line (or the section's when the key is absent).
    public func error(_ key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(
            file: file,
            line: key.flatMap { keyLines[$0] } ?? line,
            message: message + " in [[adapters.\(type)]]"
        )
    }

    // MARK: - Typed access

    /// A string value, or nil when the key is absent.
    public func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = values[key] else { return nil }
        guard case .string(let text) = value else { throw typeError(key, "a string", value) }
        return text
    }

    /// A string value that must be present.
    public func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try string(key) else { throw error(nil, "missing required key \"\(key)\"") }
        guard !text.isEmpty else { throw error(key, "\"\(key)\" must not be empty") }
        return text
    }

    /// An array of strings (a single string is accepted as a one-element array).
    public func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = values[key] else { return nil }
        switch value {
        case .string(let text): return [text]
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
        guard let value = values[key] else { return nil }
        guard case .integer(let number) = value else { throw typeError(key, "an integer", value) }
        return number
    }

    /// A boolean value.
    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .bool(let flag) = value else { throw typeError(key, "true or false", value) }
        return flag
    }

    /// A duration such as `30s`, `5m`, `6h`, `1d`.
    public func duration(_ key: String) throws(ConfigurationError) -> Duration? {
        guard let text = try string(key) else { return nil }
        guard let duration = Duration(configurationText: text) else {
            throw error(key, "\"\(key)\" = \"\(text)\" is not a duration; write 30s, 5m, 6h or 1d")
        }
        return duration
    }

    /// A rate such as `2/s`.
    public func rate(_ key: String) throws(ConfigurationError) -> Rate? {
        guard let text = try string(key) else { return nil }
        guard let rate = Rate(parsing: text) else {
            throw error(key, "\"\(key)\" = \"\(text)\" is not a rate; write N/s, N/m, N/h or N/d")
        }
        return rate
    }

    /// A table value.
    public func table(_ key: String) throws(ConfigurationError) -> [String: ConfigValue]? {
        guard let value = values[key] else { return nil }
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
                throw error("accounts", "accounts = \"registry\" needs [collector] registry = \"accounts.csv\"")
            }
            let fromRegistry = registry.accounts(for: platform)
            guard !fromRegistry.isEmpty else {
                throw error("accounts", "the registry lists no \(platform) account")
            }
            return fromRegistry
        }
        guard !listed.isEmpty else { throw error("accounts", "\"accounts\" is empty") }
        return listed
    }

    private func typeError(_ key: String, _ expected: String, _ value: ConfigValue) -> ConfigurationError {
        let article = value.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return error(key, "\"\(key)\" must be \(expected), not \(article) \(value.typeName)")
    }
}
