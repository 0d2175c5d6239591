import Collector
import CollectorTesting
import Logging
import Testing

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
}
