/// What importing one file did, for the summary of `collector import` (SPEC §1).
public struct ImportReport: Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// How it was read: `csv (UTF-8)`, `tsv (UTF-16LE)`, `xlsx`.
    public var format: String
    /// The platform.
    public var platform: Platform
    /// The export kind, detected or given.
    public var kind: String
    /// The account the rows were imported for.
    public var account: String
    /// The line (or sheet row) of the header.
    public var headerLine: Int
    /// Data rows read.
    public var rows: Int
    /// Samples handed to the store (before deduplication).
    public var samples: Int
    /// Failures recorded for cells and rows that could not be read: every bad cell up to 100
    /// per column, then one failure per column that counts the rest; short rows alike; a last
    /// row the file ends inside of.
    public var failures: Int

    /// Creates a report.
    public init(
        file: String,
        format: String,
        platform: Platform,
        kind: String,
        account: String,
        headerLine: Int,
        rows: Int,
        samples: Int,
        failures: Int
    ) {
        self.file = file
        self.format = format
        self.platform = platform
        self.kind = kind
        self.account = account
        self.headerLine = headerLine
        self.rows = rows
        self.samples = samples
        self.failures = failures
    }

    /// `growth.csv: wechat user_growth, csv (UTF-8), account gh_0123456789ab: 5 rows after the
    /// header on line 1, 15 samples, 0 failures`.
    public var description: String {
        "\(file): \(platform) \(kind), \(format), account \(account): \(rows) rows after the header on line "
            + "\(headerLine), \(samples) samples, \(failures) failures"
    }
}
