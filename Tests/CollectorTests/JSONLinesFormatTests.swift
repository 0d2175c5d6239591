import Collector
import CollectorTesting
import Logging
import Testing

@Suite(.serialized)
struct JSONLinesFormatTests {
    private let logs = LogRecorder()

    @Test func writesEightFieldsInOrderWithEscapedStrings() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(formats: [.jsonl]), logger: logs.logger)
        _ = try store.write([
            sample(account: "q\"b\\s/\u{1}", object: "l\nr\rt\t\u{8}\u{c}", value: .integer(-1)),
            sample(
                account: "教育局",
                metric: .completionRate,
                value: .decimal(DecimalValue(mantissa: 6984, scale: 4)),
                quality: .lowerBound,
                source: .exec
            ),
        ])
        try store.close()
        #expect(
            directory.text("data/wechat/2025-03/main.jsonl")
                == #"{"time":"2025-03-04T00:00:00+08:00","platform":"wechat","account":"q\"b\\s/\u0001","object":"l\nr\rt\t\b\f","metric":"followers","value":-1,"quality":"exact","source":"api"}"#
                + "\n"
                + #"{"time":"2025-03-04T00:00:00+08:00","platform":"wechat","account":"教育局","object":"","metric":"completion_rate","value":0.6984,"quality":"lower_bound","source":"exec"}"#
                + "\n"
        )
    }

    /// Another tool's JSON Lines: other field order, spaces, \u escapes (with a surrogate
    /// pair), an exponent, a value as a string, an extra field.
    @Test func readsForeignButValidLinesBack() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-03/other.jsonl",
            #"{ "source": "api", "value": 1.5e3, "time": "2025-03-04T00:00:00+08:00", "platform": "wechat", "account": "\u6559\ud83d\ude00", "object": "", "metric": "views", "quality": "exact", "extra": true }"#
                + "\n"
                + #"{"time":"2025-03-04T00:00:00+08:00","platform":"wechat","account":"a","object":"","metric":"likes","value":"12","quality":"exact","source":"api"}"#
                + "\n"
        )
        let store = try SampleStore(settings: directory.settings(formats: [.jsonl]), logger: logs.logger)
        let counts = try store.write([
            sample(account: "教😀", metric: .views, value: .integer(1500)),
            sample(account: "a", metric: .likes, value: .integer(12)),
        ])
        try store.close()
        #expect(counts == WriteCounts(duplicates: 2))
        #expect(logs.entries.isEmpty)
    }
}
