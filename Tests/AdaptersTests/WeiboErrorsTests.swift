import Adapters
import Collector
import Testing

/// The Weibo error tables (PLATFORMS.md §2.1, §2.2): every documented code maps to one kind.
@Suite struct WeiboErrorsTests {
    /// Every code of PLATFORMS.md §2.1, plus 20003 and 21332 of the brief, with the kind it must map to.
    static let documentedCodes: [(Int64, AdapterError)] = [
        (10001, .transient("")),
        (10004, .antiBot("")),
        (10005, .permission("")),
        (10014, .permission("")),
        (21337, .permission("")),
        (10006, .badRequest("")),
        (10022, .rateLimited("")),
        (10023, .rateLimited("")),
        (10024, .rateLimited("")),
        (21314, .reauthorizationRequired("")),
        (21315, .reauthorizationRequired("")),
        (21316, .reauthorizationRequired("")),
        (21317, .reauthorizationRequired("")),
        (21325, .reauthorizationRequired("")),
        (21327, .reauthorizationRequired("")),
        (21330, .reauthorizationRequired("")),
        (21332, .reauthorizationRequired("")),
        (20003, .notFound("")),
    ]

    private static func apiError(_ code: Int64, text: String = "") -> AdapterError {
        WeiboErrors.apiError(
            code: code,
            text: text,
            origin: "weibo /2/users/counts.json",
            reauthorize: "`collector auth weibo 5999000001`"
        )
    }

    @Test(arguments: documentedCodes)
    func mapsEachDocumentedCodeToItsKind(_ code: Int64, _ expected: AdapterError) {
        let error = Self.apiError(code)
        #expect(error.hasSameKind(as: expected), "\(code) → \(error.label), expected \(expected.label)")
        #expect(error.platformCode == String(code))
        #expect(error.message.hasPrefix("weibo /2/users/counts.json: "))
    }

    @Test func listsEachCodeOnce() {
        let codes = WeiboErrors.apiTable.map(\.code)
        #expect(Set(codes).count == codes.count)
    }

    @Test func coversEveryDocumentedCode() {
        let table = Set(WeiboErrors.apiTable.map(\.code))
        for (code, _) in Self.documentedCodes {
            #expect(table.contains(code), "\(code) is not in the table")
        }
    }

    @Test(arguments: WeiboErrors.apiTable.map { ($0.code, $0.kind) })
    func eachRowProducesTheActionOfItsKind(_ code: Int64, _ kind: WeiboErrors.Kind) {
        let action = Self.apiError(code).action
        switch kind {
        case .transient, .rateLimited: #expect(action == .retry)
        case .antiBot: #expect(action == .stopInstance)
        case .permission, .badRequest, .reauthorize, .notFound: #expect(action == .skipAccount)
        }
    }

    @Test func expiredTokenSaysHowToReauthorise() {
        let error = Self.apiError(21327, text: "expired_token")
        #expect(
            error.message
                == "weibo /2/users/counts.json: the token expired; web apps cannot refresh a Weibo token, re-authorise: `collector auth weibo 5999000001`"
        )
    }

    @Test func rateLimitsAskForAnHour() {
        #expect(Self.apiError(10023).retryAfter == .seconds(3600))
        #expect(Self.apiError(10022).retryAfter == .seconds(3600))
    }

    @Test func unknownCodesAreBadRequestsThatQuoteTheText() {
        let error = Self.apiError(99999, text: "something new")
        #expect(error.hasSameKind(as: .badRequest("")))
        #expect(error.message == "weibo /2/users/counts.json: unexpected error code 99999 (something new)")
    }

    @Test func longPlatformTextsAreCut() {
        let error = Self.apiError(99999, text: String(repeating: "x", count: 300))
        #expect(error.message.hasSuffix(String(repeating: "x", count: 120) + "…)"))
    }

    @Test func knownCodesDoNotEchoThePlatformText() {
        // 21332's text names the token parameter; the message uses the table's words instead.
        let error = Self.apiError(21332, text: "invalid_access_token")
        #expect(!error.message.contains("invalid_access_token"))
    }

    // MARK: - m.weibo.cn

    static let webAnswers: [(Int64, String, AdapterError?)] = [
        (1, "", nil),
        (-100, "请先登录", .reauthorizationRequired("")),
        (0, "操作过于频繁", .antiBot("")),
        (0, "这里还没有内容", .antiBot("")),
        (0, "用户不存在", .notFound("")),
        (0, "", .antiBot("")),
        (0, "something else", .antiBot("")),
        (-1, "", .antiBot("")),
    ]

    @Test(arguments: webAnswers)
    func mapsEachWebAnswer(_ ok: Int64, _ message: String, _ expected: AdapterError?) {
        let error = WeiboErrors.webError(ok: ok, message: message, origin: "weibo m.weibo.cn getIndex (profile)")
        if let expected {
            #expect(error?.hasSameKind(as: expected) == true, "ok \(ok) \(message) → \(String(describing: error))")
            #expect(error?.platformCode == "ok:\(ok)")
        } else {
            #expect(error == nil)
        }
    }

    @Test func loginWallSaysToRenewTheCookie() throws {
        let error = try #require(WeiboErrors.webError(ok: -100, message: "请先登录", origin: "weibo m.weibo.cn"))
        #expect(error.message.contains("renew the cookie"))
        #expect(error.message.contains("请先登录"))
    }
}
