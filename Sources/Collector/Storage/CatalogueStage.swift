#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The content-catalogue rows one platform received since the last sync, on their way into
/// `<data_dir>/<platform>/objects.csv` (SPEC §3: one row per account and object, rewritten
/// atomically).
///
/// Rows arrive in chunks while a collection runs (an export of a million articles gives a
/// million rows). Each is encoded at once as the catalogue line it would become and set aside
/// in a spill: memory up to ``memoryLimit`` bytes, then an unlinked temporary file in the
/// platform folder. What stays in memory is about 30–45 bytes per object: a ``KeyIndex`` from
/// the hash of the row's key to its latest staged line, and the line's offset. ``apply()`` then
/// rewrites the catalogue once, streaming: each stored row with the staged lines of its key
/// merged in (each non-empty new field wins), then the keys not stored yet, in the order they
/// first came, each with its later lines merged in. Nothing changed, nothing is written.
///
/// A row's key is its account and its object id together: ids are unique only within an
/// account (WeChat's `<mid>_<idx>` counts mids per account, Douyin's derived ids are a time and
/// a title), so two accounts' objects of one id are two rows. Keys are matched by a 64-bit
/// hash, as sample keys are (``KeyIndex`` gives the odds: about n²/2⁶⁵ for n objects that two
/// different keys are taken for one).
final class CatalogueStage {
    /// `objects.csv`.
    let path: String
    /// The platform folder, where the spill file goes.
    private let folder: String
    /// Staged lines kept in memory before they go to the spill file.
    static let memoryLimit = 1 << 20

    /// Staged lines not in the spill file yet.
    private var memory: [UInt8] = []
    /// The spill file (unlinked), or -1 while everything fits in memory.
    private var spillDescriptor: Int32 = -1
    /// Bytes in the spill file.
    private var spillLength = 0
    /// Where each staged line starts, counting the spill file first, then the memory.
    private var offsets: [Int] = []
    /// Staged line → the previous staged line of the same key (lines with ``hasEarlier``).
    private var previous: [UInt32: UInt32] = [:]
    /// Per staged line: ``hasEarlier``, ``hasLater``.
    private var flags: [UInt8] = []
    /// Key (account, object) hash → latest staged line.
    private var index = KeyIndex()

    /// Stages rows for the catalogue at `path`, in `folder`.
    init(path: String, folder: String) {
        self.path = path
        self.folder = folder
    }

    deinit {
        if spillDescriptor >= 0 { FileSystem.closeDescriptor(spillDescriptor) }
    }

    /// Whether nothing is staged.
    var isEmpty: Bool { offsets.isEmpty }

