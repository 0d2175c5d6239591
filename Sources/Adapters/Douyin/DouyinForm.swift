/// Percent-encoding for query strings and form bodies (RFC 3986 unreserved characters kept).
enum DouyinForm {
    /// `a=1&b=x%2By`.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// Every byte outside `A–Z a–z 0–9 - . _ ~` as `%XX`.
    static func escape(_ text: String) -> String {
        PercentEncoding.escape(text)
    }
}
