import Collector
import Reports
import Testing

/// A stored followers value judged against a threshold (COUNTS_AND_TARGETS.md §4.3).
struct AttainmentCase: Sendable, CustomTestStringConvertible {
    var value: Int64
    var quality: Quality
    var threshold: Int64
    var lower: Double
    var upper: Double
    var status: AttainmentStatus

    var testDescription: String { "\(quality.rawValue) \(value) vs \(threshold) → \(status.rawValue)" }
}

let attainmentCases: [AttainmentCase] = [
    // The spec's cases.
    AttainmentCase(
        value: 1_000_000,
        quality: .exact,
        threshold: 1_000_000,
        lower: 1_000_000,
        upper: 1_000_001,
        status: .met
    ),
    AttainmentCase(
        value: 999_000,
        quality: .approx,
        threshold: 1_000_000,
        lower: 998_500,
        upper: 1_000_000,
        status: .notMet
    ),
    AttainmentCase(
        value: 1_000_000,
        quality: .approx,
        threshold: 1_000_000,
        lower: 995_000,
        upper: 1_010_000,
        status: .indeterminate
    ),
    AttainmentCase(value: 850_000, quality: .exact, threshold: 800_000, lower: 850_000, upper: 850_001, status: .met),
    // Around the edges.
    AttainmentCase(
        value: 999_999,
        quality: .exact,
        threshold: 1_000_000,
        lower: 999_999,
        upper: 1_000_000,
        status: .notMet
    ),
    AttainmentCase(
        value: 100_001,
        quality: .lowerBound,
        threshold: 100_000,
        lower: 100_001,
        upper: .infinity,
        status: .met
    ),
    AttainmentCase(
        value: 40000,
        quality: .lowerBound,
        threshold: 50000,
        lower: 40000,
        upper: .infinity,
        status: .indeterminate
    ),
    AttainmentCase(
        value: 12000,
        quality: .approx,
        threshold: 12000,
        lower: 11500,
        upper: 13000,
        status: .indeterminate
    ),
    AttainmentCase(value: 12345, quality: .approx, threshold: 12000, lower: 12344.5, upper: 12346, status: .met),
    AttainmentCase(value: 98000, quality: .approx, threshold: 100_000, lower: 97500, upper: 99000, status: .notMet),
    AttainmentCase(
        value: 15_336_000,
        quality: .approx,
        threshold: 15_000_000,
        lower: 15_335_500,
        upper: 15_337_000,
        status: .met
    ),
]

struct FollowerIntervalTests {
    @Test(arguments: attainmentCases)
    func judgesAStoredValueByItsInterval(_ testCase: AttainmentCase) {
        let interval = FollowerInterval(value: testCase.value, quality: testCase.quality)
        #expect(interval.lower == testCase.lower)
        #expect(interval.upper == testCase.upper)
        #expect(interval.judge(atLeast: Double(testCase.threshold)) == testCase.status)
        #expect(interval.judge(.atLeast, testCase.threshold) == testCase.status)
    }

    @Test(arguments: [
        (Int64(999_000), Int64(1000)), (1_000_000, 10000), (12000, 1000), (12345, 1), (0, 1), (50, 10),
        (120_000_000, 10_000_000), (300_000_000, 100_000_000), (2_000_000_000, 100_000_000), (99_990_000, 10000),
    ])
    func approxStepIsTheLargestPowerOfTenDividingTheValueWithinTheCap(_ value: Int64, _ step: Int64) {
        #expect(FollowerInterval.approxStep(value) == step)
    }

    @Test func greaterThanNeedsOneMoreThanTheThreshold() {
        let exact = FollowerInterval(value: 1000, quality: .exact)
        #expect(exact.judge(.greaterThan, 1000) == .notMet)
        #expect(exact.judge(.greaterThan, 999) == .met)
        #expect(exact.judge(.lessThan, 1001) == .met)
        #expect(exact.judge(.atMost, 999) == .notMet)
        #expect(exact.judge(.equal, 1000) == .met)
        #expect(FollowerInterval(value: 1000, quality: .approx).judge(.equal, 1000) == .indeterminate)
    }

    @Test func sumsAddBothEnds() {
        let sum =
            FollowerInterval(value: 1_000_000, quality: .exact) + FollowerInterval(value: 1_000_000, quality: .approx)
        #expect(sum.lower == 1_995_000)
        #expect(sum.upper == 2_010_001)
        #expect(sum.point == 2_000_000)
    }
}
