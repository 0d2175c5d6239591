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
/// - `platform` (required): whose exports the files are (`wechat`, `channels`, `douyin`, …;
///   `any` for the units' self-report sheets).
/// - `paths` (required): globs, relative to the configuration file's folder.
/// - `account`: the account the files belong to; needed while the files do not name it.
/// - `kind`: the export kind; detected from each file's headers when left out (with a mapping:
///   its name in reports).
/// - `columns` (a table, header → `metric:<name>`, `time`, `object`, `account`, `title`, `url`,
///   `published_at`) or `mapping` (a mapping file): read the files through a ``ColumnMapping``,
///   for any platform; with `count_profile` and `time_stamp`.
/// - `max_drop`: for `any`, the largest fall of a self-reported total against the stored value
///   (default `20%`).
///
/// ## Metrics
/// Those of the platform's importer, per kind (see ``ImportAdapter/metrics``), or the mapping's.
///
/// A file that cannot be imported is recorded as a failure (adapter, file, label, message) and
/// the other files go on; only a failing store stops the run.
public struct ImportAdapter: Adapter {
    /// The importers `collector import` and `[[adapters.import]]` choose from, one per platform.
    public static let importers: [any ExportImporter.Type] = [
        WeChatImporter.self, ChannelsImporter.self, DouyinImporter.self, SelfReportImporter.self,
    ]

