/// The configured `timezone` is not the one the data folder was written in (``DataTimezone``):
/// nothing was written (or, for `export` and `report`, read). A configuration problem (exit 2).
public struct DataTimezoneMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data folder.
    public var dataDirectory: String
    /// The timezone the folder records (`<data_dir>/timezone`).
    public var recorded: String
    /// The `[collector] timezone` of the configuration.
    public var configured: String
    /// The refused command only reads the folder (`export`, `report`).
    public var isReading: Bool

    /// Creates the error.
    public init(dataDirectory: String, recorded: String, configured: String, isReading: Bool = false) {
        self.dataDirectory = dataDirectory
        self.recorded = recorded
        self.configured = configured
        self.isReading = isReading
    }

    /// What happened, why it matters, and the two ways on.
    public var description: String {
        let file = dataDirectory + "/" + DataTimezone.fileName
        let head =
            "[collector] timezone = \"\(configured)\", but the data folder \(dataDirectory) was written in"
            + " \"\(recorded)\" (\(file)); "
        if isReading {
            // The days of --from/--to and a report's days are taken in the configured
            // timezone, and the month folders were cut in the recorded one: a day would
            // silently gain or lose the hours between the two.
            return head + "nothing was read. The days of --from/--to and of a report are days in the configured"
                + " timezone, so another one would move every day's boundary by hours. Use the configuration the"
                + " folder was collected with, or set timezone = \"\(recorded)\" (docs/configuration.md, timezone)"
        }
        return head + "nothing was written. The month folder and the time of every row follow"
            + " the timezone, so rows written in both would store one instant in two month folders, and export"
            + " would write the key twice. Set timezone = \"\(recorded)\" again, or, to change it, point data_dir"
            + " at a new folder (docs/configuration.md, timezone)"
    }
}
