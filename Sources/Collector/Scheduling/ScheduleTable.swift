import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The per-account schedule of one collector instance, kept in `state_dir`: for each adapter
/// instance and account, its ``ScheduleEntry`` (slot and due time).
///
/// ## Files
/// - `schedule-<instance>.tsv`, the snapshot: replaced atomically (temporary file, fsync,
///   rename) by ``checkpoint()``.
/// - `schedule-<instance>.journal`: one line per collected account since the snapshot, each
///   appended whole with one `write(2)`; a torn last line left by a crash is cut when the table
///   is opened. Opening replays the journal over the snapshot (later lines win).
///
/// A line is `adapter TAB account TAB slot TAB due LF` (seconds since the epoch); `%`, tab, CR
/// and LF in names are written as `%25`, `%09`, `%0D`, `%0A`.
///
/// ## Ordering
/// The runner records an account only after the samples of its collection are durable
/// (``SampleBatch/commit()`` fsyncs them), so a due time never covers a sample that a crash
/// could lose. The journal itself is fsynced at each checkpoint: a power loss may forget the
/// last due times, which only means those accounts are collected again.
///
/// This table is the one structure of a run that grows with the number of accounts (about
/// 60 bytes each). Given the configured sections (``keepOnly(_:)``), each checkpoint drops the
/// entries of sections and accounts no longer configured, so that renames and registry changes
/// do not make it grow for good.
///
/// Thread-safe: a mutex guards the entries and the journal descriptor.
public final class ScheduleTable: Sendable {
    private struct State {
        var entries: [String: [String: ScheduleEntry]] = [:]
        var journal: Int32?
        var journalLines = 0
        var count = 0
        /// The configured sections and their accounts (``keepOnly(_:)``); nil keeps every entry.
        var configured: [String: [String]]?
    }

    /// The snapshot file.
    public let snapshotPath: String
    /// The journal file.
    public let journalPath: String
    /// Whether writes are dropped (`collector test`).
    public let isReadOnly: Bool
    private let state: Mutex<State>
    /// The files among the snapshot and the journal that held lines that could not be read
    /// (garbage, a hand edit gone wrong), with how many: those lines were skipped, so their
    /// accounts count as never collected. A journal's torn last line is not counted.
    public let unreadableLines: [(path: String, count: Int)]

    private static let header = "# collector schedule v1: adapter, account, slot, due (seconds since the epoch)\n"

    /// Opens the schedule of `instance` in the state folder, replaying its journal.
    /// - Parameters:
    ///   - state: The state folder; a read-only one gives a table that records in memory only.
    ///   - instance: The collector instance (`[collector] instance`, with the shard suffix).
    /// - Throws: ``StorageError`` when a file cannot be read, or the journal cannot be opened.
    public init(state store: StateStore, instance: String) throws(StorageError) {
        snapshotPath = store.path("schedule-\(instance).tsv")
        journalPath = store.path("schedule-\(instance).journal")
        isReadOnly = store.isReadOnly
        var initial = State()
        var unreadable: [(path: String, count: Int)] = []
        if let snapshot = try StateFolder.readFileIfPresent(snapshotPath) {
            // Replaced atomically: even a last line without its line feed is damage.
            var whole = snapshot
            if let last = whole.last, last != 0x0A { whole.append(0x0A) }
            let count = Self.apply(whole, to: &initial).unreadable
            if count > 0 { unreadable.append((snapshotPath, count)) }
        }
        let journal = try StateFolder.readFileIfPresent(journalPath)
        if let journal {
            let (applied, count) = Self.apply(journal, to: &initial)
            initial.journalLines = applied
            if count > 0 { unreadable.append((journalPath, count)) }
        }
        if !isReadOnly {
            // Never through a link (StateFolder): the cut below and every append would reach
            // the link's target.
            let opened: Int32?
            do throws(StorageError) {
                opened = try StateFolder.openFile(journalPath, O_WRONLY | O_APPEND | O_CREAT)
            } catch {
                throw error.about(.state)
            }
            guard let fd = opened else {
                throw StorageError(path: journalPath, operation: "open", errno: ENOENT, kind: .state)
            }
            if let journal, let last = journal.last, last != 0x0A {
                // A crash tore the last append: cut it, so the next line starts on its own.
                let keep = journal.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                if ftruncate(fd, off_t(keep)) != 0 {
                    let code = errno
                    FileSystem.closeDescriptor(fd)
                    throw StorageError(path: journalPath, operation: "truncate", errno: code)
                }
            }
            initial.journal = fd
        }
        state = Mutex(initial)
        unreadableLines = unreadable
    }

