/// Whether a count reaches a threshold, given only the interval a display allows (COUNTS_AND_TARGETS.md §4.3).
public enum Attainment: String, Sendable, Hashable, CaseIterable {
    /// Every count in the interval is at least the threshold (`lo ≥ T`).
    case met
    /// Every count in the interval is below the threshold (`hi ≤ T`).
    case notMet = "not_met"
    /// The interval straddles the threshold (or is empty): obtain an exact source.
    case indeterminate
}
