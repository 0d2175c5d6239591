import Collector

extension WeChatAdapter {
    /// A count field: an exact JSON number, or a string the count parser reads (`"182408"` is
    /// exact too); nil when absent or `null`, which gives no row (never a zero).
    /// - Throws: ``JSONFieldError`` when the field holds something that is not a count.
    static func count(_ item: JSONReader, _ path: String) throws(JSONFieldError) -> ParsedCount? {
        switch CountString.parse(json: item.value(path)) {
        case .count(let count):
            return count
        case .missing:
            return nil
        case .rejected(let reason):
            throw JSONFieldError(
                kind: .wrongType,
                path: item.path(path),
                origin: item.origin,
                problem: "is not a count: \(reason)"
            )
        }
    }

    /// A count field that must be there.
    /// - Throws: ``JSONFieldError`` when it is absent, `null` or not a count.
    static func requiredCount(_ item: JSONReader, _ path: String) throws(JSONFieldError) -> ParsedCount {
        guard let count = try count(item, path) else {
            throw JSONFieldError(
                kind: .missing,
                path: item.path(path),
                origin: item.origin,
                problem: "is missing (the platform may have changed its response)"
            )
        }
        return count
    }

    /// A date field such as `ref_date`: `2025-11-24`.
    /// - Throws: ``JSONFieldError`` when it is absent or not a date.
    static func day(_ item: JSONReader, _ path: String) throws(JSONFieldError) -> CivilDate {
        let text = try item.string(path)
        guard let date = CivilDate(parsing: text) else {
            throw JSONFieldError(
                kind: .wrongType,
                path: item.path(path),
                origin: item.origin,
                problem: "is \"\(KnownSecrets.excerpt(text, limit: 40))\", expected a date yyyy-MM-dd"
            )
        }
        return date
    }

    /// A rate field as a fraction: a number in 0…1 or a percentage string (`"41.23%"`); nil
    /// when absent, and also when its unit cannot be told (a bare `41.23`), since the field's
    /// unit is not documented (PLATFORMS.md §1.11).
    static func fraction(_ item: JSONReader, _ path: String) -> DecimalValue? {
        guard case .value(let value) = MeasureString.fraction(json: item.value(path)), value.mantissa >= 0 else {
            return nil
        }
        return value
    }

    /// The top-level `list`; `null` is an empty one, an absent one a changed response.
    static func list(_ response: JSONReader) throws(JSONFieldError) -> [JSONReader] {
        if let value = response.value("list"), value.isNull { return [] }
        return try response.array("list")
    }
}
