import Collector

/// The field problems met in one response: the first is reported with a count of the rest, so a
/// field that drifted gives one failure, not one per row, and the good rows are still written.
struct DouyinFieldProblems {
    private var first: JSONFieldError?
    private var count = 0

    /// Records a problem.
    mutating func note(_ error: JSONFieldError) {
        if first == nil { first = error }
        count += 1
    }

    /// Runs `read`, recording its error; nil when it failed.
    mutating func attempt<Value>(_ read: () throws(JSONFieldError) -> Value) -> Value? {
        do {
            return try read()
        } catch {
            note(error)
            return nil
        }
    }

    /// The schema-change error to report, or nil when every field was fine.
    var error: AdapterError? {
        guard let first else { return nil }
        let more = count > 1 ? " (and \(count - 1) more field problem\(count == 2 ? "" : "s") in this response)" : ""
        return .schemaChanged(first.description + more)
    }
}
