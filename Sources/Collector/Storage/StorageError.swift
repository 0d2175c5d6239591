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
    /// What the file holds, which decides what a full disk's advice says is kept.
    public var kind: FileKind
    /// On a full disk (`ENOSPC`), the folder whose file system has no free inodes left though
    /// it may have free bytes (`df -i`, not `df -h`); nil when the bytes ran out.
    public var inodesExhaustedIn: String?

    /// What a file holds, for the advice of ``description`` on a full disk: each kind keeps
    /// something different when a write fails.
    public enum FileKind: Sendable, Hashable {
        /// Collected rows (a partition, a staging file, the data folder): a failed write is cut
        /// back to whole rows, and a re-run writes the rest.
        case rows
        /// A file under `state_dir` (cursor, token, schedule, metrics): replaced whole or
        /// appended to by whole lines, so what was saved before is kept.
        case state
        /// A file a command writes for the user (`export -o`, `report -o`, `compact`'s
        /// rewrite): replaced whole, so nothing of it is kept and an earlier file stays as it was.
        case output
    }

    /// Creates an error from a failed system call. On `ENOSPC` it looks at the file system of
    /// `path`'s folder once (one `statvfs`, on this error path only) to tell used-up inodes
    /// from used-up bytes.
    public init(
        path: String,
        operation: String,
        errno: Int32? = nil,
        detail: String? = nil,
        kind: FileKind = .rows
    ) {
        self.path = path
        self.operation = operation
        self.errno = errno
        self.detail = detail
        self.kind = kind
        if errno == ENOSPC { inodesExhaustedIn = Self.folderWithoutFreeInodes(near: path) }
    }

    /// The same error about a file of `kind`: callers that know what the file holds say so on
    /// the way up.
    public func about(_ kind: FileKind) -> StorageError {
        var copy = self
        copy.kind = kind
        return copy
    }

    /// On a full disk, what to free: `free disk space`, or, when the inodes ran out, which file
    /// system's files to remove. Nil for another error.
    public var spaceAdvice: String? {
        guard errno == ENOSPC else { return nil }
        guard let folder = inodesExhaustedIn else { return "free disk space" }
        return "no free inodes on the file system of \(folder) (df -i): remove files there"
    }

    /// `data/bilibili/2026-11/main.csv: write failed: No space left on device (free disk space, then re-run: …)`.
    public var description: String {
        var text = "\(path): \(operation) failed"
        if let errno { text += ": " + String(cString: strerror(errno)) }
        if let detail {
            text += " (\(detail))"
        } else if let free = spaceAdvice {
            switch kind {
            case .rows: text += " (\(free), then re-run: rows already written are intact)"
            case .state: text += " (\(free), then re-run: the state saved before is kept)"
            case .output: text += " (\(free), then re-run: nothing was replaced, an earlier file is kept as it was)"
            }
        } else if errno == EACCES || errno == EROFS {
            text += " (check that the folder exists and is writable by this user)"
        } else if errno == ENOENT, operation == "create" {
            text += " (check that the folder exists)"
        }
        return text
    }

    /// The nearest existing folder above `path` when its file system has inodes and none is
    /// free; nil otherwise. A file system that reports no inodes at all (btrfs makes them as it
    /// goes: `f_files` is 0) never runs out of them.
    private static func folderWithoutFreeInodes(near path: String) -> String? {
        var folder = path
        for _ in 0..<64 {
            if let slash = folder.lastIndex(of: "/") {
                folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
            } else {
                folder = "."
            }
            var info = statvfs()
            if statvfs(folder, &info) == 0 {
                return info.f_files > 0 && (info.f_favail == 0 || info.f_ffree == 0) ? folder : nil
            }
            // A folder not made yet: the file system is the one of the folder above it.
            guard folder != "/", folder != "." else { return nil }
        }
        return nil
    }
}
