public import Collector

/// `adapters.conf` checked end to end in one pass, as `collector check` and `run` load it: the
/// file (``ConfigurationFile``), the account registry it names, and one adapter instance per
/// section, or every problem found on the way.
///
/// A problem in one place does not stop the others from being checked: `[collector]`'s
/// problems leave its defaults in place and the adapter sections are still validated, and each
/// adapter checks all of its keys (``ConfigurationCheck``). Only a file that cannot be read or
/// is not valid TOML stops at its first problem, since nothing after it can be trusted to mean
/// what it says.
public struct LoadedConfiguration: Sendable {
    /// The file as read.
    public var file: ConfigurationFile
    /// The account registry, when `[collector] registry` names one.
    public var registry: AccountRegistry?
    /// One instance per section, in file order.
    public var instances: [any Adapter]

    /// Reads and validates the file at `path`.
    ///
    /// - Parameter environment: The variables `${VAR}` is taken from.
    /// - Throws: ``ConfigurationErrors`` with every problem, the file's in line order and then
    ///   the registry's, and the warnings found with them.
    public static func load(path: String, environment: [String: String]) throws(ConfigurationErrors) -> Self {
        try validate(
            ConfigurationFile.read(path: path, environment: environment, adapterKeys: AdapterRegistry.configurationKeys)
        )
    }

    /// Validates configuration text as if read from `path`, like ``load(path:environment:)``.
    public static func load(
        text: String,
        path: String,
        environment: [String: String]
    ) throws(ConfigurationErrors) -> Self {
        try validate(
            ConfigurationFile.read(
                text: text,
                path: path,
                environment: environment,
                adapterKeys: AdapterRegistry.configurationKeys
            )
        )
    }

    /// Loads the registry and instantiates every section of a file read with
    /// ``ConfigurationFile/read(path:environment:adapterKeys:)``, adding their problems to the
    /// file's own.
    public static func validate(_ file: ConfigurationFile) throws(ConfigurationErrors) -> Self {
        var file = file
        var problems = file.errors
        var registryProblems: [ConfigurationError] = []
        var registry: AccountRegistry?
        if let registryPath = file.settings.registryPath {
            do {
                registry = try AccountRegistry.load(path: registryPath)
            } catch {
                registryProblems = file.registryErrors(error.errors)
            }
        }
        var instances: [any Adapter] = []
        var instantiated: [(configuration: AdapterConfiguration, adapter: any Adapter)] = []
        for index in file.sections.indices {
            file.sections[index].registry = registry
            let section = file.sections[index]
            file.warnings += inertKeyWarnings(section)
            do {
                let instance = try AdapterRegistry.instantiate(section)
                instances.append(instance)
                instantiated.append((section, instance))
            } catch {
                // The loader reported a rejected or missing key already; what the adapter says
                // about it, or about the same line, is a consequence (a key it cannot read, a
                // stand-in value).
                let reported = Set(section.rejectedKeys.compactMap { section.keyLines[$0] })
                for problem in error.errors where !problems.contains(problem) {
                    if section.isAboutRejectedKey(problem) { continue }
                    if let line = problem.line, reported.contains(line) { continue }
                    problems.append(problem)
                }
            }
        }
        // Across sections: one login cookie, one section (LoginCookieSharing).
        problems += LoginCookieSharing.problems(instantiated)
        // An account listed twice is requested twice (RepeatedAccounts).
        file.warnings += RepeatedAccounts.warnings(instantiated)
        file.warnings = ConfigurationFile.inLineOrder(file.warnings)
        problems = ConfigurationFile.inLineOrder(problems) + registryProblems
        guard problems.isEmpty else { throw ConfigurationErrors(problems, warnings: file.warnings) }
        file.errors = []
        return LoadedConfiguration(file: file, registry: registry, instances: instances)
    }

    /// One warning per common key the section sets that does nothing for its type
    /// (``Adapter/inertCommonKeys``), at the key's line.
    private static func inertKeyWarnings(_ section: AdapterConfiguration) -> [ConfigurationError] {
        guard let type = AdapterRegistry.type(named: section.type) else { return [] }
        return type.inertCommonKeys.sorted { $0.key < $1.key }.compactMap { key, reason in
            guard section.values[key] != nil else { return nil }
            // The section is named at the end ("… in [[adapters.exec]]").
            return section.error(key, "\"\(key)\" has no effect here: \(reason); remove it")
        }
    }
}
