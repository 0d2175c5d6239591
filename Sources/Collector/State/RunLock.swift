import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The run lock: an exclusive `flock` on `<state_dir>/<instance>.lock`, held while a run
/// writes (STYLE §6). One lock per instance name, so shards sharing a state folder do not
/// block each other. The kernel drops the lock when the process dies, so a crash never leaves
/// a stale lock behind.
public final class RunLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// What to tell an operator whose `collector run` meets the lock.
    public static let runHint = "wait for it to finish, or give this run another instance name"
    /// What to tell an operator whose `import` meets the lock: a service holds it for as long
    /// as it runs, so waiting does not help.
    public static let importHint =
        "if it is the service (collector run without --once), which holds the lock while it runs,"
        + " stop it for this command, or let it import the files from the paths of an"
        + " [[adapters.import]] section (docs/operations.md)"
    /// What to tell an operator whose `compact` meets the lock: only a stopped service lets it
    /// through (the service never compacts by itself).
    public static let compactHint =
        "if it is the service (collector run without --once), which holds the lock while it runs,"
        + " stop it for the compaction and start it again afterwards (systemctl stop collector;"
        + " collector compact; systemctl start collector): it carries on where it stopped"
        + " (docs/operations.md); if it is a collector run --once, wait for it to finish"

    /// Takes the lock of `instance`, creating the state folder (0700) and the lock file (0600).
    /// - Parameter hint: what to do when another process holds it (``runHint``, ``importHint``,
    ///   ``compactHint``).
    /// - Throws: ``StorageError`` when another run holds it (naming its pid), the folder is
    ///   unwritable or not private (``StateFolder/privacyProblem(_:)``), or the lock file is a
    ///   symbolic link or belongs to another user (the message names the owner and the fix).
    public static func acquire(
        stateDirectory: String,
        instance: String,
        hint: String = runHint
    ) throws(StorageError) -> RunLock {
        guard CollectorSettings.isSafeInstanceName(instance) else {
            throw StorageError(
                path: stateDirectory,
                operation: "lock",
                detail: "instance name \"\(instance)\" cannot name a file; use letters, digits, -, _ and . (not first)"
            )
        }
        try FileSystem.makeDirectories(stateDirectory, mode: 0o700)
        // Before any file in it is opened: a folder others may write to could hold their links.
        try StateFolder.requirePrivate(stateDirectory)
        let path = stateDirectory + "/" + instance + ".lock"
        // Never through a link: the pid written below would overwrite the link's target.
        guard let fd = try StateFolder.openFile(path, O_RDWR | O_CREAT) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK {
                let holder = holderPID(fd).map { ", pid \($0)" } ?? ""
                close(fd)
                throw StorageError(
                    path: path,
                    operation: "lock",
                    detail: "the lock of instance \"\(instance)\" is held by another collector run\(holder); \(hint)"
                )
            }
            close(fd)
            throw StorageError(path: path, operation: "lock", errno: code)
        }
        // The holder's pid, for whoever wonders which process has it (not used for locking).
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return RunLock(path: path, descriptor: fd)
    }

    /// The pid the holder wrote into the lock file, if it reads as one.
    private static func holderPID(_ fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self))
    }

    /// Releases the lock; releasing twice does nothing.
    public func release() {
        descriptor.withLock { descriptor in
            guard let fd = descriptor else { return }
            descriptor = nil
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    deinit { release() }
}
