public import Collector
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Imports back-office export files on a schedule (`[[adapters.import]]`, SPEC §2): every file
/// matching `paths` that the import ledger does not know yet is imported on each run, oldest
/// first; a file imported before is skipped (docs/imports.md, "Importing again").
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
///   for any platform; with `count_profile`, `time_stamp` and `absent_columns`.
/// - `max_drop`: for `any`, the largest fall of a self-reported total against the stored value
///   (default `20%`).
/// - `max_rise`: for `any`, the largest rise of a self-reported total against the stored value,
///   as a factor (default `10`).
/// - `unit`: for `any`, the unit whose sheets the folder receives: a sheet with figures for
///   another unit's account is refused whole.
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
                "absent_columns",
                type: "array of strings",
                help:
                    "With a mapping: headers the mapped export never has; a file with one (another platform's export) is refused."
            ),
            ConfigurationKey(
                "max_drop",
                type: "string",
                default: "20%",
                help: "For platform any (self-report sheets): the largest fall of a total against the stored value."
            ),
            ConfigurationKey(
                "max_rise",
                type: "string",
                default: "10",
                help:
                    "For platform any (self-report sheets): the largest rise of a total against the stored value, as a factor."
            ),
            ConfigurationKey(
                "unit",
                type: "string",
                help:
                    "For platform any (self-report sheets): the unit whose sheets the folder receives; a sheet with another unit's figures is refused."
            ),
        ]
    /// `rate`, `parallel_accounts` and `cooldown`: an import section reads files and sends no
    /// request, and its one unit of work (`files`) never runs twice at a time, so none of them
    /// can act on it (as for `exec`, ``ExecAdapter/inertCommonKeys``).
    public static let inertCommonKeys = [
        "rate": "an import section reads files and sends no requests, so there is nothing to throttle",
        "parallel_accounts": "an import section has one unit of work, its files, which never runs twice at a time",
        "cooldown": "the circuit breaker acts on the answers to the collector's requests, and an import sends none",
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
        ## Imports back-office export files (CSV, TSV or .xlsx) on every run: the new ones, oldest
        ## first. A file imported once is skipped after (state_dir/imports.ledger), so files may
        ## stay in the folder.
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
        # max_rise = "10"
        ## One folder per unit: its sheets may hold that unit's figures only.
        # unit     = "济南市教育局"
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
    /// The self-report rise limit, a factor.
    public let maxRise: Double
    /// The unit whose self-report sheets the folder receives, as the registry names it.
    public let unit: String?
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
            for key in ["count_profile", "time_stamp", "absent_columns"] where configuration.values[key] != nil {
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
        var maxRise = ImportOptions.defaultMaxRise
        if let text = check({ () throws(ConfigurationError) in try configuration.string("max_rise") }).flatMap({ $0 }) {
            if let factor = ImportOptions.parseMaxRise(text) {
                maxRise = factor
            } else {
                check.report(
                    configuration.error("max_rise", "\"max_rise\" must be a factor of at least 1, such as \"10\"")
                )
            }
        }
        self.maxRise = maxRise
        var unit = check { () throws(ConfigurationError) in try configuration.string("unit") }.flatMap { $0 }
        if let name = unit {
            if platform != SelfReportImporter.platform {
                check.report(configuration.error("unit", "\"unit\" applies to self-report sheets (platform \"any\")"))
            } else if let registry {
                unit = SelfReportImporter.registryUnit(named: name, in: registry)
                if unit == nil {
                    check.report(
                        configuration.error(
                            "unit",
                            SelfReportImporter.unknownUnitMessage(name, option: "unit", registry: registry)
                        )
                    )
                }
            }
        }
        self.unit = unit
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
        } else if let account, let problem = StoredID.accountProblem(account) {
            check.report(
                configuration.error("account", "\(configuration.quoted(account, from: "account")) \(problem)")
            )
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

    /// Imports the files matching the globs that the import ledger does not know yet, oldest
    /// first by modification time (then by name), recording each file that fails.
    ///
    /// A file whose content was imported before for the same platform and account (in
    /// `state_dir/imports.ledger`, ``ImportLedger``) is skipped; one notice per pass names the
    /// files skipped. A file is recorded in the ledger once its samples are durable, whether or
    /// not some of its rows were refused; a file refused as a whole is not, and is tried again
    /// on the next pass. Oldest first, so that when several new downloads overlap, the newest
    /// one's values are the last stored, which the store keeps (SPEC §3). Under `collector test`
    /// the ledger is read but not written.
    ///
    /// Not imported either: a file whose content was imported for another account of the
    /// platform, or whose content ids the catalogue lists under another account
    /// (``OtherAccountCopy``, a failure at every pass until it is moved), and an empty
    /// file modified less than ``downloadGrace`` ago (a download in progress, a notice). Old
    /// `.xls` and `.et` files beside the globs' matches are reported once, then named in a
    /// notice (``ImportLedger/reportedKindPrefix``).
    ///
    /// - Throws: ``ImportError`` only when the store fails; ``StorageError`` when the ledger
    ///   cannot be read.
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
        let ledger = try ImportLedger(state: context.state, readOnly: context.isDryRun)
        var skipped: [String] = []
        var pending: [(file: String, digest: FileDigest?)] = []
        for file in files {
            // A file that cannot be read is imported all the same: the import says why.
            let digest = try? FileDigest.of(file)
            if let digest, ledger.entry(sha256: digest.sha256, platform: platform, account: account) != nil {
                skipped.append(file)
            } else {
                pending.append((file, digest))
            }
        }
        pending.sort { ImportAdapter.importsBefore($0.file, $0.digest, $1.file, $1.digest) }
        let options = ImportOptions(
            kind: kind,
            account: account,
            mapping: mapping,
            registry: registry,
            maxDrop: maxDrop,
            maxRise: maxRise,
            unit: unit,
            previousValues: platform == SelfReportImporter.platform ? StoredPreviousValues(settings: settings) : nil,
            today: context.calendar.civilDate(of: context.now()),
            knownObjects: StoredKnownObjects(settings: settings)
        )
        var notReady: [String] = []
        let now = context.now()
        for (file, digest) in pending {
            // The same content under a second name, met earlier in this pass.
            if let digest, ledger.entry(sha256: digest.sha256, platform: platform, account: account) != nil {
                skipped.append(file)
                continue
            }
            if let digest, ImportAdapter.isDownloadInProgress(digest, now: now) {
                notReady.append(file)
                continue
            }
            if let digest, let account,
                let other = OtherAccountCopy.entry(
                    for: file,
                    digest: digest,
                    platform: platform,
                    account: account,
                    options: options,
                    calendar: context.calendar,
                    importers: ImportAdapter.importers,
                    ledger: ledger
                )
            {
                batch.recordFailure(
                    OtherAccountCopy.failure(
                        file,
                        entry: other,
                        account: account,
                        adapter: name,
                        calendar: context.calendar,
                        override: "import it with collector import --again --platform \(platform) --account \(account) "
                            + "FILE (the folder then skips it as imported)"
                    )
                )
                continue
            }
            // A newer download of another account has other bytes, but its content ids are
            // catalogued under that account (docs/imports.md, "An export of another account").
            if let account,
                let elsewhere = OtherAccountCopy.catalogued(
                    for: file,
                    platform: platform,
                    account: account,
                    options: options,
                    calendar: context.calendar,
                    importers: ImportAdapter.importers
                )
            {
                if elsewhere.refuses {
                    batch.recordFailure(
                        elsewhere.failure(
                            file,
                            platform: platform,
                            account: account,
                            adapter: name,
                            override: "import it with collector import --again --platform \(platform) --account "
                                + "\(account) FILE (the folder then skips it as imported)"
                        )
                    )
                    continue
                }
                batch.recordNotice(elsewhere.notice(file, platform: platform, account: account, adapter: name))
            }
            let report: ImportReport
            let failuresBefore = batch.failures.count
            // Row failures say `import`; in a run they belong to this section.
            defer { batch.assignFailures(after: failuresBefore, to: name) }
            do {
                report = try ImportService.importFile(
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
                continue
            }
            guard let digest else { continue }
            // The ledger may only name the file once its samples survive a crash.
            try batch.commit()
            if ImportLedger.waitsForTheClock(batch.failures.dropFirst(failuresBefore)) { continue }
            recordImported(file, digest: digest, kind: report.kind, in: ledger, batch: batch, context: context)
        }
        if !skipped.isEmpty {
            batch.recordNotice(ImportAdapter.skippedNotice(skipped, adapter: name, patterns: patterns))
        }
        if !notReady.isEmpty {
            batch.recordNotice(ImportAdapter.notReadyNotice(notReady, adapter: name, patterns: patterns))
        }
        reportUnmatched(besides: files, in: ledger, batch: batch, context: context)
    }

    /// How long an empty file stays a download in progress: a browser writes the file under
    /// its final name, empty, when the download starts (Firefox), and fills it when it ends.
    package static let downloadGrace: Int64 = 10 * 60

    /// Whether `digest` is of an empty file modified less than ``downloadGrace`` ago: a
    /// download still in progress, imported on a later pass, not an empty export.
    package static func isDownloadInProgress(_ digest: FileDigest, now: Timestamp) -> Bool {
        digest.size == 0 && now.secondsSinceEpoch - digest.modified / 1_000_000_000 < downloadGrace
    }

    /// The notice of the empty files a pass left for later.
    package static func notReadyNotice(_ files: [String], adapter: String, patterns: [String]) -> CollectionFailure {
        CollectionFailure(
            adapter: adapter,
            account: patterns.joined(separator: ", "),
            label: "notReady",
            message: "left \(files.count == 1 ? "1 empty file" : "\(files.count) empty files") for a later pass, as a "
                + "download may still be filling it: \(listed(files)); an empty file older than "
                + "\(downloadGrace / 60) minutes is reported as empty"
        )
    }

    /// The file names, the first three and how many more.
    private static func listed(_ files: [String]) -> String {
        let names = files.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        var list = names.prefix(3).joined(separator: ", ")
        if names.count > 3 { list += " and \(names.count - 3) more" }
        return list
    }

    /// Reports the old-format workbooks (`.xls`, WPS `.et`) in the folders of the globs that no
    /// glob matches (the globs usually name `*.xlsx` and `*.csv`), which would else sit in the
    /// folder unseen: each with its failure (``ImportError/oldExcel(_:)``) on the first pass
    /// that meets it, recorded in the ledger as reported, then only in a notice. A file that
    /// would open (a CSV named `.xls`) is left alone: another section may import it.
    private func reportUnmatched(
        besides files: [String],
        in ledger: ImportLedger,
        batch: SampleBatch,
        context: AdapterContext
    ) {
        let matched = Set(files)
        var known: [String] = []
        for file in ImportAdapter.oldFormatFiles(near: patterns) where !matched.contains(file) {
            guard let digest = try? FileDigest.of(file) else { continue }
            if ledger.reportedEntry(sha256: digest.sha256, platform: platform, account: account) != nil {
                known.append(file)
                continue
            }
            let refusal: ImportError
            do {
                _ = try TableOpener.open(path: file)
                continue
            } catch {
                refusal = error
            }
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: file,
                    label: refusal.label,
                    message: refusal.description + "; no glob of \"paths\" matches it, so this is said once, then "
                        + "only in a notice"
                )
            )
            do throws(StorageError) {
                try ledger.record(
                    ledgerEntry(
                        file,
                        digest: digest,
                        kind: ImportLedger.reportedKindPrefix + refusal.label,
                        context: context
                    )
                )
            } catch {
                // Only means the file is reported again on the next pass.
                context.logger.warning("\(ledger.path): \(error)")
            }
        }
        if !known.isEmpty {
            batch.recordNotice(
                CollectionFailure(
                    adapter: name,
                    account: patterns.joined(separator: ", "),
                    label: "notImported",
                    message: "left \(known.count == 1 ? "1 file" : "\(known.count) files") that cannot be imported, "
                        + "reported before: \(ImportAdapter.listed(known)); re-save each as .xlsx (Excel: File > Save "
                        + "As > Excel Workbook) and remove it"
                )
            )
        }
    }

    /// The `.xls` and `.et` files (any case) in the folders of `patterns`.
    package static func oldFormatFiles(near patterns: [String]) -> [String] {
        var folders: [String] = []
        for pattern in patterns {
            let folder = pattern.lastIndex(of: "/").map { String(pattern[..<$0]) } ?? "."
            if !folders.contains(folder) { folders.append(folder) }
        }
        return expand(folders.flatMap { [$0 + "/*.[xX][lL][sS]", $0 + "/*.[eE][tT]"] })
    }

    /// The ledger's record of `file` with `digest`, imported (or reported) now as `kind`.
    private func ledgerEntry(
        _ file: String,
        digest: FileDigest,
        kind: String,
        context: AdapterContext
    ) -> ImportLedger.Entry {
        ImportLedger.Entry(
            sha256: digest.sha256,
            size: digest.size,
            importedAt: context.now().secondsSinceEpoch,
            platform: platform,
            account: account,
            kind: kind,
            path: file
        )
    }

    /// Records `file` in the ledger, unless it changed while it was imported (it is then
    /// imported again on the next pass). A ledger that cannot be written is a failure of the
    /// pass, not of the run: the samples are in, and the file is only imported again.
    private func recordImported(
        _ file: String,
        digest: FileDigest,
        kind: String,
        in ledger: ImportLedger,
        batch: SampleBatch,
        context: AdapterContext
    ) {
        guard digest.isUnchanged(at: file) else {
            context.logger.info("\(file) changed while it was imported; it will be imported again")
            return
        }
        do throws(StorageError) {
            try ledger.record(ledgerEntry(file, digest: digest, kind: kind, context: context))
        } catch {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: file,
                    label: "ledger",
                    message: "imported, but not recorded in the import ledger, so the next pass imports it again: "
                        + error.description
                )
            )
        }
    }

    /// Whether a file modified at `digest` is imported before another: oldest modification
    /// first, then name order; a file that could not be read (no digest) last.
    package static func importsBefore(
        _ file: String,
        _ digest: FileDigest?,
        _ other: String,
        _ otherDigest: FileDigest?
    ) -> Bool {
        let time = digest?.modified ?? .max
        let otherTime = otherDigest?.modified ?? .max
        return time != otherTime ? time < otherTime : file < other
    }

    /// The notice of the files a pass skipped: `skipped 4 files already imported (same content
    /// for this platform and account): a.csv, b.csv, c.csv and 1 more; …`.
    package static func skippedNotice(_ files: [String], adapter: String, patterns: [String]) -> CollectionFailure {
        let list = listed(files)
        let counted = files.count == 1 ? "1 file" : "\(files.count) files"
        return CollectionFailure(
            adapter: adapter,
            account: patterns.joined(separator: ", "),
            label: "alreadyImported",
            message: "skipped \(counted) already imported (same content for this platform and account): \(list);"
                + " collector import --again FILE imports one again"
        )
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
