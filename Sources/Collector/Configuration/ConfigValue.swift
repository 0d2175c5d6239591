/// A value of `adapters.conf` after `${VAR}` and `@file:` substitution.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    /// A string.
    case string(String)
    /// An integer.
    case integer(Int)
    /// A floating-point number.
    case double(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// An array.
    case array([ConfigValue])
    /// A table (inline or nested).
    case table([String: ConfigValue])

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .double: "float"
        case .bool: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }

    /// A short rendering for `collector adapters` and errors, a long string cut
    /// (``ConfigurationError/quoted(_:)``). Never used for secret keys.
    public var description: String {
        switch self {
        case .string(let value): ConfigurationError.quoted(value)
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .table(let values):
            "{" + values.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension ConfigValue {
    /// The one string an array-of-strings key takes: `accounts = "registry"` (SPEC §6).
    static func isAcceptedString(_ text: String, forArrayKey key: String) -> Bool {
        key == "accounts" && text == "registry"
    }

    /// Why a single string is refused where an array of strings is expected, and what to write:
    /// `write formats = ["csv"]`. A single string is not taken as a one-element list: it is
    /// too easily a list written as one (`"csv, jsonl"`, `"./xhs --since 7d"`) that would be
    /// read as one odd item (SPEC §2: a wrong type is an error).
    /// - Parameters:
    ///   - key: The key.
    ///   - source: The string as written in the file (`${VAR}` rather than its value).
    static func singleStringAdvice(key: String, written source: String) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        var advice = "write \(key) = [\(quoted(source))]"
        // A list written as one string: show it split, by its commas, else by its blanks.
        let items =
            source.contains(",")
            ? source.split(separator: ",").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                .filter { !$0.isEmpty }
            : source.split(whereSeparator: \.isWhitespace).map(String.init)
        if items.count > 1 {
            advice +=
                ", or, if it lists several items, one string each: \(key) = ["
                + items.map { quoted($0) }.joined(separator: ", ") + "]"
        } else if key == "accounts" {
            advice += " (or account = \(quoted(source))); the one string \"accounts\" takes is \"registry\""
        }
        return advice
    }

    /// What to write for an array-of-strings key given integers, each item put in quotes:
    /// `write accounts = ["208259", "546195"]` (ids of digits written as numbers). Nil when an
    /// item is anything else, which quoting would not turn into what was meant.
    static func quotedItemsAdvice(key: String, _ value: ConfigValue) -> String? {
        let items: [ConfigValue]
        if case .array(let values) = value { items = values } else { items = [value] }
        var quoted: [String] = []
        for item in items {
            switch item {
            case .string: quoted.append(item.description)
            case .integer: quoted.append("\"\(item)\"")
            case .double, .bool, .array, .table: return nil
            }
        }
        return "write \(key) = [" + quoted.joined(separator: ", ") + "] (each item in double quotes)"
    }
}
