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
///
/// The replacement is a best effort, never a new way to fail: an existing file whose folder
/// this user cannot write to, or whose owner or group the temporary cannot be given, is
/// written in place as before (``notice`` says so), so a loader's file keeps its owner.
struct ExportOutput {
    /// The descriptor to write the export to.
    let descriptor: Int32
    /// The file `-o` names, or nil for stdout.
    let path: String?
    /// One line for stderr when the file is written in place instead of replaced whole.
    let notice: String?
    /// The file renamed over ``path`` by ``commit()``; nil when written directly.
    private let temporary: String?
    /// The file the temporary replaces: ``path``, or the file a symbolic link there points to
    /// (the link stays a link).
    private let target: String?

    /// Opens the output `-o` names (`option`; nil or `-`: stdout). Nothing at that path changes
    /// before ``commit()``, unless it is written in place (``notice``).
    init(option: String?) throws(StorageError) {
        do {
            try self.init(opening: option)
        } catch {
            throw error.about(.output)
        }
    }

    private init(opening option: String?) throws(StorageError) {
        guard let path = option, path != "-" else {
            (descriptor, self.path, notice, temporary, target) = (1, nil, nil, nil, nil)
            return
        }
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StorageError(path: path, operation: "open", errno: errno) }
            (descriptor, self.path, notice, temporary, target) = (fd, path, nil, nil, nil)
            return
        }
        // Through a symbolic link, the file it points to is replaced and the link kept; a link
        // to a file not created yet creates that file.
        var target = path
        if exists, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        } else if !exists {
            target = try Self.danglingTarget(of: path)
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
        let fd: Int32
        let temporary: String
        do {
            (fd, temporary) = try FileSystem.createTemporary(beside: target, mode: mode)
        } catch {
            // A file this user may write in a folder it may not (EACCES, EPERM), or on a
            // read-only mount (EROFS, where the in-place open fails and says so).
            guard exists, let code = error.errno, [EACCES, EPERM, EROFS].contains(code) else { throw error }
            let why = "the folder is not writable by this user (\(String(cString: strerror(code))))"
            self = try Self.inPlace(path, target: target, why: why)
            return
        }
        // The loader's file keeps its owner and group (a root cron job exporting to a file of
        // user nobody); the temporary is this user's until then.
        var created = stat()
        if exists, fstat(fd, &created) == 0, created.st_uid != status.st_uid || created.st_gid != status.st_gid {
            guard fchown(fd, status.st_uid, status.st_gid) == 0, fchmod(fd, mode_t(mode)) == 0 else {
                let code = errno
                FileSystem.closeDescriptor(fd)
                unlink(temporary)
                let why = "its owner or group cannot be kept by a new file (\(String(cString: strerror(code))))"
                self = try Self.inPlace(path, target: target, why: why)
                return
            }
        }
        (descriptor, self.path, notice, self.temporary, self.target) = (fd, path, nil, temporary, target)
    }

    /// Opens `target`, the existing file `path` leads to, to be truncated and written in place,
    /// as `export -o` did before it replaced files whole: the file keeps its owner, but a
    /// failed export leaves it incomplete.
    private init(inPlace path: String, target: String, notice: String) throws(StorageError) {
        let fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(path: path, operation: "open", errno: errno) }
        (descriptor, self.path, self.notice, temporary, self.target) = (fd, path, notice, nil, nil)
    }

    private static func inPlace(_ path: String, target: String, why: String) throws(StorageError) -> Self {
        try Self(
            inPlace: path,
            target: target,
            notice: "export: writing \(path) in place, not replacing it whole, as \(why): "
                + "a failed export leaves it incomplete"
        )
    }

    /// The file a symbolic link at `path` leads to when it does not exist yet (links followed
    /// as `open` would, a relative one from its own folder); `path` itself when there is no link.
    static func danglingTarget(of path: String) throws(StorageError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + link
            } else {
                current = link
            }
        }
        throw StorageError(path: path, operation: "open", errno: ELOOP)
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
            throw StorageError(path: path, operation: "fsync", errno: code, kind: .output)
        }
        close(descriptor)
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError(path: path, operation: "rename", errno: code, kind: .output)
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
