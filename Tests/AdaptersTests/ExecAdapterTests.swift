import Adapters
import Collector
import CollectorTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite(.serialized)
struct ExecAdapterTests {
    // MARK: - Configuration

    @Test func readsItsConfiguration() throws {
        let adapter = try ExecAdapter(configuration: makeConfiguration(command: ["printf", ""]))
        #expect(adapter.name == "exec-test")
        #expect(adapter.platform == Platform(rawValue: "xiaohongshu"))
        #expect(adapter.accounts == ["command"])
        #expect(ExecAdapter.type == "exec")
        #expect(ExecAdapter.metrics.isEmpty)
        #expect(
            ExecAdapter.configurationKeys.map(\.name) == [
                "platform", "command", "timeout", "env",
            ]
        )
    }

    @Test func acceptsTheValuesOfItsSampleConfiguration() throws {
        #expect(ExecAdapter.sampleConfiguration.contains(#"command = ["sh", "adapters/xhs.sh", "--since", "7d"]"#))
        let adapter = try ExecAdapter(
            configuration: makeConfiguration(command: ["sh", "adapters/xhs.sh", "--since", "7d"])
        )
        #expect(adapter.platform == Platform(rawValue: "xiaohongshu"))
    }

    @Test func resolvesARelativeCommandAgainstTheConfigurationFolder() async throws {
        let configuration = makeConfiguration(command: ["./samples.sh"], baseDirectory: Self.fixtures)
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(result.samples.count == 5)
    }

    @Test(arguments: [
        (
            ["platform": ConfigValue.string("Xiao Hong Shu")],
            #"adapters.conf:3: platform "Xiao Hong Shu" is not a valid name: use lower-case letters, digits and _, starting with a letter in [[adapters.exec]]"#
        ),
        (
            ["command": .string("cat file")],
            #"adapters.conf:4: "command" must be an array of strings, such as ["./adapters/xhs", "--since", "7d"] (it is not run through a shell) in [[adapters.exec]]"#
        ),
        (
            ["command": .array([])],
            #"adapters.conf:4: "command" is empty; name the program to run in [[adapters.exec]]"#
        ),
        (
            ["command": .array([.string("./no-such-program")])],
            #"adapters.conf:4: command "./no-such-program" is not an executable file: No such file or directory in [[adapters.exec]]"#
        ),
        (
            ["command": .array([.string("no-such-program-on-path")])],
            #"adapters.conf:4: command "no-such-program-on-path" was not found on PATH in [[adapters.exec]]"#
        ),
        (["timeout": .string("0s")], #"adapters.conf:5: "timeout" must be more than 0s in [[adapters.exec]]"#),
        (
            ["timeout": .string("soon")],
            #"adapters.conf:5: "timeout" = "soon" is not a duration; write 30s, 5m, 6h or 1d in [[adapters.exec]]"#
        ),
        (
            ["env": .table(["COLLECTOR_STATE": .string("x")])],
            #"adapters.conf:6: env key COLLECTOR_STATE is reserved for the saved state in [[adapters.exec]]"#
        ),
        (
            ["env": .table(["1BAD": .string("x")])],
            #"adapters.conf:6: env key "1BAD" is not a variable name: use letters, digits and _, not starting with a digit in [[adapters.exec]]"#
        ),
        (
            ["env": .table(["TOKEN": .integer(1)])],
            #"adapters.conf:6: env value of "TOKEN" must be a string: TOKEN = "…" in [[adapters.exec]]"#
        ),
    ])
    func refusesABadConfiguration(values: [String: ConfigValue], expected: String) {
        var configuration = makeConfiguration(command: ["printf", ""])
        configuration.values.merge(values) { _, new in new }
        let error = #expect(throws: ConfigurationErrors.self) { try ExecAdapter(configuration: configuration) }
        #expect(error?.description == expected)
    }

    @Test func namesTheResolvedPathOfAMissingProgram() {
        let configuration = makeConfiguration(command: ["./adapters/xhs"], baseDirectory: "/nonexistent/collector")
        let error = #expect(throws: ConfigurationErrors.self) { try ExecAdapter(configuration: configuration) }
        #expect(
            error?.description
                == "adapters.conf:4: command \"./adapters/xhs\" (resolved to /nonexistent/collector/./adapters/xhs)"
                + " is not an executable file: No such file or directory in [[adapters.exec]]"
        )
    }

    @Test(arguments: ["platform", "command"])
    func requiresPlatformAndCommand(key: String) {
        var configuration = makeConfiguration(command: ["printf", ""])
        configuration.values[key] = nil
        let error = #expect(throws: ConfigurationErrors.self) { try ExecAdapter(configuration: configuration) }
        #expect(error?.description == "adapters.conf:1: missing required key \"\(key)\" in [[adapters.exec]]")
    }

    // MARK: - Samples

    @Test func turnsEachValidLineIntoASample() async throws {
        let result = try await collect(makeAdapter([Self.fixture("samples.sh")]))
        let platform = Platform(rawValue: "xiaohongshu")
        #expect(
            result.samples == [
                Sample(
                    time: Timestamp(secondsSinceEpoch: 1_795_536_000),
                    platform: platform,
                    account: "a1",
                    metric: .followers,
                    value: .integer(123),
                    source: .exec
                ),
                Sample(
                    time: Timestamp(secondsSinceEpoch: 1_795_595_400),
                    platform: platform,
                    account: "a1",
                    object: "2650000030_1",
                    metric: .views,
                    value: .integer(10234),
                    source: .exec
                ),
                Sample(
                    time: Timestamp(secondsSinceEpoch: 1_795_536_000),
                    platform: platform,
                    account: "a2",
                    metric: .completionRate,
                    value: .decimal(DecimalValue(mantissa: 4123, scale: 4)),
                    source: .exec
                ),
                Sample(
                    time: Timestamp(secondsSinceEpoch: 1_795_582_800),
                    platform: platform,
                    account: "a2",
                    metric: .followers,
                    value: .integer(12000),
                    quality: .approx,
                    source: .exec
                ),
                // The last line has no "\n" and still counts.
                Sample(
                    time: Timestamp(secondsSinceEpoch: 1_795_536_000),
                    platform: platform,
                    account: "a3",
                    metric: MetricName(rawValue: "xiaohongshu_collects"),
                    value: .integer(100_001),
                    quality: .lowerBound,
                    source: .exec
                ),
            ]
        )
        #expect(result.failures.isEmpty)
    }

    @Test(arguments: [
        ("not json", "line 1: not valid JSON: column 3: '[' or '{' expected near a word"),
        (#"{"time" "x"}"#, "line 1: not valid JSON: column 11: ':' expected near a string"),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1""#,
            "line 1: not valid JSON: the line ends in the middle of a value"
        ),
        ("[1,2]", "line 1: expected a JSON object, found an array"),
        (#"{"account":"a1","metric":"followers","value":1}"#, #"line 1: missing "time""#),
        (#"{"time":"2026-11-25T00:00:00+08:00","metric":"followers","value":1}"#, #"line 1: missing "account""#),
        (#"{"time":"2026-11-25T00:00:00+08:00","account":"a1","value":1}"#, #"line 1: missing "metric""#),
        (#"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers"}"#, #"line 1: missing "value""#),
        (
            #"{"time":"2026-11-25 00:00:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "2026-11-25 00:00:00" is not a valid RFC 3339 time with an offset, such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "2026-11-25T00:00:00" is not a valid RFC 3339 time with an offset, such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)"#
        ),
        (
            #"{"time":1764000000,"account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" must be a string, not an integer"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"","metric":"followers","value":1}"#,
            #"line 1: "account" is empty"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a\nb","metric":"followers","value":1}"#,
            "line 1: \"account\" = \"a\nb\" contains a control character"
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":5,"metric":"followers","value":1}"#,
            #"line 1: "object" must be a string, not an integer"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"fans","value":1}"#,
            #"line 1: "metric" = "fans" is neither a SPEC §4 metric name nor xiaohongshu_<name> in lower-case letters, digits and _"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"weibo_reposts","value":1}"#,
            #"line 1: "metric" = "weibo_reposts" is a weibo metric; platform xiaohongshu writes SPEC §4 names or xiaohongshu_<name>"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":12.5}"#,
            #"line 1: "value" = 12.5 is not a whole number, but followers is a count; only metrics named with the word rate, ctr or seconds take decimals"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":"1.2万"}"#,
            #"line 1: "value" must be a JSON number, not the string "1.2万"; convert display strings such as 1.2万 or 10万+ to a number (and quality approx or lower_bound) before printing"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":true}"#,
            #"line 1: "value" must be a JSON number, not a boolean"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":null}"#,
            #"line 1: "value" must be a JSON number, not null"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1e300}"#,
            #"line 1: "value" = 1e+300 is beyond the largest count, 9223372036854775807 (a 64-bit integer), but followers is a count"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"views","value":1e+20}"#,
            #"line 1: "value" = 1e+20 is beyond the largest count, 9223372036854775807 (a 64-bit integer), but views is a count"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"views","value":-1e+20}"#,
            #"line 1: "value" = -1e+20 is negative, but views is a count; only net changes (metrics named with the word net, such as douyin_net_followers) may be negative"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"xiaohongshu_avg_seconds","value":1e+20}"#,
            #"line 1: "value" = 1e+20 is too large for a decimal (at most 18 digits)"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"completion_rate","value":1e+20}"#,
            #"line 1: "value" = 1e+20 is more than 1, but completion_rate is a fraction from 0 to 1 (SPEC §4); write a percentage such as 12.5 % as 0.125"#
        ),
        // A member given twice: which value was meant cannot be told (jansson would keep the last).
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1,"value":2}"#,
            #"line 1: a member appears twice (the second ends at column 89): give each member once; which of the two values was meant cannot be told"#
        ),
        // An id with white space at either end would be an account (or object) of its own.
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":" xhs_school_1 ","metric":"followers","value":1}"#,
            #"line 1: "account" = " xhs_school_1 " has white space at its start or end; write the id without it (" a1 " would be stored apart from "a1")"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"xhs_school_1　","metric":"followers","value":1}"#,
            "line 1: \"account\" = \"xhs_school_1\u{3000}\" has white space at its start or end; write the id without it (\" a1 \" would be stored apart from \"a1\")"
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1 ","metric":"views","value":1}"#,
            #"line 1: "object" = "n1 " has white space at its start or end; write the id without it (" a1 " would be stored apart from "a1")"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1,"quality":"rough"}"#,
            #"line 1: "quality" = "rough" is not one of exact, approx, lower_bound"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1,"quailty":"approx"}"#,
            #"line 1: unknown member "quailty": a sample line has time, account, object, metric, value and quality; a state line has only state"#
        ),
        (
            #"{"state":{"cursor":1},"time":"2026-11-25T00:00:00+08:00"}"#,
            #"line 1: a state line has only the "state" member: {"state":{…}}"#
        ),
        // SPEC §5: a state is an object; a string, null or array would reach the next run as is.
        (
            #"{"state":"str"}"#,
            #"line 1: "state" must be a JSON object, not a string: {"state":{"cursor":…}}; the state was not saved"#
        ),
        (
            #"{"state":null}"#,
            #"line 1: "state" must be a JSON object, not null: {"state":{"cursor":…}}; the state was not saved"#
        ),
        (
            #"{"state":[1,2]}"#,
            #"line 1: "state" must be a JSON object, not an array: {"state":{"cursor":…}}; the state was not saved"#
        ),
        // A time more than an hour after the collector's clock (2026-11-26T00:00:00+08:00): a
        // local time given with Z is hours ahead; a row in the future reads as the latest value.
        (
            #"{"time":"2026-11-26T09:00:00+08:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "2026-11-26T09:00:00+08:00" is 9 hours after the collector's clock (2026-11-26T00:00:00+08:00), and a time more than 1 hour ahead is refused; a local time given with Z or another wrong offset is the usual cause (Beijing time is +08:00)"#
        ),
        (
            #"{"time":"2026-11-26T01:30:00+08:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "2026-11-26T01:30:00+08:00" is 90 minutes after the collector's clock (2026-11-26T00:00:00+08:00), and a time more than 1 hour ahead is refused; a local time given with Z or another wrong offset is the usual cause (Beijing time is +08:00)"#
        ),
        (
            #"{"time":"9999-12-31T23:59:59+08:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "9999-12-31T23:59:59+08:00" is 2912113 days after the collector's clock (2026-11-26T00:00:00+08:00), and a time more than 1 hour ahead is refused; a local time given with Z or another wrong offset is the usual cause (Beijing time is +08:00)"#
        ),
        // Before 2000, before any platform: a zero date. Before 1901 the files could not even
        // carry it (the zone's local mean time, +08:05:43).
        (
            #"{"time":"1970-01-01T00:00:00Z","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "1970-01-01T00:00:00Z" is before 2000-01-01, earlier than any platform's data; a zero or missing date (Unix time 0, 0001-01-01) is the usual cause"#
        ),
        (
            #"{"time":"1900-01-01T00:00:00+08:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "1900-01-01T00:00:00+08:00" is before 2000-01-01, earlier than any platform's data; a zero or missing date (Unix time 0, 0001-01-01) is the usual cause"#
        ),
        // A leap second is refused, not turned into :59.
        (
            #"{"time":"2026-11-25T00:00:60+08:00","account":"a1","metric":"followers","value":1}"#,
            #"line 1: "time" = "2026-11-25T00:00:60+08:00" is not a valid RFC 3339 time with an offset, such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)"#
        ),
        // SPEC §4 meanings: rates are fractions 0–1, counts and durations are not negative.
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v1","metric":"completion_rate","value":12.5}"#,
            #"line 1: "value" = 12.5 is more than 1, but completion_rate is a fraction from 0 to 1 (SPEC §4); write a percentage such as 12.5 % as 0.125"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v1","metric":"xiaohongshu_ctr","value":2}"#,
            #"line 1: "value" = 2 is more than 1, but xiaohongshu_ctr is a fraction from 0 to 1 (SPEC §4); write a percentage such as 12.5 % as 0.125"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"views","value":-3}"#,
            #"line 1: "value" = -3 is negative, but views is a count; only net changes (metrics named with the word net, such as douyin_net_followers) may be negative"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v1","metric":"completion_rate","value":-0.5}"#,
            #"line 1: "value" = -0.5 is negative, but completion_rate is a fraction from 0 to 1; only net changes (metrics named with the word net, such as douyin_net_followers) may be negative"#
        ),
        (
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v1","metric":"xiaohongshu_avg_seconds","value":-1.5}"#,
            #"line 1: "value" = -1.5 is negative, but xiaohongshu_avg_seconds is a duration; only net changes (metrics named with the word net, such as douyin_net_followers) may be negative"#
        ),
    ])
    func rejectsAnInvalidLineWithItsReason(line: String, expected: String) async throws {
        let result = try await collect(makeAdapter(["printf", "%s\n", line, Self.validLine]))
        #expect(result.samples.map(\.account) == ["ok"])
        #expect(
            result.failures == [
                CollectionFailure(
                    adapter: "exec-test",
                    account: "command",
                    object: "line 1",
                    label: "invalidLine",
                    message: expected
                )
            ]
        )
    }

    /// A backslash in an id has no encoding in Influx line protocol that every reader agrees
    /// on (`.lp` wrote `trail\\,`, which strict parsers reject, and `mid\\dle`, which InfluxDB 1.x
    /// keeps as two backslashes):
    /// the line is refused, naming the line and the field, like a control character.
    @Test func refusesABackslashInAnAccountOrObjectID() async throws {
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"trail\\","metric":"followers","value":1}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"obj\\","metric":"views","value":2}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"mid\\dle","metric":"followers","value":3}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":4}"#,
        ]
        let result = try await collect(makeAdapter(["printf", "%s\n"] + lines))
        #expect(result.samples.map(\.account) == ["a1"])
        let advice =
            " contains a backslash, which Influx line protocol cannot carry in a tag; print the platform's"
            + " id, which has none (a backslash usually means the id was escaped twice)"
        #expect(
            result.failures.map(\.message) == [
                "line 1: \"account\" = \"trail\\\"" + advice,
                "line 2: \"object\" = \"obj\\\"" + advice,
                "line 3: \"account\" = \"mid\\dle\"" + advice,
            ]
        )
    }

    /// A C1 control (NEL, U+0085, and the rest of U+0080–U+009F) or a line or paragraph
    /// separator (U+2028, U+2029) in an id is a control character too: Python's
    /// `str.splitlines()` splits a stored row at it. Ids that merely share a lead byte with
    /// them (`¡` is `C2 A1`, `‧` is `E2 80 A7`) are kept.
    @Test func refusesAC1ControlOrALineSeparatorInAnAccountOrObjectID() async throws {
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a\u0085b","metric":"followers","value":1}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"x\u0080","metric":"views","value":2}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"\u009fy","metric":"views","value":3}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a\u2028b","metric":"followers","value":4}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"p\u2029","metric":"views","value":5}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"¡\u2027‧","metric":"views","value":6}"#,
        ]
        let result = try await collect(makeAdapter(["printf", "%s\n"] + lines))
        #expect(result.samples.map(\.object) == ["¡\u{2027}‧"])
        #expect(
            result.failures.map(\.message) == [
                "line 1: \"account\" = \"a\u{85}b\" contains a control character",
                "line 2: \"object\" = \"x\u{80}\" contains a control character",
                "line 3: \"object\" = \"\u{9F}y\" contains a control character",
                "line 4: \"account\" = \"a\u{2028}b\" contains a control character",
                "line 5: \"object\" = \"p\u{2029}\" contains a control character",
            ]
        )
    }

    @Test func keepsTheValidLinesAroundAnInvalidOne() async throws {
        let good = #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1}"#
        let result = try await collect(makeAdapter(["printf", "%s\n", good, "", "oops", good]))
        #expect(result.samples.count == 2)
        #expect(result.failures.map(\.object) == ["line 3"])
        #expect(result.failures.map(\.message) == ["line 3: not valid JSON: column 4: '[' or '{' expected near a word"])
    }

    @Test func listsTheFirstHundredInvalidLinesAndCountsTheRest() async throws {
        let result = try await collect(
            makeAdapter([
                "sh", "-c", "i=0; while [ $i -lt 103 ]; do echo x; i=$((i+1)); done; echo \"$0\"", Self.validLine,
            ])
        )
        #expect(result.failures.count == 101)
        #expect(result.failures[99].object == "line 100")
        #expect(result.failures[100].object == "line 101")
        #expect(result.failures[100].message == "3 more invalid lines not listed, the first at line 101")
        // The summary counts the three, not one record.
        #expect(result.failures.map(\.occurrences) == Array(repeating: 1, count: 100) + [3])
    }

    /// A command whose every line was rejected stored nothing: it fails as a whole (it was
    /// counted ok), and the summary counts every rejected line.
    @Test func aCommandAllOfWhoseLinesWereRejectedFails() async throws {
        let batch = SampleBatch(sink: InMemorySink())
        let adapter = try makeAdapter(["sh", "-c", "i=0; while [ $i -lt 500 ]; do echo x; i=$((i+1)); done"])
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(account: "command", into: batch, context: makeContext())
        }
        #expect(error?.label == "commandFailed")
        #expect(
            error?.message
                == "command \"sh\" exited with status 0, but nothing was stored: all 500 lines were rejected"
                + " (listed with their line numbers); fix what it prints, `collector test` shows each line's problem"
        )
        var summary = RunSummary()
        for failure in batch.failures { summary.record(failure) }
        summary.failedAccounts = 1
        summary.record(CollectionFailure(adapter: "exec-test", account: "command", label: "commandFailed", message: ""))
        #expect(summary.failureCount == 501)
        #expect(
            summary.text.split(separator: "\n").first
                == "summary: 0 rows written, 0 duplicates skipped; 0 ok, 1 failed with 500 more failures among them"
        )
        #expect(summary.text.hasSuffix("  … and 451 more failures"))
    }

    @Test func passesTheConfiguredEnvironment() async throws {
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"printf '{"time":"2026-11-25T00:00:00+08:00","account":"%s","metric":"followers","value":1}\n' "$ACCOUNT_ID""#,
        ])
        configuration.values["env"] = .table(["ACCOUNT_ID": .string("from-env")])
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(result.samples.map(\.account) == ["from-env"])
    }

    /// The command's open descriptors, from inside it, as one sample whose object is
    /// `fds-0-1-2`. The shell's glob opens the folder while listing it; `-e` drops that one,
    /// closed again by the time it is tested.
    static let listDescriptors = [
        "sh", "-c",
        #"open=""; for f in /proc/$$/fd/*; do [ -e "$f" ] && open="$open-${f##*/}"; done; "#
            + #"printf '{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"fds%s","metric":"followers","value":1}\n' "$open""#,
    ]

    /// A descriptor the collector holds without close-on-exec (as libcurl's sockets are) does
    /// not reach the command: it sees stdin, stdout and stderr only.
    @Test func theCommandInheritsOnlyItsStandardDescriptors() async throws {
        let leaked = open("/dev/null", O_RDONLY)
        try #require(leaked > 2)
        defer { close(leaked) }
        #expect(fcntl(leaked, F_GETFD) & FD_CLOEXEC == 0)
        let result = try await collect(makeAdapter(Self.listDescriptors))
        #expect(result.failures.isEmpty)
        #expect(result.samples.map(\.object) == ["fds-0-1-2"])
    }

    // MARK: - State

    @Test func commitsSamplesBeforeSavingStateAndPassesItToTheNextRun() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        let received = directory + "/received"
        let adapter = try makeAdapter([Self.fixture("state.sh"), received])
        let store = try StateStore(directory: directory + "/state")
        let statePath = store.path("exec-exec-test.state")

        let first = try await collect(adapter, state: store, statePath: statePath)
        #expect(try readFile(received) == "<unset>")
        #expect(try readFile(statePath).hasSuffix("\n" + #"{"cursor":"2026-03-31","runs":1}"#))
        // The sample before the state line was written and synced before the state file existed.
        // The rest is written by the final commit.
        #expect(
            first.events == [
                "write followers", "sync, state saved: false", "write following", "sync, state saved: true",
            ]
        )
        #expect(first.samples.map(\.metric) == [.followers, .following])

        _ = try await collect(adapter, state: store, statePath: statePath)
        #expect(try readFile(received) == #"{"cursor":"2026-03-31","runs":1}"#)
        #expect(try readFile(statePath).hasSuffix("\n" + #"{"cursor":"2026-03-31","runs":2}"#))
    }

    /// A cut-off or garbled state file is not handed over as COLLECTOR_STATE: the command is not
    /// run, and the message names the file and what to do.
    @Test(arguments: [
        (#"{"next":9"#, "it stops in the middle of a JSON value, at line 1, column 9"),
        ("next=9\n", "it is not JSON: parsing stopped at line 1, column 4"),
        ("", "it is empty"),
        ("[9]", "it holds a JSON array, not an object"),
    ])
    func refusesADamagedStateWithoutRunningTheCommand(content: String, problem: String) async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let received = temporary.path + "/received"
        let store = try StateStore(directory: temporary.path + "/state")
        try store.write("exec-exec-test.state", Array(content.utf8))
        let error = await #expect(throws: AdapterError.self) {
            try await collect(makeAdapter([Self.fixture("state.sh"), received]), state: store)
        }
        #expect(
            error?.message
                == "state file \(store.path("exec-exec-test.state")) is damaged (\(problem)), so the command was not run:"
                + " delete the file to start the command without a saved state (COLLECTOR_STATE unset, as on its first"
                + " run), or put back a copy from a backup"
        )
        #expect(access(received, F_OK) != 0, "the command ran")
    }

    @Test func savesNoStateInADryRun() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        let store = try StateStore(directory: directory + "/state", readOnly: true)
        let statePath = store.path("exec-exec-test.state")
        _ = try await collect(
            makeAdapter([Self.fixture("state.sh"), directory + "/received"]),
            state: store,
            statePath: statePath,
            dryRun: true
        )
        #expect(access(statePath, F_OK) != 0)
    }

    // MARK: - Failures

    @Test func failsOnANonZeroExitKeepingSamplesAndLoggingStderr() async throws {
        let logs = LogRecorder()
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let adapter = try makeAdapter([Self.fixture("fail.sh")])
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(
                account: "command",
                into: batch,
                context: makeContext(logs: logs, logLevel: .warning)
            )
        }
        #expect(error?.label == "commandFailed")
        #expect(
            error?.message
                == "command \"\(Self.fixture("fail.sh"))\" exited with status 3; 1 sample received;"
                + " last stderr line: \"token expired\""
        )
        #expect(batch.addedCount == 1)
        // At the default level, a failed command's stderr is logged as warnings once it ended.
        #expect(logs.warnings == ["exec-test: starting", "exec-test: token expired"])
    }

    /// `env` is how secrets reach a command; one it prints to stderr must not reach the log or
    /// the failure message, not even the start of one cut off by the line length limit.
    @Test func redactsTheConfiguredEnvironmentValuesFromStderr() async throws {
        let logs = LogRecorder()
        // 992 bytes, then the secret: the 1,000-byte cut keeps only its first 8 bytes.
        let longLine = String(repeating: "x", count: 992)
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            "echo \"cookie=$XHS_COOKIE lang=$LANG_CODE\" >&2; echo \"\(longLine)$XHS_COOKIE\" >&2; "
                + "echo \"failed with $XHS_COOKIE\" >&2; exit 1",
        ])
        configuration.values["env"] = .table([
            "XHS_COOKIE": .string("SESSDATA=a1b2c3d4e5"), "LANG_CODE": .string("zh"),
        ])
        let adapter = try ExecAdapter(configuration: configuration)
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(
                account: "command",
                into: SampleBatch(sink: InMemorySink()),
                context: makeContext(logs: logs, logLevel: .warning)
            )
        }
        #expect(error?.message.hasSuffix("last stderr line: \"failed with <redacted>\"") == true)
        #expect(
            logs.warnings == [
                "exec-test: cookie=<redacted> lang=zh",
                "exec-test: \(longLine)<redacted>… (1011 bytes)",
                "exec-test: failed with <redacted>",
            ]
        )
        #expect(!logs.warnings.joined().contains("a1b2"))
    }

    /// A command given a cookie may print one of its values alone (`expired session X`): each
    /// pair's value of 6 bytes or more is redacted like the whole cookie, the names and a short
    /// value are not.
    @Test func redactsEachCookieValueOfAnEnvironmentValue() async throws {
        let logs = LogRecorder()
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"v=${XHS_COOKIE#SESSDATA=}; echo "expired session ${v%%;*} for SESSDATA, lang zh" >&2; exit 1"#,
        ])
        configuration.values["env"] = .table(["XHS_COOKIE": .string("SESSDATA=a1b2c3d4e5; lang=zh")])
        let adapter = try ExecAdapter(configuration: configuration)
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(
                account: "command",
                into: SampleBatch(sink: InMemorySink()),
                context: makeContext(logs: logs, logLevel: .warning)
            )
        }
        #expect(error?.message.hasSuffix("\"expired session <redacted> for SESSDATA, lang zh\"") == true)
        #expect(logs.warnings == ["exec-test: expired session <redacted> for SESSDATA, lang zh"])
    }

    /// An invalid stdout line is reported with what the command printed: a secret in it is
    /// redacted there too.
    @Test func redactsTheConfiguredEnvironmentValuesFromInvalidLineMessages() async throws {
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"echo "$TOKEN"; echo "{\"time\":\"$TOKEN\",\"account\":\"a\",\"metric\":\"followers\",\"value\":1}"; "#
                + #"echo "$0""#,
            Self.validLine,
        ])
        // The parser's excerpt of the bare token is not shown at all (JSONError).
        configuration.values["env"] = .table(["TOKEN": .string("abcdef123456")])
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(
            result.failures.map(\.message) == [
                "line 1: not valid JSON: column 6: '[' or '{' expected near a word",
                "line 2: \"time\" = \"<redacted>\" is not a valid RFC 3339 time with an offset, such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)",
            ]
        )
    }

    /// A value of an invalid line is quoted cut at 60 bytes: the start of a secret the cut leaves
    /// at the end of the excerpt is hidden too, not only a whole one.
    @Test func redactsASecretCutShortInAnInvalidLineMessage() async throws {
        let padding = String(repeating: "x", count: 50)
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"echo "{\"time\":\"\#(padding)$TOKEN\",\"account\":\"a\",\"metric\":\"followers\",\"value\":1}"; "#
                + #"echo "$0""#,
            Self.validLine,
        ])
        configuration.values["env"] = .table(["TOKEN": .string("abcdef123456ghijkl")])
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(
            result.failures.map(\.message) == [
                "line 1: \"time\" = \"\(padding)<redacted>…\" is not a valid RFC 3339 time with an offset, such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)"
            ]
        )
    }

    /// A command that prints its cookie (or the cookie's value) as an id or a metric name: the
    /// line is refused, since those fields reach the data files as printed; the message names
    /// the field and the `env` variable, never the value.
    @Test func refusesALineThatWouldStoreAnEnvironmentValue() async throws {
        let time = #"{"time":"2026-11-25T00:00:00+08:00","#
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"value=${XHS_COOKIE#*=}; "#
                + #"printf '%s"account":"%s","metric":"followers","value":1}\n' "$1" "$XHS_COOKIE"; "#
                + #"printf '%s"account":"a1","object":"note-%s","metric":"likes","value":1}\n' "$1" "$value"; "#
                + #"printf '%s"account":"a1","metric":"xiaohongshu_%s","value":1}\n' "$1" "$value"; "#
                + #"echo "$0""#,
            Self.validLine, time,
        ])
        configuration.values["env"] = .table(["XHS_COOKIE": .string("web_session=040069b5a1f2c3d4e5f6")])
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(result.samples.map(\.account) == ["ok"])
        let messages = result.failures.map(\.message)
        #expect(messages.count == 3)
        for (number, field) in [(1, "account"), (2, "object"), (3, "metric")] {
            let message = messages.first { $0.hasPrefix("line \(number): ") } ?? ""
            #expect(message.hasPrefix("line \(number): \"\(field)\" contains the value of env XHS_COOKIE (not shown)"))
        }
        #expect(!messages.joined().contains("040069b5a1f2c3d4e5f6"))
    }

    /// An `env` value that is a configuration (JSON naming `"metrics"` and `"accounts"`) leaves
    /// the member names the messages quote readable: only the command's own words are hidden.
    @Test func leavesMemberNamesReadableWhenAnEnvironmentValueContainsThem() async throws {
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"echo '{"time":"2026-11-25T00:00:00+08:00","account":"a","metric":"folowers","value":1}'; echo "$0""#,
            Self.validLine,
        ])
        configuration.values["env"] = .table([
            "XHS_CONFIG": .string(#"{"accounts":["a"],"metrics":["followers"],"platform":"xiaohongshu"}"#)
        ])
        let result = try await collect(ExecAdapter(configuration: configuration))
        let message = try #require(result.failures.first?.message)
        #expect(message.hasPrefix("line 1: \"metric\" = \"folowers\" is neither"), "\(message)")
    }

    @Test func reportsTheSignalThatEndedTheCommand() async throws {
        let error = await #expect(throws: AdapterError.self) {
            try await collect(makeAdapter(["sh", "-c", "kill -TERM $$"]))
        }
        #expect(error?.message == "command \"sh\" was killed by signal 15 (Terminated); 0 samples received")
    }

    @Test func killsTheProcessGroupOnTimeout() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        let pidFile = directory + "/sleep.pid"
        let batch = SampleBatch(sink: InMemorySink())
        let adapter = try makeAdapter([Self.fixture("sleep.sh"), pidFile], timeout: "500ms")
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(account: "command", into: batch, context: makeContext())
        }
        #expect(error?.label == "commandFailed")
        #expect(
            error?.message
                == "command \"\(Self.fixture("sleep.sh"))\" did not finish within 500ms and was killed with its"
                + " process group; 1 sample received"
        )
        #expect(batch.addedCount == 1)
        // The grandchild got SIGKILL too: it is gone, or a zombie waiting for its new parent.
        let sleeper = try #require(pid_t(try readFile(pidFile)))
        #expect(processIsGoneOrZombie(sleeper))
    }

    /// The command exits at once, but a process it started in the background keeps stdout open:
    /// the message must not say that the command itself outlived the timeout.
    /// A helper started in a session of its own (`setsid`, as Playwright starts its browser) is
    /// out of the group kill's reach; holding the command's stdout, it is found by the pipe,
    /// killed, and named in the message.
    @Test func killsAHelperThatLeftTheProcessGroupAndHeldStdout() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let pidFile = temporary.path + "/helper.pid"
        let line = #"{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"followers","value":1}"#
        let batch = SampleBatch(sink: InMemorySink())
        let adapter = try makeAdapter(
            ["sh", "-c", "printf '%s\\n' '\(line)'; setsid sleep 300 & echo $! > \"$0\"; exit 0", pidFile],
            timeout: "500ms"
        )
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(account: "command", into: batch, context: makeContext())
        }
        let helper = try #require(pid_t(try readFile(pidFile).split(separator: "\n").first ?? ""))
        defer { kill(helper, SIGKILL) }
        #expect(
            error?.message
                == "command \"sh\" exited with status 0, but its stdout was still open when the 500ms timeout ran"
                + " out: a process it started in the background kept it open, and sleep (pid \(helper)), in a process"
                + " group of its own (started with setsid or detached), was killed; redirect that process's output"
                + " (>/dev/null 2>&1) or wait for it in the command; 1 sample received"
        )
        #expect(processIsGoneOrZombie(helper))
    }

    @Test func saysWhenABackgroundProcessKeptStdoutOpenAfterTheCommandExited() async throws {
        let line = #"{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"followers","value":1}"#
        let batch = SampleBatch(sink: InMemorySink())
        let adapter = try makeAdapter(["sh", "-c", "printf '%s\\n' '\(line)'; sleep 300 & exit 0"], timeout: "500ms")
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(account: "command", into: batch, context: makeContext())
        }
        #expect(error?.label == "commandFailed")
        #expect(
            error?.message
                == "command \"sh\" exited with status 0, but its stdout was still open when the 500ms timeout ran"
                + " out: a process it started in the background kept it open, and was killed with the command's"
                + " process group; redirect that process's output (>/dev/null 2>&1) or wait for it in the command;"
                + " 1 sample received"
        )
        #expect(batch.addedCount == 1)
    }

    /// Times up to an hour after the clock (a clock a little behind) and from 2000-01-01 on are kept.
    @Test func acceptsTimesFrom2000ToAnHourAfterTheClock() async throws {
        let lines = [
            #"{"time":"2026-11-26T01:00:00+08:00","account":"a1","metric":"followers","value":1}"#,
            #"{"time":"2026-11-25T17:00:00Z","account":"a2","metric":"followers","value":1}"#,
            #"{"time":"2000-01-01T00:00:00Z","account":"a3","metric":"followers","value":1}"#,
        ]
        let result = try await collect(makeAdapter(["printf", "%s\n"] + lines))
        #expect(result.failures.isEmpty)
        #expect(result.samples.map(\.time.secondsSinceEpoch) == [Self.clock + 3600, Self.clock + 3600, 946_684_800])
    }

    /// A small rate as Python prints it (`json.dumps(3 / 2917)`) has more than 18 decimal
    /// places: it is rounded to 18, not refused as "more than 1".
    @Test func roundsARateWithMoreThanEighteenDecimalPlaces() async throws {
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"completion_rate","value":0.012684264655467946}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n2","metric":"completion_rate","value":0.0010284538909838875}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n3","metric":"completion_rate","value":0.00026927093253121246}"#,
        ]
        let result = try await collect(makeAdapter(["printf", "%s\n"] + lines))
        #expect(result.failures.isEmpty)
        #expect(
            result.samples.map(\.value.description) == [
                "0.012684264655467946", "0.001028453890983888", "0.000269270932531212",
            ]
        )
    }

    /// Python block-buffers stdout on a pipe, so a script killed at its timeout lost every line
    /// it had printed: the command gets PYTHONUNBUFFERED=1, unless its `env` sets it.
    @Test(arguments: [(nil, "1"), ("", ""), ("0", "0")] as [(String?, String)])
    func setsPythonUnbufferedUnlessTheSectionDoes(configured: String?, expected: String) async throws {
        var configuration = makeConfiguration(command: [
            "sh", "-c",
            #"printf '{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"u%s","metric":"followers","value":1}\n' "${PYTHONUNBUFFERED-unset}""#,
        ])
        if let configured { configuration.values["env"] = .table(["PYTHONUNBUFFERED": .string(configured)]) }
        let result = try await collect(ExecAdapter(configuration: configuration))
        #expect(result.samples.map(\.object) == ["u" + expected])
    }

    /// A command killed before any line reached the collector may have printed into its own
    /// buffer: the message says so.
    @Test func aTimeoutWithNothingOnStdoutHintsAtBufferedOutput() async throws {
        let adapter = try makeAdapter(["sh", "-c", "sleep 300"], timeout: "500ms")
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.collect(
                account: "command",
                into: SampleBatch(sink: InMemorySink()),
                context: makeContext()
            )
        }
        #expect(
            error?.message
                == "command \"sh\" did not finish within 500ms and was killed with its process group; 0 samples"
                + " received; nothing reached its stdout: if it printed lines before it hung, they were held in its"
                + " own output buffer and lost with it (a program writing to a pipe buffers its output): flush after"
                + " each line"
        )
    }

    /// SPEC §4 values that are in range, including the edges and a net change below 0.
    @Test func acceptsValuesWithinTheirMeaning() async throws {
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v1","metric":"completion_rate","value":1}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v2","metric":"completion_rate","value":0}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"v3","metric":"completion_rate","value":0.125}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"xiaohongshu_net_followers","value":-12}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"views","value":0}"#,
        ]
        let result = try await collect(makeAdapter(["printf", "%s\n"] + lines))
        #expect(result.failures.isEmpty)
        #expect(result.samples.count == 5)
    }

    /// stderr is logged at notice level as it comes: a command that logs its progress does not
    /// make a successful `run --quiet` print (the default level is warning).
    @Test func logsTheFirstHundredStderrLinesAsNoticesAndCountsTheRest() async throws {
        let logs = LogRecorder()
        _ = try await collect(
            makeAdapter(["sh", "-c", "i=1; while [ $i -le 105 ]; do echo \"info $i\" >&2; i=$((i+1)); done"]),
            logs: logs
        )
        let notices = logs.entries.filter { $0.level == .notice }.map(\.message)
        #expect(notices.count == 101)
        #expect(notices.first == "exec-test: info 1")
        #expect(notices[99] == "exec-test: info 100")
        #expect(notices.last == "exec-test: 5 more stderr lines not shown")
        #expect(logs.warnings.isEmpty)
    }

    @Test func aCommandThatSucceedsLogsNothingAtTheDefaultLevel() async throws {
        let logs = LogRecorder()
        let batch = SampleBatch(sink: InMemorySink())
        let adapter = try makeAdapter(["sh", "-c", "echo 'INFO fetching 2 accounts' >&2; echo \"$0\"", Self.validLine])
        try await adapter.collect(account: "command", into: batch, context: makeContext(logs: logs, logLevel: .warning))
        #expect(batch.addedCount == 1)
        #expect(logs.entries.isEmpty, "\(logs.text)")
    }

    /// A failed command's last 20 stderr lines are logged as warnings after it ended, when the
    /// log level hid them as they came.
    @Test func aFailedCommandLogsItsLastStderrLinesAsWarnings() async throws {
        let logs = LogRecorder()
        let adapter = try makeAdapter([
            "sh", "-c", "i=1; while [ $i -le 25 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 2",
        ])
        await #expect(throws: AdapterError.self) {
            try await adapter.collect(
                account: "command",
                into: SampleBatch(sink: InMemorySink()),
                context: makeContext(logs: logs, logLevel: .warning)
            )
        }
        #expect(
            logs.warnings
                == [
                    "exec-test: the command failed; its last 20 stderr lines follow, 5 earlier lines not shown"
                        + " (COLLECTOR_LOG_LEVEL=notice shows every line)"
                ] + (6...25).map { "exec-test: line \($0)" }
        )
    }

    @Test func stopsTheCommandWhenTheTaskIsCancelled() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        let pidFile = directory + "/sleep.pid"
        let adapter = try makeAdapter([Self.fixture("sleep.sh"), pidFile], timeout: "1h")
        let task = Task {
            try await adapter.collect(
                account: "command",
                into: SampleBatch(sink: InMemorySink()),
                context: makeContext()
            )
        }
        // Cancel once the command is certainly running: the pid file appears after its first line.
        while access(pidFile, F_OK) != 0 || (try? readFile(pidFile))?.isEmpty != false {
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let sleeper = try #require(pid_t(try readFile(pidFile)))
        #expect(processIsGoneOrZombie(sleeper))
    }

    // MARK: - Helpers

    private static let fixtures: String = {
        let file = #filePath
        let folder = file[..<(file.lastIndex(of: "/") ?? file.endIndex)]
        return folder + "/Fixtures/exec"
    }()

    private static func fixture(_ name: String) -> String { fixtures + "/" + name }

    private func makeConfiguration(command: [String], baseDirectory: String = ".") -> AdapterConfiguration {
        AdapterConfiguration(
            type: "exec",
            name: "exec-test",
            values: [
                "platform": .string("xiaohongshu"),
                "command": .array(command.map(ConfigValue.string)),
            ],
            keyLines: ["platform": 3, "command": 4, "timeout": 5, "env": 6],
            baseDirectory: baseDirectory
        )
    }

    private func makeAdapter(_ command: [String], timeout: String? = nil) throws -> ExecAdapter {
        var configuration = makeConfiguration(command: command)
        if let timeout { configuration.values["timeout"] = .string(timeout) }
        return try ExecAdapter(configuration: configuration)
    }

    /// A context whose logger lets through `logLevel` and above: `.warning` is the CLI's default.
    private func makeContext(
        logs: LogRecorder = LogRecorder(),
        logLevel: Logger.Level = .trace,
        state: StateStore? = nil,
        dryRun: Bool = false
    ) throws -> AdapterContext {
        var logger = logs.logger(label: "exec-test")
        logger.logLevel = logLevel
        return AdapterContext(
            http: NoNetworkHTTP("the exec adapter makes no HTTP request"),
            state: try state ?? StateStore(directory: "/nonexistent-exec-test-state", readOnly: true),
            calendar: .beijing,
            // 2026-11-26T00:00:00+08:00: the fixtures' times (2026-11-25) are not ahead of it.
            now: { Timestamp(secondsSinceEpoch: Self.clock) },
            logger: logger,
            isDryRun: dryRun
        )
    }

    /// The tests' clock, 2026-11-26T00:00:00+08:00.
    private static let clock: Int64 = 1_795_622_400

    /// A valid line, printed after an invalid one so that the command stores something (a
    /// command all of whose lines are rejected fails as a whole).
    static let validLine = #"{"time":"2026-11-25T00:00:00+08:00","account":"ok","metric":"followers","value":1}"#

    private struct Result {
        var samples: [Sample]
        var failures: [CollectionFailure]
        var events: [String]
    }

    private func collect(
        _ adapter: ExecAdapter,
        logs: LogRecorder = LogRecorder(),
        state: StateStore? = nil,
        statePath: String? = nil,
        dryRun: Bool = false
    ) async throws -> Result {
        // With a state path, each sync notes whether the state file existed yet: samples must be
        // durable before the state is saved.
        var stateSaved: (@Sendable () -> String)?
        if let statePath { stateSaved = { "state saved: \(access(statePath, F_OK) == 0)" } }
        let sink = InMemorySink(noteAtSync: stateSaved)
        let batch = SampleBatch(sink: sink)
        try await adapter.collect(
            account: "command",
            into: batch,
            context: makeContext(logs: logs, state: state, dryRun: dryRun)
        )
        try batch.commit()
        return Result(samples: sink.samples, failures: batch.failures, events: sink.events)
    }
}

// MARK: - Test doubles

// MARK: - Files and processes

private func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw TestFailure("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Whether `pid` no longer runs (absent from /proc, or in state Z), waiting up to 10 s for a
/// SIGKILL already sent to take effect.
private func processIsGoneOrZombie(_ pid: pid_t) -> Bool {
    for _ in 0..<1000 {
        guard let stat = try? readFile("/proc/\(pid)/stat") else { return true }
        // "pid (comm) S …": the state follows the last ")".
        if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].trimmingPrefix(" ").first == "Z" {
            return true
        }
        usleep(10_000)
    }
    return false
}

private struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
