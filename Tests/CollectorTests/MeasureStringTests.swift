import Collector
import Testing

struct MeasureStringTests {
    /// COUNTS_AND_TARGETS.md §1.4 rates, plus signs, full-width forms and edges.
    @Test(arguments: [
        ("12.22%", "0.1222"),
        ("0.0512", "0.0512"),
        ("100%", "1"),
        ("0%", "0"),
        ("1", "1"),
        ("0.5%", "0.005"),
        ("-3.5%", "-0.035"),
        ("１２．２２％", "0.1222"),
        (" 12.22 % ", "0.1222"),
        ("12.220%", "0.1222"),
    ])
    func readsRatesAsExactFractions(_ raw: String, _ expected: String) throws {
        let value = try #require(MeasureString.fraction(raw).value)
        #expect(value.description == expected)
        #expect(MeasureString.fraction(raw).sampleValue == .decimal(value))
    }

    /// COUNTS_AND_TARGETS.md §1.4 durations, plus the Chinese-unit forms.
    @Test(arguments: [
        ("13.77秒", "13.77"),
        ("13.77s", "13.77"),
        ("48", "48"),
        ("0:48", "48"),
        ("12:05", "725"),
        ("1:02:03", "3723"),
        ("0:48.5", "48.5"),
        ("1分02秒", "62"),
        ("2分钟", "120"),
        ("1小时5分", "3900"),
        ("1小时0分30.25秒", "3630.25"),
        ("１３．７７秒", "13.77"),
    ])
    func readsDurationsAsExactSeconds(_ raw: String, _ expected: String) throws {
        let value = try #require(MeasureString.seconds(raw).value)
        #expect(value.description == expected)
    }

    @Test(arguments: ["-", "--", "", "暂无", "N/A", "—"])
    func readsPlaceholdersAsMissing(_ raw: String) {
        #expect(MeasureString.fraction(raw) == .missing)
        #expect(MeasureString.seconds(raw) == .missing)
    }

    @Test(arguments: [
        ("51.2", "between -1 and 1"),
        ("12.22%%", "unexpected \"%\""),
        ("1e-2", "unexpected \"e\""),
        ("abc", "expected a digit"),
        ("%", "expected a digit, found \"%\""),
        ("1.%", "decimal point must be followed"),
    ])
    func rejectsMalformedRatesNamingTheInput(_ raw: String, _ why: String) throws {
        let reason = try #require(MeasureString.fraction(raw).rejectionReason)
        #expect(reason.hasPrefix("\"\(raw)\" is not a rate: "))
        #expect(reason.contains(why))
    }

    @Test(arguments: [
        ("1:60", "00…59"),
        ("1:2:3:4", "m:ss or h:mm:ss"),
        ("1.5:30", "only the seconds"),
        (":30", "m:ss or h:mm:ss"),
        ("-5秒", "negative"),
        ("5秒1分", "hours down to seconds"),
        ("1.5分30秒", "only the last part"),
        ("12abc", "unexpected \"a\""),
        ("abc", "expected a digit"),
    ])
    func rejectsMalformedDurationsNamingTheInput(_ raw: String, _ why: String) throws {
        let reason = try #require(MeasureString.seconds(raw).rejectionReason)
        #expect(reason.hasPrefix("\"\(raw)\" is not a duration: "))
        #expect(reason.contains(why))
    }

    @Test func readsRatesAndDurationsFromJSON() {
        #expect(MeasureString.fraction(json: .real(0.0512)).value?.description == "0.0512")
        #expect(MeasureString.fraction(json: .integer(1)).value?.description == "1")
        #expect(MeasureString.fraction(json: .string("12.22%")).value?.description == "0.1222")
        #expect(MeasureString.fraction(json: .null) == .missing)
        #expect(MeasureString.fraction(json: nil) == .missing)
        #expect(MeasureString.fraction(json: .real(1.5)).rejectionReason?.contains("between -1 and 1") == true)
        #expect(MeasureString.fraction(json: .bool(true)).rejectionReason?.contains("JSON boolean") == true)
        // A small rate printed in full (3 / 2917) has more than 18 decimal places: rounded.
        #expect(MeasureString.fraction(json: .real(0.0010284538909838875)).value?.description == "0.001028453890983888")

        #expect(MeasureString.seconds(json: .integer(48)).value?.description == "48")
        #expect(MeasureString.seconds(json: .real(13.77)).value?.description == "13.77")
        #expect(MeasureString.seconds(json: .string("0:48")).value?.description == "48")
        #expect(MeasureString.seconds(json: .integer(-1)).rejectionReason?.contains("negative") == true)
        #expect(
            MeasureString.seconds(json: .real(1e20)).rejectionReason
                == "JSON number 1e+20 is not a duration: it is too large (more than 18 digits)"
        )
        #expect(MeasureString.seconds(json: .string("-")) == .missing)
    }
}
