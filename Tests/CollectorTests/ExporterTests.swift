import Collector
import CollectorTesting
import Logging
import Testing

@Suite(.serialized)
struct ExporterTests {
    /// Two platforms, two months, two instances: `shard2` changes one value, tries to
    /// supersede an exact one with an approx one that may be its rounding (10 stands for 5 to
    /// 19), and adds a content-level series.
    private func populated() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-02/main.csv",
            csvHeader + "2025-02-28T10:00:00+08:00,wechat,a,,followers,100,exact,api\n"
        )
        directory.write(
            "data/wechat/2025-03/main.csv",
            csvHeader + "2025-03-05T00:00:00+08:00,wechat,a,,views,11,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
        )
        directory.write(
            "data/wechat/2025-03/shard2.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,wechat,a,,views,10,approx,web\n"
                + "2025-03-05T00:00:00+08:00,wechat,a,,views,12,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,\"BV\"\"1\",views,3,exact,import\n"
                + "2025-03-31T23:30:00+08:00,wechat,a,,likes,0.5,approx,web\n"
        )
        directory.write(
            "data/bilibili/2025-03/main.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,bilibili,208259,,followers,86231,exact,api\n"
        )
        return directory
    }

    private func export(
        _ directory: TemporaryDirectory,
        _ format: ExportFormat,
        from: CivilDate? = nil,
        to: CivilDate? = nil,
        platforms: [Platform] = []
    ) throws -> (text: String, rows: Int) {
        var rows = 0
        let text = try directory.capture { fd in
            rows = try Exporter.export(
                settings: directory.settings(),
                format: format,
                from: from,
                to: to,
                platforms: platforms,
                fileDescriptor: fd
            )
        }
        return (text, rows)
    }

    @Test func exportsCSVWithLastRowWinsAndExactPrecedence() throws {
        let directory = try populated()
        let (text, rows) = try export(directory, .csv)
        #expect(rows == 6)
        #expect(
            text
                == csvHeader
                + "2025-03-04T00:00:00+08:00,bilibili,208259,,followers,86231,exact,api\n"
                + "2025-02-28T10:00:00+08:00,wechat,a,,followers,100,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,\"BV\"\"1\",views,3,exact,import\n"
                + "2025-03-05T00:00:00+08:00,wechat,a,,views,12,exact,api\n"
                + "2025-03-31T23:30:00+08:00,wechat,a,,likes,0.5,approx,web\n"
        )
    }

    @Test func exportsAnInclusiveRangeOfCalendarDays() throws {
        let directory = try populated()
        let (text, rows) = try export(
            directory,
            .csv,
            from: CivilDate(year: 2025, month: 2, day: 28),
            to: CivilDate(year: 2025, month: 3, day: 4),
            platforms: [.wechat]
        )
        #expect(rows == 3)
        #expect(
            text
                == csvHeader
                + "2025-02-28T10:00:00+08:00,wechat,a,,followers,100,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,,views,5,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,a,\"BV\"\"1\",views,3,exact,import\n"
        )
    }

    @Test func exportsJSONLines() throws {
        let directory = try populated()
        let (text, _) = try export(
            directory,
            .jsonl,
            from: CivilDate(year: 2025, month: 3, day: 31),
            platforms: [.wechat]
        )
        #expect(
            text
                == #"{"time":"2025-03-31T23:30:00+08:00","platform":"wechat","account":"a","object":"","metric":"likes","value":0.5,"quality":"approx","source":"web"}"#
                + "\n"
        )
    }

    @Test func exportsLineProtocol() throws {
        let directory = try populated()
        let (text, _) = try export(
            directory,
            .influx,
            from: CivilDate(year: 2025, month: 3, day: 4),
            to: CivilDate(year: 2025, month: 3, day: 4)
        )
        #expect(
            text
                == "social,platform=bilibili,account=208259,quality=exact,source=api followers=86231i 1741017600\n"
                + "social,platform=wechat,account=a,quality=exact,source=api views=5i 1741017600\n"
                + "social,platform=wechat,account=a,object=BV\"1,quality=exact,source=import views=3i 1741017600\n"
        )
    }

    @Test func exportsOpenMetricsGroupedByFamilyEndingWithEOF() throws {
        let directory = try populated()
        let (text, rows) = try export(directory, .openmetrics)
        #expect(rows == 6)
        #expect(
            text
                == "# TYPE social_followers gauge\n"
                + "# HELP social_followers Total followers at that time.\n"
                + "social_followers{platform=\"bilibili\",account=\"208259\",quality=\"exact\",source=\"api\"} 86231 1741017600\n"
                + "social_followers{platform=\"wechat\",account=\"a\",quality=\"exact\",source=\"api\"} 100 1740708000\n"
                + "# TYPE social_likes gauge\n"
                + "# HELP social_likes Likes.\n"
                + "social_likes{platform=\"wechat\",account=\"a\",quality=\"approx\",source=\"web\"} 0.5 1743435000\n"
                + "# TYPE social_views gauge\n"
                + "# HELP social_views Reads or plays: per day at account level, cumulative at content level.\n"
                + "social_views{platform=\"wechat\",account=\"a\",quality=\"exact\",source=\"api\"} 5 1741017600\n"
                + "social_views{platform=\"wechat\",account=\"a\",quality=\"exact\",source=\"api\"} 12 1741104000\n"
                + "social_views{platform=\"wechat\",account=\"a\",object=\"BV\\\"1\",quality=\"exact\",source=\"import\"} 3 1741017600\n"
                + "# EOF\n"
        )
    }

    /// `promtool check metrics` flags a family without `# HELP`: every family has one, the SPEC
    /// §4 meaning of an extension too, and a pointer for a name SPEC §4 does not list.
    @Test func givesEveryOpenMetricsFamilyAHelpText() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/douyin/2025-03/main.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,douyin,d,v1,douyin_avg_play_seconds,8.5,exact,import\n"
        )
        directory.write(
            "data/xhs/2025-03/main.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,xhs,x,,xhs_collects,7,exact,exec\n"
        )
        let (text, _) = try export(directory, .openmetrics)
        let help = text.split(separator: "\n").filter { $0.hasPrefix("# HELP") }
        #expect(
            help == [
                "# HELP social_douyin_avg_play_seconds Douyin average play time of a video, seconds.",
                "# HELP social_xhs_collects Metric xhs_collects of the platform that names it (docs/SPEC.md §4).",
            ]
        )
    }

    @Test func exportsOnlyEOFWhenNothingMatches() throws {
        let directory = try populated()
        let (text, rows) = try export(directory, .openmetrics, from: CivilDate(year: 2030, month: 1, day: 1))
        #expect(rows == 0)
        #expect(text == "# EOF\n")
    }

    @Test func readsJSONLinesPartitionsWhenThereIsNoCSV() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(formats: [.jsonl]), logger: LogRecorder().logger)
        _ = try store.write([sample(), sample(value: .integer(182409)), sample(value: .integer(7), quality: .approx)])
        try store.close()
        let (text, rows) = try export(directory, .csv)
        #expect(rows == 1)
        #expect(text == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182409,exact,api\n")
    }
}
