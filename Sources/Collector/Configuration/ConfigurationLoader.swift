import TOMLKit

/// One pass over the parsed document, collecting problems as it goes.
struct ConfigurationLoader {
    let path: String
    let environment: [String: String]
    let adapterKeys: [String: [ConfigurationKey]]
    let index: ConfigurationFile.LineIndex
    let baseDirectory: String
    var errors: [ConfigurationError] = []
    var warnings: [ConfigurationError] = []
    /// How many of ``errors`` were found before the adapter sections: the file's top level
    /// and `[collector]`.
    private(set) var settingsErrorCount = 0

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
        settingsErrorCount = errors.count
        var sections: [AdapterConfiguration] = []
        if let node = root["adapters"] {
            sections = adapterSections(node, settings: settings)
        }
        var file = ConfigurationFile(path: path, settings: settings, sections: sections, warnings: warnings)
        (file.collectorLine, file.collectorKeyLines) = index.collector()
        return file
    }

    private mutating func unknownTopLevel(_ key: String, isTable: Bool) {
        let line = index.firstLine(of: [key])
        if isTable {
            var message = "unknown table [\(ConfigurationError.cut(key))]"
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
                    message: "unknown key \(ConfigurationError.quoted(key)) at the top of the file; "
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
            } else if given.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                // A name is printed in every log line and summary of the instance: a line break
                // or an escape sequence in it would break them up or forge others.
                errors.append(
                    section.error(
                        "name",
                        "\(section.subject("name")) must not contain control characters (line breaks, tabs, escapes)"
                    )
                )
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

    /// Names label logs, summaries and state; two instances sharing one would mix them up. Two
    /// names that differ only in `/` and `_` name the same state files (``StateStore/flatName(_:)``),
    /// so one instance would get the other's cursors and credentials.
    private mutating func checkUniqueNames(_ sections: [AdapterConfiguration]) {
        var seen: [String: AdapterConfiguration] = [:]
        for section in sections {
            if let first = seen[StateStore.flatName(section.name)] {
                let sameName = first.name == section.name
                let clash =
                    sameName
                    ? "is already used by"
                    : "names the same files in state_dir as \(first.quoted(first.name, from: "name")) (a / in a name"
                        + " becomes _ in file names: one would get the other's cursor or credentials) of"
                errors.append(
                    ConfigurationError(
                        file: path,
                        line: section.keyLines["name"] ?? section.line,
                        message:
                            "the instance name \(section.quoted(section.name, from: "name")) \(clash) the "
                            + "[[adapters.\(first.type)]] section at line \(first.line); "
                            + "give each section its own \"name\""
                    )
                )
            } else {
                seen[StateStore.flatName(section.name)] = section
            }
        }
    }
}
