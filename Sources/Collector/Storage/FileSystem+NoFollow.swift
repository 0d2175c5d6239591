#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Opening a file of the collector's own folders (`state_dir`, `data_dir`) without ever
/// following a symbolic link: whoever can write into such a folder could otherwise plant a link
/// there and make the collector read, append to, create or cut a file anywhere else, with the
/// rights of the user it runs as.
extension FileSystem {
    /// Opens `path` without following a symbolic link (`O_NOFOLLOW`, with `O_CLOEXEC`, and
    /// `O_NONBLOCK` so that a FIFO put in its place cannot hang the run), and makes sure it is a
    /// regular file before anything is read from or written to it.
    /// - Parameters:
    ///   - flags: `O_RDONLY`, `O_RDWR | O_CREAT`, ….
    ///   - mode: The mode of a file `O_CREAT` creates.
    ///   - folderKey: The folder's configuration key (`state_dir`, `data_dir`), for the advice.
    ///   - advice: What to do about a file that could not be opened with an errno (nil: the
    ///     errno says it all); a symbolic link or a file that is not a regular one gets
    ///     ``notRegularAdvice(_:path:folderKey:)`` whatever it returns.
    /// - Returns: The descriptor; nil when the file does not exist and `flags` do not create it.
    /// - Throws: ``StorageError`` naming `path`, with the advice.
    package static func openRegularFile(
        _ path: String,
        _ flags: Int32,
        mode: UInt32,
        folderKey: String,
        advice: (_ path: String, _ errno: Int32) -> String? = { _, _ in nil }
    ) throws(StorageError) -> Int32? {
        let fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode_t(mode))
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT && flags & O_CREAT == 0 { return nil }
            var info = stat()
            let detail =
                lstat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
                ? notRegularAdvice(info.st_mode, path: path, folderKey: folderKey) : advice(path, code)
            throw StorageError(path: path, operation: "open", errno: code, detail: detail)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw StorageError(path: path, operation: "stat", errno: code)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw StorageError(
                path: path,
                operation: "open",
                detail: notRegularAdvice(info.st_mode, path: path, folderKey: folderKey)
            )
        }
        return fd
    }

    /// The advice for a file of `folderKey`'s folder that is not a regular file (`lstat`'s
    /// `mode`): a symbolic link is never followed and is to be removed; anything else is to be
    /// removed too, the collector writes the file itself.
    static func notRegularAdvice(_ mode: mode_t, path: String, folderKey: String) -> String {
        if mode & S_IFMT == S_IFLNK {
            return "is a symbolic link, which the collector never follows in \(folderKey): remove it (rm \(path));"
                + " the collector writes the file itself"
        }
        let kind = mode & S_IFMT == S_IFDIR ? "a folder" : "not a regular file"
        return "is \(kind), where the collector keeps a file: remove it; the collector writes the file itself"
    }
}
