import Collector

/// The error table of the official open platform (arcopen, PLATFORMS.md §5.1): one action per
/// envelope `code`.
///
/// arcopen answers with Bilibili's common `{code, message, ttl, data}` envelope and the common
/// codes of bilibili-API-collect `docs/misc/errcode.md` (PLATFORMS.md §5.3 [L5]); the open
/// platform's own code list was not captured, so codes not listed here are reported with
/// their number and message as a bad request (never ignored).
///
/// That table (§5.3) was written for the web API. Whether arcopen ever sends −352 or −799 is not
/// known; if it does, they mean what §5.3 says, risk control, and are taken the conservative
/// way, as −412: the instance stops for the run and the circuit breaker keeps it off the
/// platform (``AdapterError/antiBot(_:platformCode:requestID:)``), rather than retrying sooner.
enum BilibiliOpenErrors {
    /// The codes and what each means, for tests and docs.
    static let table: [(code: Int64, meaning: String)] = [
        (-1, "application missing or banned"),
        (-2, "access token invalid"),
        (-3, "API key (client secret) wrong"),
        (-4, "no permission for this method"),
        (-101, "not logged in / not authorised"),
        (-400, "bad request"),
        (-401, "not authenticated"),
        (-403, "no permission (scope not granted)"),
        (-404, "not found"),
        (-352, "risk control check failed"),
        (-412, "request blocked (risk control)"),
        (-500, "server error"),
        (-503, "overload protection"),
        (-504, "service timeout"),
        (-509, "over the request limit"),
        (-658, "token expired"),
        (-799, "requests too frequent"),
        (62002, "video invisible"),
        (62004, "video under review"),
        (62012, "video visible to its owner only"),
    ]

    /// The adapter error for a non-zero envelope `code` of a data endpoint.
    static func error(code: Int64, message: String, origin: String) -> AdapterError {
        let platformCode = String(code)
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case -2, -101, -401, -658:
            // Refreshing may help; the adapter refreshes once, then asks for a new authorisation.
            return .authExpired(
                "\(origin): the access token was refused\(said)",
                platformCode: platformCode
            )
        case -1, -3:
            return .permission(
                "\(origin): the application was refused\(said); check client_id and client_secret and the application's status on open.bilibili.com",
                platformCode: platformCode
            )
        case -4, -403:
            return .permission(
                "\(origin): no permission\(said); the application needs the ability (USER_DATA for account counts, ARC_DATA for video counts, ARC_BASE for the upload list) and the account must grant it",
                platformCode: platformCode
            )
        case -404, 62002, 62004, 62012:
            return .notFound("\(origin): not found or not visible\(said)", platformCode: platformCode)
        case -412, -352, -799:
            return riskControl(code: code, said: said, origin: origin)
        case -509:
            return .rateLimited("\(origin): over the request limit\(said)", platformCode: platformCode)
        case -500, -503, -504:
            return .transient("\(origin): server error\(said)", platformCode: platformCode)
        case -400:
            return .badRequest("\(origin): bad request\(said)", platformCode: platformCode)
        default:
            return .badRequest("\(origin): unexpected error code \(code)\(said)", platformCode: platformCode)
        }
    }

    /// The `grant` of a code exchange.
    static let codeGrant = "authorization code"

    /// The adapter error for a non-zero `code` of the token endpoints: a refused code or refresh
    /// token can only be fixed by authorising again; passing failures are retried.
    static func tokenError(
        code: Int64,
        message: String,
        origin: String,
        grant: String,
        reauthorize: String
    ) -> AdapterError {
        let platformCode = String(code)
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case -500, -503, -504:
            return .transient("\(origin): server error\(said)", platformCode: platformCode)
        case -412, -352, -799:
            // Risk control refuses the request, not the refresh token: the token is still
            // unused, and asking the owner to authorise again would not help.
            return riskControl(code: code, said: said, origin: origin)
        case -509:
            return .rateLimited("\(origin): over the request limit\(said)", platformCode: platformCode)
        case -1, -3:
            return .permission(
                "\(origin): the application was refused\(said); check client_id and client_secret",
                platformCode: platformCode
            )
        default:
            // The operator who sent a code is already running `collector auth`: the code is what
            // needs renewing (it works once and expires within minutes), not the command.
            let action =
                grant == codeGrant
                ? "a code works once and expires within minutes: get a new code from the authorisation page and run this command again"
                : reauthorize
            return .reauthorizationRequired(
                "\(origin): the \(grant) was refused (code \(code))\(said); \(action)",
                platformCode: platformCode
            )
        }
    }

    /// −412, −352 and −799 (PLATFORMS.md §5.3: stop the adapter for hours): the instance stops
    /// and the circuit breaker keeps it off the platform.
    private static func riskControl(code: Int64, said: String, origin: String) -> AdapterError {
        .antiBot(
            "\(origin): risk control answered \(code)\(said); wait some hours, and lower the instance's rate if it comes again",
            platformCode: String(code)
        )
    }
}
