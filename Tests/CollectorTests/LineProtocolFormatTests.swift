import Collector
import CollectorTesting
import Logging
import Testing

@Suite(.serialized)
struct LineProtocolFormatTests {
    private let logs = LogRecorder()

    @Test func writesTagsInOrderEscapedAndLeavesEmptyOnesOut() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(formats: [.influx]), logger: logs.logger)
        _ = try store.write([
            sample(),
            sample(
                account: "a b,c=d\\",
                object: "BV1xx",
                metric: .views,
                value: .integer(7),
                quality: .approx,
                source: .web
            ),
            sample(
                account: "",
                object: "x",
                metric: .completionRate,
                value: .decimal(DecimalValue(mantissa: 4123, scale: 4))
            ),
            sample(account: "l\nf", metric: MetricName(rawValue: "m x,y=z")),
        ])
        try store.close()
        #expect(
            directory.text("data/wechat/2025-03/main.lp")
                == "social,platform=wechat,account=gh_0123456789ab,quality=exact,source=api followers=182408i 1741017600\n"
                + "social,platform=wechat,account=a\\ b\\,c\\=d\\\\,object=BV1xx,quality=approx,source=web views=7i 1741017600\n"
                + "social,platform=wechat,object=x,quality=exact,source=api completion_rate=0.4123 1741017600\n"
                + "social,platform=wechat,account=l\\ f,quality=exact,source=api m\\ x\\,y\\=z=182408i 1741017600\n"
        )
    }

    @Test func writesWholeRatesAndDurationsAsFloatsSoThatAFieldKeepsItsType() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(formats: [.influx]), logger: logs.logger)
        let seconds = MetricName(rawValue: "wechat_avg_read_seconds")
        _ = try store.write([
            sample(object: "a", metric: .completionRate, value: .integer(1)),
            sample(object: "b", metric: .completionRate, value: .decimal(DecimalValue(mantissa: 5, scale: 1))),
            sample(object: "a", metric: seconds, value: .decimal(DecimalValue(mantissa: 8, scale: 0))),
            sample(object: "b", metric: seconds, value: .decimal(DecimalValue(mantissa: 85, scale: 1))),
            sample(object: "a", metric: .views, value: .integer(8)),
        ])
        try store.close()
        let fields = try #require(directory.text("data/wechat/2025-03/main.lp")).split(separator: "\n").map {
            $0.split(separator: " ")[1]
        }
        #expect(
            fields == [
                "completion_rate=1", "completion_rate=0.5", "wechat_avg_read_seconds=8",
                "wechat_avg_read_seconds=8.5", "views=8i",
            ]
        )
    }

    @Test func readsLinesBackForDeduplication() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-03/other.lp",
            "social,source=api,platform=wechat,account=a\\ b,quality=exact likes=12i 1741017600\n"
                + "social,platform=wechat,account=a,quality=approx,source=web completion_rate=0.25 1741017600\n"
                + "cpu,host=x usage=1 1741017600\n"
        )
        let store = try SampleStore(settings: directory.settings(formats: [.influx]), logger: logs.logger)
        let counts = try store.write([
            sample(account: "a b", metric: .likes, value: .integer(12)),
            sample(
                account: "a",
                metric: .completionRate,
                value: .decimal(DecimalValue(mantissa: 25, scale: 2)),
                quality: .approx,
                source: .web
            ),
        ])
        try store.close()
        #expect(counts == WriteCounts(duplicates: 2))
        #expect(logs.entries.first?.metadata["rows"] == "1")
    }
}
