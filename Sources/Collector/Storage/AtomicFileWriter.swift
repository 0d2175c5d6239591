#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file replaced atomically while it is written in chunks: a temporary file in the same
/// folder, fsync, rename over the target, fsync of the folder.
struct AtomicFileWriter {
    let path: String
    let temporaryPath: String
    let descriptor: Int32
    var bytes: [UInt8] = []
    private var closed = false

    init(path: String) throws(StorageError) {
        self.path = path
        (descriptor, temporaryPath) = try FileSystem.createTemporary(beside: path, mode: 0o644)
        bytes.reserveCapacity(1 << 20 + 4096)
    }

    mutating func writePending() throws(StorageError) {
        let descriptor = descriptor
        let temporaryPath = temporaryPath
        let failure = bytes.withUnsafeBytes { buffer -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(descriptor, buffer, path: temporaryPath)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes what is pending and makes the temporary file durable, without renaming it: for a
    /// caller that renames several files together (``CompactionMarker``).
    mutating func finish() throws(StorageError) {
        try writePending()
        guard fsync(descriptor) == 0 else { throw StorageError(path: temporaryPath, operation: "fsync", errno: errno) }
        close(descriptor)
        closed = true
    }

    mutating func commit() throws(StorageError) {
        try finish()
        guard rename(temporaryPath, path) == 0 else {
            throw StorageError(path: path, operation: "rename", errno: errno)
        }
        FileSystem.syncDirectory(of: path)
    }

    mutating func abandon() {
        if !closed { close(descriptor) }
        closed = true
        unlink(temporaryPath)
    }
}
