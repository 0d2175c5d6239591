import CollectorTesting
import Logging
import Testing

@testable import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite(.serialized)
struct CompactorTests {
    private let logs = LogRecorder()

    private static let messy =
        csvHeader
        + "2025-03-05T00:00:00+08:00,wechat,a,,views,10,exact,api\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
        + "2025-03-05T00:00:00+08:00,wechat,a,,views,11,exact,api\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,,views,6,approx,web\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,\"x,y\",likes,1,approx,api\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,\"x,y\",likes,2,lower_bound,api\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"

    private static let compacted =
        csvHeader
        + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
        + "2025-03-04T00:00:00+08:00,wechat,a,\"x,y\",likes,2,lower_bound,api\n"
        + "2025-03-05T00:00:00+08:00,wechat,a,,views,11,exact,api\n"

    @Test func keepsOneRowPerKeySortedByTime() throws {
        let directory = try TemporaryDirectory()
        directory.write("data/wechat/2025-03/main.csv", Self.messy)
        directory.write("data/wechat/2025-03/shard2.csv", Self.messy)
        directory.write(
            "data/wechat/2025-04/main.csv",
            csvHeader + "2025-04-01T00:00:00+08:00,wechat,a,,views,1,exact,api\n"
        )
        let report = try Compactor.compact(settings: directory.settings(), platforms: nil, logger: logs.logger)
        #expect(directory.text("data/wechat/2025-03/main.csv") == Self.compacted)
        #expect(directory.text("data/wechat/2025-03/shard2.csv") == Self.messy)
        #expect(report.filesChecked == 2)
        #expect(report.filesRewritten == 1)
        #expect(report.rowsRead == 7)
        #expect(report.rowsKept == 3)
        #expect(
            report.description == "compact: 2 files checked, 1 rewritten (7 rows → 3; dropped: 4 superseded values)"
        )