    /// `import`.
    public static let type = "import"
    /// One line for `collector adapters`.
    public static let summary =
        "Imports back-office export files (CSV, TSV, XLSX, JSON records) that match a list of paths."
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
                    .joined(separator: ", ") + "; with columns or mapping, the name of the mapped kind."
            ),
            ConfigurationKey(
                "columns",
                type: "table",
                help: "A column mapping: header = \"metric:<name>\", \"time\", \"object\", \"account\", \"title\", "
                    + "\"url\" or \"published_at\"; for any platform."
            ),
            ConfigurationKey(
                "mapping",
                type: "path",
                help: "A mapping file with the same columns table (samples/mappings has examples)."
            ),
            ConfigurationKey(
                "count_profile",
                type: "string",
                default: "default",
                help: "With a mapping: how counts are read: default, wechat_reads or weibo_display."
            ),
            ConfigurationKey(
                "time_stamp",
                type: "string",
                default: "time, else published_day, else import_day",
                help: "With a mapping: when rows are stamped: time, published_day or import_day."
            ),
            ConfigurationKey(
                "max_drop",
                type: "string",
                default: "20%",
                help: "For platform any (self-report sheets): the largest fall of a total against the stored value."
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
        ## The export kind (user_growth, notified_articles, content_trend, article_detail);
        ## detected from the headers when left out.
        # kind = "user_growth"
        ## How often the folder is imported.
        # interval = "24h"
        ##
        ## Any other layout, of any platform, through a column mapping (docs/imports.md):
        # [[adapters.import]]
        # platform      = "toutiao"
        # paths         = ["exports/toutiao/*.xlsx"]
        # account       = "1234567890"
        # mapping       = "mappings/toutiao_works_UNVERIFIED.toml"   # or an inline columns table:
        # columns       = { "标题" = "title", "发布时间" = "published_at", "阅读量" = "metric:views" }
        # time_stamp    = "published_day"    # time | published_day | import_day
        # count_profile = "default"          # default | wechat_reads | weibo_display
        ##
        ## The units' self-report sheets (collector template), checked against the registry:
        # [[adapters.import]]
        # platform = "any"
        # paths    = ["reports/*.xlsx"]
        # max_drop = "20%"
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
    /// The column mapping, when configured.
    public let mapping: ColumnMapping?
    /// The registry, for self-report sheets.
    public let registry: AccountRegistry?
    /// The self-report drop limit.
    public let maxDrop: DecimalValue
    private let settings: CollectorSettings

    /// Validates the section: the platform has an importer (or a mapping is given), `paths` is
    /// not empty, `kind` is one of the platform's kinds, the mapping is valid, self-report
    /// sheets have a registry.
    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        settings = configuration.settings
        registry = configuration.registry
        let platformName = check { () throws(ConfigurationError) in try configuration.requiredString("platform") }
        let platform = Platform(rawValue: platformName ?? "")
        self.platform = platform
        // The checks below that depend on the platform are meaningless without a valid one.
        var platformIsValid = platformName != nil
        if let platformName, !Platform.isValidName(platformName) {
            check.report(
                configuration.error(
                    "platform",
                    "\(configuration.quoted(platformName, from: "platform")) cannot name a platform; use lower-case letters"
                )
            )
            platformIsValid = false
        }
        let mappingFile = check { () throws(ConfigurationError) in try configuration.path("mapping") }.flatMap { $0 }
        let columns = check { () throws(ConfigurationError) in try configuration.table("columns") }.flatMap { $0 }
        var mapping: ColumnMapping?
        if mappingFile != nil && columns != nil {
            check.report(configuration.error("mapping", "give either columns or mapping, not both"))
        } else if let mappingFile, platformIsValid {
            do throws(ConfigurationErrors) {
                mapping = try ColumnMapping.load(path: mappingFile, platform: platform)
            } catch {
                let first = error.errors.first
                check.report(
                    configuration.error(
                        "mapping",
                        "the mapping file is not valid: " + (first?.description ?? "unknown problem")
                            + (error.errors.count > 1 ? " (and \(error.errors.count - 1) more problems)" : "")
                    )
                )
            }
        } else if columns != nil, platformIsValid {
            do throws(MappingProblems) {
                mapping = try ColumnMapping(
                    platform: platform,
                    values: configuration.values.filter { ColumnMapping.keys.contains($0.key) && $0.key != "platform" },
                    origin: "[[adapters.import]] \(configuration.name)"
                )
            } catch {
                let first = error.problems[0]
                check.report(
                    configuration.error(first.key.map { $0.hasPrefix("columns") ? "columns" : $0 }, first.message)
                )
            }
        } else if mappingFile == nil && columns == nil {
            for key in ["count_profile", "time_stamp"] where configuration.values[key] != nil {
                check.report(configuration.error(key, "\"\(key)\" applies to a column mapping; add columns or mapping"))
            }
        }
        self.mapping = mapping
        let mapped = mappingFile != nil || columns != nil
        let importer = ImportAdapter.importers.first(where: { $0.platform == platform })
        if let platformName, platformIsValid, !mapped, importer == nil {
            check.report(
                configuration.error(
                    "platform",
                    "no importer reads \(configuration.quoted(platformName, from: "platform")) exports; importers exist for: "
                        + ImportAdapter.importers.map { $0.platform.rawValue }.joined(separator: ", ")
                        + "; for other layouts add a columns table or a mapping file"
                )
            )
        }
        if platform == SelfReportImporter.platform && registry == nil {
            check.report(
                configuration.error(
                    "platform",
                    "self-report sheets (platform any) are checked against the account registry; set registry in [collector]"
                )
            )
        }
        var maxDrop = ImportOptions.defaultMaxDrop
        if let text = check({ () throws(ConfigurationError) in try configuration.string("max_drop") }).flatMap({ $0 }) {
            if let share = ImportOptions.parseMaxDrop(text) {
                maxDrop = share
            } else {
                check.report(configuration.error("max_drop", "\"max_drop\" must be a share such as \"20%\" or \"0.2\""))
            }
        }
        self.maxDrop = maxDrop
        let paths = check { () throws(ConfigurationError) in try configuration.strings("paths") }
        switch paths {
        case .some(nil):
            check.report(configuration.error(nil, "missing required key \"paths\""))
        case .some(let paths?) where paths.isEmpty || paths.contains(where: \.isEmpty):
            check.report(configuration.error("paths", "\"paths\" must list at least one glob, and no empty one"))
        default:
            break
        }
        patterns = (paths.flatMap { $0 } ?? []).map(configuration.resolve)
        let account = check { () throws(ConfigurationError) in try configuration.string("account") }.flatMap { $0 }
        if let account, account.isEmpty {
            check.report(configuration.error("account", "\"account\" must not be empty"))
        }
        self.account = account
        let kind =
            mapped ? nil : check { () throws(ConfigurationError) in try configuration.string("kind") }.flatMap { $0 }
        if let kind, let importer, !importer.kinds.contains(where: { $0.name == kind }) {
            check.report(
                configuration.error(
                    "kind",
                    "\(configuration.quoted(kind, from: "kind")) is not an export kind of \(platform); use one of: "
                        + importer.kinds.map(\.name).joined(separator: ", ")
                )
            )
        }
        self.kind = kind
        schedule = AdapterSchedule(configuration: configuration, check: &check)
        try check.finish()
    }

    /// Imports every file matching the globs, in name order, recording each file that fails.
    ///
    /// - Throws: ``ImportError`` only when the store fails.
    public func collect(account _: String, into batch: SampleBatch, context: AdapterContext) async throws {
        // An empty drop folder is normal (no new download); a folder that does not exist is a
        // misspelt path, which would otherwise import nothing, for ever, without a word.
        for (pattern, folder) in ImportAdapter.missingFolders(patterns) {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: pattern,
                    label: "missingFolder",
                    message: "no folder \(folder): check \"paths\" in the configuration (relative paths start"
                        + " at the configuration file's folder)"
                )
            )
        }
        let files = ImportAdapter.expand(patterns)
        if files.isEmpty {
            context.logger.debug("no export file matches \(patterns.joined(separator: ", "))")
        }
        let options = ImportOptions(
            kind: kind,
            account: account,
            mapping: mapping,
            registry: registry,
            maxDrop: maxDrop,
            previousValues: platform == SelfReportImporter.platform ? StoredPreviousValues(settings: settings) : nil,
            today: context.calendar.civilDate(of: context.now())
        )
        for file in files {
            do {
                let report = try ImportService.importFile(
                    path: file,
                    platform: platform,
                    options: options,
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

    /// The patterns whose folder (the part before the first wildcard's path component) does
    /// not exist, with that folder.
    package static func missingFolders(_ patterns: [String]) -> [(pattern: String, folder: String)] {
        patterns.compactMap { pattern in
            let literal = pattern.prefix { !"*?[".contains($0) }
            guard let slash = literal.lastIndex(of: "/") else { return nil }
            let folder = slash == literal.startIndex ? "/" : String(literal[..<slash])
            return DirectoryListing.isDirectory(folder) ? nil : (pattern, folder)
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
