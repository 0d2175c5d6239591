package import Collector

/// The Weibo error tables: the open API's `error_code` (PLATFORMS.md §2.1) and m.weibo.cn's
/// `ok` envelope (§2.2), each mapped to exactly one ``AdapterError`` kind.
///
/// HTTP 418/432 (anti-bot), 429, 5xx and HTML bodies are mapped before these tables, by
/// `JSONResponse`.
package enum WeiboErrors {
    /// What an API code calls for.
    package enum Kind: String, Sendable, CaseIterable {
        case transient, antiBot, permission, badRequest, rateLimited, reauthorize, notFound
    }

    /// One row of the API table: the code, the kind and what Weibo means by it.
    package struct Row: Sendable {
        /// The `error_code`.
        package var code: Int64
        /// What it calls for.
        package var kind: Kind
        /// What Weibo means by it, in the message.
        package var meaning: String
    }

    /// The open API's codes. The rows marked § are PLATFORMS.md §2.1; the others are from the
    /// same error-code page of open.weibo.com and only sharpen the message of an error that
    /// would otherwise be reported as an unexpected code.
    package static let apiTable: [Row] = [
        Row(code: 10001, kind: .transient, meaning: "system error"),  // §
        Row(code: 10002, kind: .transient, meaning: "service unavailable"),
        Row(code: 10003, kind: .transient, meaning: "remote service error"),
        Row(code: 10004, kind: .antiBot, meaning: "this IP is blocked from the resource (IP limit)"),  // §
        Row(code: 10005, kind: .permission, meaning: "the API needs a higher-level app key"),  // §
        Row(code: 10006, kind: .badRequest, meaning: "the app key (source) is missing"),  // §
        Row(code: 10008, kind: .badRequest, meaning: "a parameter is wrong"),
        Row(code: 10009, kind: .transient, meaning: "too many pending tasks, system busy"),
        Row(code: 10012, kind: .badRequest, meaning: "illegal request"),
        Row(code: 10013, kind: .notFound, meaning: "not a valid Weibo user"),
        Row(code: 10014, kind: .permission, meaning: "the app lacks the permission for this API"),  // §
        Row(code: 10016, kind: .badRequest, meaning: "a required parameter is missing"),
        Row(code: 10017, kind: .badRequest, meaning: "a parameter value is invalid"),
        Row(code: 10020, kind: .badRequest, meaning: "the API was not found"),
        Row(code: 10022, kind: .rateLimited, meaning: "per-IP request limit"),  // §
        Row(code: 10023, kind: .rateLimited, meaning: "per-user request limit"),  // §
        Row(code: 10024, kind: .rateLimited, meaning: "per-user limit of this API"),  // §
        Row(code: 20003, kind: .notFound, meaning: "the user does not exist"),
        Row(code: 21301, kind: .reauthorize, meaning: "authentication failed"),
        Row(code: 21314, kind: .reauthorize, meaning: "the token was already used"),  // §
        Row(code: 21315, kind: .reauthorize, meaning: "the token expired"),  // §
        Row(code: 21316, kind: .reauthorize, meaning: "the token was revoked"),  // §
        Row(code: 21317, kind: .reauthorize, meaning: "the token was rejected"),  // §
        Row(code: 21319, kind: .reauthorize, meaning: "the authorisation was revoked"),
        Row(code: 21321, kind: .permission, meaning: "the unreviewed app exceeded its test-user limit"),
        Row(code: 21322, kind: .badRequest, meaning: "redirect_uri does not match the app's callback URL"),
        Row(code: 21324, kind: .badRequest, meaning: "invalid client: check app_key and app_secret"),
        Row(code: 21325, kind: .reauthorize, meaning: "invalid grant (the code or token is not valid)"),  // §
        Row(code: 21327, kind: .reauthorize, meaning: "the token expired"),  // §
        Row(code: 21330, kind: .reauthorize, meaning: "the user denied the authorisation"),  // §
        Row(code: 21332, kind: .reauthorize, meaning: "the token is invalid"),
        Row(code: 21337, kind: .permission, meaning: "the app key's permission was denied"),  // §
    ]

    private static let rows: [Int64: Row] = Dictionary(uniqueKeysWithValues: apiTable.map { ($0.code, $0) })

    /// How long a rate-limited caller should wait: Weibo's limits are per hour (§2.1).
    package static let rateLimitBackoff: Duration = .seconds(3600)

    /// The adapter error for an API `error_code`.
    /// - Parameters:
    ///   - code: The `error_code` as sent.
    ///   - text: The `error` text; quoted only for codes the table does not know, cut at 120
    ///     characters after any known secret in it (a token it echoes) is redacted.
    ///   - origin: `weibo /2/users/counts.json`.
    ///   - reauthorize: What the operator runs to re-authorise (`collector auth weibo 5999000001`).
    package static func apiError(code: Int64, text: String, origin: String, reauthorize: String) -> AdapterError {
        let platformCode = String(code)
        guard let row = rows[code] else {
            // Redacted before the cut: some texts echo the request, token included.
            let quoted = text.isEmpty ? "" : " (\(KnownSecrets.excerpt(text, limit: 120)))"
            return .badRequest("\(origin): unexpected error code \(code)\(quoted)", platformCode: platformCode)
        }
        let meaning = row.meaning
        switch row.kind {
        case .transient:
            return .transient("\(origin): \(meaning); retrying", platformCode: platformCode)
        case .antiBot:
            return .antiBot(
                "\(origin): \(meaning); check the host's IP with Weibo",
                platformCode: platformCode
            )
        case .permission:
            return .permission(
                "\(origin): \(meaning); apply for the API permission (or app review) on open.weibo.com, retrying will not help",
                platformCode: platformCode
            )
        case .badRequest:
            return .badRequest("\(origin): \(meaning); check the configuration", platformCode: platformCode)
        case .rateLimited:
            return .rateLimited(
                "\(origin): \(meaning) reached; Weibo's limits are per hour, lower the instance's rate",
                platformCode: platformCode,
                retryAfter: rateLimitBackoff
            )
        case .reauthorize:
            return .reauthorizationRequired(
                "\(origin): \(meaning); web apps cannot refresh a Weibo token, re-authorise: \(reauthorize)",
                platformCode: platformCode
            )
        case .notFound:
            return .notFound("\(origin): \(meaning); check the account's uid", platformCode: platformCode)
        }
    }

    // MARK: - m.weibo.cn

    /// The adapter error for an m.weibo.cn envelope whose `ok` is not 1, or nil when it is 1.
    ///
    /// Fail closed (PLATFORMS.md §2.2, §10): anything but a clear success or a missing user
    /// stops the instance, since an unofficial endpoint that answers oddly is usually about to
    /// block the cookie. `这里还没有内容` is never read as "no posts": it is what the site
    /// answers while a captcha is pending.
    package static func webError(ok: Int64, message: String, origin: String) -> AdapterError? {
        let platformCode = "ok:\(ok)"
        // Redacted before the cut: a login error may echo the cookie.
        let said = message.isEmpty ? "" : " (\(KnownSecrets.excerpt(message, limit: 80)))"
        switch ok {
        case 1:
            return nil
        case -100:
            return .reauthorizationRequired(
                "\(origin): the cookie is not logged in\(said); renew the cookie: log in at m.weibo.cn and store the new cookie where \"cookie\" reads it",
                platformCode: platformCode
            )
        case 0 where message.contains("操作过于频繁"):
            return .antiBot(
                "\(origin): throttled\(said); lower the instance's rate",
                platformCode: platformCode
            )
        case 0 where message.contains("这里还没有内容"):
            return .antiBot(
                "\(origin): empty answer\(said), which m.weibo.cn sends while a captcha is pending; open m.weibo.cn with this cookie in a browser, then wait before the next run",
                platformCode: platformCode
            )
        case 0 where message.contains("不存在"):
            return .notFound(
                "\(origin): the user does not exist\(said); check the account's uid",
                platformCode: platformCode
            )
        default:
            return .antiBot(
                "\(origin): unexpected answer\(said) (an unofficial endpoint: it fails closed)",
                platformCode: platformCode
            )
        }
    }

    /// `error`, which ``JSONResponse`` made of a redirect the HTTP client did not follow from
    /// m.weibo.cn, read for what it means there.
    ///
    /// A redirect to Weibo's login (``loginPages``: m.weibo.cn sends an expired cookie
    /// to passport.weibo.cn) is the login or verification wall: `antiBot`, the instance stops
    /// and its breaker opens, as for a login page's HTML. Any other redirect (another host or
    /// port, https to http, the sixth in a row) is no sign of Weibo's risk control and must not
    /// open the breaker for hours: a wrong `base_url` or a proxy is the likelier cause. It is
    /// `error` (naming the redirect's target scheme and host, failing the account) with the
    /// cookie advice added. Any other error is returned as it is.
    package static func webRedirect(
        _ error: AdapterError,
        response: HTTPResponse,
        of request: HTTPRequest,
        origin: String,
        defaultBaseURL: String
    ) -> AdapterError {
        guard (300...399).contains(response.status) else { return error }
        if let login = loginPages.page(of: response, for: request) {
            return .antiBot(
                "\(origin): a redirect to the login page \(login) came instead of JSON (HTTP \(response.status)), a login or verification wall; check the cookie in a browser",
                platformCode: "http-\(response.status)"
            )
        }
        var error = error
        error.message +=
            "; if base_url is right (the default is \(defaultBaseURL)), open m.weibo.cn with the cookie in a browser to check it"
        return error
    }

    /// Weibo's and Sina's login and visitor-verification pages: the passport and login hosts
    /// (passport.weibo.cn, passport.weibo.com, login.sina.com.cn, passport.sina.cn), or `login`
    /// or `signin` in the path on a weibo.cn, weibo.com or sina.com.cn host.
    static let loginPages = LoginRedirect(
        hosts: ["passport.weibo.cn", "passport.weibo.com", "login.sina.com.cn", "passport.sina.cn"],
        domains: ["weibo.cn", "weibo.com", "sina.com.cn", "sina.cn"],
        pathWords: ["login", "signin"]
    )
}
