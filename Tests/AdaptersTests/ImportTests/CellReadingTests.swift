import Adapters
import Collector
import Testing

/// The cell readers every importer shares: counts, rates, durations, dates, derived ids.
struct CellReadingTests {
    @Test(
        arguments: [
            ("1,234", ValueKind.count, CellValue.value(.integer(1234), .exact)),
            ("1.2万", .count, .value(.integer(12000), .approx)),
            ("10万+", .count, .value(.integer(100_000), .lowerBound)),
            ("-", .count, .missing),
            ("--", .count, .missing),
            ("", .count, .missing),
            ("abc", .count, .bad(reason: "\"abc\" is not a count: expected a digit, found \"a\"")),
            ("18.42%", .rate, .value(.decimal(DecimalValue(mantissa: 1842, scale: 4)), .exact)),
            ("0.0512", .rate, .value(.decimal(DecimalValue(mantissa: 512, scale: 4)), .exact)),
            ("—", .rate, .missing),
            ("13.77秒", .seconds, .value(.decimal(DecimalValue(mantissa: 1377, scale: 2)), .exact)),
            ("0:48", .seconds, .value(.decimal(DecimalValue(mantissa: 48, scale: 0)), .exact)),
            ("1分02秒", .seconds, .value(.decimal(DecimalValue(mantissa: 62, scale: 0)), .exact)),
        ] as [(String, ValueKind, CellValue)]
    )
    func readsCellsThroughTheCountAndMeasureParsers(cell: String, kind: ValueKind, expected: CellValue) {
        #expect(CellReader.read(cell, as: kind) == expected)
    }

    @Test(
        arguments: [
            ("views", ValueKind.count), ("completion_rate", .rate), ("douyin_cover_ctr", .rate),
            ("toutiao_bounce_rate", .rate), ("douyin_completion_rate_5s", .rate), ("toutiao_ctr", .rate),
            ("channels_avg_play_seconds", .seconds), ("followers", .count), ("weibo_ratings", .count),
            ("bilibili_creators", .count), ("kuaishou_seconds_watched", .seconds),
        ] as [(String, ValueKind)]
    )
    func infersHowAMetricIsReadFromItsName(name: String, kind: ValueKind) {
        #expect(ValueKind.implied(by: MetricName(rawValue: name)) == kind)
    }

    @Test(
        arguments: [
            ("2025-03-04", "2025-03-04", nil), ("2026/07/27", "2026-07-27", nil),
            (" 2025/3/4 9:05 ", "2025-03-04", 32700),
            ("2025-03-04 14:47:18", "2025-03-04", 53238), ("20250304", "2025-03-04", nil), ("45720", "2025-03-04", nil),
            ("45720.5", "2025-03-04", 43200), ("2025-02-30", nil, nil), ("12860", nil, nil), ("昨天", nil, nil),
        ] as [(String, String?, Int64?)]
    )
    func readsDateCellsAsBeijingDays(cell: String, date: String?, secondOfDay: Int64?) {
        let parsed = DateTimeCell(cell)
        #expect(parsed?.date.description == date)
        #expect(parsed.map { $0.hasTime ? $0.secondOfDay : nil } ?? nil == secondOfDay)
    }

    @Test func stampsADateAtMidnightOfTheCalendarAndATimeInBeijingTime() throws {
        let utc = try #require(PlatformCalendar(identifier: "UTC"))
        #expect(
            utc.render(try #require(DateTimeCell("2025-03-04")).timestamp(calendar: utc)) == "2025-03-04T00:00:00+00:00"
        )
        #expect(
            utc.render(try #require(DateTimeCell("2025-03-04 08:30:00")).timestamp(calendar: utc))
                == "2025-03-04T00:30:00+00:00"
        )
    }

    /// The hashes were computed independently (Python, FNV-1a over the UTF-8 title).
    @Test func derivesStableObjectIDsFromThePublishingTimeAndTheTitle() throws {
        let time = try #require(DateTimeCell("2025-03-03 11:00:00"))
        #expect(DerivedObjectID.make(published: time, title: "开学第一课｜校长寄语 #开学季") == "202503031100_21959743")
        // Line ends and surrounding white space do not change the id.
        #expect(
            DerivedObjectID.make(published: time, title: "  开学第一课｜校长寄语\r\n#开学季 #教育\u{3000}")
                == DerivedObjectID.make(published: time, title: "开学第一课｜校长寄语\n#开学季 #教育")
        )
        #expect(
            DerivedObjectID.make(published: time, title: "开学第一课｜校长寄语\n#开学季 #教育") == "202503031100_d014913c"
        )
        #expect(
            DerivedObjectID.make(published: try #require(DateTimeCell("2025/3/6")), title: "实验室开放日回顾")
                == "20250306_12cb81b9"
        )
    }

    /// Excel re-saves `2025-03-06 18:30:12` as `2025/3/6 18:30`: the same work keeps its id, so
    /// that importing the re-saved file does not add it a second time.
    @Test func derivedObjectIDSurvivesExcelDroppingTheSeconds() throws {
        let downloaded = try #require(DateTimeCell("2025-03-06 18:30:12"))
        let resaved = try #require(DateTimeCell("2025/3/6 18:30"))
        #expect(
            DerivedObjectID.make(published: downloaded, title: "实验室开放日回顾")
                == DerivedObjectID.make(published: resaved, title: "实验室开放日回顾")
        )
        #expect(DerivedObjectID.make(published: resaved, title: "实验室开放日回顾") == "202503061830_12cb81b9")
        // Another minute is another work.
        #expect(
            DerivedObjectID.make(published: try #require(DateTimeCell("2025/3/6 18:31")), title: "实验室开放日回顾")
                == "202503061831_12cb81b9"
        )
    }

    @Test(
        arguments: [
            ("2247501234_1.xlsx", "2247501234_1"), ("单篇详情_2247501240_12_下载.xlsx", "2247501240_12"),
            ("article_detail_2247501234_1.xlsx", "2247501234_1"), ("2025_03_04.xlsx", nil),
            ("12345_1.xlsx", nil), ("2247501234_123.xlsx", nil), ("x12247501234_1", "12247501234_1"),
        ] as [(String, String?)]
    )
    func findsTheMsgidInAFileName(name: String, msgid: String?) {
        #expect(WeChatImporter.msgid(inName: name) == msgid)
    }
}
