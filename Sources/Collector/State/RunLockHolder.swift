#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What a run lock file says about the process that took it: its pid on the first line and,
/// on the second, what it does (`run`, `run shard 0/3`, `compact shard 0/3`). A process of
/// the same instance reads it to tell whether another layout collects beside it (a run without
/// `--shard` beside shards, or shards of two counts): those would collect accounts twice.
///
/// Files written before session 16 hold only the pid: they read as a holder that does not
/// collect, so they never refuse a run.
public struct RunLockHolder: Sendable, Hashable {
    /// The lock file.
    public var path: String
    /// The holder's pid, when the file names one.
    public var pid: Int32?
    /// Whether the holder is `collector run` (the only command that collects accounts).
    public var collects: Bool
    /// The shard the holder was started with, if any.
    public var shard: Shard?

    /// Creates a record.
    public init(path: String, pid: Int32?, collects: Bool, shard: Shard?) {
        self.path = path
        self.pid = pid
        self.collects = collects
        self.shard = shard
    }

    /// The file's text for a holder: `8266\nrun shard 0/3\n`.
    static func text(pid: Int32, collects: Bool, shard: Shard?) -> String {
        "\(pid)\n" + (collects ? "run" : "other") + (shard.map { " shard \($0)" } ?? "") + "\n"
    }

    /// Reads the record of `path`'s text (`bytes`); a file that holds only a pid reads as a
    /// holder that does not collect.
    init(path: String, bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let words = lines.count > 1 ? lines[1].split(separator: " ") : []
        self.init(
            path: path,
            pid: lines.first.flatMap { Int32($0) },
            collects: words.first == "run",
            shard: words.count == 3 && words[1] == "shard" ? Shard(parsing: String(words[2])) : nil
        )
    }

    /// The lock files of `instance` and of its shards (`<instance>.lock`,
    /// `<instance>-shard-K.lock`) in `stateDirectory` that a live process holds, other than
    /// `own`, sorted by path. A start-up check: one listing of the folder and an open, a
    /// shared `flock` try and a read per file, nothing per request.
    ///
    /// The try holds a shared lock for an instant, which a process taking that lock at the same
    /// moment would meet; ``RunLock/acquire(stateDirectory:instance:purpose:calendar:collects:shard:)``
    /// tries again before it takes a lock for held, so such a meeting refuses nobody.
    public static func live(stateDirectory: String, instance: String, excluding own: String) -> [RunLockHolder] {
        FileSystem.list(stateDirectory).sorted().compactMap { name -> RunLockHolder? in
            guard name.hasSuffix(".lock") else { return nil }
            let holder = String(name.dropLast(".lock".count))
            guard holder != own, OtherInstanceState.isOwn(holder, instance: instance) else { return nil }
            let path = stateDirectory + "/" + name
            guard let fd = try? StateFolder.openFile(path, O_RDONLY) else { return nil }
            defer { close(fd) }
            var result: Int32 = 0
            var code: Int32 = 0
            repeat {
                result = flock(fd, LOCK_SH | LOCK_NB)
                code = errno
            } while result != 0 && code == EINTR
            guard result != 0 else {
                flock(fd, LOCK_UN)
                return nil
            }
            guard code == EWOULDBLOCK else { return nil }
            var bytes = [UInt8](repeating: 0, count: 64)
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            return RunLockHolder(path: path, bytes: count > 0 ? Array(bytes[..<count]) : [])
        }
    }

    /// `collector pid 8266 (shard 0/3, lock state/main-shard-0.lock)`.
    public var description: String {
        "collector " + (pid.map { "pid \($0)" } ?? "process") + " ("
            + (shard.map { "shard \($0), " } ?? "without --shard, ") + "lock \(path))"
    }
}
