/// A run of an instance met a run of the same instance in another layout on its state folder:
/// a run without `--shard` beside its shards, or shards of two counts (`0/2` beside `1/3`).
/// Each collects its own accounts under its own lock, so the locks do not meet, but the two
/// layouts share accounts: every one of them would be collected twice (and, for keys written
/// again, into two part files; docs/operations.md, "Scale-out: shards"). The run refuses to
/// start; SPEC §1 gives it the exit code of a lock held (3).
public struct ShardLayoutConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// `[collector] instance`, without a shard suffix.
    public var instance: String
    /// The refused run's shard, or nil for a run without `--shard`.
    public var shard: Shard?
    /// The live runs of the other layout.
    public var holders: [RunLockHolder]
    /// What the refused command did (`run skipped`, `service not started`).
    public var purpose: RunLock.Purpose

    /// Creates the error.
    public init(instance: String, shard: Shard?, holders: [RunLockHolder], purpose: RunLock.Purpose) {
        self.instance = instance
        self.shard = shard
        self.holders = holders
        self.purpose = purpose
    }

    /// Refuses a run of `instance` under `shard` (nil: without `--shard`) while a run of another
    /// layout of the instance holds its lock in `stateDirectory`: for a run without `--shard`,
    /// any shard; for a shard, the run without `--shard` or a shard of another count. Call it
    /// with the run's own lock held, so that of two layouts starting together at least one
    /// sees the other. A start-up check (``RunLockHolder/live(stateDirectory:instance:excluding:)``).
    /// - Throws: ``ShardLayoutConflict`` naming the other runs.
    public static func check(
        stateDirectory: String,
        instance: String,
        shard: Shard?,
        purpose: RunLock.Purpose
    ) throws(ShardLayoutConflict) {
        let own = shard.map { "\(instance)-shard-\($0.index)" } ?? instance
        let others = RunLockHolder.live(stateDirectory: stateDirectory, instance: instance, excluding: own)
            .filter { holder in
                guard holder.collects else { return false }
                guard let shard else { return holder.shard != nil }
                return holder.shard?.count != shard.count
            }
        guard others.isEmpty else {
            throw ShardLayoutConflict(instance: instance, shard: shard, holders: others, purpose: purpose)
        }
    }

    /// `run skipped: shards of instance "main" are running on this state folder: collector pid
    /// 8266 (shard 0/2, lock state/main-shard-0.lock), …; …`.
    public var description: String {
        let listed = holders.map(\.description).joined(separator: ", ")
        let guide = " (docs/operations.md, \"Scale-out: shards\")"
        guard let shard else {
            return "\(purpose.refusal): shards of instance \"\(instance)\" are running on this state folder: \(listed);"
                + " a run without --shard beside them would collect every account a second time. If the shards"
                + " replace this run (a cron job or unit left from before sharding), remove it; to go back to one"
                + " process, stop every shard first" + guide
        }
        if holders.contains(where: { $0.shard == nil }) {
            return "\(purpose.refusal): instance \"\(instance)\" is running without --shard on this state folder:"
                + " \(listed); shard \(shard) beside it would collect its accounts a second time. Run either the"
                + " shards or the unsharded instance: stop that process (and remove the cron job or unit that"
                + " starts it) before starting the shards" + guide
        }
        return "\(purpose.refusal): instance \"\(instance)\" is running as shards of another count on this state"
            + " folder: \(listed), and this is shard \(shard): shards of two counts collect some accounts twice."
            + " Stop every shard of instance \"\(instance)\" before changing the count, then start them all with"
            + " --shard K/\(shard.count)" + guide
    }
}
