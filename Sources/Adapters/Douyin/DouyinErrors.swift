package import Collector

/// The Douyin error table (PLATFORMS.md §3.1 OAuth codes and §3.3 data codes): one
/// ``AdapterError`` kind, hence one action, per code.
///
/// The access-token codes are not final: ``DouyinSession`` refreshes the token once and
/// retries, and only then reports them.
package enum DouyinErrors {
    /// One row of the table: the codes that share a meaning, and what the operator should know.
    package struct Row: Sendable {
        /// The codes, new and old.
        package var codes: [Int64]
        /// What the error means and what to do, after the endpoint and the platform's own words.
        package var meaning: String
        /// Builds the adapter error from the message, code and request id.
        package var make: @Sendable (String, String, String?) -> AdapterError
    }

    /// Access token expired or invalid: refresh once, then retry (28001008 / 2190008 / OAuth 10008,
    /// and 2190002 "token invalid").
    package static let accessTokenRejected: Set<Int64> = [28_001_008, 2_190_008, 10008, 2_190_002]
    /// OAuth: the refresh token expired.
    package static let refreshTokenExpired: Int64 = 10010
    /// OAuth: the refresh token was renewed the allowed number of times.
    package static let renewalLimitReached: Int64 = 10020

    /// Every known code, in the order of PLATFORMS.md §3.3 and §3.1.
    package static let rows: [Row] = [
        Row(codes: [28_001_005, 2_100_004], meaning: "the platform is busy; retrying", make: transient),
        Row(codes: [28_001_006], meaning: "a network error on the platform's side; retrying", make: transient),
        Row(
            codes: [28_001_007, 2_100_005, 10005],
            meaning: "the platform rejected a parameter: a bug in the collector or a wrong open_id in accounts",
            make: badRequest
        ),
        Row(
            codes: [28_001_008, 2_190_008, 10008],
            meaning: "the platform refused the access token as expired",
            make: authExpired
        ),
        Row(
            codes: [2_190_002],
            meaning: "the platform refused the access token as invalid",
            make: authExpired
        ),
        Row(
            codes: [28_001_012],
            meaning:
                "the account owner did not grant a scope this endpoint needs; re-authorise with every scope the authorisation page asks for",
            make: reauthorizationRequired
        ),
        Row(
            codes: [28_001_014, 28_001_018, 2_190_004],
            meaning:
                "the app lacks the ability (能力) this endpoint needs; apply for it in the Douyin open platform console (企业/党政/事业单位 developers only)",
            make: permission
        ),
        Row(codes: [2_100_007, 10004], meaning: "no permission for this call", make: permission),
        Row(
            codes: [28_001_015],
            meaning:
                "the access token belongs to another open_id: the stored authorisation does not match this account; re-authorise it",
            make: badRequest
        ),
        Row(
            codes: [28_001_016, 28_001_019],
            meaning:
                "the app or the ability is banned by the platform, for every account; see the open platform console",
            make: banned
        ),
        Row(
            codes: [28_001_045, 28_001_046],
            meaning: "the Douyin account is cancelled or banned; remove it from accounts",
            make: notFound
        ),
        Row(
            codes: [28_001_047],
            meaning: "the Douyin account is private: its data cannot be read",
            make: permission
        ),
        Row(
            codes: [28_001_052],
            meaning: "the platform's frequency control (控制访问频率) answered; backing off",
            make: rateLimited
        ),
        Row(
            codes: [28_003_017, 2_190_001],
            meaning: "the app's daily quota is used up; no calls until 00:00 Beijing time",
            make: quotaExhausted
        ),
        Row(codes: [28_003_018], meaning: "requests are too frequent; backing off", make: rateLimited),
        Row(
            codes: [10010],
            meaning: "the refresh token has expired: the account owner must re-authorise",
            make: reauthorizationRequired
        ),
        Row(
            codes: [10020],
            meaning: "the refresh token was renewed the allowed 5 times: the account owner must re-authorise",
            make: reauthorizationRequired
        ),
    ]

    /// The adapter error for a non-zero `error_code`.
    /// - Parameters:
    ///   - code: the code as sent.
    ///   - description: the platform's `description`, quoted in the message when not empty.
    ///   - origin: the platform and endpoint, `douyin /data/external/user/fans/`.
    ///   - requestID: `extra.logid`, for support tickets.
    package static func error(code: Int64, description: String, origin: String, requestID: String?) -> AdapterError {
        let said = description.isEmpty ? "" : " (\(description))"
        guard let row = rows.first(where: { $0.codes.contains(code) }) else {
            return .badRequest(
                "\(origin): unexpected error code \(code)\(said); see the Douyin open platform error code list",
                platformCode: String(code),
                requestID: requestID
            )
        }
        return row.make("\(origin): \(row.meaning)\(said)", String(code), requestID)
    }

    /// Whether `error` says the access token is expired or invalid (refresh, then retry).
    package static func rejectsAccessToken(_ error: AdapterError) -> Bool {
        guard let code = error.platformCode.flatMap({ Int64($0) }) else { return false }
        return accessTokenRejected.contains(code)
    }

    private static func transient(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .transient(message, platformCode: code, requestID: requestID)
    }
    private static func badRequest(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .badRequest(message, platformCode: code, requestID: requestID)
    }
    private static func authExpired(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .authExpired(message, platformCode: code, requestID: requestID)
    }
    private static func reauthorizationRequired(
        _ message: String,
        _ code: String,
        _ requestID: String?
    )
        -> AdapterError
    {
        .reauthorizationRequired(message, platformCode: code, requestID: requestID)
    }
    private static func permission(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .permission(message, platformCode: code, requestID: requestID)
    }
    /// A refusal of the app itself: no other account of the instance can be read either.
    private static func banned(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .permission(message, platformCode: code, requestID: requestID, stopsInstance: true)
    }
    private static func notFound(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .notFound(message, platformCode: code, requestID: requestID)
    }
    private static func rateLimited(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .rateLimited(message, platformCode: code, requestID: requestID)
    }
    private static func quotaExhausted(_ message: String, _ code: String, _ requestID: String?) -> AdapterError {
        .quotaExhausted(message, platformCode: code, requestID: requestID)
    }
}
