import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where `collector export` writes: stdout (no `-o`, or `-o -`), or the file `-o` names,
/// replaced only by a whole export.
///
/// A file is written as a temporary beside it (`<file>.tmp-<16 hex digits>`), fsynced and
/// renamed over it by ``commit()``: a failed export (exit 3) leaves the earlier file as it was,
/// and a killed one leaves it too, never a shorter file of whole lines that a scheduled loader
/// would take for a complete export. A path that is no regular file (`/dev/stdout`, a named
/// pipe) cannot be renamed over and is written directly.
struct ExportOutput {
    /// The descriptor to write the export to.
    let descriptor: Int32
    /// The file `-o` names, or nil for stdout.
    let path: String?
    /// The file renamed over ``path`` by ``commit()``; nil when written directly.
    private let temporary: String?
    /// The file the temporary replaces: ``path``, or the file a symbolic link there points to
    /// (the link stays a link).
    private let target: String?

    /// Opens the output `-o` names (`option`; nil or `-`: stdout). Nothing at that path changes
    /// before ``commit()``.
    init(option: String?) throws(StorageError) {
        guard let path = option, path != "-" else {
            (descriptor, self.path, temporary, target) = (1, nil, nil, nil)
            return
        }
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StorageError(path: path, operation: "open", errno: errno) }
            (descriptor, self.path, temporary, target) = (fd, path, nil, nil)
            return
        }
        // Through a symbolic link, the file it points to is replaced and the link kept.
        var target = path
        if exists, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        // The earlier file's permissions, or those a new file gets under the umask.
        let mode: UInt32
        if exists {
            mode = UInt32(status.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o644 & ~UInt32(mask)
        }
        let (fd, temporary) = try FileSystem.createTemporary(beside: target, mode: mode)
        (descriptor, self.path, self.temporary, self.target) = (fd, path, temporary, target)
    }

    /// Makes the export visible at ``path``: fsync, then rename of the temporary over it; closes
    /// the descriptor. On failure the temporary is removed and ``path`` keeps what it held.
    func commit() throws(StorageError) {
        guard let path else { return }
        guard let temporary, let target else {
            FileSystem.closeDescriptor(descriptor)
            return
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            discard()
            throw StorageError(path: path, operation: "fsync", errno: code)
        }
        close(descriptor)
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError(path: path, operation: "rename", errno: code)
        }
        FileSystem.syncDirectory(of: target)
    }

    /// Gives up the export after a failure (instead of ``commit()``): the temporary is closed
    /// and removed, ``path`` keeps what it held.
    func discard() {
        guard path != nil else { return }
        FileSystem.closeDescriptor(descriptor)
        if let temporary { unlink(temporary) }
    }
}
