import TOMLKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `adapters.conf` (SPEC §2), read, checked and expanded: the `[collector]` settings and one
/// ``AdapterConfiguration`` per `[[adapters.<type>]]` section.
///
/// Loading checks everything that can be checked without the adapters themselves and reports
/// every problem at once, each with its file and line (`collector check` exits 2 with the
/// list): TOML syntax, unknown tables, adapter types and keys (with the nearest valid name when
/// one is at most two edits away), value types, durations, rates, the timezone, the formats,
/// required keys, and `${VAR}` / `@file:` substitution. An adapter's own `init(configuration:)`
/// then checks what only it knows (STYLE §4).
///
/// String values are expanded after parsing (``Substitution``): `${VAR}`, `${VAR:-default}`,
/// `$$` for a literal `$`, and `@file:PATH` (relative to the file's folder). Errors name keys and
/// variables, never a value that came from the environment, a file or a secret key.
public struct ConfigurationFile: Sendable {
    /// The configuration file, as given.
    public var path: String
    /// The `[collector]` table, defaults filled in.
    public var settings: CollectorSettings
    /// The adapter sections in file order. Their `registry` is nil: the caller loads the registry
    /// named by ``CollectorSettings/registryPath`` and sets it.
    public var sections: [AdapterConfiguration]
    /// Problems that do not stop a run, such as a secret written into the file.
    public var warnings: [ConfigurationError]
    /// Problems that stop a run, in line order: empty unless read with
    /// ``read(path:environment:adapterKeys:)``, which returns them instead of throwing. The
    /// settings and sections then hold what could be read (a rejected key left out, defaults
    /// in its place), so the adapters can still check the rest.
    public var errors: [ConfigurationError] = []

    /// Creates a loaded configuration, as ``load(path:environment:adapterKeys:)`` does.
    public init(
        path: String,
        settings: CollectorSettings,
        sections: [AdapterConfiguration],
        warnings: [ConfigurationError] = []
    ) {
        self.path = path
        self.settings = settings
        self.sections = sections
        self.warnings = warnings
    }

    /// Reads and checks the file at `path`.
    ///
    /// - Parameters:
    ///   - environment: The variables `${VAR}` is taken from (the process environment in
    ///     production, a dictionary in tests).
    ///   - adapterKeys: Each adapter type's keys; ``ConfigurationKey/common`` is always accepted
    ///     as well.
    /// - Throws: Every problem found, in line order.
    public static func load(
        path: String,
        environment: [String: String],
        adapterKeys: [String: [ConfigurationKey]]
    ) throws(ConfigurationErrors) -> ConfigurationFile {
        try read(path: path, environment: environment, adapterKeys: adapterKeys).throwingErrors()
    }

    /// Reads and checks the file at `path` like ``load(path:environment:adapterKeys:)``, but
    /// returns the problems in ``errors`` with whatever could be read, so that the adapters can
    /// check their sections in the same pass. A file that cannot be read or parsed as TOML has
    /// no settings or sections to go on: its one error is all there is.
    public static func read(
        path: String,
        environment: [String: String],
        adapterKeys: [String: [ConfigurationKey]]
    ) -> ConfigurationFile {
        let bytes: [UInt8]
        switch Result(catching: { () throws(StorageError) in try FileSystem.readFileIfPresent(path) }) {
        case .success(let content?): bytes = content
        case .success(nil): return failed(path, unreadable(path, "No such file or directory"))
        case .failure(let error):
            // The path is already in the error's file column; say only why.
            let reason = error.errno.map { String(cString: strerror($0)) } ?? error.description
            return failed(path, unreadable(path, reason))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return failed(
                path,
                ConfigurationError(file: path, line: nil, message: "the file is not UTF-8 text; save it as UTF-8")
            )
        }
        return read(text: text, path: path, environment: environment, adapterKeys: adapterKeys)
    }

    /// Checks configuration text as if read from `path` (which names the file in errors and
    /// anchors relative `@file:` paths and ``AdapterConfiguration/baseDirectory``).
    ///
    /// - Throws: Every problem found, in line order.
    public static func parse(
        text: String,
        path: String,
        environment: [String: String],
        adapterKeys: [String: [ConfigurationKey]]
    ) throws(ConfigurationErrors) -> ConfigurationFile {
        try read(text: text, path: path, environment: environment, adapterKeys: adapterKeys).throwingErrors()
    }

