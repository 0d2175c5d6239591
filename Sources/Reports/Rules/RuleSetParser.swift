import Collector
import TOMLKit

/// Turns the text of a rules file into a ``RuleSet``, collecting every problem with its line
/// (the adapters.conf habits of STYLE §4.1: unknown keys with the nearest valid key, wrong
/// types, unknown categories).
struct RuleSetParser {
    private static let topLevelKeys = [
        "source", "region", "issued", "deadline", "metric", "applies_to", "index", "rules",
    ]
    private static let indexKeys = ["wci_variant", "content_age_days", "platform_weights"]
    private static let ruleKeys = [
        "id", "label", "category", "city_in", "students", "kind", "metric", "op", "threshold", "aggregation",
        "deadline", "effective_from", "effective_to", "basis", "note", "window", "input", "outlets_examples",
    ]
    private static let studentKeys = ["op", "value"]
    private static let windows = ["period", "calendar_month"]
    /// Metrics a rule may name: SPEC §4 names, plus the two figures of the notice that are not samples.
    static let ruleMetrics: [String] =
        ["hits_100k", "mainstream_media_pieces"] + MetricName.standard.map(\.rawValue).sorted()

    private let text: String
    private let path: String
    private let lines: TOMLLineIndex
    private var problems: [ConfigurationError] = []

    init(text: String, path: String) {
        self.text = text
        self.path = path
        self.lines = TOMLLineIndex(text: text)
    }

    mutating func parse() throws(ReportError) -> RuleSet {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ReportError(
                file: path,
                line: error.source.begin.line,
                message: "TOML syntax error at column \(error.source.begin.column): \(error.description)"
            )
        } catch {
            throw ReportError(file: path, line: nil, message: "TOML syntax error: \(error)")
        }

        var ruleSet = RuleSet(path: path, source: "", rules: [])
        checkKeys(of: table, allowed: Self.topLevelKeys, at: "", in: "the top level")
        if let value = table["source"] {
            ruleSet.source = string(value, at: "source") ?? ""
        } else {
            problem(at: "", "the rules file has no \"source\"; name the notice, e.g. source = \"鲁教办函〔2022〕16号\"")
        }
        if let value = table["region"] { ruleSet.region = string(value, at: "region") ?? "" }
        if let value = table["issued"] { ruleSet.issued = date(value, at: "issued") }
        if let value = table["deadline"] { ruleSet.deadline = deadline(value, at: "deadline") }
        if let value = table["metric"], let metric = metricName(value, at: "metric") { ruleSet.metric = metric }
        if let value = table["applies_to"], let text = string(value, at: "applies_to"), text != "main_accounts" {
            problem(
                at: "applies_to",
                "\"applies_to\" must be \"main_accounts\" (registry rows with main = yes), found \"\(text)\""
            )
        }
        if let value = table["index"] { ruleSet.index = indexSettings(value) }
        ruleSet.rules = rules(table["rules"], defaultMetric: ruleSet.metric)