    /// Stages rows; a row without an object id is ignored. Rows are taken a group at a time,
    /// the index slots of a group loaded together (``KeyIndex/touch(_:)``).
    func add(_ objects: ArraySlice<ContentObject>, calendar: PlatformCalendar) throws(StorageError) {
        var hashes = [UInt64](repeating: 0, count: Self.group)
        var start = objects.startIndex
        while start < objects.endIndex {
            let end = min(objects.endIndex, start + Self.group)
            var count = 0
            for object in objects[start..<end] where !object.object.isEmpty {
                hashes[count] = withUTF8(object.account) { account in
                    withUTF8(object.object) { Self.keyHash(account: account, object: $0) }
                }
                count += 1
            }
            checksum &+= hashes.withUnsafeBufferPointer { index.touch(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            count = 0
            for object in objects[start..<end] where !object.object.isEmpty {
                try add(object, hash: hashes[count], calendar: calendar)
                count += 1
            }
            start = end
        }
    }

    /// Rows staged per index group.
    private static let group = 32
    /// Kept so that the loads of ``KeyIndex/touch(_:)`` are not optimised away.
    private(set) var checksum: UInt64 = 0

    private func add(_ object: ContentObject, hash: UInt64, calendar: PlatformCalendar) throws(StorageError) {
        let line = UInt32(offsets.count)
        if let slot = index.find(hash) {
            let earlier = index.payload(at: slot)
            previous[line] = earlier
            flags[Int(earlier)] |= Self.hasLater
            flags.append(Self.hasEarlier)
            index.update(at: slot, payload: line, metadata: 0)
        } else {
            flags.append(0)
            index.insert(hash, payload: line, metadata: 0)
        }
        offsets.append(spillLength + memory.count)
        CSVFormat.appendField(object.object, to: &memory)
        memory.append(UInt8(ascii: ","))
        CSVFormat.appendField(object.account, to: &memory)
        memory.append(UInt8(ascii: ","))
        if let published = object.publishedAt { calendar.appendRendered(published, to: &memory) }
        memory.append(UInt8(ascii: ","))
        CSVFormat.appendField(object.title, to: &memory)
        memory.append(UInt8(ascii: ","))
        CSVFormat.appendField(object.url, to: &memory)
        memory.append(UInt8(ascii: "\n"))
        if memory.count >= Self.memoryLimit { try spill() }
    }

    /// ``flags``: an earlier staged line of the same key exists (this one is merged into it).
    private static let hasEarlier: UInt8 = 1
    /// ``flags``: a later staged line of the same key exists.
    private static let hasLater: UInt8 = 2

    /// Moves the staged lines held in memory to the spill file.
    private func spill() throws(StorageError) {
        if spillDescriptor < 0 {
            // A name of its own (O_EXCL): two stores of one process never share the file.
            let spillPath = folder + "/.objects.csv.stage-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let fd = open(spillPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StorageError(path: spillPath, operation: "open", errno: errno) }
            // Unlinked at once: the file disappears with the process, whatever happens.
            unlink(spillPath)
            spillDescriptor = fd
        }
        let fd = spillDescriptor
        let failure = memory.withUnsafeBytes { bytes -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(fd, bytes, path: folder + "/.objects.csv.stage")
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        spillLength += memory.count
        memory.removeAll(keepingCapacity: true)
    }

    /// The bytes of staged line `line` (with its LF).
    private func stagedLine(_ line: UInt32) throws(StorageError) -> [UInt8] {
        let start = offsets[Int(line)]
        let end = lineEnd(Int(line))
        if start >= spillLength { return Array(memory[(start - spillLength)..<(end - spillLength)]) }
        var bytes = [UInt8](repeating: 0, count: end - start)
        let fd = spillDescriptor
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
        guard count == end - start else {
            throw StorageError(path: folder + "/.objects.csv.stage", operation: "read", errno: count < 0 ? errno : EIO)
        }
        return bytes
    }

    /// The five fields of a catalogue line (missing ones empty).
    private static func fields(of line: [UInt8], record: inout CSVRecord) -> [[UInt8]] {
        var bytes = line
        if bytes.last != 10 { bytes.append(10) }
        _ = bytes.withUnsafeBytes { CSVFormat.parseRecord($0, from: 0, into: &record) }
        return (0..<5).map { record.bytes(of: $0) }
    }

    /// `fields` with every later staged line of its key, from `first` to `latest`, merged in;
    /// the key's own fields (object, account) are left alone.
    private func merge(
        _ fields: inout [[UInt8]],
        lines: [UInt32],
        record: inout CSVRecord
    ) throws(StorageError) -> Bool {
        var changed = false
        for line in lines {
            let new = Self.fields(of: try stagedLine(line), record: &record)
            for column in 2..<5 where !new[column].isEmpty && fields[column] != new[column] {
                fields[column] = new[column]
                changed = true
            }
        }
        return changed
    }

    /// The staged lines of the key whose latest line is `latest`, oldest first.
    private func chain(endingAt latest: UInt32) -> [UInt32] {
        var lines = [latest]
        var current = latest
        while let earlier = previous[current] {
            lines.append(earlier)
            current = earlier
        }
        return lines.reversed()
    }

    /// Merges the staged rows into the catalogue and forgets them; the file is replaced
    /// atomically (temporary file, fsync, rename, fsync of the folder) when anything changed.
    func apply() throws(StorageError) {
        guard !isEmpty else { return }
        defer { reset() }
        let (output, temporary) = try FileSystem.createTemporary(beside: path, mode: 0o644)
        var keep = false
        defer {
            FileSystem.closeDescriptor(output)
            if !keep { unlink(temporary) }
        }
        var writer = CatalogueOutput(descriptor: output, path: temporary)
        writer.append(ObjectCatalogue.headerText)

        let lineCount = offsets.count
        var consumed = [Bool](repeating: false, count: lineCount)
        var changed = false
        var record = CSVRecord()

        // The stored rows, each with its key's staged lines merged in.
        try ObjectCatalogue.forEachRow(path) { (stored) throws(StorageError) in
            var fields = stored
            let hash = fields[1].withUnsafeBytes { account in
                fields[0].withUnsafeBytes { Self.keyHash(account: account, object: $0) }
            }
            if let slot = index.find(hash) {
                let latest = index.payload(at: slot)
                consumed[Int(latest)] = true
                if try merge(&fields, lines: chain(endingAt: latest), record: &record) { changed = true }
            }
            try writer.appendRow(fields)
        }

        // The new keys, in the order they first came: runs of lines staged once are copied
        // as they are.
        var run = 0..<0
        for line in 0..<lineCount {
            let flag = flags[line]
            if flag & Self.hasEarlier != 0 { continue }  // merged into its key's first line
            if flag & Self.hasLater == 0 {
                guard !consumed[line] else { continue }
                changed = true
                let range = offsets[line]..<lineEnd(line)
                if run.upperBound == range.lowerBound && !run.isEmpty {
                    run = run.lowerBound..<range.upperBound
                } else {
                    try copyStaged(run, to: &writer)
                    run = range
                }
                continue
            }
            try copyStaged(run, to: &writer)
            run = 0..<0
            let bytes = try stagedLine(UInt32(line))
            var latest = UInt32(line)
            let hash = bytes.withUnsafeBytes { Self.keyHash(ofLine: $0, record: &record) }
            if let slot = index.find(hash) { latest = index.payload(at: slot) }
            guard !consumed[Int(latest)] else { continue }
            consumed[Int(latest)] = true
            changed = true
            var fields = Self.fields(of: bytes, record: &record)
            _ = try merge(&fields, lines: Array(chain(endingAt: latest).dropFirst()), record: &record)
            try writer.appendRow(fields)
        }
        try copyStaged(run, to: &writer)
        guard changed else { return }
        try writer.flush()
        guard fsync(output) == 0 else { throw StorageError(path: temporary, operation: "fsync", errno: errno) }
        guard rename(temporary, path) == 0 else { throw StorageError(path: path, operation: "rename", errno: errno) }
        keep = true
        FileSystem.syncDirectory(of: path)
    }

    /// The hash of a row's key: its account and its object id.
    private static func keyHash(account: UnsafeRawBufferPointer, object: UnsafeRawBufferPointer) -> UInt64 {
        let hasher = KeyHasher.current
        return hasher.catalogueKey(account: hasher.hash(account), object: hasher.hash(object))
    }

    /// The key hash of a staged line (its first two fields: object, account).
    private static func keyHash(ofLine bytes: UnsafeRawBufferPointer, record: inout CSVRecord) -> UInt64 {
        _ = CSVFormat.parseRecord(bytes, from: 0, into: &record)
        let ends = record.fieldEnds
        let objectEnd = ends.first ?? 0
        let accountEnd = ends.count > 1 ? ends[1] : objectEnd
        return record.bytes.withUnsafeBytes { all in
            keyHash(
                account: UnsafeRawBufferPointer(rebasing: all[objectEnd..<accountEnd]),
                object: UnsafeRawBufferPointer(rebasing: all[0..<objectEnd])
            )
        }
    }

    /// Where staged line `line` ends.
    private func lineEnd(_ line: Int) -> Int {
        line + 1 < offsets.count ? offsets[line + 1] : spillLength + memory.count
    }

    /// Copies the staged bytes in `range` to the output: from the spill file in 1 MiB blocks,
    /// then from memory.
    private func copyStaged(_ range: Range<Int>, to writer: inout CatalogueOutput) throws(StorageError) {
        guard !range.isEmpty else { return }
        var position = range.lowerBound
        var block: [UInt8] = []
        while position < min(range.upperBound, spillLength) {
            let wanted = min(1 << 20, min(range.upperBound, spillLength) - position)
            if block.count != wanted { block = [UInt8](repeating: 0, count: wanted) }
            let fd = spillDescriptor
            let start = position
            let count = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(start)) }
            guard count == wanted else {
                throw StorageError(
                    path: folder + "/.objects.csv.stage",
                    operation: "read",
                    errno: count < 0 ? errno : EIO
                )
            }
            try Self.withBytes(block, 0..<wanted) { (bytes) throws(StorageError) in try writer.append(bytes) }
            position += wanted
        }
        if position < range.upperBound {
            try Self.withBytes(memory, (position - spillLength)..<(range.upperBound - spillLength)) {
                (bytes) throws(StorageError) in try writer.append(bytes)
            }
        }
    }

    /// Calls `body` with `range` of `array` in place.
    private static func withBytes(
        _ array: [UInt8],
        _ range: Range<Int>,
        _ body: (UnsafeRawBufferPointer) throws(StorageError) -> Void
    ) throws(StorageError) {
        let failure = array.withUnsafeBytes { bytes -> StorageError? in
            do throws(StorageError) {
                try body(UnsafeRawBufferPointer(rebasing: bytes[range]))
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Forgets the staged rows.
    private func reset() {
        memory.removeAll()
        offsets.removeAll()
        flags.removeAll()
        previous.removeAll()
        index = KeyIndex()
        spillLength = 0
        if spillDescriptor >= 0 {
            FileSystem.closeDescriptor(spillDescriptor)
            spillDescriptor = -1
        }
    }
}

/// The new catalogue on its way to its temporary file, 1 MiB at a time.
private struct CatalogueOutput {
    let descriptor: Int32
    let path: String
    var bytes: [UInt8] = []

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        bytes.reserveCapacity(1 << 20)
    }

    mutating func append(_ literal: StaticString) {
        ByteText.append(literal, to: &bytes)
    }

    mutating func append(_ line: UnsafeRawBufferPointer) throws(StorageError) {
        if line.count >= 1 << 16 {
            // A block of copied lines: straight to the file.
            try flush()
            try FileSystem.writeAll(descriptor, line, path: path)
            return
        }
        bytes.append(contentsOf: line)
        if bytes.count >= 1 << 20 { try flush() }
    }

    mutating func appendRow(_ fields: [[UInt8]]) throws(StorageError) {
        for (column, field) in fields.enumerated() {
            if column > 0 { bytes.append(UInt8(ascii: ",")) }
            field.withUnsafeBytes { CSVFormat.appendField($0, to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws(StorageError) {
        let descriptor = descriptor
        let path = path
        let failure = bytes.withUnsafeBytes { buffer -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(descriptor, buffer, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        bytes.removeAll(keepingCapacity: true)
    }
}
