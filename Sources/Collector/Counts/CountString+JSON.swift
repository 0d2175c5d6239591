extension CountString {
    /// Reads a count from a JSON field: exact numbers, display strings, or nothing.
    ///
    /// - An integer is exact (`"aweme_count": 772`).
    /// - A real with no fraction is exact (`1.0`, as some APIs serialise counts).
    /// - A string is a display string for ``parse(_:profile:)`` (`"214"`, `"1.2万"`, `"--"`).
    /// - `null` or an absent field (`nil`) is missing, never zero.
    /// - A negative number, a real with a fraction, a boolean, an array or an object is rejected.
    public static func parse(json: JSONValue?, profile: CountProfile = .default) -> CountParseResult {
        guard let json else { return .missing }
        switch json {
        case .null:
            return .missing
        case .string(let text):
            return parse(text, profile: profile)
        case .integer(let value):
            return exact(value, raw: String(value))
        case .real(let value):
            guard let integer = json.int64Value else {
                return .rejected(reason: "JSON number \(value) is not a count: it is not a whole number")
            }
            return exact(integer, raw: String(value))
        case .bool, .array, .object:
            return .rejected(reason: "JSON \(json.typeName) is not a count: expected a number or a string")
        }
    }

    private static func exact(_ value: Int64, raw: String) -> CountParseResult {
        guard value >= 0 else {
            return .rejected(reason: "JSON number \(raw) is not a count: negative counts are not accepted")
        }
        guard value < .max else {
            return .rejected(reason: "JSON number \(raw) is not a count: the number is too large")
        }
        return .count(ParsedCount(exact: value, raw: raw))
    }
}
