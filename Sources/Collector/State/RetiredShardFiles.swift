#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The state files of shards a lower shard count retired: after going from `--shard K/3` to
/// `--shard K/2`, shard 2's self-metrics `collector-main-shard-2.prom`, its schedule and
/// journal and its lock stay in `state_dir`. Nothing writes that self-metrics file again, and
/// node_exporter's textfile collector reads every `*.prom` of its folder, so its frozen
/// `collector_last_success_timestamp_seconds` fires the staleness alert for good. A shard run
/// and `collector check` warn with the files to remove (its part files in `data_dir` stay:
/// they are data). One listing of the folder, at start-up.
public struct RetiredShardFiles: Sendable, Hashable {
    /// The retired shards' indexes, ascending.
    public var indexes: [Int]
    /// Their files in the state folder, as paths.
    public var files: [String]
    /// The shard count the instance runs with now.
    public var count: Int

    /// Creates the record.
    public init(indexes: [Int], files: [String], count: Int) {
        self.indexes = indexes
        self.files = files
        self.count = count
    }

    /// The files in `stateDirectory` of the shards of `instance` with an index of `count` or
    /// more, or nil when there are none.
    public static func find(stateDirectory: String, instance: String, count: Int) -> RetiredShardFiles? {
        var indexes: Set<Int> = []
        var files: [String] = []
        for name in FileSystem.list(stateDirectory).sorted() {
            guard let index = shardIndex(of: name, instance: instance), index >= count else { continue }
            indexes.insert(index)
            files.append(stateDirectory + "/" + name)
        }
        return files.isEmpty ? nil : RetiredShardFiles(indexes: indexes.sorted(), files: files, count: count)
    }

    /// The shard count of `instance`'s latest shard run or compaction, as recorded in the lock
    /// file it took (``RunLockHolder``; the one modified last), or nil when no shard lock
    /// records one (no shards, or only files from before session 16). For `collector check`,
    /// which has no `--shard`.
    public static func latestCount(stateDirectory: String, instance: String) -> Int? {
        var latest: (modified: Int, count: Int)?
        for name in FileSystem.list(stateDirectory) where name.hasSuffix(".lock") {
            guard shardIndex(of: name, instance: instance) != nil else { continue }
            let path = stateDirectory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0,
                let bytes = try? StateFolder.readFileIfPresent(path),
                let shard = RunLockHolder(path: path, bytes: bytes).shard
            else { continue }
            let modified = withUnsafeBytes(of: info.st_mtim) { $0.loadUnaligned(as: Int.self) }
            if latest.map({ modified > $0.modified }) ?? true { latest = (modified, shard.count) }
        }
        return latest?.count
    }

    /// The shard index `name` is a state file of (`collector-main-shard-2.prom`,
    /// `schedule-main-shard-2.tsv` or `.journal`, `main-shard-2.lock`), if it is one.
    static func shardIndex(of name: String, instance: String) -> Int? {
        let prefix = instance + "-shard-"
        var stem = Substring(name)
        if stem.hasPrefix("collector-") && stem.hasSuffix(".prom") {
            stem = stem.dropFirst("collector-".count).dropLast(".prom".count)
        } else if stem.hasPrefix("schedule-") && (stem.hasSuffix(".tsv") || stem.hasSuffix(".journal")) {
            stem = stem.dropFirst("schedule-".count).dropLast(stem.hasSuffix(".tsv") ? 4 : 8)
        } else if stem.hasSuffix(".lock") {
            stem = stem.dropLast(".lock".count)
        } else {
            return nil
        }
        guard stem.hasPrefix(prefix) else { return nil }
        let digits = stem.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// What a shard run and `check` say: the files, why they matter, and what to do.
    /// - Parameter instance: `[collector] instance`.
    public func warning(instance: String) -> String {
        let names = indexes.map { "\(instance)-shard-\($0)" }.joined(separator: ", ")
        let named =
            (indexes.count == 1 ? "shard " : "shards ") + indexes.map(String.init).joined(separator: ", ")
            + " (\(names))"
        return "\(named) of a former, larger shard count left state files, but instance \"\(instance)\" now runs as"
            + " \(count) shard\(count == 1 ? "" : "s") (--shard K/\(count)): nothing writes their self-metrics any"
            + " more, so node_exporter keeps exporting their frozen collector_last_success_timestamp_seconds and the"
            + " staleness alert fires for good; once their accounts have been collected by the current shards (a"
            + " round after the change), remove them: rm "
            + files.map(OtherInstanceState.shellQuoted).joined(separator: " ")
            + " (their part files in data_dir stay: they are data)"
    }
}
