#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Tokens, cursors and due times under `state_dir`: a folder created 0700 whose files are
/// 0600 and are replaced atomically (write a temporary file, fsync, rename, fsync the folder),
/// so a crash leaves either the old or the new content, never a mix.
///
/// The folder must be private to the user running the command (``StateFolder``), and no state
/// file is ever opened through a symbolic link.
///
/// In dry-run mode (`collector test`) reads work and writes are dropped.
public final class StateStore: Sendable {
    /// The folder.
    public let directory: String
    /// Whether writes are dropped.
    public let isReadOnly: Bool

    /// Opens (and creates, 0700) the state folder.
    /// - Throws: ``StorageError`` when the folder cannot be created, or when another user owns
    ///   it or may write to it (``StateFolder/privacyProblem(_:)``).
    public init(directory: String, readOnly: Bool = false) throws(StorageError) {
        self.directory = directory
        self.isReadOnly = readOnly
        do throws(StorageError) {
            if !readOnly { try FileSystem.makeDirectories(directory, mode: 0o700) }
            try StateFolder.requirePrivate(directory)
        } catch {
            throw error.about(.state)
        }
    }

    /// The content of the state file `name`, or nil when it does not exist. A symbolic link in
    /// its place is an error, never followed.
    /// - Parameter restrictToOwner: Set the file to 0600 when other users have access to it (a
    ///   token copied into place by hand, or written by a tool with a loose umask); not in
    ///   read-only mode. The mode is set on the opened file, so no link can redirect it.
    public func read(_ name: String, restrictToOwner: Bool = false) throws(StorageError) -> [UInt8]? {
        try StateFolder.readFileIfPresent(path(name), restrictToOwner: restrictToOwner && !isReadOnly)
    }

    /// Replaces the state file `name` atomically, with mode 0600.
    public func write(_ name: String, _ bytes: [UInt8]) throws(StorageError) {
        guard !isReadOnly else { return }
        do throws(StorageError) {
            try FileSystem.writeAtomically(path(name), bytes, mode: 0o600)
        } catch {
            throw error.about(.state)
        }
    }

    /// Checks that the state file `name` can be written now with up to `bytes` bytes, before an
    /// act that cannot be repeated (spending a single-use authorisation code) whose result must
    /// then be saved: a temporary of that size is created beside it, written, fsynced and
    /// removed, so a full disk, used-up inodes or a read-only mount show up first. Another
    /// process may still fill the disk in between. Does nothing in read-only mode.
    /// - Throws: ``StorageError`` (of kind ``StorageError/FileKind/state``) naming the file.
    public func checkRoom(for name: String, bytes: Int) throws(StorageError) {
        guard !isReadOnly else { return }
        let target = path(name)
        let fd: Int32
        let temporary: String
        do throws(StorageError) {
            (fd, temporary) = try FileSystem.createTemporary(beside: target, mode: 0o600)
        } catch {
            throw error.about(.state)
        }
        defer {
            FileSystem.closeDescriptor(fd)
            unlink(temporary)
        }
        let zeros = [UInt8](repeating: 0, count: bytes)
        let failure = zeros.withUnsafeBytes { buffer -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(fd, buffer, path: target)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure.about(.state) }
        // A network file system may report the full disk only when the data is flushed.
        guard fsync(fd) == 0 else { throw StorageError(path: target, operation: "fsync", errno: errno, kind: .state) }
    }

    /// Whether other users have any access to the state file `name` (a token copied into place
    /// by hand, or written by a tool with a loose umask).
    public func isOpenToOthers(_ name: String) -> Bool {
        var info = stat()
        return lstat(path(name), &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o077 != 0
    }

    /// Removes the state file `name` if it exists.
    public func remove(_ name: String) throws(StorageError) {
        guard !isReadOnly else { return }
        if unlink(path(name)) != 0 && errno != ENOENT {
            throw StorageError(path: path(name), operation: "remove", errno: errno, kind: .state)
        }
    }

    /// The full path of the state file `name`. Names are flat: `/` becomes `_`
    /// (``flatName(_:)``).
    public func path(_ name: String) -> String {
        directory + "/" + Self.flatName(name)
    }

    /// `name` as a file name in the folder: `/` becomes `_`, so `xhs/jinan` and `xhs_jinan` name
    /// one file (the configuration refuses two instance names that differ only so).
    public static func flatName(_ name: String) -> String {
        String(name.map { $0 == "/" ? "_" : $0 })
    }
}
