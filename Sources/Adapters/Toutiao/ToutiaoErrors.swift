import Collector

/// The Toutiao back-office error table (PLATFORMS.md §6): one action per code.
///
/// The back office answers `{code, err_no, message, …}` with `message: "success"` when all is
/// well. Only `100004` ("user not login", the cookie expired) is documented; every other answer
/// whose message is not `"success"` is an error too — one open-source collector silently
/// ignored such answers and wrote nothing without saying so — and nothing from it is used.
enum ToutiaoErrors {
    /// The documented codes and what each means, for tests and docs.
    static let table: [(code: Int64, meaning: String)] = [
        (100004, "user not login: the cookie expired or was logged out")
    ]

    /// The adapter error for an answer whose `code`/`err_no` is `code` (nil when it had none)
    /// and whose `message` is not `"success"`.
    static func error(code: Int64?, message: String, origin: String) -> AdapterError {
        let platformCode = code.map { String($0) }
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case 100004:
            return .reauthorizationRequired(
                "\(origin): the cookie expired\(said); log in to mp.toutiao.com and replace it; until then nothing more is requested with this cookie, in this run or later ones",
                platformCode: platformCode
            )
        default:
            let codeText = code.map { "code \($0), " } ?? ""
            return .badRequest(
                "\(origin): answered \(codeText)message \"\(message)\" instead of \"success\"; nothing from this answer was used. Check the cookie by logging in to mp.toutiao.com; the back office may also have changed",
                platformCode: platformCode
            )
        }
    }
    /// `error`, which ``JSONResponse`` made of `response`, read for what a redirect the client
    /// did not follow means here: to the login, the cookie is refused (``loginRedirect(_:of:origin:)``);
    /// to another host, `base_url` may be wrong, or the session gone. Any other error is
    /// returned as it is.
    static func redirectRead(
        _ error: AdapterError,
        response: HTTPResponse,
        of request: HTTPRequest,
        origin: String
    ) -> AdapterError {
        guard (300...399).contains(response.status) else { return error }
        if let refusal = loginRedirect(response, of: request, origin: origin) { return refusal }
        var error = error
        error.message +=
            "; if base_url is right (the default is \(ToutiaoAdapter.defaultBaseURL)), log in to mp.toutiao.com in a browser to check the cookie"
        return error
    }

    /// Toutiao's login pages: the SSO host, or `login` in the path on a toutiao.com host.
    static let loginPages = LoginRedirect(hosts: ["sso.toutiao.com"], domains: ["toutiao.com"], pathWords: ["login"])

    /// The refusal a redirect from a back-office endpoint to Toutiao's login means: the session
    /// is gone, as with `100004`. A login is the SSO host `sso.toutiao.com` or a page with
    /// `login` in its path on a `toutiao.com` host; nil for any other response, which
    /// ``JSONResponse`` reports (another cross-host redirect may be a wrong `base_url`, and
    /// must not latch the cookie as refused). Names the target's scheme and host only: its
    /// query may carry a ticket.
    static func loginRedirect(_ response: HTTPResponse, of request: HTTPRequest, origin: String) -> AdapterError? {
        guard (300...399).contains(response.status), let page = loginPages.page(of: response, for: request) else {
            return nil
        }
        return .reauthorizationRequired(
            "\(origin): answered HTTP \(response.status), a redirect to the login page \(page): the cookie expired or was logged out; log in to mp.toutiao.com and replace it; until then nothing more is requested with this cookie, in this run or later ones",
            platformCode: "http-\(response.status)"
        )
    }
}