        if !problems.isEmpty { throw ReportError(problems) }
        return ruleSet
    }

    // MARK: - Sections

    private mutating func indexSettings(_ value: any TOMLValueConvertible) -> IndexSettings {
        var settings = IndexSettings()
        guard let table = table(value, at: "index") else { return settings }
        checkKeys(of: table, allowed: Self.indexKeys, at: "index", in: "[index]")
        if let value = table["wci_variant"], let name = string(value, at: "index.wci_variant") {
            if let variant = WCI.Variant(rawValue: name) {
                settings.wciVariant = variant
            } else {
                let names = WCI.Variant.allCases.map(\.rawValue)
                problem(
                    at: "index.wci_variant",
                    "unknown wci_variant \"\(name)\"\(KeySuggestion.suggestion(for: name, among: names)) (one of "
                        + names.joined(separator: ", ") + ")"
                )
            }
        }
        if let value = table["content_age_days"], let days = integer(value, at: "index.content_age_days") {
            if (0...365).contains(days) {
                settings.contentAgeDays = Int(days)
            } else {
                problem(at: "index.content_age_days", "\"content_age_days\" must be between 0 and 365, found \(days)")
            }
        }
        if let value = table["platform_weights"], let weights = self.table(value, at: "index.platform_weights") {
            var parsed: [IndexSettings.PlatformWeight] = []
            for (name, value) in weights {
                let keyPath = "index.platform_weights.\(name)"
                guard Platform.isValidName(name) else {
                    problem(
                        at: keyPath,
                        "\"\(name)\" is not a platform name\(KeySuggestion.suggestion(for: name, among: Platform.builtIn.map(\.rawValue)))"
                    )
                    continue
                }
                guard let weight = number(value, at: keyPath) else { continue }
                guard weight >= 0, weight.isFinite else {
                    problem(at: keyPath, "the weight of \(name) must be 0 or more, found \(weight)")
                    continue
                }
                parsed.append(IndexSettings.PlatformWeight(platform: Platform(rawValue: name), weight: weight))
            }
            settings = IndexSettings(
                platformWeights: parsed,
                wciVariant: settings.wciVariant,
                contentAgeDays: settings.contentAgeDays
            )
        }
        return settings
    }

    private mutating func rules(_ value: (any TOMLValueConvertible)?, defaultMetric: String) -> [Rule] {
        guard let value else {
            problem(at: "", "the rules file has no [[rules]]; add at least one")
            return []
        }
        guard value.type == .array, let array = value.array else {
            problem(at: "rules", "\"rules\" must be an array of tables ([[rules]]), found \(Self.typeName(value.type))")
            return []
        }
        var rules: [Rule] = []
        var seenIDs: [String: Int] = [:]
        for (offset, element) in array.enumerated() {
            let position = offset + 1
            let rulePath = "rules[\(position)]"
            guard let table = table(element, at: rulePath) else { continue }
            guard var rule = rule(table, position: position, defaultMetric: defaultMetric) else { continue }
            rule.line = lines.line(of: rulePath) ?? 0
            if let first = seenIDs[rule.id] {
                problem(
                    at: rulePath + ".id",
                    "rule id \"\(rule.id)\" is used twice (first at line \(first)); give each rule its own id"
                )
            } else {
                seenIDs[rule.id] = lines.line(of: rulePath + ".id") ?? rule.line
            }
            rules.append(rule)
        }
        return rules
    }

    // MARK: - One rule

    private mutating func rule(_ table: TOMLTable, position: Int, defaultMetric: String) -> Rule? {
        let base = "rules[\(position)]"
        var id = table["id"].flatMap { string($0, at: base + ".id") }
        if id?.isEmpty == true {
            problem(at: base + ".id", "[[rules]] #\(position) has an empty \"id\"")
            id = nil
        }
        let place = "[[rules]] #\(position)" + (id.map { " (\($0))" } ?? "")
        checkKeys(of: table, allowed: Self.ruleKeys, at: base, in: place)
        let problemCount = problems.count

        if table["id"] == nil { problem(at: base, "\(place) has no \"id\"; add one such as id = \"SD16-BUR-A\"") }
        var category: String?
        if let value = table["category"], let name = string(value, at: base + ".category") {
            let allowed = ["any"] + RegistryEntry.categories.sorted()
            if allowed.contains(name) {
                category = name
            } else {
                problem(
                    at: base + ".category",
                    "unknown category \"\(name)\" in \(place)\(KeySuggestion.suggestion(for: name, among: allowed)) (one of "
                        + allowed.joined(separator: ", ") + ")"
                )
            }
        } else if table["category"] == nil {
            problem(at: base, "\(place) has no \"category\"; use a SPEC §6 category or \"any\"")
        }
        var kind: Rule.Kind?
        if let value = table["kind"] {
            kind = choice(value, at: base + ".kind", name: "kind", in: place)
        } else {
            problem(at: base, "\(place) has no \"kind\"; use target, report_threshold or info")
        }
        var rule = Rule(id: id ?? "", category: category ?? "any", kind: kind ?? .info, metric: defaultMetric)
        if let value = table["label"] { rule.label = string(value, at: base + ".label") ?? "" }
        if let value = table["basis"] { rule.basis = string(value, at: base + ".basis") ?? "" }
        if let value = table["note"] { rule.note = string(value, at: base + ".note") ?? "" }
        if let value = table["metric"], let metric = metricName(value, at: base + ".metric") { rule.metric = metric }
        if let value = table["city_in"], let cities = stringArray(value, at: base + ".city_in") {
            if cities.isEmpty {
                problem(at: base + ".city_in", "\"city_in\" of \(place) is empty; list the cities or leave it out")
            }
            rule.cities = cities.map(Rule.normalizedCity)
        }
        if let value = table["students"] { rule.students = studentSelector(value, at: base + ".students") }
        if let value = table["op"],
            let comparison: Comparison = choice(value, at: base + ".op", name: "op", in: place, suggest: false)
        {
            if kind != .info, comparison.canonical != .atLeast, comparison != .greaterThan {
                problem(at: base + ".op", "the op of \(place) must be \">=\" or \">\" (a count to reach)")
            }
            rule.comparison = comparison.canonical
        }
        if let value = table["threshold"], let threshold = integer(value, at: base + ".threshold") {
            if threshold < 0 { problem(at: base + ".threshold", "the threshold of \(place) must be 0 or more") }
            rule.threshold = threshold
        }
        if let value = table["aggregation"],
            let aggregation: Rule.Aggregation = choice(
                value,
                at: base + ".aggregation",
                name: "aggregation",
                in: place
            )
        {
            rule.aggregation = aggregation
        }
        if let value = table["input"],
            let input: Rule.Input = choice(value, at: base + ".input", name: "input", in: place)
        {
            rule.input = input
        }
        if let value = table["window"], let window = string(value, at: base + ".window") {
            if Self.windows.contains(window) {
                rule.window = window
            } else {
                problem(
                    at: base + ".window",
                    "unknown window \"\(window)\"\(KeySuggestion.suggestion(for: window, among: Self.windows)) (one of period, calendar_month)"
                )
            }
        }
        if let value = table["outlets_examples"], let outlets = stringArray(value, at: base + ".outlets_examples") {
            rule.outletsExamples = outlets
        }
        if let value = table["deadline"] { rule.deadline = deadline(value, at: base + ".deadline") }
        if let value = table["effective_from"] { rule.effectiveFrom = date(value, at: base + ".effective_from") }
        if let value = table["effective_to"] { rule.effectiveTo = date(value, at: base + ".effective_to") }
        if let from = rule.effectiveFrom, let to = rule.effectiveTo, to < from {
            problem(at: base + ".effective_to", "\(place) ends (\(to)) before it starts (\(from))")
        }
        if kind != nil, kind != .info {
            if table["op"] == nil {
                problem(at: base, "\(place) is a \(rule.kind.rawValue) but has no \"op\"; add op = \">=\"")
            }
            if table["threshold"] == nil {
                problem(at: base, "\(place) is a \(rule.kind.rawValue) but has no \"threshold\"")
            }
        }
        return problems.count == problemCount ? rule : nil
    }

    private mutating func studentSelector(
        _ value: any TOMLValueConvertible,
        at keyPath: String
    ) -> Rule.StudentSelector? {
        guard let table = table(value, at: keyPath) else { return nil }
        checkKeys(of: table, allowed: Self.studentKeys, at: keyPath, in: "\"students\"")
        guard let opValue = table["op"], let valueValue = table["value"] else {
            problem(at: keyPath, "\"students\" needs op and value, e.g. students = { op = \">=\", value = 20000 }")
            return nil
        }
        guard
            let comparison: Comparison = choice(
                opValue,
                at: keyPath + ".op",
                name: "op",
                in: "\"students\"",
                suggest: false
            ),
            let count = integer(valueValue, at: keyPath + ".value")
        else { return nil }
        return Rule.StudentSelector(comparison: comparison.canonical, value: count)
    }

    // MARK: - Typed values

    private mutating func checkKeys(of table: TOMLTable, allowed: [String], at base: String, in place: String) {
        for key in table.keys where !allowed.contains(key) {
            let keyPath = base.isEmpty ? key : base + "." + key
            problem(
                at: keyPath,
                "unknown key \"\(key)\" in \(place)\(KeySuggestion.suggestion(for: key, among: allowed))"
            )
        }
    }

    private mutating func string(_ value: any TOMLValueConvertible, at keyPath: String) -> String? {
        guard value.type == .string, let text = value.string else { return typeProblem(keyPath, "a string", value) }
        return text
    }

    private mutating func integer(_ value: any TOMLValueConvertible, at keyPath: String) -> Int64? {
        guard value.type == .int, let number = value.int else { return typeProblem(keyPath, "an integer", value) }
        return Int64(number)
    }

    private mutating func number(_ value: any TOMLValueConvertible, at keyPath: String) -> Double? {
        if value.type == .int, let number = value.int { return Double(number) }
        guard value.type == .double, let number = value.double else { return typeProblem(keyPath, "a number", value) }
        return number
    }

    private mutating func table(_ value: any TOMLValueConvertible, at keyPath: String) -> TOMLTable? {
        guard value.type == .table, let table = value.table else { return typeProblem(keyPath, "a table", value) }
        return table
    }

    private mutating func stringArray(_ value: any TOMLValueConvertible, at keyPath: String) -> [String]? {
        guard value.type == .array, let array = value.array else {
            return typeProblem(keyPath, "an array of strings", value)
        }
        var strings: [String] = []
        for element in array {
            guard element.type == .string, let text = element.string else {
                return typeProblem(keyPath, "an array of strings", element, what: "found an element of type")
            }
            strings.append(text)
        }
        return strings
    }

    private mutating func date(_ value: any TOMLValueConvertible, at keyPath: String) -> CivilDate? {
        guard value.type == .date, let date = value.date else {
            return typeProblem(keyPath, "a date such as 2022-11-01", value)
        }
        guard let civil = CivilDate(year: date.year, month: date.month, day: date.day) else {
            problem(at: keyPath, "\(keyPath) is not a valid date")
            return nil
        }
        return civil
    }

    private mutating func deadline(_ value: any TOMLValueConvertible, at keyPath: String) -> RuleSet.Deadline? {
        if value.type == .date { return date(value, at: keyPath).map { .day($0) } }
        guard value.type == .dateTime, let dateTime = value.dateTime else {
            return typeProblem(keyPath, "a date-time with offset (2023-12-31T23:59:59+08:00) or a date", value)
        }
        guard let offset = dateTime.offset else {
            problem(at: keyPath, "\(keyPath) has no offset; write 2023-12-31T23:59:59+08:00, or a plain date")
            return nil
        }
        guard let civil = CivilDate(year: dateTime.date.year, month: dateTime.date.month, day: dateTime.date.day)
        else {
            problem(at: keyPath, "\(keyPath) is not a valid date")
            return nil
        }
        let local =
            civil.daysSinceEpoch * 86400
            + Int64(dateTime.time.hour * 3600 + dateTime.time.minute * 60 + dateTime.time.second)
        return .instant(Timestamp(secondsSinceEpoch: local - Int64(offset.offset) * 60))
    }

    private mutating func metricName(_ value: any TOMLValueConvertible, at keyPath: String) -> String? {
        guard let name = string(value, at: keyPath) else { return nil }
        guard Self.ruleMetrics.contains(name) else {
            problem(
                at: keyPath,
                "unknown metric \"\(name)\"\(KeySuggestion.suggestion(for: name, among: Self.ruleMetrics)); use a SPEC §4 metric, hits_100k or mainstream_media_pieces"
            )
            return nil
        }
        return name
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(
        _ value: any TOMLValueConvertible,
        at keyPath: String,
        name: String,
        in place: String,
        suggest: Bool = true
    ) -> T? where T.RawValue == String {
        guard let text = string(value, at: keyPath) else { return nil }
        if let choice = T(rawValue: text) { return choice }
        let names = T.allCases.map(\.rawValue)
        // Operators are too short for edit distance: "=>" is one edit from ">", which is wrong.
        let suggestion = suggest ? KeySuggestion.suggestion(for: text, among: names) : ""
        problem(
            at: keyPath,
            "unknown \(name) \"\(text)\" in \(place)\(suggestion) (one of " + names.joined(separator: ", ") + ")"
        )
        return nil
    }

    // MARK: - Problems

    private mutating func typeProblem<T>(
        _ keyPath: String,
        _ expected: String,
        _ value: any TOMLValueConvertible,
        what: String = "found"
    ) -> T? {
        let key = keyPath.split(separator: ".").last.map(String.init) ?? keyPath
        problem(at: keyPath, "\"\(key)\" must be \(expected), \(what) \(Self.typeName(value.type))")
        return nil
    }

    private mutating func problem(at keyPath: String, _ message: String) {
        problems.append(
            ConfigurationError(file: path, line: keyPath.isEmpty ? nil : lines.line(of: keyPath), message: message)
        )
    }

    private static func typeName(_ type: TOMLType) -> String {
        switch type {
        case .table: "table"
        case .array: "array"
        case .string: "string"
        case .int: "integer"
        case .double: "float"
        case .bool: "boolean"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date-time"
        }
    }
}
