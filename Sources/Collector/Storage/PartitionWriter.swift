import CSystem
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One open partition, `<data_dir>/<platform>/<YYYY-MM>/`: this instance's files in every
/// configured format, and the key index of the whole partition (every instance's rows).
///
/// Not thread-safe: ``SampleStore`` owns its writers behind its mutex (STYLE §6 sketches an
/// actor per file; the store's API is synchronous, so a lock around plain objects is simpler
/// and cheaper).
final class PartitionWriter {
    /// Which partition: the platform and the month number `year * 12 + month - 1`.
    struct Key: Hashable {
        /// The platform folder.
        var platform: Platform
        /// `year * 12 + month - 1` in the configured calendar.
        var month: Int32

        /// `2025-03`.
        var monthText: String {
            let year = Int(month) / 12
            let month = Int(month) % 12 + 1
            let yearText = String(year)
            return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + (month < 10 ? "-0" : "-")
                + String(month)
        }
    }

    /// One file this instance appends to.
    struct OwnFile {
        let format: OutputFormat
        let path: String
        let descriptor: Int32
        /// The file's inode, which names it in the ``FlushMarker``.
        let inode: UInt64
        /// The file system the file is on: with `inode`, what its path must still name.
        let device: UInt64
        /// The file's length as far as this writer knows (it is the only writer of the file).
        var length: Int64
        /// Encoded whole rows not yet written.
        let pending = ByteBuffer()
        /// Written since the last fsync.
        var dirty = false
        /// Where the bytes not yet handed to the kernel's writeback start.
        var writebackStart: Int64 = 0
        /// The length of the file this writer created (0, or the CSV header), until a row
        /// goes in: a file that never got one is removed on close.
        var createdLength: Int64?
    }

    /// Bytes written before their writeback is started in the background.
    static let writebackChunk: Int64 = 8 << 20

    /// The partition.
    let key: Key
    /// `<data_dir>/<platform>/<YYYY-MM>`.
    let directory: String
    /// This instance's files; the format the index is read from comes last, so that a crash
    /// between two formats leaves the index format behind (rows are then rewritten to the
    /// others) rather than ahead (rows missing from the others for good).
    private(set) var files: [OwnFile] = []
    /// Key → last value and quality, from every instance file of the partition.
    let index: KeyIndex
    /// With more than one format: records each write's starting lengths, so that a kill
    /// between two formats is rolled back in all of them.
    private var marker: FlushMarker?
    /// A write began and has not ended in every file alike: the marker must stay.
    private var writeInProgress = false
    /// A file was created: its folder entry needs an fsync.
    private var createdFiles = false
    /// For the store's least-recently-used eviction.
    var lastUse: UInt64 = 0

    /// Pending bytes per file that trigger a write.
    static let flushThreshold = 256 * 1024
    /// The longest torn tail that is cut when a CSV record has an unclosed quote; a longer one
    /// is damage, not a torn write, and is left alone.
    static let longestTornRecord: Int64 = 4 << 20

