import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The files imported so far, kept in `state_dir/imports.ledger`, so that an export imported
/// once is not imported again (docs/imports.md, "Importing again").
///
/// A file is known by the SHA-256 of its content together with the platform and the account it
/// was imported for (the account given to the import; none when the rows name their accounts):
/// the same download under another name, or in another folder, is the same file; a file whose
/// content changed is a new one.
///
/// ## File
/// One line per file imported, appended whole with one `write(2)` and fsynced:
/// `sha256 TAB bytes TAB imported TAB platform TAB account TAB kind TAB path LF`, `imported` in
/// seconds since the epoch, `account` empty when none was given; `%`, tab, CR and LF in the
/// fields are written as `%25`, `%09`, `%0D`, `%0A`. A first line starting with `#` names the
/// columns. The file is created 0600.
///
/// Appends never rewrite the file, so the service and a manual `collector import` of another
/// instance (each under its own run lock) may share one ledger. A line torn by a crash is
/// passed over when the file is read, and the next append starts on a line of its own.
///
/// ## Files reported, not imported
/// A file in a watched folder that no glob of its section matches and that cannot be imported
/// (an old `.xls` workbook) is reported once, then only in a notice: its line has the kind
/// ``reportedKindPrefix`` + the failure's label (`reported:oldExcel`). Such a line does not make
/// the file count as imported (``entry(sha256:platform:account:)``,
/// ``entries(sha256:platform:)`` pass over it).
///
/// ## Ordering
/// Record a file only after its samples are durable (``SampleBatch/commit()``): a crash in
/// between then only means the file is imported again, which adds nothing.
///
/// ## Size
/// One line (about 150 bytes plus the path) per distinct content, platform and account;
/// recording a file that is already known appends nothing. It grows with the exports
/// downloaded, never with the passes over a drop folder, so it is never rewritten or trimmed:
/// a download a day is about 70 KB a year. Deleting it is safe: the files then present are
/// imported once more.
///
/// Thread-safe: a mutex guards the entries.
package final class ImportLedger: Sendable {
    /// What the ledger holds of one imported file.
    package struct Entry: Sendable, Hashable {
        /// The SHA-256 of the content.
        package var sha256: String
        /// The size in bytes.
        package var size: Int64
        /// When it was imported, in seconds since the epoch.
        package var importedAt: Int64
        /// The platform it was imported as.
        package var platform: Platform
        /// The account it was imported for, when one was given.
        package var account: String?
        /// The export kind, detected or given.
        package var kind: String
        /// The path it was imported from.
        package var path: String

        /// Whether the file was imported; false for a file only reported
        /// (``ImportLedger/reportedKindPrefix``).
        package var isImport: Bool { !kind.hasPrefix(ImportLedger.reportedKindPrefix) }

        /// Creates an entry.
        package init(
            sha256: String,
            size: Int64,
            importedAt: Int64,
            platform: Platform,
            account: String?,
            kind: String,
            path: String
        ) {
            self.sha256 = sha256
            self.size = size
            self.importedAt = importedAt
            self.platform = platform
            self.account = account
            self.kind = kind
            self.path = path
        }
    }

    /// The start of the kind of a file reported but not imported: `reported:oldExcel`.
    package static let reportedKindPrefix = "reported:"

    /// The ledger's name in the state folder.
    package static let fileName = "imports.ledger"

    /// Whether a file whose import met `failures` is to be left out of the ledger although it
    /// went through: a row refused as dated after the day of the import (`futureDate`) is
    /// refused by the clock, not by the file, so the same bytes may be imported again once the
    /// day has come or the clock is set right (its other rows then count as duplicates).
    package static func waitsForTheClock(_ failures: some Sequence<CollectionFailure>) -> Bool {
        failures.contains { $0.label == BadCellLog.futureDateLabel }
    }

    private static let header =
        "# collector import ledger v1: sha256, bytes, imported (seconds since the epoch), platform, account, kind, path\n"

    /// The ledger file.
    package let path: String
    /// Whether records stay in memory (`collector test`, a read-only state folder).
    package let isReadOnly: Bool
    private let entries: Mutex<[String: Entry]>
    /// The keys of ``entries`` by content, for ``entries(sha256:platform:)``.
    private let keysByContent: Mutex<[String: [String]]>

    /// Reads the ledger of the state folder.
    /// - Parameters:
    ///   - state: The state folder; a read-only one gives a ledger that records in memory only.
    ///   - readOnly: Whether to record in memory only in any case (a dry run).
    /// - Throws: ``StorageError`` when the file exists and cannot be read.
    package init(state: StateStore, readOnly: Bool = false) throws(StorageError) {
        path = state.path(Self.fileName)
        isReadOnly = state.isReadOnly || readOnly
        var entries: [String: Entry] = [:]
        var keysByContent: [String: [String]] = [:]
        if let bytes = try StateFolder.readFileIfPresent(path) {
            for entry in Self.parse(bytes) {
                let key = Self.key(entry)
                if entries.updateValue(entry, forKey: key) == nil {
                    keysByContent[entry.sha256, default: []].append(key)
                }
            }
        }
        self.entries = Mutex(entries)
        self.keysByContent = Mutex(keysByContent)
    }

    /// How many distinct files the ledger holds.
    package var count: Int { entries.withLock { $0.count } }

    /// The entry of the content `sha256` imported for `platform` and `account`, if any.
    package func entry(sha256: String, platform: Platform, account: String?) -> Entry? {
        entries.withLock { $0[Self.key(sha256, platform, account)] }
    }

    /// The entry of the content `sha256` reported, not imported, for `platform` and `account`.
    package func reportedEntry(sha256: String, platform: Platform, account: String?) -> Entry? {
        entries.withLock { $0[Self.reportedKeyPrefix + Self.key(sha256, platform, account)] }
    }

    /// Every entry of the content `sha256` for `platform`, whatever its account, in the order
    /// they were recorded: an export saved into another account's drop folder is the same
    /// content as the one imported for its own account.
    package func entries(sha256: String, platform: Platform) -> [Entry] {
        let keys = keysByContent.withLock { $0[sha256] ?? [] }
        return entries.withLock { entries in keys.compactMap { entries[$0] } }.filter {
            $0.platform == platform && $0.isImport
        }
    }

    /// Records an imported file: in memory, and appended to the file unless the ledger is
    /// read-only or already knows the file. Call it only once the file's samples are durable.
    /// - Throws: ``StorageError`` when the file cannot be written (the entry is kept in memory).
    package func record(_ entry: Entry) throws(StorageError) {
        let isNew = entries.withLock { entries in
            guard entries[Self.key(entry)] == nil else { return false }
            entries[Self.key(entry)] = entry
            return true
        }
        if isNew { keysByContent.withLock { $0[entry.sha256, default: []].append(Self.key(entry)) } }
        guard isNew, !isReadOnly else { return }
        do throws(StorageError) {
            try append(Self.line(entry))
        } catch {
            throw error.about(.state)
        }
    }

    /// Appends `line` with one `write(2)`, after the header when the file is new and after a
    /// line end when a crash left the last line torn; then fsyncs.
    private func append(_ line: [UInt8]) throws(StorageError) {
        // Never through a link (StateFolder): the header and lines would reach its target.
        guard let fd = try StateFolder.openFile(path, O_RDWR | O_APPEND | O_CREAT) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StorageError(path: path, operation: "stat", errno: errno) }
        // A ledger copied in or created with a loose umask: it names files, keep it private.
        if info.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }
        var bytes: [UInt8] = []
        if info.st_size == 0 {
            bytes += Self.header.utf8
        } else {
            var last: UInt8 = 0x0A
            if pread(fd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A { bytes.append(0x0A) }
        }
        bytes += line
        try FileSystem.writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw StorageError(path: path, operation: "fsync", errno: errno) }
        if info.st_size == 0 { FileSystem.syncDirectory(of: path) }
    }

    // MARK: - Lines

    private static func key(_ sha256: String, _ platform: Platform, _ account: String?) -> String {
        "\(sha256)\t\(platform.rawValue)\t\(account ?? "")"
    }

    /// A file reported is keyed apart from an import of the same content: reporting it does
    /// not make it imported, and importing it later (once a glob matches it) is recorded.
    private static let reportedKeyPrefix = "reported\t"

    private static func key(_ entry: Entry) -> String {
        (entry.isImport ? "" : reportedKeyPrefix) + key(entry.sha256, entry.platform, entry.account)
    }

    /// The line of `entry`, ending in LF.
    package static func line(_ entry: Entry) -> [UInt8] {
        let fields = [
            entry.sha256, String(entry.size), String(entry.importedAt), entry.platform.rawValue, entry.account ?? "",
            entry.kind, entry.path,
        ]
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x09) }
            TabSeparatedField.append(field, to: &bytes)
        }
        bytes.append(0x0A)
        return bytes
    }

    /// The entries of every complete, well-formed line of `bytes`; comments, a torn last line
    /// and lines of another layout are passed over.
    package static func parse(_ bytes: [UInt8]) -> [Entry] {
        // Split as bytes: a hand-edited ledger's CR LF would be one Character.
        let complete = bytes[..<((bytes.lastIndex(of: 0x0A) ?? -1) + 1)]
        return complete.split(separator: 0x0A).compactMap { line in
            guard line.first != UInt8(ascii: "#") else { return nil }
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            let fields = trimmed.split(separator: 0x09, omittingEmptySubsequences: false).map {
                TabSeparatedField.decode($0)
            }
            guard fields.count == 7, fields[0].count == 64, fields[0].allSatisfy(\.isHexDigit),
                let size = Int64(fields[1]), let importedAt = Int64(fields[2]), !fields[3].isEmpty
            else { return nil }
            return Entry(
                sha256: fields[0],
                size: size,
                importedAt: importedAt,
                platform: Platform(rawValue: fields[3]),
                account: fields[4].isEmpty ? nil : fields[4],
                kind: fields[5],
                path: fields[6]
            )
        }
    }
}
