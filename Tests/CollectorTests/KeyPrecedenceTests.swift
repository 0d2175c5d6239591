import Testing

@testable import Collector

/// The precedence rule's arithmetic (the rule itself is tested through the store, in
/// `SampleStoreTests`).
struct KeyPrecedenceTests {
    /// The lower end of an approx count's interval, by the rule of COUNTS_AND_TARGETS.md §1.3.
    @Test(
        arguments: [
            (35000, 34500), (12000, 11500), (12300, 12250), (12346, 12346), (100_000, 95000),
            (1_234_560_000, 1_234_555_000), (300_000_000, 250_000_000), (0, 0),
        ] as [(Int64, Int64)]
    )
    func approxLowerEnd(value: Int64, lowerEnd: Int64) {
        #expect(KeyPrecedence.approxLowerEnd(value) == lowerEnd)
    }
}
