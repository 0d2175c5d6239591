/// `data_dir` holds no data yet while the schedule in `state_dir` records collections of
/// configured accounts: the rows of those collections went to another data folder, since the
/// runner records an account's due time only once its rows are durable (``ScheduleTable``).
/// That is `data_dir` pointed at a new folder with `state_dir` kept (a move gone wrong, or a
/// new folder on purpose, after a `timezone` change).
///
/// Those accounts are not due before their recorded times, so `run --once --due` and the
/// service write nothing into the new folder until then, and `export` and `report` find no
/// samples in it. Nothing is wrong with the files, so it is a warning (`check`, and a run that
/// follows the schedule), naming both folders and the two ways on.
///
/// Costs a listing of `data_dir`'s top level; the configured accounts are looked up in the
/// schedule only when the folder holds nothing, which a collection in use never does.
public struct DataFolderMoved: Sendable, Hashable {
    /// `[collector] data_dir`.
    public var dataDirectory: String
    /// The schedule's snapshot file.
    public var schedule: String
    /// How many configured accounts the schedule records collections of.
    public var accounts: Int
    /// The earliest of their due times, in seconds since the epoch: in the future.
    public var nextDue: Int64

    /// Creates the record.
    public init(dataDirectory: String, schedule: String, accounts: Int, nextDue: Int64) {
        self.dataDirectory = dataDirectory
        self.schedule = schedule
        self.accounts = accounts
        self.nextDue = nextDue
    }

    /// Whether `dataDirectory` holds nothing a collection wrote: no timezone record
    /// (``DataTimezone``, written with the first rows) and no folder. Missing counts as empty.
    public static func holdsNothing(_ dataDirectory: String) -> Bool {
        FileSystem.list(dataDirectory).allSatisfy { name in
            name != DataTimezone.fileName && !DirectoryListing.isDirectory(dataDirectory + "/" + name)
        }
    }

    /// The mismatch, when `schedule` records collections of `sections`' accounts that are not
    /// due yet at `now`; nil when none is (then the next run collects them into the folder).
    /// Call it only when ``holdsNothing(_:)`` is true.
    /// - Parameter sections: The sections whose accounts write rows when collected (not the
    ///   import sections: an import pass that found no file records its due time too).
    public static func find(
        dataDirectory: String,
        schedule: ScheduleTable,
        sections: [(name: String, accounts: [String])],
        now: Int64
    ) -> DataFolderMoved? {
        var accounts = 0
        var nextDue: Int64?
        for (name, list) in sections {
            for account in list {
                guard let entry = schedule.entry(adapter: name, account: account), entry.due > now else { continue }
                accounts += 1
                nextDue = min(nextDue ?? entry.due, entry.due)
            }
        }
        guard let nextDue else { return nil }
        return DataFolderMoved(
            dataDirectory: dataDirectory,
            schedule: schedule.snapshotPath,
            accounts: accounts,
            nextDue: nextDue
        )
    }

    /// What `check` and a run say: both folders, what follows, and the two ways on.
    public func warning(calendar: PlatformCalendar) -> String {
        let count = accounts == 1 ? "1 account" : "\(accounts) accounts"
        let due = calendar.render(Timestamp(secondsSinceEpoch: nextDue))
        return "data_dir \"\(dataDirectory)\" holds no data yet, but the schedule \(schedule) records collections"
            + " of \(count) of this configuration that are not due yet, so their rows are in another data folder"
            + " (was data_dir changed and state_dir kept?): run --once --due and the service collect them into"
            + " \(dataDirectory) only when each is due again, the first at \(due). If the data was moved, set"
            + " data_dir to where it is now; if the new folder is meant, collector run --once (without --due)"
            + " collects every account into it now"
    }
}
