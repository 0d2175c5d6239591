import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs of one instance in two layouts on one state folder (review r16-shards): a run without
/// `--shard` beside the shards, shards of two counts, and the files a lower count retires. The
/// "other process" is a lock taken here: `flock` locks belong to the open file, so a second
/// open of the file meets them as another process would.
@Suite(.serialized)
struct ShardLayoutTests {
    private func shardLock(_ state: String, _ index: Int, of count: Int) throws -> RunLock {
        try RunLock.acquire(
            stateDirectory: state,
            instance: "main-shard-\(index)",
            collects: true,
            shard: Shard(index: index, count: count)
        )
    }

    /// F1: an unsharded run (a cron job left from before sharding) beside running shards
    /// would collect every account again; it is refused, naming the shards and their locks.
    @Test func aRunWithoutShardIsRefusedBesideRunningShards() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let shards = [try shardLock(state, 0, of: 2), try shardLock(state, 1, of: 2)]
        let own = try RunLock.acquire(stateDirectory: state, instance: "main", collects: true)
        let error = #expect(throws: ShardLayoutConflict.self) {
            try ShardLayoutConflict.check(stateDirectory: state, instance: "main", shard: nil, purpose: .tick)
        }
        let text = error?.description ?? ""
        #expect(
            text.hasPrefix(
                "run skipped: shards of instance \"main\" are running on this state folder: collector pid \(getpid())"
                    + " (shard 0/2, lock \(state)/main-shard-0.lock), collector pid \(getpid()) (shard 1/2, lock"
                    + " \(state)/main-shard-1.lock); a run without --shard beside them would collect every account"
            ),
            "\(text)"
        )
        #expect(text.contains("stop every shard first"), "\(text)")
        shards.forEach { $0.release() }
        // Stopped shards leave their lock files: only a held one refuses.
        try ShardLayoutConflict.check(stateDirectory: state, instance: "main", shard: nil, purpose: .tick)
        own.release()
    }

    /// F1, the other way round: a shard beside the unsharded service.
    @Test func aShardIsRefusedBesideTheUnshardedRun() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let unsharded = try RunLock.acquire(stateDirectory: state, instance: "main", collects: true)
        let own = try shardLock(state, 0, of: 2)
        let error = #expect(throws: ShardLayoutConflict.self) {
            try ShardLayoutConflict.check(
                stateDirectory: state,
                instance: "main",
                shard: Shard(index: 0, count: 2),
                purpose: .service
            )
        }
        #expect(
            error?.description.hasPrefix(
                "service not started: instance \"main\" is running without --shard on this state folder: collector pid"
                    + " \(getpid()) (without --shard, lock \(state)/main.lock); shard 0/2 beside it"
            ) == true,
            "\(error?.description ?? "")"
        )
        unsharded.release()
        own.release()
    }

    /// F2: shards of two counts (0/2 started while 1/3 and 2/3 run) share accounts; the new
    /// one is refused with the advice to stop every shard before changing the count. Shards of
    /// one count run side by side.
    @Test func aShardIsRefusedBesideShardsOfAnotherCount() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let old = [try shardLock(state, 1, of: 3), try shardLock(state, 2, of: 3)]
        try ShardLayoutConflict.check(
            stateDirectory: state,
            instance: "main",
            shard: Shard(index: 1, count: 3),
            purpose: .service
        )
        let own = try shardLock(state, 0, of: 2)
        let error = #expect(throws: ShardLayoutConflict.self) {
            try ShardLayoutConflict.check(
                stateDirectory: state,
                instance: "main",
                shard: Shard(index: 0, count: 2),
                purpose: .service
            )
        }
        let text = error?.description ?? ""
        #expect(text.contains("(shard 1/3, lock \(state)/main-shard-1.lock)"), "\(text)")
        #expect(text.contains("(shard 2/3, lock \(state)/main-shard-2.lock), and this is shard 0/2"), "\(text)")
        #expect(
            text.hasSuffix(
                "Stop every shard of instance \"main\" before changing the count, then start them all with --shard K/2"
                    + " (docs/operations.md, \"Scale-out: shards\")"
            ),
            "\(text)"
        )
        old.forEach { $0.release() }
        own.release()
    }

    /// Only runs collect: an import or a compaction holding a lock of the instance, or a lock
    /// file written before session 16 (a pid alone), refuses no run.
    @Test func importsCompactionsAndOldLockFilesRefuseNoRun() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let compaction = try RunLock.acquire(
            stateDirectory: state,
            instance: "main-shard-0",
            purpose: .compact(shard: Shard(index: 0, count: 3)),
            shard: Shard(index: 0, count: 3)
        )
        let importing = try RunLock.acquire(stateDirectory: state, instance: "main", purpose: .import)
        #expect(try directory.read("state/main.lock") == Array("\(getpid())\nother\n".utf8))
        try ShardLayoutConflict.check(stateDirectory: state, instance: "main", shard: nil, purpose: .tick)
        try ShardLayoutConflict.check(
            stateDirectory: state,
            instance: "main",
            shard: Shard(index: 1, count: 2),
            purpose: .tick
        )
        compaction.release()
        importing.release()
        let holders = RunLockHolder.live(stateDirectory: state, instance: "main", excluding: "main-shard-1")
        #expect(holders.isEmpty)
    }

    /// F3: the advice of a refused `compact --shard K/N` repeats the command with its
    /// `--shard` (without it, `collector compact` checks none of the shard's files).
    @Test func theCompactionAdviceRepeatsTheShard() {
        let sharded = RunLock.Purpose.compact(shard: Shard(index: 0, count: 2)).advice
        #expect(
            sharded.contains(
                "(systemctl stop the unit of shard 0/2; collector compact --shard 0/2; systemctl start the unit of"
                    + " shard 0/2)"
            ),
            "\(sharded)"
        )
        let whole = RunLock.Purpose.compact(shard: nil).advice
        #expect(whole.contains("(systemctl stop collector; collector compact; systemctl start collector)"), "\(whole)")
    }

    /// F4: after going from 3 shards to 2, shard 2's state files are found by the count a
    /// shard runs with, or by the count the latest shard lock records (for `check`).
    @Test func findsTheFilesOfShardsALowerCountRetired() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        for index in 0..<3 { try shardLock(state, index, of: 3).release() }
        for name in ["collector-main-shard-2.prom", "schedule-main-shard-2.tsv", "schedule-main-shard-10.journal"] {
            _ = try directory.write("", to: "state/" + name)
        }
        _ = try directory.write("", to: "state/collector-main-shard-x.prom")
        _ = try directory.write("", to: "state/collector-other-shard-5.prom")
        #expect(RetiredShardFiles.latestCount(stateDirectory: state, instance: "main") == 3)
        #expect(RetiredShardFiles.find(stateDirectory: state, instance: "main", count: 3)?.indexes == [10])
        // The latest shard lock is the one the current count's run took last: the old layout's
        // locks are dated back rather than waited for.
        for index in 0..<3 {
            var old = utimbuf(actime: 1_000_000_000, modtime: 1_000_000_000)
            #expect(utime(state + "/main-shard-\(index).lock", &old) == 0)
        }
        try shardLock(state, 0, of: 2).release()
        #expect(RetiredShardFiles.latestCount(stateDirectory: state, instance: "main") == 2)
        let retired = try #require(RetiredShardFiles.find(stateDirectory: state, instance: "main", count: 2))
        #expect(retired.indexes == [2, 10])
        #expect(
            retired.files
                == [
                    "collector-main-shard-2.prom", "main-shard-2.lock", "schedule-main-shard-10.journal",
                    "schedule-main-shard-2.tsv",
                ].map { state + "/" + $0 }
        )
        let text = retired.warning(instance: "main")
        #expect(
            text.hasPrefix(
                "shards 2, 10 (main-shard-2, main-shard-10) of a former, larger shard count left state files, but"
                    + " instance \"main\" now runs as 2 shards (--shard K/2)"
            ),
            "\(text)"
        )
        #expect(text.contains("; once their accounts have been collected by the current shards"), "\(text)")
        #expect(
            text.hasSuffix(
                "rm " + retired.files.joined(separator: " ") + " (their part files in data_dir stay: they are data)"
            )
        )
        #expect(RetiredShardFiles.find(stateDirectory: state, instance: "main", count: 11) == nil)
    }
}
