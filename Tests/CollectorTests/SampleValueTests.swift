import Collector
import Testing

@Suite struct SampleValueTests {
    @Test(arguments: [("0.4123", "0.4123"), ("13.770", "13.77"), ("-0.05", "-0.05"), ("3", "3"), ("0.0512", "0.0512")])
    func keepsDecimalsExactly(text: String, expected: String) throws {
        let value = try #require(DecimalValue(parsing: text))
        #expect(value.description == expected)
    }

    @Test(arguments: ["1e4", "1.2.3", "", "-", "abc", "1,234"])
    func refusesNonDecimals(text: String) {
        #expect(DecimalValue(parsing: text) == nil)
    }

    @Test(arguments: [(0.6984, "0.6984"), (0.1, "0.1"), (1e-5, "0.00001"), (12.5, "12.5"), (2.0, "2")])
    func convertsDoublesByTheirShortestDigits(double: Double, expected: String) throws {
        #expect(try #require(DecimalValue(double)).description == expected)
    }

    /// A double below 1 may have more than 18 decimal places in its shortest text (Python's
    /// `json.dumps(3 / 2917)`): rounded half away from zero at the 18th, never refused.
    @Test(arguments: [
        (0.0010284538909838875, "0.001028453890983888"),
        (0.00026927093253121246, "0.000269270932531212"),
        (-0.00026927093253121246, "-0.000269270932531212"),
        (5e-19, "0.000000000000000001"),
        (1e-30, "0"),
    ])
    func roundsADoubleToEighteenDecimalPlaces(double: Double, expected: String) throws {
        #expect(try #require(DecimalValue(double)).description == expected)
    }

    @Test func refusesADoubleWhoseWholePartDoesNotFit() {
        #expect(DecimalValue(1e20) == nil)
        #expect(DecimalValue(Double.nan) == nil)
    }

    @Test func parsesWhatItWrites() {
        #expect(SampleValue(parsing: "182408") == .integer(182_408))
        #expect(SampleValue(parsing: "0.1842") == .decimal(DecimalValue(mantissa: 1842, scale: 4)))
        #expect(SampleValue(parsing: "1.2万") == nil)
    }
}

@Suite struct ContentObjectTitleTests {
    @Test(arguments: [
        ("关于开学工作的通知\n正文第一段", "关于开学工作的通知"),
        ("\n\n  校园开放日 \r\n下一行", "校园开放日"),
        ("\u{3000}全角空格开头\u{3000}", "全角空格开头"),
        ("\u{FEFF}BOM title", "BOM title"),
        ("   \n \n", ""),
        ("", ""),
    ])
    func takesTheFirstNonBlankLineTrimmed(text: String, expected: String) {
        #expect(ContentObject.title(from: text) == expected)
    }

    /// A title is one line of objects.csv for any line reader: it ends at every line break
    /// Python's `splitlines()` knows, and other control characters are dropped (session 14).
    @Test(arguments: [
        ("标题\u{2028}第二行", "标题"),
        ("标题\u{2029}第二段", "标题"),
        ("标题\u{85}下一行", "标题"),
        ("标题\u{0B}下\u{0C}一行", "标题"),
        ("标题\u{1E}记录", "标题"),
        ("A\u{00}B\u{1B}[31mC\u{7F}\u{9B}D", "AB[31mCD"),
        ("制表\t符", "制表 符"),
        ("\u{00}\u{00} 开头", "开头"),
    ])
    func endsAtEveryLineBreakAndDropsControlCharacters(text: String, expected: String) {
        #expect(ContentObject.title(from: text) == expected)
    }
}
