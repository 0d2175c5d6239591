#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What the import ledger knows a file by: the SHA-256 of its content, with its size and
/// modification time when it was read.
package struct FileDigest: Sendable, Hashable {
    /// The SHA-256 of the content, 64 lower-case hex digits.
    package var sha256: String
    /// The size in bytes.
    package var size: Int64
    /// The modification time, in nanoseconds since the epoch.
    package var modified: Int64

    /// Creates a digest from its parts.
    package init(sha256: String, size: Int64, modified: Int64) {
        self.sha256 = sha256
        self.size = size
        self.modified = modified
    }

    /// Reads the file at `path` whole, 64 KiB at a time, and hashes it.
    /// - Throws: ``StorageError`` when it cannot be opened or read.
    package static func of(_ path: String) throws(StorageError) -> FileDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StorageError(path: path, operation: "stat", errno: errno) }
        var hash = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        while try FileSystem.readChunk(fd, appendingTo: &buffer, upTo: 1 << 16, path: path) > 0 {
            buffer.withUnsafeBytes { hash.update($0) }
            buffer.removeAll(keepingCapacity: true)
        }
        return FileDigest(sha256: SHA256.hex(hash.finish()), size: Int64(info.st_size), modified: modified(info))
    }

    /// Whether the file at `path` still has the size and modification time it had when it was
    /// read: a file replaced or appended to during its import is not recorded as imported.
    package func isUnchanged(at path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && Int64(info.st_size) == size && Self.modified(info) == modified
    }

    /// The modification time of `path` in nanoseconds since the epoch, or nil when it cannot be
    /// read (the import then says why).
    package static func modificationTime(of path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? modified(info) : nil
    }

    private static func modified(_ info: stat) -> Int64 {
        // `timespec` is two C longs, seconds then nanoseconds (Linux, LP64). Read as such rather
        // than by field name: which module owns `timespec`'s fields differs between a debug and a
        // whole-module build, and member-import visibility refuses the names in one of them.
        let (seconds, nanoseconds) = withUnsafeBytes(of: info.st_mtim) { $0.loadUnaligned(as: (Int, Int).self) }
        return Int64(seconds) * 1_000_000_000 + Int64(nanoseconds)
    }
}