    /// Opens (creating as needed) this instance's files of the partition, cuts a torn last
    /// line, fills a configured format that lacks rows (``FormatFiller``), and builds the key
    /// index from every instance's files.
    /// - Parameter formats: the configured formats; the first of csv, jsonl, influx present is
    ///   the one the index is read from.
    init(
        key: Key,
        dataDirectory: String,
        instance: String,
        formats: [OutputFormat],
        calendar: PlatformCalendar,
        logger: Logger
    ) throws(StorageError) {
        self.key = key
        directory = dataDirectory + "/" + key.platform.rawValue + "/" + key.monthText
        let indexFormat = OutputFormat.allCases.first { formats.contains($0) } ?? .csv
        index = KeyIndex()
        // No link below data_dir is followed, folders included (DataFolder).
        try DataFolder.makeFolders([key.platform.rawValue, key.monthText], below: dataDirectory)
        // A compaction a kill cut between two renames is completed before anything is read.
        try CompactionMarker.complete(directory: directory, instance: instance, logger: logger)
        try FlushMarker.rollBack(directory: directory, instance: instance, logger: logger)
        // Before the files are opened: a format added since the last write (or one whose file
        // lags behind) gets the partition's rows first, so every format holds the same rows.
        try FormatFiller.fill(
            directory: directory,
            instance: instance,
            formats: formats,
            calendar: calendar,
            logger: logger
        )
        do throws(StorageError) {
            if formats.count > 1 { marker = try FlushMarker(directory: directory, instance: instance) }
            for format in formats where format != indexFormat {
                try openOwnFile(format: format, instance: instance, logger: logger)
            }
            try openOwnFile(format: indexFormat, instance: instance, logger: logger)
            try buildIndex(format: indexFormat, logger: logger)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func openOwnFile(format: OutputFormat, instance: String, logger: Logger) throws(StorageError) {
        let path = directory + "/" + instance + "." + format.fileExtension
        // Never through a link, and only a regular file: the torn-line repair cuts what it opens.
        guard let fd = try DataFolder.openFile(path, O_RDWR | O_APPEND | O_CREAT) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            FileSystem.closeDescriptor(fd)
            throw StorageError(path: path, operation: "stat", errno: code)
        }
        // Registered at once, so that close() releases it whatever fails next.
        let length = Int64(info.st_size)
        files.append(
            OwnFile(
                format: format,
                path: path,
                descriptor: fd,
                inode: UInt64(info.st_ino),
                device: UInt64(info.st_dev),
                length: length,
                writebackStart: length
            )
        )
        let position = files.count - 1
        files[position].length = try Self.cutTornLine(files[position], logger: logger)
        files[position].writebackStart = files[position].length
        if files[position].length == 0 {
            createdFiles = true
            if format == .csv {
                let header = CSVFormat.headerText
                files[position].pending.append(
                    UnsafeRawBufferPointer(start: header.utf8Start, count: header.utf8CodeUnitCount)
                )
            }
            // Set before the header is written too: a header that does not fit (a full disk)
            // leaves an empty file, which close() then removes.
            files[position].createdLength = 0
            try flush()
            files[position].createdLength = files[position].length
        }
    }

    /// Cuts the file back to its last LF when its last byte is not one; returns the new length.
    private static func cutTornLine(_ file: OwnFile, logger: Logger) throws(StorageError) -> Int64 {
        guard file.length > 0 else { return 0 }
        var block = [UInt8](repeating: 0, count: 65536)
        var end = file.length
        while end > 0 {
            let start = max(0, end - Int64(block.count))
            let wanted = Int(end - start)
            let count = block.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, wanted, off_t(start)) }
            guard count == wanted else {
                throw StorageError(path: file.path, operation: "read", errno: count < 0 ? errno : EIO)
            }
            if end == file.length && block[wanted - 1] == 10 { return file.length }
            if let last = block[0..<wanted].lastIndex(of: 10) {
                let newLength = start + Int64(last) + 1
                try truncate(file, to: newLength, logger: logger)
                return newLength
            }
            end = start
        }
        try truncate(file, to: 0, logger: logger)
        return 0
    }

    private static func truncate(_ file: OwnFile, to length: Int64, logger: Logger) throws(StorageError) {
        guard ftruncate(file.descriptor, off_t(length)) == 0 else {
            throw StorageError(
                path: file.path,
                operation: "truncate",
                errno: errno,
                detail: "the last line is torn and could not be cut; cut it by hand, then re-run"
            )
        }
        logger.warning(
            "cut a torn last line",
            metadata: ["file": "\(file.path)", "bytes": "\(file.length - length)"]
        )
    }

    private func buildIndex(format: OutputFormat, logger: Logger) throws(StorageError) {
        let ownPath = files[files.count - 1].path
        for path in try DirectoryListing.partitionFiles(in: directory, fileExtension: format.fileExtension) {
            let index = self.index
            let summary = try PartitionScanner.scan(path: path, format: format) { row, _ in
                _ = KeyPrecedence.offer(hash: row.keyHash, value: row.value, quality: row.quality, to: index)
            }
            guard let summary else { continue }
            if summary.invalidRows > 0 {
                logger.warning(
                    "skipped rows that are not valid SPEC §3 rows",
                    metadata: [
                        "file": "\(path)", "rows": "\(summary.invalidRows)",
                        "first_record": "\(summary.firstInvalidRecord ?? 0)",
                    ]
                )
            }
            if path == ownPath && summary.completeLength < summary.fileLength {
                // A CSV record torn inside a quoted field that held a line break: the LF cut
                // left an unclosed quote.
                let file = files[files.count - 1]
                if summary.fileLength - summary.completeLength <= Self.longestTornRecord {
                    try Self.truncate(file, to: summary.completeLength, logger: logger)
                    files[files.count - 1].length = summary.completeLength
                } else {
                    logger.error(
                        "the file ends in an unclosed quoted field; rows appended to it will be unreadable until it is repaired by hand",
                        metadata: ["file": "\(path)", "bytes": "\(summary.fileLength - summary.completeLength)"]
                    )
                }
            }
        }
    }

    /// How many rows of a chunk are looked up together: their index slots are loaded before
    /// the first lookup (``KeyIndex/touch(_:)``), so that the cache misses overlap.
    static let lookupGroup = 32

    /// Offers the rows of `chunk` whose entry in `slots` is `slot` to the key index, and encodes
    /// those that are new or supersede into the pending bytes of every file, writing them out
    /// as they pile up.
    func ingest(
        _ chunk: SampleChunk,
        slots: UnsafeBufferPointer<Int32>,
        slot: Int32,
        times: inout TimeRenderer,
        counts: inout WriteCounts
    ) throws(StorageError) {
        let hasher = KeyHasher.current
        let index = self.index
        let group = Self.lookupGroup
        let buffers = files.map(\.pending)
        let formats = files.map(\.format)
        var checksum: UInt64 = 0
        try chunk.withStorage { (rows, texts, strings) throws(StorageError) in
            try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: group) { (hashes) throws(StorageError) in
                try withUnsafeTemporaryAllocation(of: Int.self, capacity: group) { (members) throws(StorageError) in
                    var position = 0
                    while position < rows.count {
                        var count = 0
                        while position < rows.count && count < group {
                            if slots[position] == slot {
                                let row = rows[position]
                                members[count] = position
                                hashes[count] = hasher.key(
                                    time: row.time,
                                    platform: texts[Int(row.platform)].hash,
                                    account: texts[Int(row.account)].hash,
                                    object: texts[Int(row.object)].hash,
                                    metric: texts[Int(row.metric)].hash
                                )
                                count += 1
                            }
                            position += 1
                        }
                        checksum &+= index.touch(UnsafeBufferPointer(rebasing: hashes[0..<count]))
                        for member in 0..<count {
                            let row = rows[members[member]]
                            switch KeyPrecedence.offer(
                                hash: hashes[member],
                                value: row.value,
                                quality: row.quality,
                                to: index
                            ) {
                            case .duplicate:
                                counts.duplicates += 1
                                continue
                            case .outranked:
                                counts.outranked += 1
                                continue
                            case .supersedes, nil:
                                counts.written += 1
                            }
                            times.withText(of: Timestamp(secondsSinceEpoch: row.time)) { time in
                                for file in buffers.indices {
                                    Self.encode(
                                        row,
                                        texts: texts,
                                        strings: strings,
                                        time: time,
                                        format: formats[file],
                                        to: buffers[file]
                                    )
                                }
                            }
                        }
                        if buffers.contains(where: { $0.count >= Self.flushThreshold }) { try flush() }
                    }
                }
            }
        }
        touchChecksum = checksum
    }

    /// The sum of the slots ``KeyIndex/touch(_:)`` loaded, kept so that the loads are not
    /// optimised away.
    private(set) var touchChecksum: UInt64 = 0

    /// Encodes one row of a chunk in `format` at the end of `buffer`.
    @inline(__always)
    private static func encode(
        _ row: SampleChunk.Row,
        texts: UnsafeBufferPointer<SampleChunk.Text>,
        strings: UnsafeRawBufferPointer,
        time: UnsafeRawBufferPointer,
        format: OutputFormat,
        to buffer: ByteBuffer
    ) {
        if format == .csv {
            buffer.reserve(CSVFormat.longestRow(row, texts: texts, timeLength: time.count))
            buffer.count += CSVFormat.writeRow(row, texts: texts, strings: strings, time: time, to: buffer.end)
            return
        }
        // JSON Lines and line protocol: the general encoders, through a row of borrowed bytes.
        @inline(__always) func bytes(_ number: UInt32) -> UnsafeRawBufferPointer {
            let text = texts[Int(number)]
            return UnsafeRawBufferPointer(rebasing: strings[text.offset..<text.offset + text.count])
        }
        let parts = RowParts(
            time: Timestamp(secondsSinceEpoch: row.time),
            platform: bytes(row.platform),
            account: bytes(row.account),
            object: bytes(row.object),
            metric: bytes(row.metric),
            value: row.value,
            quality: row.quality,
            source: row.source
        )
        var encoded: [UInt8] = []
        encoded.reserveCapacity(256)
        if format == .jsonl {
            JSONLinesFormat.appendRow(parts, time: time, to: &encoded)
        } else {
            LineProtocolFormat.appendRow(parts, to: &encoded)
        }
        buffer.append(encoded)
    }

    /// Writes the pending rows: one `write(2)` per file and chunk of whole lines. When a write
    /// fails, every file is cut back to its length before the chunk, so no half line is left
    /// for later rows to be appended to; the caller must then drop this writer (its index
    /// holds the rows that were not written).
    func flush() throws(StorageError) {
        guard files.contains(where: { !$0.pending.isEmpty }) else { return }
        let lengthsBefore = files.map(\.length)
        if let marker {
            try marker.begin(files.map { ($0.format, $0.inode, $0.length) })
            writeInProgress = true
        }
        for position in files.indices where !files[position].pending.isEmpty {
            let file = files[position]
            let failure: StorageError?
            do throws(StorageError) {
                try FileSystem.writeAll(file.descriptor, file.pending.bytes, path: file.path)
                failure = nil
            } catch {
                failure = error
            }
            if let failure {
                var cutBack = true
                for other in files.indices {
                    files[other].pending.removeAll()
                    if ftruncate(files[other].descriptor, off_t(lengthsBefore[other])) == 0 {
                        files[other].length = lengthsBefore[other]
                    } else {
                        cutBack = false
                    }
                }
                if cutBack { endWrite() }
                throw failure
            }
            files[position].length += Int64(file.pending.count)
            file.pending.removeAll()
            files[position].dirty = true
            startWriteback(of: position)
        }
        endWrite()
    }

    /// Clears the marker after a write that every file holds alike. Should clearing fail, the
    /// marker stays set: the next writer then cuts this write back in every file, which is
    /// safe, as nothing has counted on its rows before ``sync()``.
    private func endWrite() {
        guard let marker, writeInProgress else { return }
        if (try? marker.end()) != nil { writeInProgress = false }
    }

    /// Starts the disk writes of a large file's new bytes without waiting for them, so that the
    /// fsync at the end of a batch (a million-row import) waits for the tail only, not for
    /// everything: the disk works while the rows are still being parsed.
    private func startWriteback(of position: Int) {
        let file = files[position]
        let start = file.writebackStart
        guard file.length - start >= Self.writebackChunk else { return }
        // Best effort: a failure here only means the fsync will wait longer.
        _ = csystem_start_writeback(file.descriptor, start, file.length - start)
        files[position].writebackStart = file.length
    }

    /// Makes every row written so far durable: fsync of each written file, and of the folders
    /// when a file was created.
    /// - Throws: ``StorageError`` when a write or fsync fails, and when a written file is no
    ///   longer at its path (``checkStillInPlace(_:)``).
    func sync() throws(StorageError) {
        try flush()
        for position in files.indices where files[position].dirty {
            try checkStillInPlace(position)
            guard fsync(files[position].descriptor) == 0 else {
                throw StorageError(path: files[position].path, operation: "fsync", errno: errno)
            }
            files[position].dirty = false
        }
        if createdFiles {
            // The new file's entry, and the month and platform folders that may be new too.
            var path = directory + "/x"
            for _ in 0..<3 {
                FileSystem.syncDirectory(of: path)
                path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            }
            createdFiles = false
        }
    }

    /// Checks that the path of a written file still names it: one `stat` per written file and
    /// sync, never per row.
    ///
    /// A data folder removed (`rm -rf`) or moved (`mv` by an archive job) while the collector
    /// runs leaves its descriptors writing to files in no folder: every row would be counted as
    /// written, its due time recorded, and lost at the close. Failing the sync instead keeps
    /// the due times of the collection it covers unrecorded, so those accounts are collected
    /// again at the next start.
    /// - Throws: ``StorageError`` (exit 3) naming the file, when its path is gone or names
    ///   another file.
    private func checkStillInPlace(_ position: Int) throws(StorageError) {
        let file = files[position]
        var info = stat()
        let missing = stat(file.path, &info) != 0 ? errno : nil
        if missing == nil && UInt64(info.st_ino) == file.inode && UInt64(info.st_dev) == file.device { return }
        guard missing == nil || missing == ENOENT || missing == ENOTDIR else {
            throw StorageError(path: file.path, operation: "stat", errno: missing)
        }
        // Whatever is at the path now is not this writer's to remove at the close.
        files[position].createdLength = nil
        throw StorageError(
            path: file.path,
            operation: "write",
            detail: "the file was deleted or moved away while the collector ran, so the rows written to it since"
                + " are not in the data folder; the accounts of this collection stay due, as their due times were"
                + " not recorded, and are collected at the next start; keep the data folder in place while the"
                + " collector runs, and stop it before moving or archiving the folder"
        )
    }

    /// Closes the files without writing pending rows, and removes those this writer created
    /// and wrote no row to: a shard or a re-run whose rows were all duplicates leaves no
    /// header-only files behind. (The folders stay: another shard may be creating files there.)
    func close() {
        marker?.close(remove: !writeInProgress)
        marker = nil
        for file in files {
            FileSystem.closeDescriptor(file.descriptor)
            if let created = file.createdLength, file.length == created { unlink(file.path) }
        }
        files.removeAll()
    }
}
