import TOMLKit

extension ColumnMapping {
    /// Reads the mapping file at `path` (TOML: ``keys`` at the top level, `[columns]` below)
    /// for exports of `platform`.
    ///
    /// - Throws: every problem found, each with the file and, where the scan finds it, the line:
    ///   an unreadable file, invalid TOML, an unknown key, and everything ``init(platform:values:origin:)``
    ///   checks.
    public static func load(path: String, platform: Platform) throws(ConfigurationErrors) -> ColumnMapping {
        func failure(_ line: Int?, _ message: String) -> ConfigurationErrors {
            ConfigurationErrors([ConfigurationError(file: path, line: line, message: message)])
        }
        let content: [UInt8]?
        do throws(StorageError) {
            content = try FileSystem.readFileIfPresent(path)
        } catch {
            throw failure(nil, "cannot read the mapping file: \(error)")
        }
        guard let bytes = content else {
            throw failure(nil, "cannot read the mapping file: No such file or directory")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw failure(nil, "the mapping file is not UTF-8 text; save it as UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw failure(
                error.source.begin.line,
                "invalid TOML at column \(error.source.begin.column): \(error.description)"
            )
        } catch {
            throw failure(nil, "invalid TOML: \(error)")
        }
        let index = ConfigurationFile.LineIndex(text: text)
        func line(of key: String?) -> Int? {
            guard let key else { return nil }
            if key.hasPrefix("columns.\"") {
                let header = String(key.dropFirst("columns.\"".count).dropLast())
                if let table = index.tables.first(where: { $0.path == ["columns"] }) {
                    return table.keys[header] ?? table.line
                }
                return index.rootKeys["columns." + header] ?? index.rootKeys["columns"]
            }
            return index.rootKeys[key] ?? index.tables.first(where: { $0.path == [key] })?.line
        }

        var errors: [ConfigurationError] = []
        var values: [String: ConfigValue] = [:]
        for key in root.keys {
            guard keys.contains(key) else {
                var message = "unknown key \(ConfigurationError.quoted(key)) in the mapping file"
                if let nearest = KeySuggestion.nearest(to: key, among: keys) {
                    message += "; did you mean \"\(nearest)\"?"
                } else {
                    message += "; valid keys: " + keys.joined(separator: ", ")
                }
                errors.append(ConfigurationError(file: path, line: line(of: key), message: message))
                continue
            }
            guard let node = root[key], let value = ConfigurationFile.configValue(node) else {
                errors.append(
                    ConfigurationError(
                        file: path,
                        line: line(of: key),
                        message: "\"\(key)\" holds a TOML date or time; write it as a quoted string"
                    )
                )
                continue
            }
            values[key] = value
        }
        let mapping: ColumnMapping
        do throws(MappingProblems) {
            mapping = try ColumnMapping(platform: platform, values: values, origin: path)
        } catch {
            for problem in error.problems {
                errors.append(ConfigurationError(file: path, line: line(of: problem.key), message: problem.message))
            }
            throw ConfigurationErrors(ConfigurationFile.inLineOrder(errors))
        }
        guard errors.isEmpty else { throw ConfigurationErrors(ConfigurationFile.inLineOrder(errors)) }
        return mapping
    }
}
