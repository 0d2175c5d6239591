/// `application/x-www-form-urlencoded` bodies and query values for the OAuth endpoints, which
/// take their parameters (code, secret, redirect URI) as a form.
enum WeiboForm {
    /// `a=1&b=x%2Fy`, every name and value percent-encoded.
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&").utf8)
    }

    /// `text` with every byte outside the unreserved set (RFC 3986 §2.3) as `%XX`.
    static func escape(_ text: String) -> String {
        PercentEncoding.escape(text)
    }
}
