/// What a run did, for the closing summary (SPEC §1) and the exit code.
public struct RunSummary: Sendable {
    /// Rows written, duplicates and outranked rows skipped.
    public var counts = WriteCounts()
    /// Accounts (or files) collected without a failure.
    public var succeeded: Int = 0
    /// Accounts (or files) that failed as a whole.
    public var failedAccounts: Int = 0
    /// The failures, whole-account or partial, in the order they happened: the first
    /// ``failureLimit``; the rest are only counted in ``unlistedFailures``, so a service that
    /// runs for years keeps a bounded summary.
    public var failures: [CollectionFailure] = []
    /// Failures past ``failureLimit``, counted but not kept (with their ``CollectionFailure/occurrences``).
    public var unlistedFailures: Int = 0
    /// Things done that are no failure but worth a line (a stored value replaced by an import),
    /// the first ``failureLimit`` of them; they leave the exit code alone.
    public var notices: [CollectionFailure] = []
    /// Accounts left alone because they were not due yet (`run --once --due`).
    public var notDue: Int = 0
    /// Accounts whose requests could not reach the platform, and those skipped after an
    /// instance stopped for it: the service tries them again soon rather than an interval later.
    public var unreachable: Int = 0
    /// Accounts not collected because the run was stopped (SIGINT/SIGTERM, a reload): never
    /// started, or cut off in flight or in a retry wait. They are no failure of theirs and stay
    /// due, but a run that left accounts behind did not do all its work (exit 1 for `--once`).
    public var interrupted: Int = 0
    /// Accounts not collected because their instance had stopped for the pass (each listed as
    /// a `skipped` failure).
    public var skipped: Int = 0
    /// Why an instance stopped for the pass, when no failure's warning said so: `the instance
    /// stopped for this run after 3 accounts in a row could not reach …`. (An anti-bot answer
    /// or a used-up daily cap says it in its own warning.) The service logs it with the
    /// ``skipped`` count, as it has no closing summary per pass.
    public var stopReason: String?
    /// Until when every request of an instance is refused (a used-up daily cap, until it
    /// resets), the latest such time: the service waits for it, and its accounts stay due.
    public var refusedUntil: Timestamp?

    /// How many failures a summary keeps.
    public static let failureLimit = 1000

    /// Every failure, listed or not, a record that sums up several counted as that many
    /// (``CollectionFailure/occurrences``): 500 rejected lines are 500, though 101 records.
    public var failureCount: Int { failures.reduce(0) { $0 + $1.occurrences } + unlistedFailures }

    /// Creates an empty summary.
    public init() {}

    /// 0 when everything was collected, 1 when something failed or was left for a later run
    /// by a stop, and the rest was written (SPEC §1).
    public var exitCode: Int32 { failureCount == 0 && interrupted == 0 ? 0 : 1 }

    /// Adds a failure: listed while fewer than ``failureLimit`` are, else counted.
    public mutating func record(_ failure: CollectionFailure) {
        if failures.count < Self.failureLimit {
            failures.append(failure)
        } else {
            unlistedFailures += failure.occurrences
        }
    }

    /// Adds a notice, while fewer than ``failureLimit`` are listed.
    public mutating func recordNotice(_ notice: CollectionFailure) {
        if notices.count < Self.failureLimit { notices.append(notice) }
    }

    /// Adds another summary's figures.
    public mutating func merge(_ other: RunSummary) {
        counts += other.counts
        succeeded += other.succeeded
        failedAccounts += other.failedAccounts
        for failure in other.failures { record(failure) }
        for notice in other.notices { recordNotice(notice) }
        unlistedFailures += other.unlistedFailures
        notDue += other.notDue
        unreachable += other.unreachable
        interrupted += other.interrupted
        skipped += other.skipped
        stopReason = stopReason ?? other.stopReason
        if let until = other.refusedUntil { refusedUntil = max(refusedUntil ?? until, until) }
    }

    /// The closing lines: `summary: 1234 rows written, 12 duplicates skipped; 3 ok, 2 failed`
    /// and one line per failure.
    public var text: String { text(heading: "summary") }

    /// The closing lines under another heading, such as a service's `summary since the
    /// service started at …`.
    /// - Parameter heading: What the first line says before its colon.
    /// - Returns: `<heading>: 1234 rows written, …` and one line per failure.
    public func text(heading: String) -> String {
        lines(heading: heading, counted: "\(counts.written) rows written, \(counts.duplicates) duplicates skipped")
    }

    /// The closing lines of `collector test`, which prints the samples and writes nothing:
    /// `summary: 12 samples printed, nothing written; 3 ok, 0 failed`.
    public var dryRunText: String {
        lines(heading: "summary", counted: "\(counts.written) samples printed, nothing written")
    }

    private func lines(heading: String, counted: String) -> String {
        var lines: [String] = []
        var head = heading + ": " + counted
        if counts.outranked > 0 {
            head += ", \(counts.outranked) approximate values not stored over exact ones"
        }
        // The failures of the collections that went through (a file refused in a drop folder,
        // a row, an object) belong with "ok": after "0 failed" they read as nothing failed.
        // With nothing ok, they are those of the failed ones ("0 ok with 1 failure among them"
        // read as a contradiction).
        let partial = failureCount - failedAccounts
        let partialText = "\(partial) \(partial == 1 ? "failure" : "failures")"
        head += "; \(succeeded) ok"
        if partial > 0 && succeeded > 0 { head += " with \(partialText) among them" }
        head += ", \(failedAccounts) failed"
        if partial > 0 && succeeded == 0 {
            head += " with \(partial == 1 ? "1 more failure" : "\(partial) more failures") among them"
        }
        if notDue > 0 { head += ", \(notDue) not due yet" }
        if interrupted > 0 { head += ", \(interrupted) not collected as the run was stopped (they stay due)" }
        if !notices.isEmpty { head += ", \(notices.count) \(notices.count == 1 ? "notice" : "notices")" }
        lines.append(head)
        let listed = failures.prefix(50)
        for failure in listed { lines.append("  failed: \(failure)") }
        let unlisted = failureCount - listed.reduce(0) { $0 + $1.occurrences }
        if unlisted > 0 { lines.append("  … and \(unlisted) more \(unlisted == 1 ? "failure" : "failures")") }
        for notice in notices.prefix(50) { lines.append("  notice: \(notice)") }
        if notices.count > 50 { lines.append("  … and \(notices.count - 50) more notices") }
        return lines.joined(separator: "\n")
    }
}
