import Collector
import Testing

/// One row of a count-string table: the expected parse of `raw` under a named profile.
struct CountVector: Sendable, CustomTestStringConvertible {
    let raw: String
    let profileName: String
    let profile: CountProfile
    let point: Int64
    let lo: Int64
    let hi: Int64?
    let quality: Quality
    let inconsistent: Bool

    init(
        _ raw: String,
        _ profileName: String = "default",
        _ profile: CountProfile = .default,
        point: Int64,
        lo: Int64,
        hi: Int64?,
        _ quality: Quality,
        inconsistent: Bool = false
    ) {
        self.raw = raw
        self.profileName = profileName
        self.profile = profile
        self.point = point
        self.lo = lo
        self.hi = hi
        self.quality = quality
        self.inconsistent = inconsistent
    }

    var testDescription: String { "\(raw) (\(profileName))" }
}

/// "Strips .0 and shows one decimal" (COUNTS_AND_TARGETS.md §1.2 Step 4).
private let stripsPointZero = CountProfile(impliedDecimals: 1)

/// Every row of COUNTS_AND_TARGETS.md §1.5 with a value, in UNKNOWN mode unless named.
private let specVectors: [CountVector] = [
    CountVector("1,234", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("0", point: 0, lo: 0, hi: 1, .exact),
    CountVector("1.2万", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("1.2万", "half_up", CountProfile(roundingMode: .halfUp), point: 12000, lo: 11500, hi: 12500, .approx),
    CountVector("1.2万", "floor", CountProfile(roundingMode: .floor), point: 12000, lo: 12000, hi: 13000, .approx),
    CountVector("1.2w", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("1.2W", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("1.13万", point: 11300, lo: 11250, hi: 11400, .approx),
    CountVector("12万", point: 120000, lo: 115000, hi: 130000, .approx),
    CountVector("12万", "strips .0, p = 1", stripsPointZero, point: 120000, lo: 119500, hi: 121000, .approx),
    CountVector("2,222.2万", point: 22_222_000, lo: 22_221_500, hi: 22_223_000, .approx),
    CountVector("1533.6万", point: 15_336_000, lo: 15_335_500, hi: 15_337_000, .approx),
    CountVector("1.2亿", point: 120_000_000, lo: 115_000_000, hi: 130_000_000, .approx),
    CountVector("22万次播放", point: 220_000, lo: 215_000, hi: 230_000, .approx),
    CountVector("10万+", "wechat_reads", .wechatReads, point: 100_001, lo: 100_001, hi: nil, .lowerBound),
    CountVector("100万+", "weibo", .default, point: 1_000_000, lo: 1_000_000, hi: nil, .lowerBound),
    CountVector("999+", point: 999, lo: 999, hi: nil, .lowerBound),
    CountVector(
        "999+",
        "more than N",
        CountProfile(censoredBound: .moreThan),
        point: 1000,
        lo: 1000,
        hi: nil,
        .lowerBound
    ),
    CountVector("0.9万", point: 9000, lo: 10000, hi: 10000, .approx, inconsistent: true),
]

/// Step 1 normalisation: full-width forms, spaces, labels, case.
private let normalisationVectors: [CountVector] = [
    CountVector("１，２３４", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("１．２万", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector(" 1.2 万 ", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("1.2\u{00A0}万", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("1\u{2009}234", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("\u{3000}1234\u{3000}", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("１０万＋", "wechat_reads", .wechatReads, point: 100_001, lo: 100_001, hi: nil, .lowerBound),
    CountVector("阅读 10万+", "wechat_reads", .wechatReads, point: 100_001, lo: 100_001, hi: nil, .lowerBound),
    CountVector("10万+次阅读", "wechat_reads", .wechatReads, point: 100_001, lo: 100_001, hi: nil, .lowerBound),
    CountVector("1533.6万粉丝", point: 15_336_000, lo: 15_335_500, hi: 15_337_000, .approx),
    CountVector("获赞1.2万", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("播放22万次", point: 220_000, lo: 215_000, hi: 230_000, .approx),
    CountVector("1.2万人看过", point: 12000, lo: 11500, hi: 13000, .approx),
    CountVector("在看 123", point: 123, lo: 123, hi: 124, .exact),
    CountVector("1234次", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("1.2K", point: 1200, lo: 1150, hi: 1300, .approx),
    CountVector("１．２Ｗ", point: 12000, lo: 11500, hi: 13000, .approx),
]

/// The other units and decimal forms of Step 3 and Step 4.
private let grammarVectors: [CountVector] = [
    CountVector("1,234,567", point: 1_234_567, lo: 1_234_567, hi: 1_234_568, .exact),
    CountVector("007", point: 7, lo: 7, hi: 8, .exact),
    CountVector("1234.0", point: 1234, lo: 1234, hi: 1235, .exact),
    CountVector("1.5千", point: 1500, lo: 1450, hi: 1600, .approx),
    CountVector("2百万", point: 2_000_000, lo: 1_500_000, hi: 3_000_000, .approx),
    CountVector("3千万", point: 30_000_000, lo: 25_000_000, hi: 40_000_000, .approx),
    // q = 1: the display is exact to the unit digit, so only base itself remains.
    CountVector("1.2345万", point: 12345, lo: 12345, hi: 12346, .approx),
    // A zero decimal beyond the unit digit: q = 0.1, the integer bounds stay [base, base + 1).
    CountVector("1.23450万", point: 12345, lo: 12345, hi: 12346, .approx),
    CountVector("12.0万", point: 120_000, lo: 119_500, hi: 121_000, .approx),
    CountVector("1.2万+", point: 12000, lo: 12000, hi: nil, .lowerBound),
    CountVector("0+", point: 0, lo: 0, hi: nil, .lowerBound),
    CountVector(
        "9.9万",
        "万 from 10万",
        CountProfile(unitSwitches: [.wan: 100_000]),
        point: 99000,
        lo: 100_000,
        hi: 100_000,
        .approx,
        inconsistent: true
    ),
    CountVector(
        "12万",
        "万 from 10万",
        CountProfile(unitSwitches: [.wan: 100_000]),
        point: 120_000,
        lo: 115_000,
        hi: 130_000,
        .approx
    ),
    CountVector("1万", point: 10000, lo: 10000, hi: 20000, .approx),
    CountVector("9223372036854775806", point: .max - 1, lo: .max - 1, hi: .max, .exact),
]

/// Strings where `Double(mantissa) * U` truncates one below the true count.
private let decimalArithmeticVectors: [(String, Int64)] = [
    ("1.13万", 11300), ("2.01万", 20100), ("1.14w", 11400), ("4.35亿", 435_000_000), ("1.15亿", 115_000_000),
]

struct CountStringTests {
    @Test(arguments: specVectors)
    func parsesTheSpecTestVectors(_ vector: CountVector) throws {
        try expectParse(vector)
    }

    @Test(arguments: normalisationVectors)
    func normalisesFullWidthSpacesAndLabels(_ vector: CountVector) throws {
        try expectParse(vector)
    }

    @Test(arguments: grammarVectors)
    func parsesEveryUnitAndDecimalForm(_ vector: CountVector) throws {
        try expectParse(vector)
    }

    @Test(arguments: decimalArithmeticVectors)
    func usesDecimalArithmeticForUnitStrings(_ raw: String, _ expected: Int64) throws {
        let count = try #require(CountString.parse(raw).count)
        #expect(count.point == expected)
    }

    @Test(arguments: ["", "  ", "-", "--", "—", "——", "－", "暂无", "null", "NULL", "n/a", "N/A", "阅读 -", "赞"])
    func readsPlaceholdersAsMissingNeverZero(_ raw: String) {
        #expect(CountString.parse(raw) == .missing)
    }

    @Test(arguments: [
        ("1e4", "scientific notation"),
        ("1E4", "scientific notation"),
        ("1.2e", "\"e\" for 亿"),
        ("一万二", "Chinese numerals"),
        ("1万2千", "mixed units"),
        ("1.2万万", "mixed units"),
        ("-5", "negative"),
        ("−5", "negative"),
        ("1.5", "not a whole number"),
        ("1.23456万", "not a whole number"),
        ("1,23", "groups of three"),
        ("12,3456", "groups of three"),
        ("1234,567", "groups of three"),
        ("1,234,", "groups of three"),
        (".5万", "expected a digit"),
        ("1.万", "decimal point must be followed"),
        ("1..2", "decimal point must be followed"),
        ("1.2.3", "more than one decimal point"),
        ("12abc", "unexpected \"a\""),
        ("10万+1", "unexpected \"1\""),
        ("1百", "unexpected \"百\""),
        ("99999999999999999999", "too large"),
        ("1.0000000000000000001万", "more than 18 decimals"),
    ])
    func rejectsStringsOutsideTheGrammarNamingTheInput(_ raw: String, _ why: String) throws {
        let reason = try #require(CountString.parse(raw).rejectionReason)
        #expect(reason.contains("\"\(raw)\""))
        #expect(reason.contains(why))
    }

    /// A spreadsheet's text mark: the reason shows the cell as it is (no `\'`) and says what to do.
    @Test func explainsALeadingApostrophe() throws {
        let reason = try #require(CountString.parse("'184451").rejectionReason)
        #expect(
            reason.hasPrefix("\"'184451\" is not a count: it starts with ', the mark a spreadsheet puts"),
            "\(reason)"
        )
        #expect(reason.hasSuffix("remove the ' (or format the column as numbers) and save the file again"))
    }

    @Test func quotesControlCharactersAndCutsLongInputInReasons() throws {
        let reason = try #require(CountString.parse("12\nabc").rejectionReason)
        #expect(reason.hasPrefix("\"12\\nabc\" is not a count"))
        let long = String(repeating: "x", count: 100)
        let longReason = try #require(CountString.parse(long).rejectionReason)
        #expect(longReason.hasPrefix("\"" + String(repeating: "x", count: 64) + "…\""))
    }

    @Test func keepsTheRawStringAndReportsUnitAndStep() throws {
        let exact = try #require(CountString.parse("1,234").count)
        #expect(exact.raw == "1,234")
        #expect(exact.isExact && !exact.isCensored && exact.unit == nil && exact.unitFactor == 1)
        #expect(exact.step == DecimalValue(mantissa: 1, scale: 0))
        #expect(exact.sampleValue == .integer(1234))

        let display = try #require(CountString.parse(" 1.2万 ").count)
        #expect(display.raw == " 1.2万 ")
        #expect(!display.isExact && !display.isCensored && display.unit == .wan && display.unitFactor == 10000)
        #expect(display.step == DecimalValue(mantissa: 1000, scale: 0))
        #expect(display.roundingMode == .unknown)
        #expect(display.sampleValue == .integer(12000))
        #expect(display.interval == ValueInterval(lo: 11500, hi: 13000))
        #expect(display.description == " 1.2万  → 12000 [11500, 13000) approx")

        let implied = try #require(CountString.parse("12万", profile: stripsPointZero).count)
        #expect(implied.step == DecimalValue(mantissa: 1000, scale: 0))
        let literal = try #require(CountString.parse("12万").count)
        #expect(literal.step == DecimalValue(mantissa: 10000, scale: 0))
        let subUnit = try #require(CountString.parse("1.23450万").count)
        #expect(subUnit.step == DecimalValue(mantissa: 1, scale: 1))

        let plainCensored = try #require(CountString.parse("999+", profile: stripsPointZero).count)
        #expect(plainCensored.step == DecimalValue(mantissa: 1, scale: 0))

        let censored = try #require(CountString.parse("10万+", profile: .wechatReads).count)
        #expect(censored.isCensored && censored.unit == .wan && censored.hi == nil)
    }

    @Test func weiboDisplayProfileReadsIntegerMantissasAsOneDecimal() throws {
        let count = try #require(CountString.parse("12万", profile: .weiboDisplay).count)
        #expect(count.interval == ValueInterval(lo: 119_500, hi: 121_000))
        let withDecimal = try #require(CountString.parse("1533.6万", profile: .weiboDisplay).count)
        #expect(withDecimal.interval == ValueInterval(lo: 15_335_500, hi: 15_337_000))
    }

    // MARK: - JSON

    @Test(arguments: [
        (JSONValue.integer(1234), Int64(1234), Quality.exact),
        (.integer(0), 0, .exact),
        (.string("214"), 214, .exact),
        (.real(1.0), 1, .exact),
        (.real(772), 772, .exact),
        (.string("1.2万"), 12000, .approx),
        (.string("10万+"), 100_000, .lowerBound),
    ])
    func readsJSONNumbersAsExactAndStringsAsDisplays(_ json: JSONValue, _ point: Int64, _ quality: Quality) throws {
        let count = try #require(CountString.parse(json: json).count)
        #expect(count.point == point)
        #expect(count.quality == quality)
    }

    @Test func readsJSONNullAbsentAndPlaceholderStringsAsMissing() {
        #expect(CountString.parse(json: nil) == .missing)
        #expect(CountString.parse(json: .null) == .missing)
        #expect(CountString.parse(json: .string("--")) == .missing)
    }

    @Test(arguments: [
        (JSONValue.real(1.5), "not a whole number"),
        (.integer(-1), "negative"),
        (.real(-3), "negative"),
        (.integer(.max), "too large"),
        (.bool(true), "JSON boolean"),
        (.array([]), "JSON array"),
        (.object([]), "JSON object"),
        (.string("1e4"), "scientific notation"),
    ])
    func rejectsJSONValuesThatAreNotCounts(_ json: JSONValue, _ why: String) throws {
        let reason = try #require(CountString.parse(json: json).rejectionReason)
        #expect(reason.contains(why))
    }

    @Test func appliesTheProfileToJSONStrings() throws {
        let count = try #require(CountString.parse(json: .string("10万+"), profile: .wechatReads).count)
        #expect(count.point == 100_001)
    }

    // MARK: - Helpers

    private func expectParse(_ vector: CountVector) throws {
        let count = try #require(CountString.parse(vector.raw, profile: vector.profile).count)
        #expect(count.point == vector.point)
        #expect(count.lo == vector.lo)
        #expect(count.hi == vector.hi)
        #expect(count.quality == vector.quality)
        #expect(count.isInconsistent == vector.inconsistent)
        #expect(count.raw == vector.raw)
    }
}
