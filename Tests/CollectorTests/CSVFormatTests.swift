import Collector
import CollectorTesting
import Logging
import Testing

@Suite(.serialized)
struct CSVFormatTests {
    private let logs = LogRecorder()

    @Test func streamSinkPrintsHeaderThenEveryRowWithoutDeduplication() throws {
        let directory = try TemporaryDirectory()
        let output = try directory.capture { fd in
            let sink = CSVStreamSink(fileDescriptor: fd, calendar: .beijing)
            #expect(try sink.write([sample(), sample()]) == WriteCounts(written: 2))
            #expect(try sink.write([sample(account: "x\"y", value: .integer(-5))]) == WriteCounts(written: 1))
            try sink.sync()
        }
        #expect(
            output
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,\"x\"\"y\",,followers,-5,exact,api\n"
        )
        #expect(!directory.exists("data"))
    }

    @Test func streamSinkPrintsHeaderForAnEmptyRun() throws {
        let directory = try TemporaryDirectory()
        let output = try directory.capture { fd in
            try CSVStreamSink(fileDescriptor: fd, calendar: .beijing).sync()
        }
        #expect(output == csvHeader)
    }

    /// Value text as SPEC §3 writes it: integers, decimals with their digits, no exponent.
    @Test(arguments: [
        (SampleValue.integer(0), "0"),
        (.integer(-9_223_372_036_854_775_808), "-9223372036854775808"),
        (.integer(9_223_372_036_854_775_807), "9223372036854775807"),
        (.decimal(DecimalValue(mantissa: 4123, scale: 4)), "0.4123"),
        (.decimal(DecimalValue(mantissa: -5, scale: 3)), "-0.005"),
        (.decimal(DecimalValue(mantissa: 1377, scale: 2)), "13.77"),
        (.decimal(DecimalValue(mantissa: 1, scale: 18)), "0.000000000000000001"),
    ])
    func writesValuesAsPlainNumbers(value: SampleValue, text: String) throws {
        let directory = try TemporaryDirectory()
        let output = try directory.capture { fd in
            _ = try CSVStreamSink(fileDescriptor: fd, calendar: .beijing).write([sample(value: value)])
        }
        #expect(output == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,\(text),exact,api\n")
    }

    @Test func rendersTimesInTheConfiguredTimezone() throws {
        let directory = try TemporaryDirectory()
        let utc = try #require(PlatformCalendar(identifier: "UTC"))
        let output = try directory.capture { fd in
            _ = try CSVStreamSink(fileDescriptor: fd, calendar: utc).write([sample("2025-03-04T00:00:00+08:00")])
        }
        #expect(output == csvHeader + "2025-03-03T16:00:00+00:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n")
    }

    /// Reading back: quoted fields with commas, doubled quotes and line breaks, CRLF line ends,
    /// a foreign offset, and a broken row that is skipped and logged.
    @Test func readsQuotedFieldsAndCRLFBack() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-03/other.csv",
            "time,platform,account,object,metric,value,quality,source\r\n"
                + "2025-03-03T16:00:00Z,wechat,\"a,b\",\"say \"\"hi\"\"\nthere\",views,7,exact,api\r\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_1,,likes,not a number,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_1,,likes,0.50,approx,web\n"
        )
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let counts = try store.write([
            sample(account: "a,b", object: "say \"hi\"\nthere", metric: .views, value: .integer(7)),
            sample(
                account: "gh_1",
                metric: .likes,
                value: .decimal(DecimalValue(mantissa: 5, scale: 1)),
                quality: .approx,
                source: .web
            ),
        ])
        try store.close()
        #expect(counts == WriteCounts(duplicates: 2))
        let skipped = try #require(logs.entries.first { $0.message.hasPrefix("skipped rows") })
        #expect(skipped.metadata["rows"] == "1")
        #expect(skipped.metadata["first_record"] == "3")
        #expect(skipped.metadata["file"] == directory.path + "/data/wechat/2025-03/other.csv")
    }
}
