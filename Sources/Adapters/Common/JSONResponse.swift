import Collector

/// Turns an HTTP response into JSON, mapping what is not JSON to the adapter error that says
/// what happened: a rate-limit status, a server error, an HTML page, a truncated body.
///
/// Every HTTP adapter starts here, so the same bad answer gets the same message on every platform.
enum JSONResponse {
    /// The JSON body of `response` to `request`, or the ``AdapterError`` its status or body calls for.
    /// - Parameter platform: names the platform in messages (`bilibili`).
    static func decode(
        _ response: HTTPResponse,
        of request: HTTPRequest,
        platform: Platform
    ) throws(AdapterError) -> JSONValue {
        // Built only for a message: a good response never pays for it.
        var origin: String { "\(platform) \(request.host)\(request.path)" }
        switch response.status {
        case 429:
            throw .rateLimited(
                "\(origin) answered HTTP 429 Too Many Requests",
                platformCode: "http-429",
                retryAfter: response.retryAfter
            )
        case 412, 418, 432:
            throw .antiBot(
                "\(origin) answered HTTP \(response.status): the platform's risk control blocked the request; wait hours before trying again",
                platformCode: "http-\(response.status)"
            )
        case 500...599:
            throw .transient(
                "\(origin) answered HTTP \(response.status)",
                platformCode: "http-\(response.status)",
                retryAfter: response.retryAfter
            )
        default:
            break
        }
        if response.looksLikeHTML {
            throw .schemaChanged(
                "\(origin) sent an HTML page (HTTP \(response.status)) where JSON was expected: a proxy, a login wall or a changed endpoint; check base_url and the platform's status",
                platformCode: "http-\(response.status)"
            )
        }
        if response.body.isEmpty {
            throw .transient(
                "\(origin) sent an empty body (HTTP \(response.status))",
                platformCode: "http-\(response.status)"
            )
        }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw .schemaChanged(
                "\(origin) sent malformed or truncated JSON (HTTP \(response.status), \(response.body.count) bytes): \(error)",
                platformCode: "http-\(response.status)"
            )
        }
    }

    /// A field error turned into the schema-change error it means for the account.
    static func schemaChanged(_ error: JSONFieldError) -> AdapterError {
        .schemaChanged(error.description)
    }
}
