/// The configured `timezone` is not the one the data folder was written in (``DataTimezone``):
/// nothing was written. A configuration problem (exit 2).
public struct DataTimezoneMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data folder.
    public var dataDirectory: String
    /// The timezone the folder records (`<data_dir>/timezone`).
    public var recorded: String
    /// The `[collector] timezone` of the configuration.
    public var configured: String

    /// Creates the error.
    public init(dataDirectory: String, recorded: String, configured: String) {
        self.dataDirectory = dataDirectory
        self.recorded = recorded
        self.configured = configured
    }

    /// What happened, why it matters, and the two ways on.
    public var description: String {
        let file = dataDirectory + "/" + DataTimezone.fileName
        return "[collector] timezone = \"\(configured)\", but the data folder \(dataDirectory) was written in"
            + " \"\(recorded)\" (\(file)); nothing was written. The month folder and the time of every row follow"
            + " the timezone, so rows written in both would store one instant in two month folders, and export"
            + " would write the key twice. Set timezone = \"\(recorded)\" again, or, to change it, point data_dir"
            + " at a new folder (docs/configuration.md, timezone)"
    }
}