    /// Checks configuration text like ``parse(text:path:environment:adapterKeys:)``, returning
    /// the problems in ``errors`` (see ``read(path:environment:adapterKeys:)``).
    public static func read(
        text: String,
        path: String,
        environment: [String: String],
        adapterKeys: [String: [ConfigurationKey]]
    ) -> ConfigurationFile {
        var loader = Loader(path: path, environment: environment, adapterKeys: adapterKeys, text: text)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            // Nothing after a syntax error can be trusted to mean what it says: stop here.
            let position = error.source.begin
            return failed(
                path,
                ConfigurationError(
                    file: path,
                    line: position.line,
                    message: "invalid TOML at column \(position.column): \(error.description)"
                )
            )
        } catch {
            return failed(path, ConfigurationError(file: path, line: nil, message: "invalid TOML: \(error)"))
        }
        var file = loader.load(root)
        file.errors = Self.inLineOrder(loader.errors)
        return file
    }

    /// The file, or its errors and warnings thrown together.
    public func throwingErrors() throws(ConfigurationErrors) -> ConfigurationFile {
        guard errors.isEmpty else { throw ConfigurationErrors(errors, warnings: warnings) }
        return self
    }

    /// A file that could not be read or parsed: no settings or sections, one error.
    private static func failed(_ path: String, _ error: ConfigurationError) -> ConfigurationFile {
        var file = ConfigurationFile(path: path, settings: CollectorSettings(), sections: [])
        file.errors = [error]
        return file
    }

    private static func unreadable(_ path: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: path, line: nil, message: "cannot read the configuration file: \(reason)")
    }

    /// Errors without a line first, then by line; ties keep the order they were found in.
    package static func inLineOrder(_ errors: [ConfigurationError]) -> [ConfigurationError] {
        errors.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }

    /// The folder holding `path`: relative paths in the file are resolved against it.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

// MARK: - Sections

extension ConfigurationFile {
    /// Where one table sits, to point errors at its lines and to phrase them.
    struct Section {
        /// The configuration file.
        var file: String
        /// `[collector]` or `[[adapters.bilibili]]`.
        var title: String
        /// Whether value messages name the section (adapter sections; `[collector]` is unique).
        var namesSectionInMessages: Bool
        /// The header's line, when there is one.
        var line: Int?
        /// Each key's line.
        var keyLines: [String: Int]
        /// Keys whose value must not be echoed: secrets, and values from the environment or a file.
        var hiddenKeys: Set<String> = []
        /// Keys declared secret.
        var secretKeys: Set<String> = []
        /// The values as written of the keys that use `${VAR}` or `@file:`.
        var writtenValues: [String: ConfigValue] = [:]
        /// Keys reported here and left out of the values.
        var rejectedKeys: Set<String> = []

        /// An error at `key`'s line, else the header's.
        func error(_ key: String?, _ message: String) -> ConfigurationError {
            ConfigurationError(file: file, line: key.flatMap { keyLines[$0] } ?? line, message: message)
        }

        /// `"key"`, or `"key" in [[adapters.x]]`.
        func subject(_ key: String) -> String {
            namesSectionInMessages ? "\"\(key)\" in \(title)" : "\"\(key)\""
        }

        /// `"key" = "value"` (plus the section) when the value may be shown, else ``subject(_:)``.
        func shown(_ key: String, _ value: ConfigValue) -> String {
            guard !hiddenKeys.contains(key) else { return subject(key) }
            let assignment = "\"\(key)\" = \(value)"
            return namesSectionInMessages ? "\(assignment) in \(title)" : assignment
        }

