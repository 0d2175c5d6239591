import Collector
import Testing

/// SPEC §4 meanings as ranges: rates and click-through rates are fractions 0–1, net changes may
/// be negative, every other count and duration may not.
@Suite struct MetricNameRangeTests {
    @Test(arguments: [
        ("completion_rate", SampleValue.decimal(DecimalValue(mantissa: 125, scale: 3))),
        ("completion_rate", .integer(1)),
        ("completion_rate", .integer(0)),
        ("douyin_cover_ctr", .decimal(DecimalValue(mantissa: 1, scale: 18))),
        ("douyin_net_followers", .integer(-40)),
        ("views", .integer(0)),
        ("followers", .integer(Int64.max)),
        ("douyin_avg_play_seconds", .decimal(DecimalValue(mantissa: 125, scale: 1))),
    ])
    func acceptsValuesWithinTheMeaning(_ name: String, _ value: SampleValue) {
        #expect(MetricName(rawValue: name).rangeProblem(of: value) == nil)
    }

    @Test(arguments: [
        ("completion_rate", SampleValue.decimal(DecimalValue(mantissa: 125, scale: 1)), "is more than 1"),
        ("completion_rate", .decimal(DecimalValue(mantissa: 1_000_000_000_000_000_001, scale: 18)), "is more than 1"),
        ("toutiao_ctr", .integer(2), "is more than 1"),
        ("completion_rate", .decimal(DecimalValue(mantissa: -5, scale: 1)), "is negative"),
        ("views", .integer(-3), "is negative, but views is a count"),
        ("douyin_avg_play_seconds", .decimal(DecimalValue(mantissa: -15, scale: 1)), "is a duration"),
        // `net` must be a whole word: a name that merely contains it is a count.
        ("xiaohongshu_netizens", .integer(-1), "is negative"),
    ])
    func refusesValuesOutsideTheMeaning(_ name: String, _ value: SampleValue, _ expected: String) throws {
        let problem = try #require(MetricName(rawValue: name).rangeProblem(of: value))
        #expect(problem.contains(expected))
    }
}
