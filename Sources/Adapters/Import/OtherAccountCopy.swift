package import Collector
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file whose content the import ledger already holds for another account of the same
/// platform: most likely one account's export saved into the other's drop folder (or passed
/// with the wrong `--account`), which would put the first account's figures under the second
/// (docs/imports.md, "An export of another account").
///
/// The file is refused as a whole, by the drop folder on every pass until it is moved and by
/// `collector import` unless `--again` is given; importing it with `--again` records it for
/// the new account too, after which the drop folder skips it as imported. A file that gives no
/// sample (a header-only download, identical for every account with nothing in the period) is
/// no such copy and imports as usual.
package enum OtherAccountCopy {
    /// The ledger's entry of the same content imported for another account of `platform`
    /// than `account`, when `file` gives samples; nil for a file that is no such copy (or
    /// when no account is given: the rows then name their accounts).
    ///
    /// Whether the file gives samples is found by importing it into a batch that keeps
    /// nothing: a file that fails is left to the real import to report.
    package static func entry(
        for file: String,
        digest: FileDigest,
        platform: Platform,
        account: String?,
        options: ImportOptions,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type],
        ledger: ImportLedger
    ) -> ImportLedger.Entry? {
        guard let account, !account.isEmpty else { return nil }
        // Claimed in any case; the ledger's record, when there is one, says more (its time).
        let claimed = claim(digest, platform: platform, account: account, path: file, ledger: ledger)
        let recorded = ledger.entries(sha256: digest.sha256, platform: platform).first(where: {
            $0.account != nil && $0.account != account
        })
        guard let other = recorded ?? claimed else { return nil }
        let probe = SampleBatch(sink: DiscardingSink())
        do {
            _ = try ImportService.importFile(
                path: file,
                platform: platform,
                options: options,
                calendar: calendar,
                importers: importers,
                into: probe
            )
        } catch {
            return nil
        }
        return probe.addedCount > 0 ? other : nil
    }

    /// The contents this process went on to import, by ledger (state folder), platform and
    /// SHA-256, with the account and file of the first: two sections whose folders got the same
    /// file before the same pass both find the ledger without it, as neither has recorded it
    /// yet. (Each pass reads the ledger afresh, so the claims live beside it.)
    private static let claims = Mutex<[String: ImportLedger.Entry]>([:])

    /// Claims `digest` for `account` unless another account claimed it first; returns that
    /// claim then.
    private static func claim(
        _ digest: FileDigest,
        platform: Platform,
        account: String,
        path: String,
        ledger: ImportLedger
    ) -> ImportLedger.Entry? {
        claims.withLock { claims in
            let key = "\(ledger.path)\u{0}\(platform)\u{0}\(digest.sha256)"
            if let first = claims[key] { return first.account == account ? nil : first }
            claims[key] = ImportLedger.Entry(
                sha256: digest.sha256,
                size: digest.size,
                importedAt: Int64(time(nil)),
                platform: platform,
                account: account,
                kind: "",
                path: path
            )
            return nil
        }
    }

    /// The failure of `file`, imported before as `entry` for another account than `account`;
    /// `override` says how to import it all the same.
    package static func failure(
        _ file: String,
        entry: ImportLedger.Entry,
        account: String,
        adapter: String,
        calendar: PlatformCalendar,
        override: String
    ) -> CollectionFailure {
        let other = entry.account ?? ""
        let when = calendar.render(Timestamp(secondsSinceEpoch: entry.importedAt))
        let from = entry.path == file ? "" : " from \(entry.path)"
        return CollectionFailure(
            adapter: adapter,
            account: file,
            label: "otherAccount",
            message: "not imported for \(entry.platform) account \(account): the same content was imported for account "
                + "\(other) at \(when)\(from), so this is most likely \(other)'s export, and importing it would put "
                + "\(other)'s figures under \(account). If it is \(other)'s, delete or move this copy; if it really is "
                + "\(account)'s, \(override)"
        )
    }
}

/// A sink that keeps nothing: the probe of ``OtherAccountCopy`` counts samples, not stores them.
private struct DiscardingSink: SampleSink {
    func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
    func writeObjects(_: [ContentObject]) throws {}
    func sync() throws {}
}
