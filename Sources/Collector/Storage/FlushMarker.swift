import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `<partition>/.<instance>.flushing`: the lengths an instance's files had before a write that
/// spans several formats began, so that a write a kill interrupted can be rolled back in every
/// format alike.
///
/// A write of pending rows goes to the files one format after another; a SIGKILL between two
/// of them left rows in the first formats that the last one (the format the key index is read
/// from) lacks. A re-run then wrote those rows again (an exec command or an import resends
/// them: duplicates in `.jsonl` and `.lp`), or never (a poll's rows carry the time they were
/// observed: rows only in `.jsonl`). With the marker, the next writer of the partition, or
/// `compact`, cuts each file back to its length before the interrupted write: every format then
/// holds the same rows, and the rows of that write come again as they do after any kill (the
/// account is still due, the command's cursor or the import's ledger was not moved on).
///
/// The record is written in place at a fixed length, so that setting and clearing it never
/// needs a new disk block (a full disk cannot fail the clearing); the file is removed when its
/// writer closes with no write in progress. Hidden, so `*.csv` globs and DuckDB never meet it.
struct FlushMarker {
    /// The record's length: a flag and up to three `format:inode:length` entries, space-padded.
    static let recordLength = 256

    let path: String
    private let descriptor: Int32

    /// `<directory>/.<instance>.flushing`.
    static func path(directory: String, instance: String) -> String {
        directory + "/." + instance + ".flushing"
    }

    /// Creates the marker, cleared.
    init(directory: String, instance: String) throws(StorageError) {
        path = Self.path(directory: directory, instance: instance)
        // O_TRUNC through a planted link would empty its target: never followed (DataFolder).
        guard let descriptor = try DataFolder.openFile(path, O_RDWR | O_CREAT | O_TRUNC) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        self.descriptor = descriptor
        do throws(StorageError) {
            try write(Self.record(flag: "0", entries: ""))
        } catch {
            FileSystem.closeDescriptor(descriptor)
            unlink(path)
            throw error
        }
    }

    /// Records that a write begins, and the length of each file before it.
    func begin(_ files: [(format: OutputFormat, inode: UInt64, length: Int64)]) throws(StorageError) {
        let entries = files.map { "\($0.format.fileExtension):\($0.inode):\($0.length)" }.joined(separator: " ")
        try write(Self.record(flag: "1", entries: entries))
    }

    /// Records that the write ended, in every file alike (or was cut back in every file).
    func end() throws(StorageError) {
        try write(Array("0".utf8))
    }

    /// Closes the marker; removes it when `remove` (no write left half done).
    func close(remove: Bool) {
        FileSystem.closeDescriptor(descriptor)
        if remove { unlink(path) }
    }

    private func write(_ bytes: [UInt8]) throws(StorageError) {
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else {
            throw StorageError(path: path, operation: "write", errno: written < 0 ? errno : EIO)
        }
    }

    private static func record(flag: String, entries: String) -> [UInt8] {
        var bytes = Array((flag + " " + entries).utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: max(0, recordLength - 1 - bytes.count))
        bytes.append(10)
        return bytes
    }

    /// Rolls back the write a marker left in progress, if any: each file of `instance` in
    /// `directory` that is still the file the marker names (same inode) and is longer than its
    /// recorded length is cut back to it, with a warning. The marker is then removed.
    static func rollBack(directory: String, instance: String, logger: Logger) throws(StorageError) {
        let path = path(directory: directory, instance: instance)
        guard let bytes = try DataFolder.readFileIfPresent(path) else { return }
        if bytes.first == UInt8(ascii: "1") {
            for entry in String(decoding: bytes.dropFirst(), as: UTF8.self).split(whereSeparator: \.isWhitespace) {
                let fields = entry.split(separator: ":")
                guard fields.count == 3, let inode = UInt64(fields[1]), let length = Int64(fields[2]) else { continue }
                try cut(directory + "/" + instance + "." + fields[0], inode: inode, to: length, logger: logger)
            }
        }
        unlink(path)
    }

    private static func cut(_ file: String, inode: UInt64, to length: Int64, logger: Logger) throws(StorageError) {
        // Opened without following a link and cut through the descriptor: the marker's inode
        // is compared with the file that is cut, not with a link's target.
        guard let fd = try DataFolder.openFile(file, O_WRONLY) else { return }
        defer { FileSystem.closeDescriptor(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, UInt64(info.st_ino) == inode, Int64(info.st_size) > length else { return }
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw StorageError(
                path: file,
                operation: "truncate",
                errno: errno,
                detail: "a write a kill interrupted could not be rolled back; cut the file to \(length) bytes by hand"
            )
        }
        logger.warning(
            "rolled back a write a kill interrupted, so that every format holds the same rows (they come again)",
            metadata: ["file": "\(file)", "bytes": "\(Int64(info.st_size) - length)"]
        )
    }
}
