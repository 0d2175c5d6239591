import Collector

extension Setup {
    /// The account registry a command reads, one reading for `report`, `template` and
    /// `import`: `--registry PATH` (a relative PATH taken from the working directory), else
    /// `[collector] registry` (a relative path taken from the configuration's folder), else nil.
    ///
    /// A registry that cannot be opened or is empty is reported with the absolute path looked
    /// at and the folder a relative path is taken from: `--registry accounts.csv` run from
    /// `/var/lib/collector` does not read `/etc/collector/accounts.csv` beside the
    /// configuration, and the message says so and what to do instead.
    /// - Parameter option: The value of `--registry`, if given.
    /// - Throws: ``ConfigurationErrors`` with every problem of the registry.
    func accountRegistry(option: String?) throws(ConfigurationErrors) -> AccountRegistry? {
        guard let option else {
            if let registry { return registry }  // loaded with the configuration (`Setup.load`)
            guard let path = settings.registryPath else { return nil }
            do {
                return try AccountRegistry.load(path: path)
            } catch {
                throw ConfigurationErrors(file.registryErrors(error.errors))
            }
        }
        do {
            return try AccountRegistry.load(path: option)
        } catch {
            throw ConfigurationErrors(error.errors.map { registryOptionError($0, option: option) })
        }
    }

    /// A problem of the registry `--registry option` names: one on a line of the registry stays
    /// there; one about the whole file (it cannot be opened, is empty) names the absolute path,
    /// the working directory a relative path was taken from, and the configured registry that
    /// leaving the option out would read, or the key that would configure one.
    private func registryOptionError(_ problem: ConfigurationError, option: String) -> ConfigurationError {
        guard problem.line == nil, problem.file == option else { return problem }
        var message = problem.message
        if !option.hasPrefix("/") {
            message +=
                "; --registry \(option) is taken from the working directory (\(FileSystem.currentDirectory()))"
        }
        if let configured = settings.registryPath {
            message +=
                "; leave --registry out to use the registry of \(FileSystem.absolute(file.path)),"
                + " \(FileSystem.absolute(configured))"
        } else if let key = registryKeyAdvice() {
            message += "; to read the registry from any folder, \(key) and leave --registry out"
        }
        return ConfigurationError(file: FileSystem.absolute(option), line: nil, message: message)
    }
}
