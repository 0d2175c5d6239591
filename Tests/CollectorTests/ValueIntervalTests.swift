import Collector
import Testing

struct ValueIntervalTests {
    /// COUNTS_AND_TARGETS.md §1.5 "Stored-row recovery", plus the exact row of §1.3.
    @Test(arguments: [
        (Int64(1_234_000), Quality.approx, Int64(1_233_500), Int64?.some(1_235_000)),
        (120_000, .approx, 115_000, 130_000),
        (1_200_000, .approx, 1_195_000, 1_210_000),
        (11300, .approx, 11250, 11400),
        (120_000_000, .approx, 115_000_000, 130_000_000),
        (100_001, .lowerBound, 100_001, nil),
        (1234, .exact, 1234, 1235),
        // q = 1 for a value no power of ten divides: [v, v + 1).
        (1234, .approx, 1234, 1235),
        // Zero is divisible by every power: q takes the cap.
        (0, .approx, -5000, 10000),
    ])
    func recoversStoredRowsConservatively(_ value: Int64, _ quality: Quality, _ lo: Int64, _ hi: Int64?) {
        #expect(ValueInterval.recover(value: value, quality: quality) == ValueInterval(lo: lo, hi: hi))
    }

    @Test func recoversWithAPlatformDisplayStep() {
        #expect(
            ValueInterval.recover(value: 120_000, quality: .approx, displayStep: 1000)
                == ValueInterval(lo: 119_500, hi: 121_000)
        )
        #expect(
            ValueInterval.recover(value: 120_000, quality: .approx, profile: .weiboDisplay)
                == ValueInterval(lo: 119_500, hi: 121_000)
        )
        #expect(
            ValueInterval.recover(value: 120_000_000, quality: .approx, profile: .weiboDisplay)
                == ValueInterval(lo: 115_000_000, hi: 130_000_000)
        )
        // Below 万 the profile has no step: the default rule applies.
        #expect(
            ValueInterval.recover(value: 9000, quality: .approx, profile: .weiboDisplay)
                == ValueInterval(lo: 8500, hi: 10000)
        )
        // The exact and lower-bound rules ignore any step.
        #expect(
            ValueInterval.recover(value: 120_000, quality: .exact, displayStep: 1000)
                == ValueInterval(lo: 120_000, hi: 120_001)
        )
    }

    @Test(arguments: [
        "1.2万", "1.13万", "12万", "2,222.2万", "1533.6万", "1.2亿", "22万次播放", "1.2w", "99.9万", "100万",
    ])
    func recoveryIsNeverNarrowerThanTheParse(_ raw: String) throws {
        let parsed = try #require(CountString.parse(raw).count)
        let recovered = ValueInterval.recover(value: parsed.point, quality: parsed.quality)
        #expect(recovered.lo <= parsed.lo)
        let recoveredHi = try #require(recovered.hi)
        let parsedHi = try #require(parsed.hi)
        #expect(recoveredHi >= parsedHi)
    }

    /// COUNTS_AND_TARGETS.md §4.3 test cases.
    @Test(arguments: [
        (Int64(1_000_000), Quality.exact, Int64(1_000_000), Attainment.met),
        (999_000, .approx, 1_000_000, .notMet),
        (1_000_000, .approx, 1_000_000, .indeterminate),
        (850_000, .exact, 800_000, .met),
        (999_999, .exact, 1_000_000, .notMet),
        (100_001, .lowerBound, 1_000_000, .indeterminate),
        (1_000_000, .lowerBound, 1_000_000, .met),
    ])
    func checksAttainmentAgainstAThreshold(
        _ value: Int64,
        _ quality: Quality,
        _ threshold: Int64,
        _ expected: Attainment
    ) {
        #expect(ValueInterval.recover(value: value, quality: quality).attainment(threshold: threshold) == expected)
    }

    @Test func checksAttainmentOfParsedDisplays() throws {
        let notQuite = try #require(CountString.parse("99.9万").count)
        #expect(notQuite.interval == ValueInterval(lo: 998_500, hi: 1_000_000))
        #expect(notQuite.interval.attainment(threshold: 1_000_000) == .notMet)
        let round = try #require(CountString.parse("100万").count)
        #expect(round.interval.attainment(threshold: 1_000_000) == .indeterminate)
        let capped = try #require(CountString.parse("10万+", profile: .wechatReads).count)
        #expect(capped.interval.attainment(threshold: 100_001) == .met)
    }

    @Test func treatsAnEmptyIntervalAsIndeterminate() throws {
        let inconsistent = try #require(CountString.parse("0.9万").count)
        #expect(inconsistent.interval.isEmpty)
        #expect(inconsistent.interval.attainment(threshold: 5000) == .indeterminate)
        #expect(inconsistent.interval.attainment(threshold: 20000) == .indeterminate)
    }

    @Test func sumsBoundsAndPropagatesInfinity() {
        let a = ValueInterval(lo: 11500, hi: 13000)
        let b = ValueInterval(lo: 1234, hi: 1235)
        #expect(a + b == ValueInterval(lo: 12734, hi: 14235))
        #expect(a + ValueInterval(lo: 100_001, hi: nil) == ValueInterval(lo: 111_501, hi: nil))
        #expect(ValueInterval(lo: 1, hi: .max) + ValueInterval(lo: 1, hi: 2) == ValueInterval(lo: 2, hi: nil))
    }

    @Test func containsOnlyValuesInTheHalfOpenRange() {
        let interval = ValueInterval(lo: 11500, hi: 13000)
        #expect(interval.contains(11500))
        #expect(interval.contains(12999))
        #expect(!interval.contains(13000))
        #expect(!interval.contains(11499))
        #expect(ValueInterval(lo: 5, hi: nil).contains(.max))
        #expect(interval.description == "[11500, 13000)")
        #expect(ValueInterval(lo: 100_001, hi: nil).description == "[100001, ∞)")
    }
}
