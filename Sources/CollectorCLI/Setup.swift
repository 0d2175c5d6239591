import Adapters
import ArgumentParser
import Collector
import Logging

/// `--config`, shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $COLLECTOR_CONFIG, else ./adapters.conf).")
    var config: String?

    /// The file to read, and whether the user named it.
    var resolved: (path: String, explicit: Bool) {
        if let config { return (config, true) }
        if let fromEnvironment = Terminal.environment["COLLECTOR_CONFIG"], !fromEnvironment.isEmpty {
            return (fromEnvironment, true)
        }
        return ("adapters.conf", false)
    }
}

/// The loaded configuration: settings, registry and adapter instances, or every problem at once.
struct Setup {
    var file: ConfigurationFile
    var registry: AccountRegistry?
    var instances: [any Adapter]

    var settings: CollectorSettings { file.settings }

    /// Every configured section's name with its platform (the self-metrics keep these
    /// sections' series and drop the others').
    var configuredSections: [String: Platform] {
        Dictionary(instances.map { ($0.name, $0.platform) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every configured section's name with its accounts, whatever `--only` or a shard selects:
    /// the schedule keeps these accounts' due times and drops the others' at a checkpoint.
    var configuredAccounts: [String: [String]] {
        Dictionary(instances.map { ($0.name, $0.accounts) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads and validates everything.
    /// - Parameter requireFile: when false, a missing default `adapters.conf` means SPEC §2's
    ///   defaults: only for `template`, which reads no folder (its sheet comes from `--registry`).
    /// - Throws: ``ConfigurationErrors`` with every problem found, and the warnings found with them.
    static func load(_ options: ConfigOptions, requireFile: Bool = true) throws -> Setup {
        let (path, explicit) = options.resolved
        if !explicit && !FileSystem.exists(path) {
            guard !requireFile else { throw missingDefault(path) }
            return Setup(
                file: ConfigurationFile(path: path, settings: CollectorSettings(), sections: [], warnings: []),
                registry: nil,
                instances: []
            )
        }
        // One pass: every problem of the file, its sections and the registry together.
        let loaded = try LoadedConfiguration.load(path: path, environment: Terminal.environment)
        return Setup(file: loaded.file, registry: loaded.registry, instances: loaded.instances)
    }

    /// Loads the settings only, for a command that reads the data folder and sends nothing
    /// (`export`, `compact`, `report`): problems in adapter sections, such as an unset
    /// `${VAR}` of a secret, do not stop it.
    /// - Parameter requireFile: when false, a missing default `adapters.conf` means SPEC §2's
    ///   defaults: for `export` and `report`, which only read, create nothing, and name the
    ///   folder they looked in when it holds no samples (``EmptyStore``).
    /// - Throws: ``ConfigurationErrors`` with the problems of the file and its `[collector]` table.
    static func loadSettings(_ options: ConfigOptions, requireFile: Bool = true) throws -> Setup {
        let (path, explicit) = options.resolved
        if !explicit && !FileSystem.exists(path) {
            guard !requireFile else { throw missingDefault(path) }
            let defaults = ConfigurationFile(path: path, settings: CollectorSettings(), sections: [], warnings: [])
            return Setup(file: defaults, registry: nil, instances: [])
        }
        let file = ConfigurationFile.read(
            path: path,
            environment: Terminal.environment,
            adapterKeys: AdapterRegistry.configurationKeys
        )
        guard file.settingsErrors.isEmpty else { throw ConfigurationErrors(file.settingsErrors) }
        return Setup(file: file, registry: nil, instances: [])
    }

    /// No `--config`, no `COLLECTOR_CONFIG` and no `./adapters.conf`: the command was most
    /// likely started in another folder than the collection's (an admin's home, cron's). Going
    /// on with the defaults would read or create `./data` and `./state` there without a word,
    /// so it is an error naming the folder looked in, as for every command that reads the file.
    static func missingDefault(_ path: String) -> ConfigurationErrors {
        ConfigurationErrors([
            ConfigurationError(
                file: path,
                line: nil,
                message: "cannot read the configuration file: No such file or directory; looked for it in the "
                    + "working directory (\(FileSystem.currentDirectory())): run the command in the folder that holds "
                    + "adapters.conf, or name the file with --config PATH (or COLLECTOR_CONFIG=PATH)"
            )
        ])
    }

    /// How to give a command that needs the account registry one, naming the folder each
    /// relative path is looked up in: the `[collector]` key `registry`, taken from the
    /// configuration's folder and so right from any working directory (the service's,
    /// /var/lib/collector, is not the configuration's), or `--registry`, taken from the
    /// working directory.
    ///
    /// `set registry = "accounts.csv" in [collector] of /etc/collector/adapters.conf (a relative
    /// path is taken from its folder, /etc/collector), or pass --registry PATH (a relative PATH is
    /// taken from the working directory, /var/lib/collector)`
    func registryAdvice() -> String {
        let option =
            "pass --registry PATH (a relative PATH is taken from the working directory, "
            + "\(FileSystem.currentDirectory()))"
        // No configuration file (`template` goes on with the defaults): the option alone.
        guard let key = registryKeyAdvice() else { return option }
        return key + ", or " + option
    }

    /// How to configure the registry in the configuration file, naming the folder a relative
    /// path is taken from; nil when there is no configuration file.
    func registryKeyAdvice() -> String? {
        guard FileSystem.exists(file.path) else { return nil }
        let configuration = FileSystem.absolute(file.path)
        let slash = configuration.lastIndex(of: "/") ?? configuration.startIndex
        let folder = slash == configuration.startIndex ? "/" : String(configuration[..<slash])
        return "set registry = \"accounts.csv\" in [collector] of \(configuration) (a relative path is taken from"
            + " its folder, \(folder))"
    }

    /// The instances selected by `--only` (instance name or adapter type).
    /// - Parameter argument: How the user named them, for the error: `--only`, or `auth`.
    func selected(only: [String], argument: String = "--only") throws -> [any Adapter] {
        guard !only.isEmpty else { return instances }
        let known = Set(instances.map(\.name)).union(instances.map { type(of: $0).type })
        for name in only where !known.contains(name) {
            let configured =
                instances.isEmpty
                ? "\(file.path) configures none"
                : "configured: \(instances.map(\.name).joined(separator: ", "))"
            throw UsageError("\(argument) \(name): no such instance; \(configured)")
        }
        return instances.filter { only.contains($0.name) || only.contains(type(of: $0).type) }
    }

    /// Completes the compactions a kill interrupted (``CompactionMarker``), then removes the
    /// temporary files that killed writes left behind (``StaleTemporaries``), with one warning
    /// naming how many and the first. Call with the instance's run lock held.
    /// - Throws: ``StorageError`` when a compacted file cannot be renamed into place.
    static func finishInterruptedWrites(settings: CollectorSettings, logger: Logger) throws {
        // Also a partition this run does not write to: otherwise its formats would differ
        // until a writer or `compact` opens it.
        try CompactionMarker.completeAll(settings: settings, logger: logger)
        let removed = StaleTemporaries.remove(settings: settings)
        guard let first = removed.first else { return }
        let count = removed.count == 1 ? "1 temporary file" : "\(removed.count) temporary files"
        logger.warning(
            "removed \(count) left by a write that was interrupted (a killed run or compact)",
            metadata: ["file": "\(first)"]
        )
    }

    /// A logger for the CLI, quiet unless something is wrong (`COLLECTOR_LOG_LEVEL` changes it,
    /// in any case: `info`, `INFO`). An unknown level keeps the default and says so in one warning.
    static func makeLogger(calendar: PlatformCalendar = .beijing) -> Logger {
        let (level, problem) = logLevel(Terminal.environment["COLLECTOR_LOG_LEVEL"])
        let logger = Logger(label: "collector") { label in
            StderrLogHandler(label: label, level: level, calendar: calendar)
        }
        if let problem { logger.warning("\(problem)") }
        return logger
    }

    /// The level `COLLECTOR_LOG_LEVEL` asks for (unset or empty: `warning`), and the warning
    /// to give when it names no level.
    static func logLevel(_ value: String?) -> (Logger.Level, problem: String?) {
        let defaultLevel = Logger.Level.warning
        guard let value, !value.isEmpty else { return (defaultLevel, nil) }
        if let level = Logger.Level(rawValue: value.lowercased()) { return (level, nil) }
        let accepted = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        return (
            defaultLevel,
            "COLLECTOR_LOG_LEVEL=\(LogText.logfmt(value)) is not a log level; logging at \(defaultLevel.rawValue). "
                + "Accepted (in any case): \(accepted)"
        )
    }
}
