package import Collector

/// The WeChat error table (PLATFORMS.md §1.6): one ``AdapterError`` per `errcode`.
///
/// Envelope: `{"errcode":N,"errmsg":"… rid: …"}`; a success has no `errcode`, or 0. The `rid`
/// at the end of `errmsg` identifies the request for a support ticket: it becomes the error's
/// ``AdapterError/requestID`` and is cut from the quoted message.
///
/// 40001/42001 are not final when they answer a data call: the adapter first renews the token
/// (``WeChatTokenProvider``) and only reports ``AdapterError/authExpired(_:platformCode:requestID:)``
/// from this table when renewing did not help.
package enum WeChatErrors {
    /// Every code the table knows, each once: §1.6, plus the token endpoint's 40013 (invalid
    /// AppID) and 40125 (invalid AppSecret), which the general WeChat code list documents.
    package static let knownCodes: [Int64] = [
        -1, 40001, 42001, 40013, 40125, 40164, 61004, 45035, 45009, 45011, 48001, 50001, 47009, 61500, 61501,
    ]

    /// How long 45011 makes us wait: the per-minute quota frees up with the next minute.
    package static let minuteQuotaWait: Duration = .seconds(60)

    /// Where the operator whitelists the collector's IP.
    static let whitelistHelp =
        "add this machine's IP to the account's IP whitelist (mp.weixin.qq.com → 设置与开发 → 基本配置 → IP白名单)"

    /// Whether `code` says the access token is invalid, not the latest, or expired: renew it
    /// and retry before reporting anything.
    package static func isTokenRejection(_ code: Int64) -> Bool {
        code == 40001 || code == 42001
    }

    /// The `errcode` and `errmsg` of a response, or nil for a success (no `errcode`, or 0).
    /// - Throws: ``AdapterError/schemaChanged(_:platformCode:requestID:)`` when `errcode` is not a number.
    package static func envelope(
        of json: JSONValue,
        origin: String
    ) throws(AdapterError) -> (code: Int64, errmsg: String)? {
        guard let field = json["errcode"], !field.isNull else { return nil }
        let code: Int64
        if let number = field.int64Value {
            code = number
        } else if let text = field.stringValue, let number = Int64(text) {
            code = number
        } else {
            throw .schemaChanged("\(origin): \"errcode\" is \(field.typeName), expected a number")
        }
        guard code != 0 else { return nil }
        return (code, json["errmsg"]?.stringValue ?? "")
    }

    /// The six retired datacube APIs (PLATFORMS.md §1.3): 47009 from one of them is expected,
    /// and `legacy_articles = false` stops the calls; from any other endpoint it is not.
    package static let legacyEndpoints: Set<String> = [
        "getarticlesummary", "getarticletotal", "getuserread", "getuserreadhour", "getusershare", "getusersharehour",
    ]

    /// The adapter error for a non-zero `errcode`.
    /// - Parameters:
    ///   - code: The `errcode`.
    ///   - errmsg: The `errmsg` as sent (its `rid` becomes the request id).
    ///   - origin: The platform and endpoint, never a URL with its query (`wechat /datacube/getusercumulate`).
    ///   - legacy: Whether the endpoint is one of ``legacyEndpoints``: the advice on 47009 depends on it.
    package static func error(code: Int64, errmsg: String, origin: String, legacy: Bool = false) -> AdapterError {
        let (text, requestID) = splitRequestID(errmsg)
        let platformCode = String(code)
        let said = text.isEmpty ? "" : " (\(text))"
        switch code {
        case -1:
            return .transient(
                "\(origin): system busy\(said); retrying with backoff",
                platformCode: platformCode,
                requestID: requestID
            )
        case 40001, 42001:
            // errmsg is not quoted: it names the token parameter, and says nothing the code does not.
            let what = code == 40001 ? "invalid or not the latest" : "expired"
            return .authExpired(
                "\(origin): the access token was refused (\(what)) although a fresh one was fetched; check that app_id and app_secret belong to this account and that no other system forces token refreshes for this app (stable_token force_refresh)",
                platformCode: platformCode,
                requestID: requestID
            )
        case 40013:
            return .reauthorizationRequired(
                "\(origin): invalid AppID\(said); check app_id against mp.weixin.qq.com → 设置与开发 → 基本配置 → 开发者ID(AppID)",
                platformCode: platformCode,
                requestID: requestID
            )
        case 40125:
            return .reauthorizationRequired(
                "\(origin): invalid AppSecret\(said); check app_secret against mp.weixin.qq.com → 设置与开发 → 基本配置 → 开发者密码(AppSecret), or reset it there",
                platformCode: platformCode,
                requestID: requestID
            )
        case 40164, 61004, 45035:
            return .permission(
                "\(origin): the caller's IP is not whitelisted\(said); \(whitelistHelp)",
                platformCode: platformCode,
                requestID: requestID
            )
        case 45009:
            return .quotaExhausted(
                "\(origin): the daily API quota is used up\(said); no more calls for this account until 00:00 Beijing time",
                platformCode: platformCode,
                requestID: requestID
            )
        case 45011:
            return .rateLimited(
                "\(origin): the per-minute API quota is used up\(said); waiting at least 60 s",
                platformCode: platformCode,
                requestID: requestID,
                retryAfter: minuteQuotaWait
            )
        case 48001, 50001:
            let what =
                code == 48001 ? "the API is not authorised for this account" : "the user is not authorised for this API"
            return .permission(
                "\(origin): \(what)\(said): verified accounts only / missing permission set; the data APIs need a verified (微信认证) account, and a third-party platform needs permission sets 2 (user data) and 7 (article data)",
                platformCode: platformCode,
                requestID: requestID
            )
        case 47009 where legacy:
            return .badRequest(
                "\(origin): this legacy API is retired\(said); switch legacy_articles off",
                platformCode: platformCode,
                requestID: requestID
            )
        case 47009:
            // Not an API legacy_articles turns on: the platform has retired one the collector
            // relies on, and only a collector update can move to its successor.
            return .badRequest(
                "\(origin): the platform says this API is offline\(said); the collector needs an update to its successor: please report it with the request id (the other endpoints are still collected)",
                platformCode: platformCode,
                requestID: requestID
            )
        case 61500:
            return .badRequest(
                "\(origin): the platform refused the date format\(said): a bug in the date window: please report it with the request id",
                platformCode: platformCode,
                requestID: requestID
            )
        case 61501:
            return .badRequest(
                "\(origin): the platform refused the date range\(said): a bug in the date window: please report it with the request id",
                platformCode: platformCode,
                requestID: requestID
            )
        default:
            return .badRequest(
                "\(origin): unexpected errcode \(code)\(said); look it up in the WeChat global return codes (全局返回码)",
                platformCode: platformCode,
                requestID: requestID
            )
        }
    }

    /// `errmsg` without its trailing request id, and the id: `access_token expired rid: 67d0-11`
    /// → (`access_token expired`, `67d0-11`); older answers end in `hint: [vJOTwa0300ha57]`.
    package static func splitRequestID(_ errmsg: String) -> (message: String, requestID: String?) {
        for marker in ["rid:", "hint:"] {
            guard let range = lastRange(of: marker, in: errmsg) else { continue }
            var id = errmsg[range.upperBound...].drop(while: { $0 == " " })
            id = id.prefix(while: { $0 != " " && $0 != "," })
            if id.hasPrefix("["), id.hasSuffix("]") { id = id.dropFirst().dropLast() }
            guard !id.isEmpty else { continue }
            return (trimmed(errmsg[..<range.lowerBound]), String(id))
        }
        return (trimmed(errmsg[...]), nil)
    }

    /// The last occurrence of `marker` in `text` (Foundation's `range(of:options:)` without Foundation).
    private static func lastRange(of marker: String, in text: String) -> Range<String.Index>? {
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index...].hasPrefix(marker) {
                return index..<text.index(index, offsetBy: marker.count)
            }
        }
        return nil
    }

    /// Drops surrounding spaces and a trailing `,` (`invalid appsecret, rid: …`).
    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while let last = text.last, last == " " || last == "," { text = text.dropLast() }
        while let first = text.first, first == " " { text = text.dropFirst() }
        return String(text)
    }
}
