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
        guard
            let probe = probe(
                file,
                into: DiscardingSink(),
                platform: platform,
                options: options,
                calendar: calendar,
                importers: importers
            )
        else { return nil }
        return probe.addedCount > 0 ? other : nil
    }

    /// Imports `file` into a batch over `sink`, flushed, to see what it would write; nil when
    /// the import fails (the real import reports that).
    private static func probe(
        _ file: String,
        into sink: some SampleSink,
        platform: Platform,
        options: ImportOptions,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type]
    ) -> SampleBatch? {
        let batch = SampleBatch(sink: sink)
        do {
            _ = try ImportService.importFile(
                path: file,
                platform: platform,
                options: options,
                calendar: calendar,
                importers: importers,
                into: batch
            )
            try batch.flush()
        } catch {
            return nil
        }
        return batch
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

extension OtherAccountCopy {
    /// The platforms whose content ids name one content across the platform (a Channels 视频ID,
    /// a Douyin item_id, a Kuaishou photo_id, …), so that an id catalogued under another account
    /// is evidence of that account's export. Not WeChat: its msgids count per account (SPEC §3),
    /// and every account has an article `2247483649_1`.
    static let platformWideIDs: Set<Platform> = [.channels, .weibo, .douyin, .kuaishou, .bilibili, .toutiao]

    /// The content ids of a file that the catalogue (`<platform>/objects.csv`) lists under
    /// another account of the platform and not under the file's own.
    package struct CataloguedElsewhere: Sendable, Hashable {
        /// The other account: the one that holds the most of those ids.
        package var other: String
        /// How many of the file's ids it holds (and the file's account does not).
        package var matched: Int
        /// How many distinct ids the file gives.
        package var total: Int
        /// The first of them in the file, for the message.
        package var example: String
        /// Whether the evidence is enough to refuse the file (``catalogued(for:platform:account:options:calendar:importers:)``).
        package var refuses: Bool

        /// The refusal of `file` for `account`; `override` says how to import it all the same.
        package func failure(
            _ file: String,
            platform: Platform,
            account: String,
            adapter: String,
            override: String
        )
            -> CollectionFailure
        {
            CollectionFailure(
                adapter: adapter,
                account: file,
                label: "otherAccount",
                message: "not imported for \(platform) account \(account): \(counted) are catalogued under account "
                    + "\(other) (for example \(example)) and none under \(account), so this is most likely \(other)'s "
                    + "export, and importing it would put \(other)'s figures under \(account). If it is \(other)'s, "
                    + "import it with --account \(other) (or move it into \(other)'s drop folder); if these contents "
                    + "really are \(account)'s, \(override)"
            )
        }

        /// The notice of `file`, imported for `account` all the same (the evidence is not enough
        /// to refuse it).
        package func notice(_ file: String, platform: Platform, account: String, adapter: String) -> CollectionFailure {
            CollectionFailure(
                adapter: adapter,
                account: file,
                label: "otherAccountObjects",
                message:
                    "imported for \(platform) account \(account), although \(counted) are catalogued under account "
                    + "\(other) (for example \(example)): check that the file is \(account)'s export and not \(other)'s "
                    + "(an id derived from a title and a publishing minute is shared by two accounts that post the same "
                    + "title in the same minute)"
            )
        }

        /// `16 of the 16 content ids it gives`.
        private var counted: String {
            "\(matched) of the \(total) content \(total == 1 ? "id" : "ids") it gives"
        }
    }

    /// The file's content ids that the catalogue lists under another account of `platform` and
    /// not under `account`, when there are any; nil otherwise, for a platform whose ids count
    /// per account (``platformWideIDs``), and when the catalogue names no other account (then
    /// the file is not read twice). Found by importing the file into a batch that keeps only the
    /// catalogue rows; a file that fails is left to the real import to report.
    ///
    /// The file is refused (``CataloguedElsewhere/refuses``) when none of its ids is catalogued
    /// under `account`, one other account holds every id catalogued elsewhere, those are more
    /// than half of the file's ids, and they are either at least two or one of the platform's own
    /// ids: a newer download of that account (its new works not catalogued yet) is refused, while
    /// one derived id (``DerivedObjectID``: a title and a publishing minute, which two accounts
    /// may share) or a file of mostly new works gives a notice only.
    package static func catalogued(
        for file: String,
        platform: Platform,
        account: String,
        options: ImportOptions,
        calendar: PlatformCalendar,
        importers: [any ExportImporter.Type]
    ) -> CataloguedElsewhere? {
        guard platformWideIDs.contains(platform), let known = options.knownObjects,
            let owners = try? known.accountsByObject(platform: platform),
            owners.values.contains(where: { $0.contains { $0 != account } })
        else { return nil }
        let sink = CollectingSink()
        guard
            probe(file, into: sink, platform: platform, options: options, calendar: calendar, importers: importers)
                != nil
        else { return nil }
        var ids: [String] = []
        var seen: Set<String> = []
        for object in sink.objects where object.account == account && seen.insert(object.object).inserted {
            ids.append(object.object)
        }
        var mine = 0
        var elsewhere: [(id: String, accounts: [String])] = []
        for id in ids {
            guard let accounts = owners[id] else { continue }
            if accounts.contains(account) {
                mine += 1
            } else {
                elsewhere.append((id, accounts))
            }
        }
        guard !elsewhere.isEmpty else { return nil }
        var tally: [String: Int] = [:]
        for (_, accounts) in elsewhere {
            for other in Set(accounts) { tally[other, default: 0] += 1 }
        }
        guard let (other, matched) = tally.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return nil }
        let held = elsewhere.filter { $0.accounts.contains(other) }
        let refuses =
            mine == 0 && matched == elsewhere.count && matched * 2 > ids.count
            && (matched >= 2 || held.contains { !DerivedObjectID.isDerived($0.id) })
        return CataloguedElsewhere(
            other: other,
            matched: matched,
            total: ids.count,
            example: held[0].id,
            refuses: refuses
        )
    }
}

/// A sink that keeps nothing: the probe of ``OtherAccountCopy`` counts samples, not stores them.
private struct DiscardingSink: SampleSink {
    func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
    func writeObjects(_: [ContentObject]) throws {}
    func sync() throws {}
}

/// A sink that keeps only the catalogue rows: the ids a file would write, for
/// ``OtherAccountCopy/catalogued(for:platform:account:options:calendar:importers:)``.
private final class CollectingSink: SampleSink {
    private let kept = Mutex<[ContentObject]>([])

    /// The catalogue rows handed over, in order.
    var objects: [ContentObject] { kept.withLock { $0 } }

    func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
    func writeObjects(_ objects: [ContentObject]) throws { kept.withLock { $0 += objects } }
    func sync() throws {}
}