    deinit {
        close()
    }

    /// The entry of `account` of the adapter instance `adapter`, if it was ever collected.
    public func entry(adapter: String, account: String) -> ScheduleEntry? {
        state.withLock { $0.entries[adapter]?[account] }
    }

    /// When `account` of the adapter instance `adapter` is due, in seconds since the epoch:
    /// its recorded due time; `now` for an account never collected; and `now` too when the
    /// recorded time lies further ahead than a collection now could have put it (one and a half
    /// `interval`s plus `jitter`, see ``ScheduleEntry/next(after:startedAt:interval:jitter:using:)``),
    /// since it then predates a shorter interval.
    public func due(adapter: String, account: String, now: Int64, interval: Duration, jitter: Duration) -> Int64 {
        let horizon = Self.horizon(interval: interval, jitter: jitter)
        guard let due = entry(adapter: adapter, account: account)?.due, due <= now + horizon else { return now }
        return due
    }

    /// How far after its start a collection can put the next due time: one and a half
    /// `interval`s plus `jitter`, in seconds (see ``ScheduleEntry/next(after:startedAt:interval:jitter:using:)``).
    /// A due time further out than this from now was not set by a collection on this clock: it
    /// predates a shorter interval, or the wall clock went back (NTP correcting a clock that
    /// was ahead, a VM snapshot restored), and the account is due now.
    public static func horizon(interval: Duration, jitter: Duration) -> Int64 {
        let step = max(1, interval.components.seconds)
        return step + step / 2 + max(0, jitter.components.seconds)
    }

    /// How far ahead of now a due time may lie for a tick-driven run (`run --once --due`) to
    /// take the account all the same: a quarter of the interval, at most 15 minutes.
    ///
    /// A timer's ticks drift by seconds (cron, a slow start) and minutes (systemd's
    /// `RandomizedDelaySec`), and a due time carries up to `jitter` of random delay. A due time
    /// a few seconds past this tick would otherwise wait for the next one, a whole tick late;
    /// with an interval as long as the tick, that next collection then sets the due time just
    /// past the tick after it, and every other tick collects nothing. Fifteen minutes covers the
    /// shipped timer's 5 minutes plus the default 10-minute jitter. The quarter keeps an
    /// account from being collected twice within much less than its interval: a collection puts
    /// the next due time more than half an interval after its start
    /// (``ScheduleEntry/next(after:startedAt:interval:jitter:using:)``), so two collections are
    /// always more than a quarter of an interval apart, and three quarters on the account's grid.
    /// The cap keeps a long interval's collections near their slot (a daily account taken six
    /// hours early would move its collection to another time of day).
    public static func tickTolerance(interval: Duration) -> Int64 {
        min(max(1, interval.components.seconds) / 4, 15 * 60)
    }

    /// How many accounts have an entry.
    public var count: Int { state.withLock { $0.count } }

    /// Lines in the journal since the last checkpoint.
    public var journalLines: Int { state.withLock { $0.journalLines } }

    /// Records the next entry of an account. Call it only after the samples of the collection
    /// it follows are durable.
    /// - Throws: ``StorageError`` when the journal cannot be written (the entry is kept in
    ///   memory all the same).
    public func record(_ entry: ScheduleEntry, adapter: String, account: String) throws(StorageError) {
        try advance([(adapter, account)]) { _, _ in entry }
    }

    /// Makes room for `count` accounts of `adapter`: a pass over many accounts that are new to
    /// the table then fills it without rehashing it at every doubling.
    public func reserveCapacity(_ count: Int, adapter: String) {
        guard count > 0 else { return }
        state.withLock { state in state.entries[adapter, default: [:]].reserveCapacity(count) }
    }

