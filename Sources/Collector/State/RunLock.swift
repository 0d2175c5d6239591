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

    /// What a command that meets the lock did and what fits it: the refusal that starts the
    /// message (``RunLockHeld``) and the advice that ends it.
    public struct Purpose: Sendable, Hashable {
        /// What the command did: `run skipped`, `import not started`.
        public var refusal: String
        /// What to do about it.
        public var advice: String

        /// Creates a purpose.
        public init(refusal: String, advice: String) {
            self.refusal = refusal
            self.advice = advice
        }

        /// `collector run --once` (cron, a systemd timer, a CronJob): a tick that meets a run
        /// still going. Another instance name is no way out: it would collect every account
        /// again into other part files (docs/operations.md).
        public static let tick = Purpose(
            refusal: "run skipped",
            advice: "this run collected nothing, and what is due stays due for the next one. Nothing to do if"
                + " this happens now and then; if every tick meets a run still going, the runs take longer than"
                + " the tick: lower the load (fewer accounts or a longer interval per instance, or --shard K/N"
                + " over more machines) or tick less often (docs/operations.md, \"Overlapping runs\")"
        )
        /// `collector run` as a service: a second service, or a pod of a rolling update.
        public static let service = Purpose(
            refusal: "service not started",
            advice: "one process runs an instance at a time: if it is another service (a second unit, or the old"
                + " pod of a rolling update: use the Deployment strategy Recreate), stop it first; if it is a"
                + " collector run --once, start the service when it has finished (docs/operations.md)"
        )
        /// `collector import`: a service holds the lock for as long as it runs, so waiting
        /// does not help.
        public static let `import` = Purpose(
            refusal: "import not started",
            advice: "nothing was imported; if it is the service (collector run without --once), which holds the"
                + " lock while it runs, stop it for this command, or let it import the files from the paths of an"
                + " [[adapters.import]] section (docs/operations.md); if it is a collector run --once, import"
                + " when it has finished"
        )
        /// `collector compact` (with `--shard K/N`: `shard`): only a stopped service lets it
        /// through (the service never compacts by itself). The advice repeats the command as
        /// given: a shard's files are compacted only with its `--shard`, and `collector compact`
        /// without it would check none of them.
        public static func compact(shard: Shard?) -> Purpose {
            let command = "collector compact" + (shard.map { " --shard \($0)" } ?? "")
            let unit = shard.map { "the unit of shard \($0)" } ?? "collector"
            return Purpose(
                refusal: "compaction not started",
                advice: "nothing was rewritten; if it is the service (collector run without --once), which holds the"
                    + " lock while it runs, stop it for the compaction and start it again afterwards (systemctl stop"
                    + " \(unit); \(command); systemctl start \(unit)): it carries on where it stopped"
                    + " (docs/operations.md); if it is a collector run --once, wait for it to finish"
            )
        }
    }

    /// Takes the lock of `instance`, creating the state folder (0700) and the lock file (0600).
    /// - Parameters:
    ///   - purpose: what the command does, for the message when another process holds the lock.
    ///   - calendar: the configured timezone, in which the message shows when the holder started.
    ///   - collects: whether the command is `collector run`, recorded in the file for
    ///     ``RunLockHolder/live(stateDirectory:instance:excluding:)``.
    ///   - shard: the `--shard` the command was given, recorded in the file likewise.
    /// - Throws: ``RunLockHeld`` when another process holds it (naming its pid and since when);
    ///   ``StorageError`` when the folder is unwritable or not private
    ///   (``StateFolder/privacyProblem(_:)``), or the lock file is a symbolic link or belongs to
    ///   another user (the message names the owner and the fix).
    public static func acquire(
        stateDirectory: String,
        instance: String,
        purpose: Purpose = .tick,
        calendar: PlatformCalendar = .beijing,
        collects: Bool = false,
        shard: Shard? = nil
    ) throws -> RunLock {
        guard CollectorSettings.isSafeInstanceName(instance) else {
            throw StorageError(
                path: stateDirectory,
                operation: "lock",
                detail: "instance name \"\(instance)\" cannot name a file; use letters, digits, -, _ and . (not first)"
            )
        }
        let path = stateDirectory + "/" + instance + ".lock"
        let opened: Int32?
        do throws(StorageError) {
            try FileSystem.makeDirectories(stateDirectory, mode: 0o700)
            // Before any file in it is opened: a folder others may write to could hold their links.
            try StateFolder.requirePrivate(stateDirectory)
            // Never through a link: the pid written below would overwrite the link's target.
            opened = try StateFolder.openFile(path, O_RDWR | O_CREAT)
        } catch {
            throw error.about(.state)
        }
        guard let fd = opened else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        // A process of a sibling layout checking whether this lock is held holds it shared for
        // an instant (RunLockHolder.live): met that way, the lock is free a moment later.
        var instantsLeft = 5
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK, instantsLeft > 0 {
                instantsLeft -= 1
                usleep(2_000)
                continue
            }
            if code == EWOULDBLOCK {
                let pid = holderPID(fd)
                // The holder wrote its pid when it took the lock: the file's modification time
                // is when that was (older versions wrote it the same way).
                var status = stat()
                // `timespec`'s members are not visible in every build configuration (member
                // import visibility); its first word is the seconds.
                let since =
                    fstat(fd, &status) == 0
                    ? Timestamp(
                        secondsSinceEpoch: Int64(withUnsafeBytes(of: status.st_mtim) { $0.loadUnaligned(as: Int.self) })
                    ) : nil
                close(fd)
                throw RunLockHeld(
                    path: path,
                    instance: instance,
                    holderPID: pid,
                    heldFor: since.map { Int64(time(nil)) - $0.secondsSinceEpoch },
                    holderSinceText: since.map { calendar.render($0) },
                    purpose: purpose
                )
            }
            close(fd)
            throw StorageError(path: path, operation: "lock", errno: code)
        }
        // The holder's pid, for whoever wonders which process has it (not used for locking), and
        // what it does, for the processes of the instance's other layouts (RunLockHolder).
        let pid = Array(RunLockHolder.text(pid: getpid(), collects: collects, shard: shard).utf8)
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
