import TOMLKit

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

        /// `"key" from ${VAR}`, or `"key" from ${VAR} in [[adapters.x]]`.
        func subject(_ key: String, from source: String) -> String {
            namesSectionInMessages ? "\"\(key)\" from \(source) in \(title)" : "\"\(key)\" from \(source)"
        }

        /// `"key" = "value"` (plus the section) when the value may be shown, else ``subject(_:)``.
        /// A value that is one `${VAR}` alone is named by it: `"concurrency" from ${CONC}`.
        func shown(_ key: String, _ value: ConfigValue) -> String {
            guard !hiddenKeys.contains(key) else {
                guard case .string(let source)? = writtenValues[key], Substitution.wholeVariable(source) != nil else {
                    return subject(key)
                }
                return subject(key, from: source)
            }
            let assignment = "\"\(key)\" = \(value)"
            return namesSectionInMessages ? "\(assignment) in \(title)" : assignment
        }

        /// Checks `value` against a ``ConfigurationKey/type``; nil when it fits or the type is
        /// one this loader does not know (the adapter checks it then).
        func check(_ key: String, _ value: ConfigValue, type: String) -> ConfigurationError? {
            switch type {
            case "string", "path":
                switch value {
                case .string: break
                case .integer:
                    // `account = 208259`: the id meant, in quotes (unless the value is not to be shown).
                    let refused = wrongType(key, "a string", value)
                    guard !hiddenKeys.contains(key) else { return refused }
                    return error(key, refused.message + "; write \(key) = \"\(value)\"")
                default: return wrongType(key, "a string", value)
                }
            case "array of strings":
                switch value {
                case .string(let text) where ConfigValue.isAcceptedString(text, forArrayKey: key): break
                case .string(let text):
                    return error(
                        key,
                        "\(subject(key)) must be an array of strings, not a string; "
                            + ConfigValue.singleStringAdvice(key: key, written: written(key, text))
                    )
                case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }): break
                case .array(let items):
                    // `accounts = [208259, 546195]`: ids are strings, and "not an array" alone
                    // would not say which item is wrong nor what to write instead.
                    guard let wrong = items.first(where: { if case .string = $0 { false } else { true } }) else {
                        return nil
                    }
                    let article = wrong.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                    var message =
                        "\(subject(key)) must be an array of strings, not an array with \(article) \(wrong.typeName) in it"
                    if !hiddenKeys.contains(key), let advice = ConfigValue.quotedItemsAdvice(key: key, value) {
                        message += " (\(wrong)); " + advice
                    }
                    return error(key, message)
                default:
                    guard !hiddenKeys.contains(key), let advice = ConfigValue.quotedItemsAdvice(key: key, value) else {
                        return wrongType(key, "an array of strings", value)
                    }
                    return error(key, wrongType(key, "an array of strings", value).message + "; " + advice)
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

        /// The integer or boolean that `text`, the whole value of `${variable}` (written as
        /// `source`), stands for when `key` takes that `type`; nil for the other types, which
        /// take the string. The error names the key and the variable, never the value, which
        /// may come from a secret's environment.
        func typed(
            _ key: String,
            _ text: String,
            type: String,
            source: String,
            variable: String
        ) -> Result<ConfigValue?, ConfigurationError> {
            // Blanks around the value (an env file's trailing space) do not matter.
            var trimmed = Substring(text)
            while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
            while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
            switch type {
            case "integer":
                if let number = Int(trimmed) { return .success(.integer(number)) }
                return .failure(
                    error(
                        key,
                        "\(subject(key, from: source)) is not an integer; set \(variable) to a whole number such "
                            + "as 8 (its value is not shown)"
                    )
                )
            case "boolean":
                switch trimmed.lowercased() {
                case "true": return .success(.bool(true))
                case "false": return .success(.bool(false))
                default:
                    return .failure(
                        error(
                            key,
                            "\(subject(key, from: source)) is not true or false; set \(variable) to true or false "
                                + "(its value is not shown)"
                        )
                    )
                }
            default:
                return .success(nil)
            }
        }

        /// `text`, the value of `key`, as the file writes it: `${VAR}` for a value from the
        /// environment or a file, `…` for a secret written as a literal.
        private func written(_ key: String, _ text: String) -> String {
            if case .string(let source)? = writtenValues[key] { return source }
            return secretKeys.contains(key) ? "…" : text
        }

        /// `"concurrency" must be an integer, not a string`.
        func wrongType(_ key: String, _ expected: String, _ value: ConfigValue) -> ConfigurationError {
            let article = value.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return error(key, "\(subject(key)) must be \(expected), not \(article) \(value.typeName)")
        }
    }

    /// Checks one table's keys: known names, convertible values, substitution, secrets written
    /// as literals, declared types. Returns the usable values; problems go to `errors`.
    static func readSection(
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
                var message = "unknown key \(ConfigurationError.quoted(key)) in \(section.title)"
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
            if declared.isCommandLine, case .array(let items) = raw {
                let suspects = CommandLineSecrets.suspects(
                    in: items.compactMap { item in
                        if case .string(let text) = item { text } else { nil }
                    }
                )
                if !suspects.isEmpty {
                    warnings.append(
                        section.error(
                            key,
                            "\(section.subject(key)) seems to pass a secret on the command line: "
                                + suspects.joined(separator: ", ")
                                + "; every user of the machine can read a process's arguments (ps, /proc/PID/cmdline): "
                                + "pass it in env = { NAME = \"${NAME}\" } and have the command read its environment"
                        )
                    )
                }
            }
            var (value, problems) = Substitution.expand(raw, environment: environment, baseDirectory: baseDirectory)
            guard problems.isEmpty else {
                for problem in problems {
                    errors.append(section.error(key, problem.message(subject: section.subject(key))))
                }
                section.rejectedKeys.insert(key)
                continue
            }
            if declared.isSecret {
                // Blanks around a secret are never part of it: trimmed before it is sent, and
                // before it is filed for redaction, so the value the platform echoes is the one
                // filed.
                value = Substitution.trimmingBlanks(value)
                // Known from here on, so no log line or message can print it (SPEC §1), even
                // when a platform repeats it in an error.
                for secret in Substitution.strings(in: value) { KnownSecrets.registerLasting(secret) }
            }
            if declared.isSecret || declared.holdsSecretFiles {
                // A warning, not a refusal: secret volumes are often 0644 behind their links.
                for file in Substitution.exposedFiles(in: raw, environment: environment, baseDirectory: baseDirectory) {
                    warnings.append(section.error(key, file.message(subject: section.subject(key))))
                }
            }
            if case .string(let source) = raw, case .string(let text) = value,
                let variable = Substitution.wholeVariable(source)
            {
                // `concurrency = "${CONC:-8}"`: TOML has no way to put a number in a variable,
                // so a value that is one variable alone is read as the type the key takes.
                switch section.typed(key, text, type: declared.type, source: source, variable: variable) {
                case .success(let typed?): value = typed
                case .success(nil): break
                case .failure(let problem):
                    errors.append(problem)
                    section.rejectedKeys.insert(key)
                    continue
                }
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
