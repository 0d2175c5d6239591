import Adapters
import ArgumentParser
import Collector

/// `collector check`: validates the configuration and the registry, printing every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and the account registry; print every problem with file and line."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let setup = try Setup.load(options)
        for warning in setup.file.warnings { Terminal.writeError("warning: \(warning)") }
        if let registry = setup.registry, let path = setup.settings.registryPath {
            let collected = Set(setup.instances.map(\.platform))
            for warning in Self.unknownPlatforms(in: registry, path: path, collected: collected) {
                Terminal.writeError("warning: \(warning)")
            }
        }
        for warning in Self.unnamedExecSections(setup.file) { Terminal.writeError("warning: \(warning)") }
        for warning in Self.articleTotalsWrittenTwice(setup.instances, file: setup.file) {
            Terminal.writeError("warning: \(warning)")
        }
        for warning in Self.dailyCapsExceeded(setup.instances, file: setup.file) {
            Terminal.writeError("warning: \(warning)")
        }
        if let warning = Self.slotsOvercommitted(setup.instances, concurrency: setup.settings.concurrency) {
            Terminal.writeError("warning: \(warning)")
        }
        for warning in Self.dataFolderWarnings(setup.settings.dataDirectory) {
            Terminal.writeError("warning: \(warning)")
        }
        for warning in Self.configurationChurn(setup) { Terminal.writeError("warning: \(warning)") }
        let folders =
            Self.folderProblems(setup.file) + Self.stateProblems(setup.file) + Self.timezoneProblems(setup.file)
        guard folders.isEmpty else { throw ConfigurationErrors(folders) }
        let instances = "\(setup.instances.count) adapter instance\(setup.instances.count == 1 ? "" : "s")"
        var line = "\(setup.file.path): OK, \(instances), \(Self.units(of: setup.instances))"
        if let registry = setup.registry { line += ", registry with \(registry.entries.count) rows" }
        Terminal.writeOutput(line)
    }

    /// What the instances collect: `12 accounts, 1 command, 1 import section`. An exec
    /// section's unit of work is its command and an import section's its files, not accounts:
    /// a command printing three accounts was counted as "1 account". An account is counted once
    /// per platform, however many sections list it (``RepeatedAccounts`` warns about those).
    static func units(of instances: [any Adapter]) -> String {
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let commands = instances.filter { type(of: $0).type == ExecAdapter.type }.count
        let imports = instances.filter { type(of: $0).type == ImportAdapter.type }.count
        var distinct: [Platform: Set<String>] = [:]
        for instance in instances where ![ExecAdapter.type, ImportAdapter.type].contains(type(of: instance).type) {
            distinct[instance.platform, default: []].formUnion(instance.accounts)
        }
        let accounts = distinct.values.reduce(0) { $0 + $1.count }
        var parts: [String] = []
        if accounts > 0 || commands + imports == 0 { parts.append(counted(accounts, "account")) }
        if commands > 0 { parts.append(counted(commands, "command")) }
        if imports > 0 { parts.append(counted(imports, "import section")) }
        return parts.joined(separator: ", ")
    }

    /// `data_dir` and `state_dir` each exist and can be written, or can be created: else a
    /// run stops with exit 3 at its first write, so `check` says it first, at the key's line
    /// (the `[collector]` header's for a default). Nothing is created
    /// (``FileSystem/folderWriteProblem(_:)`` asks `access(2)`).
    static func folderProblems(_ file: ConfigurationFile) -> [ConfigurationError] {
        let folders = [("data_dir", file.settings.dataDirectory), ("state_dir", file.settings.stateDirectory)]
        return folders.compactMap { key, folder in
            FileSystem.folderWriteProblem(folder).map { problem in
                let byDefault = file.collectorKeyLines[key] == nil ? " (the default)" : ""
                return file.collectorError(
                    key,
                    "[collector] \(key) \"\(folder)\"\(byDefault) \(problem); a run would stop with exit 3"
                )
            }
        }
    }

    /// An existing `state_dir` must be private (``StateFolder/privacyProblem(_:)``: owned by
    /// this user, writable by no one else), and each file in it one this user can read and write
    /// (``StateFolder/fileProblems(in:)``): a credential `collector auth` wrote as root fails its
    /// accounts, a lock or schedule journal stops the run with exit 3. Reported at the
    /// `state_dir` line, since a run as this user (the service's: run `check` as that user)
    /// would meet them.
    static func stateProblems(_ file: ConfigurationFile) -> [ConfigurationError] {
        let folder = file.settings.stateDirectory
        let byDefault = file.collectorKeyLines["state_dir"] == nil ? " (the default)" : ""
        if let problem = StateFolder.privacyProblem(folder) {
            return [
                file.collectorError(
                    "state_dir",
                    "[collector] state_dir \"\(folder)\"\(byDefault) \(problem); a run would stop with exit 3"
                )
            ]
        }
        return StateFolder.fileProblems(in: folder).map { path, problem in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let consequence =
                name.hasPrefix("credential-")
                ? "a run would fail the accounts that need it" : "a run that needs it would stop with exit 3"
            return file.collectorError(
                "state_dir",
                "[collector] state_dir \"\(folder)\"\(byDefault): \(path) \(problem); \(consequence)"
            )
        }
    }

    /// The timezone the data folder records against `[collector] timezone` (``DataTimezone``):
    /// `run`, `import` and `compact` refuse a mismatch with exit 2, and `export` and `report`
    /// too, so `check` reports it in the same words, at the `timezone` line (the header's for a
    /// default). A record that cannot be read would stop them with exit 3. Reads one small file.
    static func timezoneProblems(_ file: ConfigurationFile) -> [ConfigurationError] {
        // A data_dir that cannot be written or created is ``folderProblems(_:)``'s to report:
        // reading its record would only fail again for the same reason.
        guard FileSystem.folderWriteProblem(file.settings.dataDirectory) == nil else { return [] }
        do {
            try DataTimezone.check(settings: file.settings)
            return []
        } catch let mismatch as DataTimezoneMismatch {
            return [file.collectorError("timezone", mismatch.description)]
        } catch {
            let byDefault = file.collectorKeyLines["data_dir"] == nil ? " (the default)" : ""
            return [
                file.collectorError(
                    "data_dir",
                    "[collector] data_dir \"\(file.settings.dataDirectory)\"\(byDefault): \(error); a run would stop"
                        + " with exit 3"
                )
            ]
        }
    }

    /// What a change of `[collector]` left behind in the folders, which a run warns about too:
    /// another instance name's files in `state_dir` holding series of the configured sections
    /// (``OtherInstanceState``: `instance` renamed), and a `data_dir` that holds nothing while
    /// the schedule records collections (``DataFolderMoved``: `data_dir` pointed at a new
    /// folder), and the state files of shards a lower shard count retired (``RetiredShardFiles``).
    /// The schedules read are the instance's and its shards' found in `state_dir`,
    /// without writing; only when `data_dir` holds nothing.
    static func configurationChurn(_ setup: Setup) -> [String] {
        let settings = setup.settings
        let instance = settings.instance
        var warnings = OtherInstanceState.find(
            stateDirectory: settings.stateDirectory,
            instance: instance,
            configured: setup.configuredSections
        ).map { $0.warning(instance: instance) }
        // The shard count is the one the latest shard run recorded in its lock (check has no
        // --shard): the files of shards past it are a retired layout's.
        if let count = RetiredShardFiles.latestCount(stateDirectory: settings.stateDirectory, instance: instance),
            let retired = RetiredShardFiles.find(
                stateDirectory: settings.stateDirectory,
                instance: instance,
                count: count
            )
        {
            warnings.append(retired.warning(instance: instance))
        }
        guard DataFolderMoved.holdsNothing(settings.dataDirectory),
            let state = try? StateStore(directory: settings.stateDirectory, readOnly: true)
        else { return warnings }
        let shardPrefix = "schedule-\(instance)-shard-"
        let shards = FileSystem.list(settings.stateDirectory)
            .filter { $0.hasPrefix(shardPrefix) && $0.hasSuffix(".tsv") }
            .map { String($0.dropFirst("schedule-".count).dropLast(".tsv".count)) }
        let sections = setup.instances.filter { type(of: $0).type != ImportAdapter.type }.map { ($0.name, $0.accounts) }
        let now = CollectionRunner.systemClock().secondsSinceEpoch
        for name in [instance] + shards {
            guard let schedule = try? ScheduleTable(state: state, instance: name),
                let moved = DataFolderMoved.find(
                    dataDirectory: settings.dataDirectory,
                    schedule: schedule,
                    sections: sections,
                    now: now
                )
            else { continue }
            warnings.append(moved.warning(calendar: settings.calendar))
        }
        return warnings
    }

    /// One warning per `[[adapters.exec]]` section without `name` among several: its name, the
    /// key of its cursor (`exec-exec#2.state`), is its position, so adding, removing or
    /// reordering exec sections leaves the cursor behind or offers it to another section's
    /// command (which refuses it, ``ExecStateFile``).
    static func unnamedExecSections(_ file: ConfigurationFile) -> [ConfigurationError] {
        let exec = file.sections.filter { $0.type == ExecAdapter.type }
        guard exec.count > 1 else { return [] }
        return exec.filter { $0.values["name"] == nil }.map { section in
            ConfigurationError(
                file: file.path,
                line: section.line,
                message: "this [[adapters.exec]] section has no \"name\", so it is instance \"\(section.name)\" by its"
                    + " position among \(exec.count) exec sections, and its state (the command's cursor) is kept under"
                    + " that name, in exec-\(StateStore.flatName(section.name)).state: adding, removing or reordering"
                    + " exec sections would leave the cursor behind; give it a name (and rename the state file to match)"
            )
        }
    }

    /// One warning per WeChat account that a `wechat` section collects with its articles and an
    /// `[[adapters.import]]` section imports 已通知内容 for (`kind = "notified_articles"`, or no
    /// `kind`, which takes whatever the files are). Both write an article's totals at 00:00 of
    /// its publishing day, the API the figure of that day, the export the total at download
    /// (docs/imports.md, "As-of date"), so the key holds whichever ran last and flips with each
    /// run. The stamps are the contract; the reports read hits from the largest total, but
    /// `export` and the index's day-7 reads see the flip. Attached to the import section's line.
    static func articleTotalsWrittenTwice(_ instances: [any Adapter], file: ConfigurationFile) -> [ConfigurationError] {
        let api = instances.compactMap { $0 as? WeChatAdapter }.filter(\.collectsArticleTotals)
        let notified = WeChatImporter.notifiedArticles.name
        return instances.compactMap { $0 as? ImportAdapter }.flatMap { importer -> [ConfigurationError] in
            guard importer.platform == .wechat, importer.mapping == nil, importer.kind.map({ $0 == notified }) ?? true,
                let account = importer.account
            else { return [] }
            let line = file.sections.first { $0.type == ImportAdapter.type && $0.name == importer.name }?.line ?? 0
            return api.filter { $0.accounts.contains(account) }.map { adapter in
                let apiLine =
                    file.sections.first { $0.type == WeChatAdapter.type && $0.name == adapter.name }?.line ?? 0
                let files =
                    importer.kind == nil
                    ? "may import 已通知内容 (notified_articles: no kind is set, so each file's kind is detected)"
                    : "imports 已通知内容 (notified_articles)"
                return ConfigurationError(
                    file: file.path,
                    line: line,
                    message: "[[adapters.import]] \"\(importer.name)\" \(files) for wechat account \(account), whose"
                        + " articles [[adapters.wechat]] \"\(adapter.name)\" (line \(apiLine)) also collects: both write"
                        + " the article totals they share (viewers, wechat_share_users, completion_rate) at 00:00 of"
                        + " its publishing day, the API the figure of"
                        + " that day, the export the total at download, so the key holds whichever ran last and flips"
                        + " with every run (reports count 10万+ hits on the largest total; export and the index's day-7"
                        + " reads see the flip); to keep one source, set articles = false in the wechat section or import"
                        + " only the other kinds (kind = \"user_growth\"), see docs/imports.md, \"As-of date\""
                )
            }
        }
    }

    /// The most data folders ``dataFolderWarnings(_:)`` names one by one.
    static let namedDataFolders = 5

    /// A warning per folder of `data_dir` that other users could change
    /// (``DataFolder/sharingProblem(_:)``: `data_dir`, its platform and month folders), the first
    /// ``namedDataFolders`` of them, then how many more. Not an error: a shared data folder can be
    /// meant, and no link in it is followed (docs/operations.md, "The data folder").
    static func dataFolderWarnings(_ dataDirectory: String) -> [String] {
        let problems = DataFolder.sharingProblems(dataDirectory: dataDirectory)
        var warnings = problems.prefix(namedDataFolders).map { DataFolder.sharingWarning($0.path, problem: $0.problem) }
        if problems.count > namedDataFolders {
            let more = problems.count - namedDataFolders
            warnings.append(
                "\(more) more folder\(more == 1 ? "" : "s") below \(dataDirectory) can be written by other users too"
            )
        }
        return warnings
    }

    /// One warning per instance with a daily request cap (``DailyCappedSection``) whose
    /// accounts and pages, collected as often as its `interval` says, may need more requests a
    /// day than the cap: from the cap on, the instance sends nothing until 00:00 Beijing time,
    /// and the accounts it did not reach are reported as not collected. Not an error: the cap
    /// holds whatever the configuration asks, and a first page that is the last sends fewer.
    static func dailyCapsExceeded(_ instances: [any Adapter], file: ConfigurationFile) -> [ConfigurationError] {
        instances.compactMap { adapter -> ConfigurationError? in
            guard let capped = adapter as? any DailyCappedSection, let cap = capped.dailyRequestCap else { return nil }
            let interval = max(adapter.schedule.interval.wholeSeconds, 1)
            let runs = Int((86_400 + interval - 1) / interval)
            let perRun = capped.requestsPerRun
            // Saturating: a count beyond Int is beyond any cap all the same.
            let (product, overflow) = perRun.multipliedReportingOverflow(by: runs)
            let perDay = overflow ? Int.max : product
            guard perDay > cap else { return nil }
            let type = type(of: adapter).type
            let accounts = "\(adapter.accounts.count) account\(adapter.accounts.count == 1 ? "" : "s")"
            let setting = "interval = \"\(Self.durationText(interval))\""
            let often = runs == 1 ? "once a day (\(setting))" : "up to \(runs) times a day (\(setting))"
            return ConfigurationError(
                file: file.path,
                line: file.sections.first { $0.type == type && $0.name == adapter.name }?.line ?? 0,
                message:
                    "[[adapters.\(type)]] \"\(adapter.name)\" may send up to \(perRun) requests per collection of its"
                    + " \(accounts) (every page read), \(often): up to \(perDay) requests a day, more than its"
                    + " daily cap of \(cap) (daily_requests); after \(cap) requests in a day (Beijing time) it sends"
                    + " nothing more until 00:00 and reports the accounts it did not reach as not collected: collect"
                    + " fewer accounts or pages, or less often"
            )
        }
    }

    /// `90s`, `5m`, `6h`, `2d`: a number of seconds as the configuration writes a duration.
    static func durationText(_ seconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// A warning when the polling instances may have more requests in flight together than
    /// `concurrency` allows: a stalled platform could then hold every slot and hold the others
    /// up (docs/operations.md, "Request budgets and refusals"). `exec` and `import` send none.
    static func slotsOvercommitted(_ instances: [any Adapter], concurrency: Int) -> String? {
        let polling = instances.filter { ![ExecAdapter.type, ImportAdapter.type].contains(type(of: $0).type) }
        let inFlight = polling.reduce(0) { $0 + min($1.schedule.parallelAccounts, max($1.accounts.count, 1)) }
        guard inFlight > concurrency else { return nil }
        return "the polling instances' parallel_accounts add up to \(inFlight), more than [collector] concurrency = "
            + "\(concurrency), so they can take request slots from each other (a platform that stalls keeps its "
            + "slots): raise concurrency or lower parallel_accounts"
    }

    /// One warning per registry platform that is neither built in nor collected by a configured
    /// adapter (an exec adapter's): most likely a typo, which would keep the account out of
    /// every report. Not an error: a registry may list platforms that only self-reports cover.
    static func unknownPlatforms(in registry: AccountRegistry, path: String, collected: Set<Platform>) -> [String] {
        let known = Set(Platform.builtIn).union(collected)
        var rows: [Platform: (first: Int, count: Int)] = [:]
        var order: [Platform] = []
        for entry in registry.entries where !known.contains(entry.platform) {
            if let seen = rows[entry.platform] {
                rows[entry.platform] = (seen.first, seen.count + 1)
            } else {
                rows[entry.platform] = (entry.line, 1)
                order.append(entry.platform)
            }
        }
        return order.map { platform in
            let (first, count) = rows[platform] ?? (0, 0)
            let suggestion = KeySuggestion.suggestion(for: platform.rawValue, among: known.map(\.rawValue).sorted())
            return "\(path):\(first): platform \"\(platform)\" is neither built in nor collected by a configured "
                + "adapter (\(count) row\(count == 1 ? "" : "s"))\(suggestion)"
        }
    }
}
