/// A URL query built from name/value pairs, values percent-encoded: Kuaishou tokens are
/// base64-like and may hold `+`, `/` or `=`, which a query must not carry raw.
package struct KuaishouQuery: Sendable {
    private(set) var items: [(name: String, value: String)] = []

    /// An empty query.
    package init() {}

    /// A query of `items`, in order.
    package init(_ items: [(String, String)]) {
        self.items = items.map { (name: $0.0, value: $0.1) }
    }

    /// Appends `name=value`.
    package mutating func append(_ name: String, _ value: String) {
        items.append((name, value))
    }

    /// `a=1&b=x%2By`, without the `?`.
    package var encoded: String {
        items.map { Self.escape($0.name) + "=" + Self.escape($0.value) }.joined(separator: "&")
    }

    /// Percent-encodes everything but the RFC 3986 unreserved characters.
    package static func escape(_ text: String) -> String {
        PercentEncoding.escape(text)
    }
}
