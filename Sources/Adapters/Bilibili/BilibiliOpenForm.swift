/// `application/x-www-form-urlencoded` for arcopen's query strings and token requests: every
/// byte outside RFC 3986's unreserved set is percent-encoded (upper-case hex), so a token or a
/// secret with `+`, `/` or `=` arrives as sent.
enum BilibiliOpenForm {
    /// `a=1&b=x%2By`.
    static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// One component, percent-encoded.
    static func escape(_ text: String) -> String {
        PercentEncoding.escape(text)
    }
}
