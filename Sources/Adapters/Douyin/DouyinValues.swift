import Collector

/// Reading Douyin's values, which may be numbers or numeric strings anywhere (PLATFORMS.md §3.2):
/// counts through ``CountString``, signed changes, days and unix times.
///
/// An absent field is a schema change and throws; `null` or a placeholder (`"-"`) is a missing
/// value and gives nil, so no row is written (never a 0).
enum DouyinValues {
    /// A count field, exact or displayed.
    /// - Returns: the count, or nil when the value is `null` or a placeholder.
    /// - Throws: ``JSONFieldError`` when the field is absent or not a count.
    static func count(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> ParsedCount? {
        guard let value = entry.value(field) else { throw missing(entry, field) }
        switch CountString.parse(json: value) {
        case .count(let count):
            return count
        case .missing:
            return nil
        case .rejected(let reason):
            throw JSONFieldError(
                kind: .wrongType,
                path: entry.path(field),
                origin: entry.origin,
                problem: "is not a count: \(reason)"
            )
        }
    }

    /// A signed integer field (a net change may be negative): a number or a numeric string.
    /// - Returns: the integer, or nil when the value is `null`.
    /// - Throws: ``JSONFieldError`` when the field is absent or not an integer.
    static func signed(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> Int64? {
        guard entry.value(field) != nil else { throw missing(entry, field) }
        return try entry.optionalInt64(field)
    }

    /// A decimal field (an average duration): a number or a numeric string.
    /// - Returns: the value, or nil when it is `null` or a placeholder.
    /// - Throws: ``JSONFieldError`` when the field is absent or not a number.
    static func decimal(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> DecimalValue? {
        guard let value = entry.value(field) else { throw missing(entry, field) }
        switch value {
        case .null:
            return nil
        case .integer(let number):
            return DecimalValue(mantissa: number, scale: 0)
        case .real(let number):
            if let decimal = DecimalValue(number) { return decimal }
        case .string(let text):
            if text == "-" || text == "--" || text.isEmpty { return nil }
            if let decimal = DecimalValue(parsing: text) { return decimal }
        default:
            break
        }
        throw JSONFieldError(
            kind: .wrongType,
            path: entry.path(field),
            origin: entry.origin,
            problem: "is \(value.typeName) \(value), expected a number (the platform may have changed its response)"
        )
    }

    /// A `date` field (`2025-03-06`, a Beijing day) as 00:00 of that day in the configured zone.
    static func day(
        _ entry: JSONReader,
        _ field: String,
        calendar: PlatformCalendar
    ) throws(JSONFieldError)
        -> Timestamp
    {
        let text = try entry.string(field)
        guard let date = CivilDate(parsing: text) else {
            throw JSONFieldError(
                kind: .wrongType,
                path: entry.path(field),
                origin: entry.origin,
                problem: "is \"\(text)\", expected a day such as 2025-03-06"
            )
        }
        return calendar.startOfDay(date)
    }

    /// A unix time in seconds, or milliseconds when above 10¹² (PLATFORMS.md §8); nil when absent.
    static func unixTime(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> Timestamp? {
        guard let value = try entry.optionalInt64(field), value > 0 else { return nil }
        return Timestamp(secondsSinceEpoch: value > 1_000_000_000_000 ? value / 1000 : value)
    }

    /// A boolean that may be sent as `true`, `1` or `"true"`.
    static func flag(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> Bool {
        guard let value = entry.value(field) else { throw missing(entry, field) }
        switch value {
        case .bool(let flag): return flag
        case .integer(let number) where number == 0 || number == 1: return number == 1
        case .string("true"), .string("1"): return true
        case .string("false"), .string("0"): return false
        default: return try entry.bool(field)
        }
    }

    /// An opaque cursor, a number or a string, as the text to send back.
    static func cursor(_ entry: JSONReader, _ field: String) throws(JSONFieldError) -> String {
        try entry.string(field)
    }

    /// The error for an absent field, worded as ``JSONReader``'s own.
    static func missing(_ entry: JSONReader, _ field: String) -> JSONFieldError {
        JSONFieldError(
            kind: .missing,
            path: entry.path(field),
            origin: entry.origin,
            problem: "is missing (the platform may have changed its response)"
        )
    }
}