        /// Checks `value` against a ``ConfigurationKey/type``; nil when it fits or the type is
        /// one this loader does not know (the adapter checks it then).
        func check(_ key: String, _ value: ConfigValue, type: String) -> ConfigurationError? {
            switch type {
            case "string", "path":
                guard case .string = value else { return wrongType(key, "a string", value) }
            case "array of strings":
                switch value {
                case .string: break
                case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }): break
                default: return wrongType(key, "an array of strings", value)
                }
            case "duration":
                guard case .string(let text) = value else { return wrongType(key, "a duration such as \"6h\"", value) }
                guard Duration(configurationText: text) != nil else {
                    return error(key, "\(shown(key, value)) is not a duration; write 30s, 5m, 6h or 1d")
                }
            case "rate":
                guard case .string(let text) = value else { return wrongType(key, "a rate such as \"2/s\"", value) }
                guard Rate(parsing: text) != nil else {
                    return error(key, "\(shown(key, value)) is not a rate; write N/s, N/m, N/h or N/d")
                }
            case "integer":
                guard case .integer = value else { return wrongType(key, "an integer", value) }
            case "boolean":
                guard case .bool = value else { return wrongType(key, "true or false", value) }
            case "table":
                guard case .table = value else { return wrongType(key, "a table", value) }
            default:
                break
            }
            return nil
        }

        /// `"concurrency" must be an integer, not a string`.
        func wrongType(_ key: String, _ expected: String, _ value: ConfigValue) -> ConfigurationError {
            let article = value.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return error(key, "\(subject(key)) must be \(expected), not \(article) \(value.typeName)")
        }
    }

    /// Checks one table's keys: known names, convertible values, substitution, secrets written
    /// as literals, declared types. Returns the usable values; problems go to `errors`.
    fileprivate static func readSection(
        _ table: TOMLTable,
        keys: [ConfigurationKey],
        section: inout Section,
        environment: [String: String],
        baseDirectory: String,
        errors: inout [ConfigurationError],
        warnings: inout [ConfigurationError]
    ) -> [String: ConfigValue] {
        let known = Dictionary(keys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var values: [String: ConfigValue] = [:]
        for key in table.keys {
            guard let declared = known[key] else {
                var message = "unknown key \"\(key)\" in \(section.title)"
                if let nearest = KeySuggestion.nearest(to: key, among: keys.map(\.name)) {
                    message += "; did you mean \"\(nearest)\"?"
                } else {
                    message += "; valid keys: " + keys.map(\.name).joined(separator: ", ")
                }
                errors.append(section.error(key, message))
                continue
            }
            guard let node = table[key], let raw = configValue(node) else {
                errors.append(
                    section.error(key, "\(section.subject(key)) is a TOML date or time; write it as a quoted string")
                )
                section.rejectedKeys.insert(key)
                continue
            }
            if declared.isSecret || Substitution.isIndirect(raw) { section.hiddenKeys.insert(key) }
            if declared.isSecret { section.secretKeys.insert(key) }
            if Substitution.isIndirect(raw) { section.writtenValues[key] = raw }
            if declared.isSecret, Substitution.containsLiteralText(raw) {
                warnings.append(
                    section.error(
                        key,
                        "\(section.subject(key)) is a secret written into the configuration file; "
                            + "put secrets in the environment or a file: \(key) = \"${VARIABLE}\" or \"@file:PATH\""
                    )
                )
            }
            let (value, problems) = Substitution.expand(raw, environment: environment, baseDirectory: baseDirectory)
            guard problems.isEmpty else {
                for problem in problems {
                    errors.append(section.error(key, problem.message(subject: section.subject(key))))
                }
                section.rejectedKeys.insert(key)
                continue
            }
            if let problem = section.check(key, value, type: declared.type) {
                errors.append(problem)
                section.rejectedKeys.insert(key)
                continue
            }
            values[key] = value
        }
        return values
    }

    /// TOMLKit's value as a ``ConfigValue``; nil for dates and times, which no key takes.
    static func configValue(_ node: any TOMLValueConvertible) -> ConfigValue? {
        switch node.type {
        case .string: return node.string.map(ConfigValue.string)
        case .int: return node.int.map(ConfigValue.integer)
        case .double: return node.double.map(ConfigValue.double)
        case .bool: return node.bool.map(ConfigValue.bool)
        case .array:
            guard let array = node.array else { return nil }
            var items: [ConfigValue] = []
            for item in array {
                guard let value = configValue(item) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .table:
            guard let table = node.table else { return nil }
            var values: [String: ConfigValue] = [:]
            for (key, item) in table {
                guard let value = configValue(item) else { return nil }
                values[key] = value
            }
            return .table(values)
        case .date, .time, .dateTime:
            return nil
        }
    }
}

// MARK: - Loading

/// One pass over the parsed document, collecting problems as it goes.
private struct Loader {
    let path: String
    let environment: [String: String]
    let adapterKeys: [String: [ConfigurationKey]]
    let index: ConfigurationFile.LineIndex
    let baseDirectory: String
    var errors: [ConfigurationError] = []
    var warnings: [ConfigurationError] = []

    init(path: String, environment: [String: String], adapterKeys: [String: [ConfigurationKey]], text: String) {
        self.path = path
        self.environment = environment
        self.adapterKeys = adapterKeys
        self.index = ConfigurationFile.LineIndex(text: text)
        self.baseDirectory = ConfigurationFile.directory(of: path)
    }

    mutating func load(_ root: TOMLTable) -> ConfigurationFile {
        for key in root.keys where key != "collector" && key != "adapters" {
            let node = root[key]
            let isTable =
                node?.type == .table
                || (node?.array).map { !$0.isEmpty && $0.allSatisfy { $0.type == .table } } == true
            unknownTopLevel(key, isTable: isTable)
        }
        var settings = CollectorSettings()
        if let node = root["collector"] {
            settings = collectorSettings(node)
        }
        var sections: [AdapterConfiguration] = []
        if let node = root["adapters"] {
            sections = adapterSections(node, settings: settings)
        }
        return ConfigurationFile(path: path, settings: settings, sections: sections, warnings: warnings)
    }

    private mutating func unknownTopLevel(_ key: String, isTable: Bool) {
        let line = index.firstLine(of: [key])
        if isTable {
            var message = "unknown table [\(key)]"
            if let nearest = KeySuggestion.nearest(to: key, among: ["collector", "adapters"]) {
                message += "; did you mean [\(nearest)]?"
            } else {
                message += "; adapters.conf has a [collector] table and [[adapters.<type>]] sections"
            }
            errors.append(ConfigurationError(file: path, line: line, message: message))
        } else {
            errors.append(
                ConfigurationError(
                    file: path,
                    line: line,
                    message: "unknown key \"\(key)\" at the top of the file; "
                        + "settings belong in [collector] or an [[adapters.<type>]] section"
                )
            )
        }
    }

    // MARK: [collector]

    private mutating func collectorSettings(_ node: any TOMLValueConvertible) -> CollectorSettings {
        let position = index.collector()
        var section = ConfigurationFile.Section(
            file: path,
            title: "[collector]",
            namesSectionInMessages: false,
            line: position.line,
            keyLines: position.keyLines
        )
        guard node.type == .table, let table = node.table else {
            errors.append(section.error(nil, "[collector] must be a table: write [collector], not [[collector]]"))
            return CollectorSettings()
        }
        let values = ConfigurationFile.readSection(
            table,
            keys: CollectorSettings.configurationKeys,
            section: &section,
            environment: environment,
            baseDirectory: baseDirectory,
            errors: &errors,
            warnings: &warnings
        )
        return CollectorSettings(parsing: values, section: section, errors: &errors)
    }

    // MARK: [[adapters.<type>]]

    private mutating func adapterSections(
        _ node: any TOMLValueConvertible,
        settings: CollectorSettings
    ) -> [AdapterConfiguration] {
        guard node.type == .table, let adapters = node.table else {
            errors.append(
                ConfigurationError(
                    file: path,
                    line: index.firstLine(of: ["adapters"]),
                    message: "\"adapters\" must hold [[adapters.<type>]] sections"
                )
            )
            return []
        }
        var sections: [AdapterConfiguration] = []
        for type in adapters.keys {
            guard let keys = adapterKeys[type] else {
                unknownAdapterType(type)
                continue
            }
            let instances: [TOMLTable]
            switch adapters[type] {
            case let value? where value.type == .table:
                instances = value.table.map { [$0] } ?? []
            case let value? where value.type == .array && value.array?.allSatisfy({ $0.type == .table }) == true:
                instances = value.array?.compactMap(\.table) ?? []
            default:
                errors.append(
                    ConfigurationError(
                        file: path,
                        line: index.firstLine(of: ["adapters", type]),
                        message: "adapters.\(type) must be an [[adapters.\(type)]] section"
                    )
                )
                continue
            }
            let positions = index.instances(ofAdapter: type)
            for (number, table) in instances.enumerated() {
                let position = number < positions.count ? positions[number] : positions.last
                sections.append(
                    adapterSection(
                        table,
                        type: type,
                        keys: ConfigurationKey.common + keys,
                        number: instances.count == 1 ? nil : number + 1,
                        position: position,
                        settings: settings
                    )
                )
            }
        }
        sections.sort { ($0.line, $0.type) < ($1.line, $1.type) }
        checkUniqueNames(sections)
        return sections
    }

    private mutating func unknownAdapterType(_ type: String) {
        var message = "unknown adapter type \"\(type)\" in [[adapters.\(type)]]"
        if let nearest = KeySuggestion.nearest(to: type, among: adapterKeys.keys.sorted()) {
            message += "; did you mean \"\(nearest)\"?"
        } else {
            message += "; \"collector adapters\" lists the types"
        }
        errors.append(ConfigurationError(file: path, line: index.firstLine(of: ["adapters", type]), message: message))
    }

    private mutating func adapterSection(
        _ table: TOMLTable,
        type: String,
        keys: [ConfigurationKey],
        number: Int?,
        position: ConfigurationFile.LineIndex.Instance?,
        settings: CollectorSettings
    ) -> AdapterConfiguration {
        let headerLine = position?.line ?? index.firstLine(of: ["adapters"]) ?? 1
        var section = ConfigurationFile.Section(
            file: path,
            title: "[[adapters.\(type)]]",
            namesSectionInMessages: true,
            line: headerLine,
            keyLines: position?.keyLines ?? [:]
        )
        let values = ConfigurationFile.readSection(
            table,
            keys: keys,
            section: &section,
            environment: environment,
            baseDirectory: baseDirectory,
            errors: &errors,
            warnings: &warnings
        )
        let written = Set(table.keys)
        for key in keys where key.required && !written.contains(key.name) {
            // `account = "id"` stands for `accounts = ["id"]` and back (AdapterConfiguration.accounts).
            if key.name == "accounts", written.contains("account") { continue }
            if key.name == "account", written.contains("accounts") { continue }
            errors.append(section.error(nil, "missing required key \"\(key.name)\" in \(section.title)"))
            // Reported here: the adapter, reading it, does not report it again in its own words.
            section.rejectedKeys.insert(key.name)
        }
        var name = number.map { "\(type)#\($0)" } ?? type
        if case .string(let given)? = values["name"] {
            if given.isEmpty {
                errors.append(section.error("name", "\(section.subject("name")) must not be empty"))
            } else {
                name = given
            }
        }
        return AdapterConfiguration(
            type: type,
            name: name,
            file: path,
            line: headerLine,
            values: values,
            keyLines: section.keyLines,
            settings: settings,
            registry: nil,
            baseDirectory: baseDirectory,
            writtenValues: section.writtenValues,
            secretKeys: section.secretKeys,
            rejectedKeys: section.rejectedKeys
        )
    }

    /// Names label logs, summaries and state; two instances sharing one would mix them up.
    private mutating func checkUniqueNames(_ sections: [AdapterConfiguration]) {
        var seen: [String: AdapterConfiguration] = [:]
        for section in sections {
            if let first = seen[section.name] {
                errors.append(
                    ConfigurationError(
                        file: path,
                        line: section.keyLines["name"] ?? section.line,
                        message:
                            "the instance name \(section.quoted(section.name, from: "name")) is already used by the "
                            + "[[adapters.\(first.type)]] section at line \(first.line); "
                            + "give each section its own \"name\""
                    )
                )
            } else {
                seen[section.name] = section
            }
        }
    }
}