    /// Records the next entries of several accounts, each computed from the account's current
    /// entry, under one lock and with one append to the journal: the runner advances a whole
    /// group of accounts after one sync of their samples. Call it only after the samples of
    /// the collections they follow are durable.
    /// - Parameters:
    ///   - accounts: The adapter instances and accounts.
    ///   - next: The next entry of `accounts[index]`, given its current one (nil when it was
    ///     never collected).
    /// - Throws: ``StorageError`` when the journal cannot be written (the entries are kept in
    ///   memory all the same).
    public func advance(
        _ accounts: [(adapter: String, account: String)],
        to next: (_ index: Int, _ current: ScheduleEntry?) -> ScheduleEntry
    ) throws(StorageError) {
        guard !accounts.isEmpty else { return }
        try state.withLock { state throws(StorageError) in
            var lines: [UInt8] = []
            lines.reserveCapacity(accounts.count * 48)
            for (index, (adapter, account)) in accounts.enumerated() {
                let entry = Self.advance(&state.entries[adapter, default: [:]], account: account) { next(index, $0) }
                if entry.isNew { state.count += 1 }
                Self.appendLine(adapter: adapter, account: account, entry: entry.entry, to: &lines)
            }
            guard let fd = state.journal else { return }
            let failure = lines.withUnsafeBytes { bytes -> StorageError? in
                do throws(StorageError) {
                    try FileSystem.writeAll(fd, bytes, path: journalPath)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure.about(.state) }
            state.journalLines += accounts.count
        }
    }

    /// Replaces the entry of `account` in one adapter's table (updated in place) by `next` of it.
    private static func advance(
        _ table: inout [String: ScheduleEntry],
        account: String,
        by next: (ScheduleEntry?) -> ScheduleEntry
    ) -> (entry: ScheduleEntry, isNew: Bool) {
        // Through the subscript's in-place accessor: one hash of the account, not two.
        func replace(_ slot: inout ScheduleEntry?) -> (entry: ScheduleEntry, isNew: Bool) {
            let current = slot
            let entry = next(current)
            slot = entry
            return (entry, current == nil)
        }
        return replace(&table[account])
    }

    /// Sets the sections the configuration holds now, each with its accounts (listed once
    /// each): every checkpoint from now on drops the entries of any other section or account (a
    /// renamed or removed section, an account dropped from a registry), in memory and in the
    /// snapshot. Give every configured section, not only those a run collects (`--only`, a
    /// shard's share): the others keep their due times.
    public func keepOnly(_ sections: [String: [String]]) {
        state.withLock { $0.configured = sections }
    }

    /// Removes the entries of sections and accounts not in `configured`. Costs one lookup per
    /// configured account; a set of a section's accounts is built only when it has entries to drop.
    private static func forgetUnconfigured(_ configured: [String: [String]], in state: inout State) {
        for adapter in Array(state.entries.keys) {
            guard let accounts = configured[adapter] else {
                state.count -= state.entries.removeValue(forKey: adapter)?.count ?? 0
                continue
            }
            guard let table = state.entries[adapter] else { continue }
            var kept = 0
            for account in accounts where table[account] != nil { kept += 1 }
            guard kept < table.count else { continue }
            let listed = Set(accounts)
            let remaining = table.filter { listed.contains($0.key) }
            state.entries[adapter] = remaining
            state.count -= table.count - remaining.count
        }
    }

    /// Writes the snapshot atomically and empties the journal; first drops the entries of
    /// sections and accounts no longer configured (``keepOnly(_:)``). A crash between the two
    /// leaves a journal whose lines the snapshot already holds: replaying them changes nothing.
    /// - Throws: ``StorageError`` when the snapshot cannot be written (the journal is kept).
    public func checkpoint() throws(StorageError) {
        guard !isReadOnly else { return }
        try state.withLock { state throws(StorageError) in
            if let configured = state.configured { Self.forgetUnconfigured(configured, in: &state) }
            do throws(StorageError) {
                try writeSnapshot(state.entries)
            } catch {
                throw error.about(.state)
            }
            if let fd = state.journal {
                guard ftruncate(fd, 0) == 0 else {
                    throw StorageError(path: journalPath, operation: "truncate", errno: errno, kind: .state)
                }
                fsync(fd)
            }
            state.journalLines = 0
        }
    }

    /// Writes the snapshot through a temporary file in 64 KiB chunks (a 100,000-account table
    /// never sits in memory as text), then fsyncs, renames it into place and fsyncs the folder.
    private func writeSnapshot(_ entries: [String: [String: ScheduleEntry]]) throws(StorageError) {
        // A fresh, unguessable name: the state folder may be shared (FileSystem.createTemporary).
        let (fd, temporary) = try FileSystem.createTemporary(beside: snapshotPath, mode: 0o600)
        var failure: StorageError?
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16)
        func flush() {
            guard failure == nil, !chunk.isEmpty else { return }
            failure = chunk.withUnsafeBytes { bytes -> StorageError? in
                do throws(StorageError) {
                    try FileSystem.writeAll(fd, bytes, path: temporary)
                    return nil
                } catch {
                    return error
                }
            }
            chunk.removeAll(keepingCapacity: true)
        }
        chunk += Self.header.utf8
        // Adapters in name order; their accounts in the table's own order: sorting 100,000
        // account ids would cost more than writing them, and the file is read whole.
        for adapter in entries.keys.sorted() {
            guard let accounts = entries[adapter] else { continue }
            for (account, entry) in accounts {
                Self.appendLine(adapter: adapter, account: account, entry: entry, to: &chunk)
                if chunk.count >= 1 << 16 { flush() }
            }
        }
        flush()
        if failure == nil && fsync(fd) != 0 {
            failure = StorageError(path: temporary, operation: "fsync", errno: errno)
        }
        FileSystem.closeDescriptor(fd)
        if failure == nil && rename(temporary, snapshotPath) != 0 {
            failure = StorageError(path: snapshotPath, operation: "rename", errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        FileSystem.syncDirectory(of: snapshotPath)
    }

    /// Closes the journal; later records stay in memory only. Closing twice does nothing.
    public func close() {
        state.withLock { state in
            if let fd = state.journal {
                fsync(fd)
                FileSystem.closeDescriptor(fd)
            }
            state.journal = nil
        }
    }

    // MARK: - Lines

    /// `adapter<TAB>account<TAB>nominal<TAB>due<LF>`, with `%`, tab, LF and CR in the names
    /// written as `%25`, `%09`, `%0A`, `%0D`; rendered as bytes, since the journal gets a line
    /// per collected account.
    private static func appendLine(adapter: String, account: String, entry: ScheduleEntry, to bytes: inout [UInt8]) {
        TabSeparatedField.append(adapter, to: &bytes)
        bytes.append(0x09)
        TabSeparatedField.append(account, to: &bytes)
        bytes.append(0x09)
        bytes += String(entry.nominal).utf8  // ten digits: a small string, no allocation
        bytes.append(0x09)
        bytes += String(entry.due).utf8
        bytes.append(0x0A)
    }

    /// Applies every complete, well-formed line of `bytes`; returns how many applied.
    @discardableResult
    /// Applies the whole lines of `bytes`; returns how many were applied and how many could not
    /// be read.
    private static func apply(_ bytes: [UInt8], to state: inout State) -> (applied: Int, unreadable: Int) {
        var applied = 0
        var unreadable = 0
        let text = String(decoding: bytes, as: UTF8.self)
        let complete = text.hasSuffix("\n") ? Substring(text) : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
        for line in complete.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let nominal = Int64(fields[2]), let due = Int64(fields[3]) else {
                unreadable += 1
                continue
            }
            let adapter = TabSeparatedField.decode(fields[0].utf8)
            let account = TabSeparatedField.decode(fields[1].utf8)
            if state.entries[adapter, default: [:]].updateValue(
                ScheduleEntry(nominal: nominal, due: due),
                forKey: account
            ) == nil {
                state.count += 1
            }
            applied += 1
        }
        return (applied, unreadable)
    }
}
