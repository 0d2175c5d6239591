/// The outcome of reading one count (COUNTS_AND_TARGETS.md §1.3).
///
/// Neither ``missing`` nor ``rejected(reason:)`` is ever a zero: both produce no SPEC row, and
/// a rejected string is logged with its reason.
public enum CountParseResult: Sendable, Hashable {
    /// A count, exact or displayed.
    case count(ParsedCount)
    /// A placeholder for "no value" (`-`, `--`, `暂无`, JSON null, an absent field).
    case missing
    /// Not a count under the grammar of §1.2 Step 3; `reason` quotes the input and says why.
    case rejected(reason: String)

    /// The count, when there is one.
    public var count: ParsedCount? {
        if case .count(let count) = self { return count }
        return nil
    }

    /// The reason, when the input was rejected.
    public var rejectionReason: String? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}
