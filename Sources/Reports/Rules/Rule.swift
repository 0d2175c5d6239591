public import Collector

/// One rule of a rules file (COUNTS_AND_TARGETS.md §4.2): which units it selects, what it
/// asks of their main accounts, and since when.
public struct Rule: Sendable, Hashable {
    /// What a rule is for.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A target the main accounts must reach by the deadline (judged MET / NOT_MET / INDETERMINATE).
        case target
        /// A threshold above which a unit reports (schools); judged like a target, no deadline.
        case reportThreshold = "report_threshold"
        /// Information only: shown, never judged (the 10万+ count).
        case info
    }

    /// How the main accounts of a unit with two of them are judged (COUNTS_AND_TARGETS.md §5.1).
    public enum Aggregation: String, Sendable, Hashable, CaseIterable {
        /// Each main account must reach the threshold on its own (the default).
        case each
        /// One main account reaching it is enough.
        case any
        /// The sum of the main accounts is judged.
        case sum
    }

    /// Where the rule's figures come from.
    public enum Input: String, Sendable, Hashable, CaseIterable {
        /// From the collected samples.
        case collected
        /// Recorded by hand outside the collector (mainstream-media placements): not evaluated.
        case manual
    }

    /// A condition on the registry's `students` column.
    public struct StudentSelector: Sendable, Hashable, CustomStringConvertible {
        /// The operator.
        public var comparison: Comparison
        /// The enrolment the registry figure is compared with.
        public var value: Int64

        /// Creates a selector.
        public init(comparison: Comparison, value: Int64) {
            self.comparison = comparison
            self.value = value
        }

        /// `students>=20000`.
        public var description: String { "students\(comparison.rawValue)\(value)" }
    }

    /// The rule's id, e.g. `SD16-BUR-A`.
    public var id: String
    /// A human label for reports (may be empty).
    public var label: String
    /// A SPEC §6 category, or `any`.
    public var category: String
    /// The cities selected, without the 市 suffix; nil selects every city.
    public var cities: [String]?
    /// The enrolment condition, if any.
    public var students: StudentSelector?
    /// Target, report threshold or information.
    public var kind: Kind
    /// The metric judged: `followers` for the follower targets.
    public var metric: String
    /// The operator of the threshold (targets and report thresholds).
    public var comparison: Comparison?
    /// The threshold (targets and report thresholds).
    public var threshold: Int64?
    /// How a unit with two main accounts is judged.
    public var aggregation: Aggregation
    /// This rule's deadline when it differs from the file's.
    public var deadline: RuleSet.Deadline?
    /// The first day the rule applies, if limited.
    public var effectiveFrom: CivilDate?
    /// The last day the rule applies, if limited.
    public var effectiveTo: CivilDate?
    /// Where the rule comes from (`notice`).
    public var basis: String
    /// Free text shown with the rule.
    public var note: String
    /// `period` (the report's period) or `calendar_month`.
    public var window: String
    /// Collected or manual.
    public var input: Input
    /// Example outlets (mainstream-media rules).
    public var outletsExamples: [String]
    /// The line of the rule's `[[rules]]` header.
    public var line: Int

    /// Creates a rule; the parser fills every field, tests may leave most at their defaults.
    public init(
        id: String,
        label: String = "",
        category: String,
        cities: [String]? = nil,
        students: StudentSelector? = nil,
        kind: Kind,
        metric: String = "followers",
        comparison: Comparison? = nil,
        threshold: Int64? = nil,
        aggregation: Aggregation = .each,
        deadline: RuleSet.Deadline? = nil,
        effectiveFrom: CivilDate? = nil,
        effectiveTo: CivilDate? = nil,
        basis: String = "",
        note: String = "",
        window: String = "period",
        input: Input = .collected,
        outletsExamples: [String] = [],
        line: Int = 0
    ) {
        self.id = id
        self.label = label
        self.category = category
        self.cities = cities
        self.students = students
        self.kind = kind
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.aggregation = aggregation
        self.deadline = deadline
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.basis = basis
        self.note = note
        self.window = window
        self.input = input
        self.outletsExamples = outletsExamples
        self.line = line
    }

    /// Whether the rule selects a unit with these registry values. Cities compare after the
    /// trailing 市 is stripped from both sides; a students condition never selects a unit
    /// whose enrolment is unknown.
    public func selects(category: String, city: String, students: Int?) -> Bool {
        guard self.category == "any" || self.category == category else { return false }
        if let cities, !cities.contains(Rule.normalizedCity(city)) { return false }
        if let selector = self.students {
            guard let students, selector.comparison.holds(Int64(students), selector.value) else { return false }
        }
        return true
    }

    /// Whether the rule is in force on some day of `from…to`.
    public func isEffective(from: CivilDate, to: CivilDate) -> Bool {
        if let effectiveFrom, to < effectiveFrom { return false }
        if let effectiveTo, from > effectiveTo { return false }
        return true
    }

    /// Whether the rule is a follower threshold the report judges.
    public var judgesFollowers: Bool {
        kind != .info && metric == "followers" && input == .collected && comparison != nil && threshold != nil
    }

    /// The selector as one line for the rules table: `city in {临沂,青岛}; students>=20000`.
    public var selectorDescription: String {
        var parts: [String] = []
        if let cities { parts.append("city in {" + cities.joined(separator: ",") + "}") }
        if let students { parts.append(students.description) }
        return parts.joined(separator: "; ")
    }

    /// `临沂市` → `临沂`: registry cities may carry the suffix, rules never do.
    public static func normalizedCity(_ city: String) -> String {
        var city = Substring(city)
        while city.first == " " { city = city.dropFirst() }
        while city.last == " " { city = city.dropLast() }
        if city.count > 1, city.hasSuffix("市") { city = city.dropLast() }
        return String(city)
    }
}
