/// The outcome of reading a rate or a duration (COUNTS_AND_TARGETS.md §1.4).
public enum MeasureParseResult: Sendable, Hashable {
    /// The value, exact in decimal: a fraction (`0.1222`) or seconds (`13.77`).
    case value(DecimalValue)
    /// A placeholder for "no value" (`-`, `--`, `暂无`, JSON null): no row, never zero.
    case missing
    /// Not a rate or duration; `reason` quotes the input and says why.
    case rejected(reason: String)

    /// The value, when there is one.
    public var value: DecimalValue? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// The SPEC `value` of the row, when there is one.
    public var sampleValue: SampleValue? { value.map(SampleValue.decimal) }

    /// The reason, when the input was rejected.
    public var rejectionReason: String? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}
