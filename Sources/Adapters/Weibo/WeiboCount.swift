import Collector

/// Reads Weibo's count fields, which may be integers, numeric strings or display strings
/// (`"123.4万"`, `"100万+"`), through ``CountString`` so the quality follows the text.
enum WeiboCount {
    /// The count in `field` of `reader`.
    /// - Returns: The count, or nil for a placeholder such as `"--"` (a hidden value: no row, never 0).
    /// - Throws: ``JSONFieldError`` when the field is absent (the response changed shape) or
    ///   holds something that is not a count.
    static func read(
        _ reader: JSONReader,
        _ field: String,
        profile: CountProfile
    ) throws(JSONFieldError) -> ParsedCount? {
        let path = reader.path(field)
        guard let value = reader.value(field) else {
            throw JSONFieldError(
                kind: .missing,
                path: path,
                origin: reader.origin,
                problem: "is missing (the platform may have changed its response)"
            )
        }
        switch CountString.parse(json: value, profile: profile) {
        case .count(let count):
            return count
        case .missing:
            return nil
        case .rejected(let reason):
            throw JSONFieldError(
                kind: .wrongType,
                path: path,
                origin: reader.origin,
                problem: "is not a count: \(reason)"
            )
        }
    }
}
