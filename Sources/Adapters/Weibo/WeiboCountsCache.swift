import Collector
import Synchronization

/// The `users/counts` answers of one batch of uids, kept for the accounts that come after the
/// one that fetched them.
///
/// `collect` runs per account, but `/2/users/counts.json` answers up to 100 uids at once. The
/// first account of a run fetches the counts of itself and the next 99 accounts of the
/// instance; each of those then takes its own entry, once. Entries older than the reuse window
/// are dropped, so an entry left over from an earlier run (an account a shard or a stopped
/// instance skipped) is never stamped as a new observation.
final class WeiboCountsCache: Sendable {
    /// One account's entry: the `users/counts` element and when it was observed.
    struct Entry: Sendable {
        var observed: Timestamp
        var user: JSONReader
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// How long a run's memory (counts, token checks, a rejected cookie) is trusted: half the
    /// instance's interval, at most an hour, so the next run always starts afresh.
    static func reuseWindow(interval: Duration) -> Int64 {
        max(1, min(interval.wholeSeconds / 2, 3600))
    }

    /// Removes and returns `uid`'s entry when it is younger than `window` seconds at `now`.
    func take(_ uid: String, now: Timestamp, window: Int64) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: uid) else { return nil }
            return now.secondsSinceEpoch - entry.observed.secondsSinceEpoch < window ? entry : nil
        }
    }

    /// Keeps `batch` for the accounts that will ask for it, replacing older entries.
    func store(_ batch: [String: Entry]) {
        entries.withLock { entries in entries.merge(batch) { _, new in new } }
    }
}
