import Collector
import CollectorTesting
import Testing

/// A change of `formats` leaves every configured format of a partition with the same rows
/// (``FormatFiller``), and export reads a configured format, never a dropped one's stale file.
@Suite(.serialized)
struct FormatFillerTests {
    private let partition = "data/wechat/2025-03/main"

    private func write(_ directory: TemporaryDirectory, _ formats: [OutputFormat], _ samples: [Sample]) throws {
        let store = try SampleStore(settings: directory.settings(formats: formats), logger: LogRecorder().logger)
        _ = try store.write(samples)
        try store.close()
    }

    private func lines(_ directory: TemporaryDirectory, _ fileExtension: String) -> [Substring] {
        (directory.text(partition + "." + fileExtension) ?? "").split(separator: "\n")
    }

    /// `formats = ["csv"]`, then `["csv", "jsonl", "influx"]`: the two new files get the rows
    /// stored before them, superseded ones included and in file order, before the new row.
    @Test func aFormatAddedLaterGetsTheRowsStoredBeforeIt() throws {
        let directory = try TemporaryDirectory()
        try write(
            directory,
            [.csv],
            [sample(value: .integer(100)), sample(value: .integer(110)), sample("2025-03-05T00:00:00+08:00")]
        )
        try write(directory, [.csv, .jsonl, .influx], [sample("2025-03-06T00:00:00+08:00", value: .integer(120))])
        #expect(lines(directory, "csv").count == 5)
        let jsonl = lines(directory, "jsonl")
        #expect(jsonl.count == 4)
        #expect(jsonl.first?.contains(#""value":100,"#) == true)
        #expect(jsonl.last?.contains(#""value":120,"#) == true)
        let lineProtocol = lines(directory, "lp")
        #expect(lineProtocol.count == 4)
        #expect(lineProtocol[1].contains("followers=110i"))
    }

    /// `compact` makes the configured formats whole too, before it compacts each of them.
    @Test func compactFillsAFormatAddedLater() throws {
        let directory = try TemporaryDirectory()
        try write(directory, [.csv], [sample(value: .integer(100)), sample("2025-03-05T00:00:00+08:00")])
        let report = try Compactor.compact(
            settings: directory.settings(formats: [.csv, .jsonl]),
            platforms: nil,
            logger: LogRecorder().logger
        )
        #expect(report.filesChecked == 2)
        #expect(lines(directory, "jsonl").count == 2)
    }

    /// After `formats = ["jsonl"]` the CSV stops growing: export reads the JSON Lines file,
    /// with the later value of a key and the later day, not the stale CSV.
    @Test func exportReadsAConfiguredFormatNotADroppedOnesStaleFile() throws {
        let directory = try TemporaryDirectory()
        try write(directory, [.csv, .jsonl], [sample(value: .integer(100)), sample("2025-03-05T00:00:00+08:00")])
        try write(
            directory,
            [.jsonl],
            [sample(value: .integer(115)), sample("2025-03-06T00:00:00+08:00", value: .integer(130))]
        )
        let text = try directory.capture { fd in
            _ = try Exporter.export(
                settings: directory.settings(formats: [.jsonl]),
                format: .csv,
                from: nil,
                to: nil,
                platforms: [],
                fileDescriptor: fd
            )
        }
        #expect(
            text == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,115,exact,api\n"
                + "2025-03-05T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-06T00:00:00+08:00,wechat,gh_0123456789ab,,followers,130,exact,api\n"
        )
        // Configured again, the CSV is rebuilt from the JSON Lines file, which holds more rows.
        try write(directory, [.csv, .jsonl], [sample("2025-03-07T00:00:00+08:00", value: .integer(140))])
        let csv = lines(directory, "csv")
        #expect(csv.count == 6)
        #expect(csv[4].hasSuffix(",130,exact,api") && csv[5].hasSuffix(",140,exact,api"))
        #expect(lines(directory, "jsonl").count == 5)
    }

    /// `["csv"]`, then `["jsonl"]`, then `["csv"]` again: the rows written while only JSON Lines
    /// was configured are in the JSON Lines file alone, which is newer than the CSV. Export reads
    /// it before the CSV is filled, and the next write fills the CSV from it.
    @Test func formatsSwitchedBackKeepTheRowsOfTheSwitchedTime() throws {
        let directory = try TemporaryDirectory()
        try write(directory, [.csv], [sample(value: .integer(100))])
        try write(directory, [.jsonl], [sample("2025-03-05T00:00:00+08:00", value: .integer(105))])
        let text = try directory.capture { fd in
            _ = try Exporter.export(
                settings: directory.settings(formats: [.csv]),
                format: .csv,
                from: nil,
                to: nil,
                platforms: [],
                fileDescriptor: fd
            )
        }
        #expect(text.contains(",105,exact,api"), "\(text)")
        try write(directory, [.csv], [sample("2025-03-06T00:00:00+08:00", value: .integer(110))])
        let csv = lines(directory, "csv")
        #expect(csv.count == 4)
        #expect(csv[2].hasSuffix(",105,exact,api") && csv[3].hasSuffix(",110,exact,api"))
    }
}
