/// A request as the simulator received it, for assertions.
public struct RecordedRequest: Sendable, Hashable {
    /// `GET`, `POST`, ….
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The query string without `?`, empty when there is none.
    public var query: String
    /// The headers, in order, as sent.
    public var headers: [ScriptedResponse.Header]
    /// The body.
    public var body: [UInt8]

    /// Creates a record.
    public init(method: String, path: String, query: String, headers: [ScriptedResponse.Header], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The value of query parameter `name` (not percent-decoded).
    public func queryParameter(_ name: String) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }
}