        let again = try Compactor.compact(settings: directory.settings(), platforms: nil, logger: logs.logger)
        #expect(again.filesChecked == 2)
        #expect(again.filesRewritten == 0)
        #expect(again.description == "compact: 2 files checked, none rewritten")
        #expect(directory.text("data/wechat/2025-03/main.csv") == Self.compacted)
    }

    @Test func compactsJSONLinesAndLineProtocolFilesToo() throws {
        let directory = try TemporaryDirectory()
        let line = { (day: String, value: Int) in
            #"{"time":"2025-03-0\#(day)T00:00:00+08:00","platform":"wechat","account":"a","object":"","metric":"views","value":\#(value),"quality":"exact","source":"api"}"#
                + "\n"
        }
        directory.write("data/wechat/2025-03/main.jsonl", line("5", 1) + line("4", 2) + line("5", 3))
        directory.write(
            "data/wechat/2025-03/main.lp",
            "social,platform=wechat,account=a,quality=exact,source=api views=3i 1741104000\n"
                + "social,platform=wechat,account=a,quality=exact,source=api views=1i 1741017600\n"
                + "social,platform=wechat,account=a,quality=exact,source=api views=4i 1741104000\n"
        )
        // The formats configured: with `["csv"]`, compact would first fill a main.csv from them.
        let report = try Compactor.compact(
            settings: directory.settings(formats: [.jsonl, .influx]),
            platforms: [.wechat],
            logger: logs.logger
        )
        #expect(report.filesRewritten == 2)
        #expect(directory.text("data/wechat/2025-03/main.jsonl") == line("4", 2) + line("5", 3))
        #expect(
            directory.text("data/wechat/2025-03/main.lp")
                == "social,platform=wechat,account=a,quality=exact,source=api views=1i 1741017600\n"
                + "social,platform=wechat,account=a,quality=exact,source=api views=4i 1741104000\n"
        )
    }

    @Test func dropsATornTailAndLeavesFilesWithInvalidRowsAlone() throws {
        let directory = try TemporaryDirectory()
        let good = csvHeader + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
        directory.write("data/wechat/2025-03/main.csv", good + "2025-03-05T00:00:00+08:00,wec")
        let invalid =
            csvHeader + "2025-03-05T00:00:00+08:00,wechat,a,,views,five,exact,api\n"
            + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
        directory.write("data/bilibili/2025-03/main.csv", invalid)
        let report = try Compactor.compact(settings: directory.settings(), platforms: nil, logger: logs.logger)
        #expect(report.filesChecked == 2)
        #expect(report.filesRewritten == 1)
        #expect(report.filesSkipped == 1)
        #expect(
            report.description
                == "compact: 2 files checked, 1 rewritten (1 row → 1; nothing dropped); 1 left as it was:"
                + " records that are not valid rows, see the warnings above"
        )
        #expect(directory.text("data/wechat/2025-03/main.csv") == good)
        #expect(directory.text("data/bilibili/2025-03/main.csv") == invalid)
        #expect(logs.entries.contains { $0.message == "dropped a torn last line" && $0.metadata["bytes"] == "29" })
        #expect(
            logs.entries.contains { $0.message.hasPrefix("left a file as it is") && $0.metadata["first_record"] == "2" }
        )
    }

    @Test func countsEachSampleOnceAndNamesWhatItDropped() throws {
        // One partition in three formats: the summary counts its rows once, not once per format,
        // and tells a replaced value from a repeated one and from an estimate an exact value outranks.
        let directory = try TemporaryDirectory()
        directory.write(
            "data/xiaohongshu/2026-11/main.csv",
            csvHeader
                + "2026-11-20T00:00:00+08:00,xiaohongshu,a,,followers,100,exact,exec\n"
                + "2026-11-20T00:00:00+08:00,xiaohongshu,a,,followers,130,exact,exec\n"
                + "2026-11-20T00:00:00+08:00,xiaohongshu,a,p1,views,5,exact,exec\n"
                + "2026-11-20T00:00:00+08:00,xiaohongshu,a,p1,views,5,exact,exec\n"
                + "2026-11-21T00:00:00+08:00,xiaohongshu,a,p1,views,12345,exact,exec\n"
                + "2026-11-21T00:00:00+08:00,xiaohongshu,a,p1,views,12000,approx,web\n"
        )
        let report = try Compactor.compact(
            settings: directory.settings(formats: [.csv, .jsonl, .influx]),
            platforms: nil,
            logger: logs.logger
        )
        #expect(report.filesRewritten == 3)
        #expect(report.rowsRead == 6 && report.rowsKept == 3)
        #expect(report.supersededDropped == 1 && report.duplicatesDropped == 1 && report.estimatesDropped == 1)
        #expect(
            report.description
                == "compact: 3 files checked, 3 rewritten (6 rows → 3 in each of 3 formats; dropped: 1 superseded"
                + " value, 1 duplicate, 1 estimate outranked by an exact value)"
        )
    }

    @Test func compactsOnlyTheGivenPlatforms() throws {
        let directory = try TemporaryDirectory()
        directory.write("data/wechat/2025-03/main.csv", Self.messy)
        directory.write("data/bilibili/2025-03/main.csv", Self.messy)
        _ = try Compactor.compact(settings: directory.settings(), platforms: [.bilibili], logger: logs.logger)
        #expect(directory.text("data/wechat/2025-03/main.csv") == Self.messy)
        #expect(directory.text("data/bilibili/2025-03/main.csv") == Self.compacted)
    }

    /// A kill between two of compact's renames left the csv compacted and the jsonl and lp not,
    /// with their compacted temporaries and the marker naming them (as `compact` leaves it): the
    /// next compact first puts the temporaries in place, says so once, and every format holds
    /// the same rows; nothing of the compaction is left behind.
    @Test func completesACompactionAKillCutBetweenTwoRenames() throws {
        let formats: [OutputFormat] = [.csv, .jsonl, .influx]
        let month = "data/wechat/2025-03/"
        // The messy and the compacted files in every format, as compact writes them.
        let reference = try TemporaryDirectory()
        reference.write(month + "main.csv", Self.messy)
        try FormatFiller.fill(
            directory: reference.path("data/wechat/2025-03"),
            instance: "main",
            formats: formats,
            calendar: .beijing,
            logger: logs.logger
        )
        let messy = formats.map { reference.text(month + "main." + $0.fileExtension)! }
        _ = try Compactor.compact(settings: reference.settings(formats: formats), platforms: nil, logger: logs.logger)
        let compacted = formats.map { reference.text(month + "main." + $0.fileExtension)! }
        #expect(compacted[0] == Self.compacted)

        let directory = try TemporaryDirectory()
        let suffix = ".tmp-0123456789abcdef"
        directory.write(month + "main.csv", compacted[0])
        directory.write(month + "main.jsonl", messy[1])
        directory.write(month + "main.lp", messy[2])
        directory.write(month + "main.jsonl" + suffix, compacted[1])
        directory.write(month + "main.lp" + suffix, compacted[2])
        directory.write(
            month + ".main.compacting",
            "main.csv\(suffix)\nmain.jsonl\(suffix)\nmain.lp\(suffix)\nend\n"
        )
        let report = try Compactor.compact(
            settings: directory.settings(formats: formats),
            platforms: nil,
            logger: logs.logger
        )

        for (index, format) in formats.enumerated() {
            #expect(directory.text(month + "main." + format.fileExtension) == compacted[index], "\(format)")
        }
        #expect(report.filesChecked == 3 && report.filesRewritten == 0)
        let completed = logs.entries.filter { $0.message.hasPrefix("completed a compact a kill interrupted") }
        #expect(completed.count == 1)
        #expect(completed.first?.metadata["files"] == "main.jsonl,main.lp")
        for name in ["main.jsonl" + suffix, "main.lp" + suffix, ".main.compacting"] {
            #expect(access(directory.path(month + name), F_OK) != 0, "\(name) is still there")
        }
    }

    /// A file of one format that holds an invalid record leaves its partition's other formats
    /// as they are too: compacting them alone would leave the formats with different rows.
    @Test func aFormatWithInvalidRecordsLeavesThePartitionAsItIs() throws {
        let directory = try TemporaryDirectory()
        let line = { (day: String, value: String) in
            #"{"time":"2025-03-0\#(day)T00:00:00+08:00","platform":"wechat","account":"a","object":"","metric":"views","value":\#(value),"quality":"exact","source":"api"}"#
                + "\n"
        }
        let csv =
            csvHeader + "2025-03-05T00:00:00+08:00,wechat,a,,views,10,exact,api\n"
            + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
            + "2025-03-05T00:00:00+08:00,wechat,a,,views,11,exact,api\n"
        let jsonl = line("5", "10") + line("4", "5") + line("5", #""eleven""#)
        directory.write("data/wechat/2025-03/main.csv", csv)
        directory.write("data/wechat/2025-03/main.jsonl", jsonl)
        let report = try Compactor.compact(
            settings: directory.settings(formats: [.csv, .jsonl]),
            platforms: nil,
            logger: logs.logger
        )
        #expect(directory.text("data/wechat/2025-03/main.csv") == csv)
        #expect(directory.text("data/wechat/2025-03/main.jsonl") == jsonl)
        #expect(report.filesRewritten == 0 && report.filesSkipped == 1)
        // The csv's compacted temporary is removed, not left for the next run to sweep.
        #expect(Set(FileSystem.list(directory.path("data/wechat/2025-03"))) == ["main.csv", "main.jsonl"])
    }
}
