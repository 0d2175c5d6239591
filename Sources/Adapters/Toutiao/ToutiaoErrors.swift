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
}
