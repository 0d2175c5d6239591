package import Collector

/// The credential arithmetic of Kuaishou's token endpoints (PLATFORMS.md §4, §10).
///
/// Lifetimes are never assumed: each expiry is the moment the token was obtained plus the
/// lifetime the platform returned with it (`expires_in`, `refresh_token_expires_in`; observed
/// about 48 h and 180 days, documented as "not fixed"). A refresh returns a new refresh token
/// that inherits the old one's expiry, so each refresh returns a shorter
/// `refresh_token_expires_in` and the date by which the operator must re-authorise stays put.
package enum KuaishouTokens {
    /// How long before the re-authorisation date the adapter starts warning: 14 days.
    package static let warningWindowSeconds: Int64 = 14 * 86_400

    /// The credential an authorisation-code exchange (`/oauth2/access_token`) returned.
    /// - Throws: ``JSONFieldError`` when a token or a lifetime is missing or unusable.
    package static func granted(_ response: JSONReader, obtainedAt: Timestamp) throws(JSONFieldError) -> Credential {
        var attributes: [String: String] = [:]
        if let openID = try response.optionalString("open_id"), !openID.isEmpty { attributes["open_id"] = openID }
        if let scopes = scopes(response) { attributes["scopes"] = scopes }
        return Credential(
            accessToken: Secret(try token(response, "access_token")),
            refreshToken: Secret(try token(response, "refresh_token")),
            obtainedAt: obtainedAt,
            expiresAt: obtainedAt.adding(seconds: try lifetime(response, "expires_in")),
            refreshExpiresAt: obtainedAt.adding(seconds: try lifetime(response, "refresh_token_expires_in")),
            attributes: attributes
        )
    }

    /// The credential a refresh (`/oauth2/refresh_token`) returned, replacing `previous`: both
    /// tokens are new, the refresh token's expiry is the returned remaining lifetime (or, when
    /// the platform leaves it out, the previous expiry: a refresh never extends it).
    /// - Throws: ``JSONFieldError`` when a token or a lifetime is missing or unusable.
    package static func refreshed(
        _ previous: Credential,
        by response: JSONReader,
        obtainedAt: Timestamp
    ) throws(JSONFieldError) -> Credential {
        var attributes = previous.attributes
        if let scopes = scopes(response) { attributes["scopes"] = scopes }
        let refreshExpiresAt =
            try optionalLifetime(response, "refresh_token_expires_in").map { obtainedAt.adding(seconds: $0) }
            ?? previous.refreshExpiresAt
        return Credential(
            accessToken: Secret(try token(response, "access_token")),
            refreshToken: Secret(try token(response, "refresh_token")),
            obtainedAt: obtainedAt,
            expiresAt: obtainedAt.adding(seconds: try lifetime(response, "expires_in")),
            refreshExpiresAt: refreshExpiresAt,
            renewals: previous.renewals + 1,
            attributes: attributes
        )
    }

    /// Whether the re-authorisation date is less than 14 days after `now` (or past).
    package static func isReauthorizationDue(_ credential: Credential, now: Timestamp) -> Bool {
        credential.reauthorizeBy.secondsSinceEpoch - now.secondsSinceEpoch < warningWindowSeconds
    }

    /// Whole days from `now` to the re-authorisation date, rounded down; negative once past.
    package static func daysLeft(_ credential: Credential, now: Timestamp) -> Int64 {
        let seconds = credential.reauthorizeBy.secondsSinceEpoch - now.secondsSinceEpoch
        return seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }

    /// Whether the refresh token is known to have lapsed at `now`.
    package static func refreshTokenExpired(_ credential: Credential, now: Timestamp) -> Bool {
        guard let refreshExpiresAt = credential.refreshExpiresAt else { return false }
        return now >= refreshExpiresAt
    }

    // MARK: - Fields

    private static func token(_ response: JSONReader, _ path: String) throws(JSONFieldError) -> String {
        let text = try response.string(path)
        guard !text.isEmpty else {
            throw JSONFieldError(kind: .wrongType, path: path, origin: response.origin, problem: "is empty")
        }
        return text
    }

    /// A lifetime in seconds: a positive integer, possibly sent as a numeric string.
    private static func lifetime(_ response: JSONReader, _ path: String) throws(JSONFieldError) -> Int64 {
        guard let seconds = try optionalLifetime(response, path) else {
            // Let the reader phrase the missing field.
            return try response.int64(path)
        }
        return seconds
    }

    private static func optionalLifetime(_ response: JSONReader, _ path: String) throws(JSONFieldError) -> Int64? {
        guard let seconds = try response.optionalInt64(path) else { return nil }
        guard seconds > 0 else {
            throw JSONFieldError(
                kind: .outOfRange,
                path: path,
                origin: response.origin,
                problem: "is \(seconds), expected a positive number of seconds"
            )
        }
        return seconds
    }

    /// `scopes` as `user_info,user_video_info`, from an array or a string.
    private static func scopes(_ response: JSONReader) -> String? {
        switch response.value("scopes") {
        case .array(let items)?:
            let names = items.compactMap(\.stringValue)
            return names.isEmpty ? nil : names.joined(separator: ",")
        case .string(let text)? where !text.isEmpty:
            return text
        default:
            return nil
        }
    }
}
