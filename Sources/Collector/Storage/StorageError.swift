#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file could not be read or written: the data folder is unwritable, the disk is full,
/// another run holds the lock. Exit code 3 (SPEC §1).
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or folder concerned.
    public var path: String
    /// What was being done: `open`, `write`, `fsync`, `rename`, `lock`, ….
    public var operation: String
    /// The errno, when the failure came from a system call.
    public var errno: Int32?
    /// A human explanation when there is no errno, or advice on top of it.
    public var detail: String?

    /// Creates an error from a failed system call.
    public init(path: String, operation: String, errno: Int32? = nil, detail: String? = nil) {
        self.path = path
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    /// `data/bilibili/2026-11/main.csv: write failed: No space left on device (free space, then re-run: …)`.
    public var description: String {
        var text = "\(path): \(operation) failed"
        if let errno { text += ": " + String(cString: strerror(errno)) }
        if let detail {
            text += " (\(detail))"
        } else if errno == ENOSPC {
            text += " (free disk space, then re-run: rows already written are intact)"
        } else if errno == EACCES || errno == EROFS {
            text += " (check that the folder exists and is writable by this user)"
        } else if errno == ENOENT, operation == "create" {
            text += " (check that the folder exists)"
        }
        return text
    }
}
