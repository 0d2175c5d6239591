import Collector
import Logging

/// The warning of `export`, `report` and `compact` about files in month folders that they do not
/// read: a month gzip'ed or renamed to archive it would otherwise drop out of every export and
/// change later reports (first-seen posts, "collected since") without a word.
enum UnreadFiles {
    /// How many files are named one by one; the rest are counted.
    static let named = 10

    /// Warns about each file ``Exporter/unreadFiles(settings:from:to:platforms:)`` finds.
    /// - Parameter command: `export`, `report` or `compact`, for the message.
    static func warn(
        settings: CollectorSettings,
        from: CivilDate? = nil,
        to: CivilDate? = nil,
        platforms: [Platform] = [],
        command: String,
        logger: Logger
    ) throws {
        let files = try Exporter.unreadFiles(settings: settings, from: from, to: to, platforms: platforms)
        for file in files.prefix(named) {
            let restore =
                file.hasSuffix(".gz")
                ? "gunzip it to have them read again" : "rename it to <instance>.csv (or .jsonl, .lp) if it holds rows"
            let message =
                "\(file) is not read by \(command): a month folder's rows are read only from <instance>.csv, .jsonl"
                + " and .lp files, so its rows are left out; \(restore), or move it out of data_dir"
                + " (docs/operations.md, \"Backups, retention and archiving\")"
            logger.warning("\(message)")
        }
        if files.count > named {
            logger.warning("\(files.count - named) more files in month folders are not read by \(command) either")
        }
    }
}
