import Adapters
import ArgumentParser
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector import`: imports back-office export files into the data folder.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import back-office export files (CSV, XLSX, JSON) into the data folder."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The platform the files come from: wechat, channels, douyin, …")
    var platform: String

    @Option(name: .long, help: "The export kind; detected from the headers when left out.")
    var kind: String?

    @Option(name: .long, help: "The account the files belong to, when the file does not name it.")
    var account: String?

    @Option(name: .long, help: "A column mapping file (TOML) to read the files through; see samples/mappings.")
    var mapping: String?

    @Option(
        name: .long,
        help:
            "The account registry CSV for self-report sheets, relative to the working directory (default: [collector] registry)."
    )
    var registry: String?

    @Option(name: .long, help: "Self-report sheets: the largest fall of a total against the stored value.")
    var maxDrop: String = "20%"

    @Option(
        name: .long,
        help: "Self-report sheets: the largest rise of a total against the stored value, as a factor (10 = ten times)."
    )
    var maxRise: String = "10"

    @Option(
        name: .long,
        help:
            "Self-report sheets: the unit (as the registry names it) whose sheet the files are; a file with figures for another unit's account is refused whole."
    )
    var unit: String?

    @Flag(
        name: .long,
        help:
            "Import the files even when the import ledger (state_dir/imports.ledger) says their content was imported before, for this account or another."
    )
    var again = false

    @Argument(help: "The export files, imported in the order given.")
    var files: [String]

    @OptionGroup var output: QuietOption

    func run() async throws {
        if let account, let problem = StoredID.accountProblem(account) {
            throw UsageError("--account \"\(account)\" \(problem); write the platform's id as it is")
        }
        let setup = try Setup.load(options)
        let settings = setup.settings
        let platform = Platform(rawValue: platform)
        var importers: [any ExportImporter.Type] = []
        var knownPlatforms = Set<String>()
        for importer in ImportAdapter.importers {
            let importerPlatform: Platform = importer.platform
            knownPlatforms.insert(importerPlatform.rawValue)
            if importerPlatform == platform { importers.append(importer) }
        }
        guard !importers.isEmpty || mapping != nil else {
            let known = knownPlatforms.sorted().joined(separator: ", ")
            throw UsageError(
                "--platform \(platform): no importer for it; platforms with importers: \(known); "
                    + "for other exports pass --mapping FILE (samples/mappings has examples)"
            )
        }
        if let kind, mapping == nil {
            // Checked here, once, rather than reported as a failure of every file.
            let kinds = importers.flatMap { $0.kinds.map(\.name) }
            guard kinds.contains(kind) else {
                throw UsageError(
                    "--kind \(kind): not an export kind of \(platform); use one of: \(kinds.joined(separator: ", "))"
                )
            }
        }
        guard let maxDropShare = ImportOptions.parseMaxDrop(maxDrop) else {
            throw UsageError("--max-drop \(maxDrop): write a share such as 20% or 0.2")
        }
        guard let maxRiseFactor = ImportOptions.parseMaxRise(maxRise) else {
            throw UsageError(
                "--max-rise \(maxRise): write a factor of at least 1, such as 10 (ten times the stored value)"
            )
        }
        if unit != nil, platform != SelfReportImporter.platform {
            throw UsageError(
                "--unit applies to self-report sheets (--platform any): leave it out for \(platform) exports"
            )
        }
        var options = ImportOptions(
            kind: kind,
            account: account,
            mapping: try mapping.map { path throws(ConfigurationErrors) in
                try ColumnMapping.load(path: path, platform: platform)
            },
            registry: try setup.accountRegistry(option: registry),
            maxDrop: maxDropShare,
            maxRise: maxRiseFactor,
            knownObjects: StoredKnownObjects(settings: settings)
        )
        if platform == SelfReportImporter.platform {
            guard options.registry != nil else {
                throw UsageError(
                    "--platform any: self-report sheets are checked against the account registry; "
                        + setup.registryAdvice()
                )
            }
            options.previousValues = StoredPreviousValues(settings: settings)
            if let unit, let registry = options.registry {
                // The registry's spelling, for the messages; a unit it does not know would
                // refuse every row of the sheet, so it is a usage error at once.
                guard let known = SelfReportImporter.registryUnit(named: unit, in: registry) else {
                    throw UsageError(SelfReportImporter.unknownUnitMessage(unit, option: "--unit", registry: registry))
                }
                options.unit = known
            }
        }
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let lock = try RunLock.acquire(
            stateDirectory: settings.stateDirectory,
            instance: settings.instance,
            purpose: .import,
            calendar: settings.calendar
        )
        defer { lock.release() }
        try Setup.finishInterruptedWrites(settings: settings, logger: logger)
        // Rows in two timezones would store one instant in two month folders (DataTimezone).
        try DataTimezone.check(settings: settings)
        let store = try SampleStore(settings: settings, logger: logger)
        let ledger = try ImportLedger(state: try StateStore(directory: settings.stateDirectory))
        var summary = RunSummary()
        // Files refused only because they do not name their account and no --account was given.
        var needingAccount: [String] = []
        for (position, file) in files.enumerated() {
            Terminal.progress("importing \(position + 1)/\(files.count): \(file)")
            // A file that cannot be read is imported all the same: the import says why.
            let digest = try? FileDigest.of(file)
            if !again, let digest, let entry = ledger.entry(sha256: digest.sha256, platform: platform, account: account)
            {
                summary.recordNotice(Self.skipped(file, entry, calendar: settings.calendar))
                continue
            }
            if !again, let digest, let account,
                let other = OtherAccountCopy.entry(
                    for: file,
                    digest: digest,
                    platform: platform,
                    account: account,
                    options: options,
                    calendar: settings.calendar,
                    importers: importers,
                    ledger: ledger
                )
            {
                summary.failedAccounts += 1
                summary.record(
                    OtherAccountCopy.failure(
                        file,
                        entry: other,
                        account: account,
                        adapter: "import",
                        calendar: settings.calendar,
                        override: "add --again to import it all the same"
                    )
                )
                continue
            }
            // A newer download of another account has other bytes, but its content ids are
            // catalogued under that account (docs/imports.md, "An export of another account").
            if !again, let account,
                let elsewhere = OtherAccountCopy.catalogued(
                    for: file,
                    platform: platform,
                    account: account,
                    options: options,
                    calendar: settings.calendar,
                    importers: importers
                )
            {
                if elsewhere.refuses {
                    summary.failedAccounts += 1
                    summary.record(
                        elsewhere.failure(
                            file,
                            platform: platform,
                            account: account,
                            adapter: "import",
                            override: "add --again to import it all the same"
                        )
                    )
                    continue
                }
                summary.recordNotice(elsewhere.notice(file, platform: platform, account: account, adapter: "import"))
            }
            let batch = SampleBatch(sink: store, adapter: "import")
            var report: ImportReport?
            do {
                report = try ImportService.importFile(
                    path: file,
                    platform: platform,
                    options: options,
                    calendar: settings.calendar,
                    // Every platform's: a file that matches none of this platform's kinds is
                    // refused with whose export it looks like (ImportService picks its own).
                    importers: ImportAdapter.importers,
                    into: batch
                )
                summary.succeeded += 1
            } catch {
                if account == nil, error.label == Self.missingAccountLabel { needingAccount.append(file) }
                summary.failedAccounts += 1
                summary.failures.append(
                    CollectionFailure(adapter: "import", account: file, label: error.label, message: error.description)
                )
            }
            do {
                try batch.commit()
            } catch {
                throw stopped(by: error, summary: summary, at: "file \(position + 1) of \(files.count), \(file)")
            }
            summary.counts += batch.counts
            summary.failures += batch.failures
            for notice in batch.notices { summary.recordNotice(notice) }
            // Recorded once its samples are durable (the commit above), refused rows or not: a
            // second import would only repeat the refusals. A file refused whole is not
            // recorded, nor one with rows refused by the clock (ImportLedger.waitsForTheClock).
            if let report, let digest, !ImportLedger.waitsForTheClock(batch.failures) {
                if let failure = record(file, digest: digest, kind: report.kind, platform: platform, in: ledger) {
                    summary.record(failure)
                }
            }
            if let report, let notice = Self.articleTotalsShared(file, kind: report.kind, account: account, setup) {
                summary.recordNotice(notice)
            }
        }
        do {
            try store.close()
        } catch {
            throw stopped(by: error, summary: summary, at: "file \(files.count) of \(files.count), \(files.last ?? "")")
        }
        Terminal.endProgress()
        if !needingAccount.isEmpty, summary.failures.allSatisfy({ $0.label == Self.missingAccountLabel }),
            summary.succeeded == 0, summary.counts.written == 0
        {
            // Nothing was collected, and only for want of an option: a usage error (exit 2), not
            // a partial import (exit 1). With some files imported, the summary lists these.
            throw UsageError(Self.accountNeeded(needingAccount, platform: platform))
        }
        if output.printsSummary(succeeded: summary.exitCode == 0) { Terminal.writeError(summary.text) }
        if summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }

    /// `error`, which stopped the import (a full disk) `at` a file, after a summary line as
    /// `run` prints one: what was written before it, and that a re-run imports the rest (the
    /// file it stopped at is not in the ledger yet).
    private func stopped(by error: any Error, summary: RunSummary, at: String) -> any Error {
        Terminal.endProgress()
        Terminal.writeError(
            "summary: the import stopped on the error below at \(at); the \(summary.counts.written) rows of the"
                + " files before it are intact, and running the same import again imports the rest without duplicates"
        )
        return error
    }

    /// Records `file` in the ledger, unless it changed while it was imported; returns the
    /// failure to report when the ledger cannot be written (the samples are in all the same).
    private func record(
        _ file: String,
        digest: FileDigest,
        kind: String,
        platform: Platform,
        in ledger: ImportLedger
    ) -> CollectionFailure? {
        guard digest.isUnchanged(at: file) else { return nil }
        do throws(StorageError) {
            try ledger.record(
                ImportLedger.Entry(
                    sha256: digest.sha256,
                    size: digest.size,
                    importedAt: Int64(time(nil)),
                    platform: platform,
                    account: account,
                    kind: kind,
                    path: file
                )
            )
            return nil
        } catch {
            return CollectionFailure(
                adapter: "import",
                account: file,
                label: "ledger",
                message: "imported, but not recorded in the import ledger, so importing it again is not refused: "
                    + error.description
            )
        }
    }

    /// ``ImportError``'s label for a file that does not name its account.
    static let missingAccountLabel = "missingAccount"

    /// Why `--account` must be given for `files`, none of which names its account.
    static func accountNeeded(_ files: [String], platform: Platform) -> String {
        let named = files.count == 1 ? files[0] : files.joined(separator: ", ")
        let (verb, their) = files.count == 1 ? ("does", "its") : ("do", "their")
        return "--account is needed: \(named) \(verb) not name \(their) account (the \(platform) export has no "
            + "account column), so \(files.count == 1 ? "its" : "their") rows have no account to be stored under; "
            + "pass --account with the account id as configured (an id in the file name is not read); "
            + "nothing was imported"
    }

    /// The notice of a file skipped because its content was imported before:
    /// `import/g30.csv: alreadyImported: skipped: the same content was imported at … from drop/g30.csv; …`.
    /// A notice when `file`, a 已通知内容 export, went to a WeChat account whose articles a
    /// configured `wechat` section collects: both write an article's totals at its publishing
    /// day (docs/imports.md, "As-of date"), so the section's next run puts its figure of that
    /// day back. `collector check` warns of an `[[adapters.import]]` section doing the same.
    static func articleTotalsShared(
        _ file: String,
        kind: String,
        account: String?,
        _ setup: Setup
    ) -> CollectionFailure? {
        guard kind == WeChatImporter.notifiedArticles.name, let account,
            let section = setup.instances.compactMap({ $0 as? WeChatAdapter }).first(where: {
                $0.collectsArticleTotals && $0.accounts.contains(account)
            })
        else { return nil }
        return CollectionFailure(
            adapter: "import",
            account: file,
            label: "articleTotalsShared",
            message: "已通知内容 totals of wechat account \(account) are stored at each article's publishing day,"
                + " where [[adapters.wechat]] \"\(section.name)\" writes the API's figure of that day: its next run"
                + " sets those keys back, and each import sets them again (reports count 10万+ hits on the largest"
                + " total); to keep one source, set articles = false in that section or import only the other"
                + " kinds for this account, see docs/imports.md, \"As-of date\""
        )
    }

    static func skipped(_ file: String, _ entry: ImportLedger.Entry, calendar: PlatformCalendar) -> CollectionFailure {
        let when = calendar.render(Timestamp(secondsSinceEpoch: entry.importedAt))
        let from = entry.path == file ? "" : " from \(entry.path)"
        return CollectionFailure(
            adapter: "import",
            account: file,
            label: "alreadyImported",
            message:
                "skipped: the same content was imported at \(when)\(from) (\(entry.kind)); --again imports it again"
        )
    }
}
