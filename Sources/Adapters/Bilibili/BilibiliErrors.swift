import Collector

/// The Bilibili error table (PLATFORMS.md §5.3): one action per code.
enum BilibiliErrors {
    /// The adapter error for a non-zero envelope `code`.
    /// - Parameters:
    ///   - video: The bvid when the call read one video (`x/web-interface/view`), nil for the
    ///     account's own endpoints: "not found" advice differs between a video and an account.
    static func error(code: Int64, message: String, origin: String, video: String? = nil) -> AdapterError {
        let platformCode = String(code)
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case -412, -352, -799:
            return .antiBot(
                "\(origin): risk control answered \(code)\(said); lower the instance's rate if it comes again",
                platformCode: platformCode
            )
        case -509:
            return .rateLimited("\(origin): over the request limit\(said)", platformCode: platformCode)
        case -101:
            return .badRequest("\(origin): \(loginNeeded(said: said, video: video))", platformCode: platformCode)
        case -403:
            return .permission("\(origin): no permission\(said)", platformCode: platformCode)
        case 62002, 62004, 62012, -404:
            return .notFound("\(origin): \(notFound(code, said: said, video: video))", platformCode: platformCode)
        case -400:
            return .badRequest("\(origin): bad request\(said)", platformCode: platformCode)
        case -500, -503:
            return .transient("\(origin): server error\(said)", platformCode: platformCode)
        default:
            return .badRequest("\(origin): unexpected error code \(code)\(said)", platformCode: platformCode)
        }
    }

    /// What −101 ("not logged in") means to an adapter that sends no cookie and holds no
    /// credential: what was asked for is shown to logged-in users only, and `collector auth` has
    /// nothing to renew (so no `reauthorizationRequired`, which says to run it). A request the
    /// adapter cannot make is a `badRequest` (docs/writing-an-adapter.md), skipping the video or
    /// the account, with what the operator can do instead.
    private static func loginNeeded(said: String, video: String?) -> String {
        let open = "bilibili_open, which reads with the owner's authorisation"
        guard let video else {
            return
                "the account's counts are shown to logged-in users only\(said), and this adapter reads anonymously (no cookie, nothing to authorise); remove the account from \"accounts\" or read it with \(open)"
        }
        return
            "video \(video) is shown to logged-in users only\(said), and this adapter reads anonymously (no cookie, nothing to authorise); remove \(video) from \"videos\" or read the account's videos with \(open)"
    }

    /// What a "not found or not visible" answer means and what to do about it. The 620xx codes
    /// concern a video (PLATFORMS.md §5.3); −404 a video or the account, whichever was asked.
    private static func notFound(_ code: Int64, said: String, video: String?) -> String {
        let listed = video.map { "remove \($0) from \"videos\" if it stays so" } ?? "check \"videos\""
        switch code {
        case 62002:
            return "the video is not visible (deleted or hidden)\(said); \(listed)"
        case 62004:
            return "the video is under review\(said); it is read again next run, once approved"
        case 62012:
            return
                "the video is visible to its owner only\(said); its counts come back when the owner makes it public, or \(listed)"
        default:
            guard let video else {
                return "not found\(said); check the account id (the mid in space.bilibili.com/<mid>)"
            }
            return "video \(video) not found\(said); check the bvid in \"videos\""
        }
    }
}
