public import Collector
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Imports back-office export files on a schedule (`[[adapters.import]]`, SPEC §2): every file
/// matching `paths` is imported on each run; re-importing a file adds nothing (SPEC §3).
///
/// ## Configuration
/// - `platform` (required): whose exports the files are (`wechat`, …).
/// - `paths` (required): globs, relative to the configuration file's folder.
/// - `account`: the account the files belong to; needed while the files do not name it.
/// - `kind`: the export kind; detected from each file's headers when left out.
///
/// ## Metrics
/// Those of the platform's importer, per kind (see ``ImportAdapter/metrics``).
///
/// A file that cannot be imported is recorded as a failure (adapter, file, label, message) and
/// the other files go on; only a failing store stops the run.
public struct ImportAdapter: Adapter {
    /// The importers `collector import` and `[[adapters.import]]` choose from, one per platform.
    public static let importers: [any ExportImporter.Type] = [WeChatImporter.self]

    /// `import`.
    public static let type = "import"
    /// One line for `collector adapters`.
    public static let summary = "Imports back-office export files (CSV, TSV, XLSX) that match a list of paths."
    /// `platform`, `paths`, `account`, `kind` (the common keys are added by the loader).
    public static let configurationKeys: [ConfigurationKey] =
        [
            ConfigurationKey(
                "platform",
                type: "string",
                required: true,
                help: "Whose exports the files are: "
                    + importers.map { $0.platform.rawValue }.joined(separator: ", ") + "."
            ),
            ConfigurationKey(
                "paths",
                type: "array of strings",
                required: true,
                help: "Globs of the files to import, relative to the configuration file's folder."
            ),
            ConfigurationKey(
                "account",
                type: "string",
                help: "The account the files belong to (WeChat exports do not name it)."
            ),
            ConfigurationKey(
                "kind",
                type: "string",
                default: "detected from the headers",
                help: "The export kind: "
                    + importers.flatMap { importer in importer.kinds.map { "\(importer.platform) \($0.name)" } }
                    .joined(separator: ", ") + "."
            ),
        ]
    /// Every metric an importer may yield, once per name and level.
    public static let metrics: [MetricDescriptor] = {
        var seen = Set<String>()
        return importers.flatMap { $0.kinds.flatMap(\.metrics) }.filter {
            seen.insert("\($0.name.rawValue)/\($0.level.rawValue)").inserted
        }
    }()
    /// An example section.
    public static let sampleConfiguration = """
        ## Imports back-office export files (CSV, TSV or .xlsx) on every run. Re-importing a file
        ## adds nothing, so files may stay in the folder.
        [[adapters.import]]
        ## Whose exports the files are.
        platform = "wechat"
        ## Globs, relative to this file's folder.
        paths = ["exports/wechat/*.xlsx", "exports/wechat/*.csv"]
        ## The account the files belong to (WeChat exports do not name it).
        account = "gh_0123456789ab"
        ## The export kind: user_growth or notified_articles; detected from the headers when left out.
        # kind = "user_growth"
        ## How often the folder is imported.
        # interval = "24h"
        """

    /// The instance's name.
    public let name: String
    /// The platform of the files.
    public let platform: Platform
    /// One unit of work: `files`.
    public let accounts = ["files"]
    /// The instance's schedule.
    public let schedule: AdapterSchedule
    /// The globs, resolved against the configuration file's folder.
    public let patterns: [String]
    /// The account the files belong to, when configured.
    public let account: String?
    /// The export kind, when configured.
    public let kind: String?

    /// Validates the section: the platform has an importer, `paths` is not empty, `kind` is one
    /// of the platform's kinds.
    public init(configuration: AdapterConfiguration) throws(ConfigurationError) {
        name = configuration.name
        let platformName = try configuration.requiredString("platform")
        let platform = Platform(rawValue: platformName)
        self.platform = platform
        guard let importer = ImportAdapter.importers.first(where: { $0.platform == platform }) else {
            throw configuration.error(
                "platform",
                "no importer reads \"\(platformName)\" exports; importers exist for: "
                    + ImportAdapter.importers.map { $0.platform.rawValue }.joined(separator: ", ")
            )
        }
        guard let paths = try configuration.strings("paths") else {
            throw configuration.error(nil, "missing required key \"paths\"")
        }
        guard !paths.isEmpty, paths.allSatisfy({ !$0.isEmpty }) else {
            throw configuration.error("paths", "\"paths\" must list at least one glob, and no empty one")
        }
        patterns = paths.map(configuration.resolve)
        account = try configuration.string("account")
        if let account, account.isEmpty { throw configuration.error("account", "\"account\" must not be empty") }
        kind = try configuration.string("kind")
        if let kind, !importer.kinds.contains(where: { $0.name == kind }) {
            throw configuration.error(
                "kind",
                "\"\(kind)\" is not an export kind of \(platform); use one of: "
                    + importer.kinds.map(\.name).joined(separator: ", ")
            )
        }
        schedule = try AdapterSchedule(configuration: configuration)
    }

    /// Imports every file matching the globs, in name order, recording each file that fails.
    ///
    /// - Throws: ``ImportError`` only when the store fails.
    public func collect(account _: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let files = ImportAdapter.expand(patterns)
        if files.isEmpty {
            context.logger.debug("no export file matches \(patterns.joined(separator: ", "))")
        }
        for file in files {
            do {
                let report = try ImportService.importFile(
                    path: file,
                    platform: platform,
                    kind: kind,
                    account: account,
                    calendar: context.calendar,
                    importers: ImportAdapter.importers,
                    into: batch
                )
                context.logger.debug("\(report)")
            } catch {
                if error.isStorageFailure { throw error }
                batch.recordFailure(
                    CollectionFailure(adapter: name, account: file, label: error.label, message: error.description)
                )
            }
        }
    }

    /// The files matching `patterns` (glob(3)), each once, in name order.
    package static func expand(_ patterns: [String]) -> [String] {
        var files = Set<String>()
        for pattern in patterns {
            var matches = glob_t()
            defer { globfree(&matches) }
            guard glob(pattern, 0, nil, &matches) == 0 else { continue }
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index] { files.insert(String(cString: path)) }
            }
        }
        return files.sorted()
    }
}
