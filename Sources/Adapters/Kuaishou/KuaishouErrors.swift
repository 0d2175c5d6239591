package import Collector

/// The Kuaishou error table (PLATFORMS.md §4): one action per `result` code.
///
/// Codes that a token refresh may cure (``refreshMayHelp(_:)``) are first tried again by the
/// adapter with a refreshed token; only when that does not help does the error reach the runner.
package enum KuaishouErrors {
    /// Every code PLATFORMS.md §4 documents, for the table test.
    package static let documentedCodes: [Int64] = [
        100_200_100, 100_400, 100_200_101, 100_200_107, 100_200_102, 100_200_105, 100_200_106, 100_200_108,
        100_200_109, 100_200_110, 100_200_111, 100_200_113, 100_200_500, 120_001, 100_100_402, 100_100_403,
        100_100_404, 200_100_410,
    ]

    /// `access_token` expired (100200108) or the request was refused, typically for an invalid
    /// token (100200102): refresh once and try again.
    package static func refreshMayHelp(_ code: Int64) -> Bool {
        code == 100_200_108 || code == 100_200_102
    }

    /// The adapter error for a `result` other than success.
    /// - Parameters:
    ///   - code: the `result` code.
    ///   - message: the platform's `error_msg`, quoted in the message.
    ///   - origin: `kuaishou /openapi/user_info`: the endpoint, never a URL with its query.
    ///   - reauthorize: what the operator must do to re-authorise the account, for the codes
    ///     that call for it (`run \`collector auth kuaishou\` …`).
    package static func error(code: Int64, message: String, origin: String, reauthorize: String) -> AdapterError {
        let platformCode = String(code)
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case 100_200_100, 100_400:
            return .badRequest(
                "\(origin): bad or missing parameter\(said); this is a collector bug, please report it",
                platformCode: platformCode
            )
        case 100_200_101:
            return .badRequest(
                "\(origin): invalid client\(said); check app_id and app_secret against the app on open.kuaishou.com",
                platformCode: platformCode
            )
        case 100_200_107:
            return .badRequest(
                "\(origin): invalid open id\(said); check the account in accounts: it must be the open_id the authorisation returned",
                platformCode: platformCode
            )
        case 100_200_102:
            return .authExpired(
                "\(origin): request refused, usually an invalid token\(said)",
                platformCode: platformCode
            )
        case 100_200_108:
            return .authExpired("\(origin): the access token expired\(said)", platformCode: platformCode)
        case 100_200_105:
            return .reauthorizationRequired(
                "\(origin): the authorisation code is invalid or used\(said); \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_106:
            return .reauthorizationRequired(
                "\(origin): the authorisation lacks a scope\(said); grant user_info and user_video_info: \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_109:
            return .reauthorizationRequired(
                "\(origin): the user revoked the authorisation\(said); \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_110:
            return .reauthorizationRequired(
                "\(origin): the authorisation expired\(said); \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_111:
            return .reauthorizationRequired(
                "\(origin): the user never authorised this app\(said); \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_113:
            return .reauthorizationRequired(
                "\(origin): the refresh token expired\(said); \(reauthorize)",
                platformCode: platformCode
            )
        case 100_200_500:
            return .transient("\(origin): internal error\(said)", platformCode: platformCode)
        case 120_001:
            return .notFound("\(origin): video not found\(said)", platformCode: platformCode)
        case 100_100_402, 100_100_403, 100_100_404, 200_100_410:
            return .rateLimited(
                "\(origin): rate limited\(said); lower the instance's rate if this repeats",
                platformCode: platformCode
            )
        default:
            return .badRequest("\(origin): unexpected error code \(code)\(said)", platformCode: platformCode)
        }
    }
}
