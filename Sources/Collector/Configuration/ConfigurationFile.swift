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
    /// The part of ``errors`` about the file itself and its `[collector]` table: all that a
    /// command which only reads the data folder (`export`, `compact`, `report`) must be free
    /// of. An adapter section's unset `${VAR}` or missing command does not concern it, and
    /// such a command should not need every secret of the collection loaded to run.
    public var settingsErrors: [ConfigurationError] = []
    /// The line of the `[collector]` header, when the file has one.
    public var collectorLine: Int?
    /// The line of each key of `[collector]`, for problems found after loading
    /// (``collectorError(_:_:)``).
    public var collectorKeyLines: [String: Int] = [:]

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
        var loader = ConfigurationLoader(path: path, environment: environment, adapterKeys: adapterKeys, text: text)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            // Nothing after a syntax error can be trusted to mean what it says: stop here.
            let position = error.source.begin
            var message = "invalid TOML at column \(position.column): \(error.description)"
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if (1...lines.count).contains(position.line),
                let hint = syntaxHint(line: lines[position.line - 1], description: error.description)
            {
                message += "; " + hint
            }
            return failed(path, ConfigurationError(file: path, line: position.line, message: message))
        } catch {
            return failed(path, ConfigurationError(file: path, line: nil, message: "invalid TOML: \(error)"))
        }
        var file = loader.load(root)
        file.errors = Self.inLineOrder(loader.errors)
        file.settingsErrors = Self.inLineOrder(Array(loader.errors.prefix(loader.settingsErrorCount)))
        return file
    }

    /// A problem with `[collector]`'s `key` found after loading (a folder that cannot be
    /// written, a registry that cannot be opened): at the key's line, else at the header's.
    public func collectorError(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(file: path, line: collectorKeyLines[key] ?? collectorLine, message: message)
    }

    /// The problems of loading the registry that `[collector] registry` names, as reported:
    /// one on a line of the registry stays there; one that names no line (the file cannot be
    /// opened, is empty) is about the key, so it points at the key's line of this file, with
    /// the absolute path looked at: `registry = "accounts.csv" (/etc/collector/accounts.csv)`.
    public func registryErrors(_ errors: [ConfigurationError]) -> [ConfigurationError] {
        guard let registryPath = settings.registryPath else { return errors }
        let written = settings.registryAsWritten ?? registryPath
        let absolute = FileSystem.absolute(registryPath)
        let relative =
            written.hasPrefix("/") ? "" : "; a relative registry is taken from the configuration file's folder"
        return errors.map { problem in
            guard problem.line == nil, problem.file == registryPath else { return problem }
            let shown = written == absolute ? "\"\(written)\"" : "\"\(written)\" (\(absolute))"
            return collectorError("registry", "[collector] registry = \(shown): \(problem.message)\(relative)")
        }
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
        file.settingsErrors = [error]
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
