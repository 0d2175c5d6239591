package import Collector

/// Turns an HTTP response into JSON, mapping what is not JSON to the adapter error that says
/// what happened: a rate-limit status, a server error, an HTML page, a truncated body.
///
/// Every HTTP adapter starts here, so the same bad answer gets the same message on every platform.
package enum JSONResponse {
    /// The JSON body of `response` to `request`, or the ``AdapterError`` its status or body calls for.
    ///
    /// A 4xx (other than the rate-limit and risk-control ones) passes when its body is the
    /// platform's JSON, an error the adapter reads (Weibo answers 400 with `error_code`); any
    /// other body with such a status is no answer of the platform's API at all — most often a
    /// wrong `base_url` that reached some other server — and is reported by its status, with the
    /// host and path and that advice, as a ``AdapterError/badRequest(_:platformCode:requestID:)``.
    /// - Parameters:
    ///   - platform: Names the platform in messages (`bilibili`).
    ///   - envelope: The top-level keys of which every answer of the platform, errors included,
    ///     carries at least one (`["code"]` for bilibili): how its JSON is told from another
    ///     server's.
    ///   - now: The wall clock (the context's), which a `Retry-After` given as a date is
    ///     measured from; read only then.
    package static func decode(
        _ response: HTTPResponse,
        of request: HTTPRequest,
        platform: Platform,
        envelope: [String],
        now: () -> Timestamp
    ) throws(AdapterError) -> JSONValue {
        // Built only for a message: a good response never pays for it.
        var origin: String { Self.origin(of: response, to: request, platform: platform) }
        switch response.status {
        case 429:
            throw .rateLimited(
                "\(origin) answered HTTP 429 Too Many Requests",
                platformCode: "http-429",
                retryAfter: response.retryAfter(now: now)
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
                retryAfter: response.retryAfter(now: now)
            )
        case 300...399:
            throw AdapterError.badRequest(
                redirectMessage(response, of: request, origin: origin),
                platformCode: "http-\(response.status)"
            )
            .fromOutsideTheAPI()
        default:
            break
        }
        let succeeded = (200...299).contains(response.status)
        if !succeeded {
            try checkPlatformAnswer(response, envelope: envelope, origin: origin)
        }
        if response.looksLikeHTML {
            throw AdapterError.schemaChanged(
                "\(origin) sent an HTML page (HTTP \(response.status)) where JSON was expected: a proxy, a login wall or a changed endpoint; check base_url and the platform's status",
                platformCode: "http-\(response.status)"
            )
            .fromOutsideTheAPI()
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

    /// What answered, for a message: `weibo m.weibo.cn/api/container/getIndex`; after a
    /// followed redirect, the address asked and the one that answered (`weibo
    /// 127.0.0.1:8080/old/api/container/getIndex redirected to
    /// 127.0.0.1:8080/new/api/container/getIndex, which`), since the operator corrects
    /// base_url to the latter. Hosts and paths only: a query may hold a token.
    static func origin(of response: HTTPResponse, to request: HTTPRequest, platform: Platform) -> String {
        let asked = "\(platform) \(request.host)\(request.path)"
        guard let finalURL = response.finalURL else { return asked }
        let answered = HTTPRequest(url: finalURL)
        return "\(asked) redirected to \(answered.host)\(answered.path), which"
    }

    /// Why a redirect reached the adapter: the HTTP client follows only a `GET`'s redirects to
    /// the same scheme, host and port, so this one leads elsewhere, is a `POST`'s, or is one of
    /// too many. Names the target's scheme and host, never its path or query.
    private static func redirectMessage(_ response: HTTPResponse, of request: HTTPRequest, origin: String) -> String {
        let answer = "\(origin) answered HTTP \(response.status)"
        guard let location = response.header("Location"), !location.isEmpty else {
            return "\(answer) without a Location; check base_url"
        }
        let scheme = { (url: String) in url.firstRange(of: "://").map { String(url[..<$0.lowerBound]).lowercased() } }
        let requestScheme = scheme(request.url) ?? "https"
        let target: HTTPRequest
        if scheme(location) != nil {
            target = HTTPRequest(url: location)
        } else if location.hasPrefix("//") {
            target = HTTPRequest(url: requestScheme + ":" + location)
        } else {
            target = HTTPRequest(url: "\(requestScheme)://\(request.host)/")
        }
        let targetScheme = scheme(target.url) ?? requestScheme
        let reason =
            if request.method == .post {
                "a POST is never sent on, since its body may hold a secret"
            } else if requestScheme == "https" && targetScheme != "https" {
                "it would leave https for plain \(targetScheme)"
            } else if targetScheme != requestScheme {
                "it moves from \(requestScheme) to \(targetScheme), another origin"
            } else if target.host.lowercased() != request.host.lowercased() {
                "it leads to another host or port"
            } else {
                // The client follows a same-origin redirect unless it is the sixth in a row or
                // its Location cannot be read: from here the two look alike.
                "too many redirects in a row, or a Location that cannot be read"
            }
        return
            "\(answer), a redirect to \(targetScheme)://\(target.host), which is not followed: \(reason); check base_url"
    }

    /// Throws the HTTP status of a non-2xx `response` whose body is not the platform's JSON
    /// (an HTML page, text, an empty body, another server's JSON), with the advice to check
    /// `base_url`; returns for a body the adapter should read as the platform's error.
    private static func checkPlatformAnswer(
        _ response: HTTPResponse,
        envelope: [String],
        origin: @autoclosure () -> String
    ) throws(AdapterError) {
        let body: String
        if response.looksLikeHTML {
            body = "an HTML page where JSON was expected"
        } else if response.body.isEmpty {
            body = "an empty body where JSON was expected"
        } else if let json = try? JSONValue.parse(response.body) {
            guard envelope.allSatisfy({ json[$0] == nil }) else { return }
            let keys = envelope.map { "\"\($0)\"" }.joined(separator: " or ")
            body = "JSON that is not the platform's (no \(keys))"
        } else {
            body = "a body that is not JSON"
        }
        let status = "HTTP \(response.status)" + (reasonPhrases[response.status].map { " " + $0 } ?? "")
        throw AdapterError.badRequest(
            "\(origin()) answered \(status) with \(body): the request did not reach the platform's API; check "
                + "base_url (host and path prefix) and any proxy in between",
            platformCode: "http-\(response.status)"
        )
        .fromOutsideTheAPI()
    }

    private static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        410: "Gone",
    ]

    /// A field error turned into the schema-change error it means for the account.
    static func schemaChanged(_ error: JSONFieldError) -> AdapterError {
        .schemaChanged(error.description)
    }
}
