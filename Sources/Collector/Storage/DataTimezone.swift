#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The timezone a data folder is written in, recorded in `<data_dir>/timezone` (one line, the
/// IANA name), so that a run, an import or a compaction with another `timezone` is refused
/// instead of mixing two calendars in one store.
///
/// The month folder of a sample and the offset of its time are those of the configured
/// timezone (SPEC §3). After a change, an instant near a month boundary lands in another
/// partition than before (2027-01-01T00:00:00+08:00 is in `2027-01/` under Asia/Shanghai,
/// and is 2026-12-31T11:00:00-05:00 in `2026-12/` under America/New_York), and a key is
/// deduplicated only within its partition: the store then holds the key twice, and `export`
/// writes both rows, the stale one possibly last. Refusing the change keeps every key in one
/// partition.
public enum DataTimezone {
    /// The file's name in the data folder: a plain file, which no reader takes for a platform
    /// folder (those are folders) and `data/*/*/*.csv` does not match.
    public static let fileName = "timezone"

    /// The timezone `settings.dataDirectory` was written in, if it records one.
    /// - Throws: ``StorageError`` when the file exists but cannot be read.
    public static func recorded(in dataDirectory: String) throws(StorageError) -> String? {
        guard let bytes = try DataFolder.readFileIfPresent(dataDirectory + "/" + fileName) else { return nil }
        let name = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).first
        return name.map(String.init)
    }

    /// Checks the configured timezone against the one the data folder records. Call it before
    /// writing, with the instance's lock held, and before reading days out of the folder
    /// (`export`, `report`); ``SampleStore`` records the timezone when it writes its first rows
    /// into a folder that records none yet.
    /// - Parameters:
    ///   - settings: The configuration's settings.
    ///   - isReading: The caller only reads the folder (the message then says nothing was read).
    /// - Throws: ``DataTimezoneMismatch`` when the folder records another timezone;
    ///   ``StorageError`` when the file cannot be read.
    public static func check(settings: CollectorSettings, isReading: Bool = false) throws {
        guard let recorded = try recorded(in: settings.dataDirectory) else { return }
        guard recorded == settings.calendar.identifier else {
            throw DataTimezoneMismatch(
                dataDirectory: settings.dataDirectory,
                recorded: recorded,
                configured: settings.calendar.identifier,
                isReading: isReading
            )
        }
    }

    /// Records `timezone` as the data folder's when it records none yet: a new folder, or one
    /// written by a version that did not record it, whose rows are then taken to be in the
    /// configured timezone (nothing else can tell).
    /// - Throws: ``StorageError`` when the file cannot be read or written.
    static func recordIfAbsent(dataDirectory: String, timezone: String) throws(StorageError) {
        guard try recorded(in: dataDirectory) == nil else { return }
        try FileSystem.writeAtomically(dataDirectory + "/" + fileName, Array((timezone + "\n").utf8))
    }
}
