import Adapters
import Collector
import CollectorTesting
import Testing

/// The WeChat error table (PLATFORMS.md §1.6): every code, its kind, the runner's action and
/// what the message tells the operator.
struct WeChatErrorsTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var code: Int64
        var label: String
        var action: AdapterError.Action
        var says: String
        var retryAfter: Duration? = nil
        var testDescription: String { "\(code) → \(label)" }
    }

    static let whitelist =
        "add this machine's IP to the account's IP whitelist (mp.weixin.qq.com → 设置与开发 → 基本配置 → IP白名单)"

    static let rows: [Row] = [
        Row(code: -1, label: "transient", action: .retry, says: "system busy"),
        Row(
            code: 40001,
            label: "authExpired",
            action: .skipAccount,
            says: "refused (invalid or not the latest) although a fresh one was fetched"
        ),
        Row(
            code: 42001,
            label: "authExpired",
            action: .skipAccount,
            says: "refused (expired) although a fresh one was fetched"
        ),
        Row(code: 40013, label: "reauthorizationRequired", action: .skipAccount, says: "invalid AppID"),
        Row(code: 40125, label: "reauthorizationRequired", action: .skipAccount, says: "invalid AppSecret"),
        Row(code: 40164, label: "permission", action: .skipAccount, says: whitelist),
        Row(code: 61004, label: "permission", action: .skipAccount, says: whitelist),
        Row(code: 45035, label: "permission", action: .skipAccount, says: whitelist),
        Row(code: 45009, label: "quotaExhausted", action: .stopInstance, says: "until 00:00 Beijing time"),
        Row(code: 45011, label: "rateLimited", action: .retry, says: "per-minute API quota", retryAfter: .seconds(60)),
        Row(
            code: 48001,
            label: "permission",
            action: .skipAccount,
            says: "verified accounts only / missing permission set"
        ),
        Row(
            code: 50001,
            label: "permission",
            action: .skipAccount,
            says: "verified accounts only / missing permission set"
        ),
        Row(
            code: 47009,
            label: "badRequest",
            action: .skipAccount,
            says: "offline (this api is offline); the collector needs an update to its successor: please report it"
        ),
        Row(code: 61500, label: "badRequest", action: .skipAccount, says: "a bug in the date window: please report"),
        Row(code: 61501, label: "badRequest", action: .skipAccount, says: "a bug in the date window: please report"),
    ]

    @Test(arguments: rows)
    func mapsEveryCodeToOneAction(_ row: Row) {
        let error = WeChatErrors.error(
            code: row.code,
            errmsg: row.code == 47009 ? "this api is offline rid: 1a-2b" : "something rid: 1a-2b",
            origin: "wechat /datacube/getusercumulate 2025-11-24"
        )
        #expect(error.label == row.label)
        #expect(error.action == row.action)
        #expect(error.platformCode == String(row.code))
        #expect(error.requestID == "1a-2b")
        #expect(error.retryAfter == row.retryAfter)
        #expect(error.message.hasPrefix("wechat /datacube/getusercumulate 2025-11-24: "))
        #expect(error.message.contains(row.says), "\(error.message)")
        #expect(!error.message.contains("rid"))
    }

    @Test func fortySevenThousandNineFromALegacyAPIAdvisesSwitchingItOff() {
        let error = WeChatErrors.error(
            code: 47009,
            errmsg: "this api is offline rid: 1a-2b",
            origin: "wechat /datacube/getuserread 2025-10-27..2025-10-29",
            legacy: true
        )
        #expect(error.label == "badRequest")
        #expect(error.message.hasSuffix("this legacy API is retired (this api is offline); switch legacy_articles off"))
        #expect(WeChatErrors.legacyEndpoints.isSuperset(of: ["getuserread", "getarticletotal"]))
        #expect(!WeChatErrors.legacyEndpoints.contains("getarticletotaldetail"))
    }

    @Test func theTableAndItsTestCoverTheSameCodes() {
        #expect(WeChatErrors.knownCodes.sorted() == Self.rows.map(\.code).sorted())
        #expect(Set(WeChatErrors.knownCodes).count == WeChatErrors.knownCodes.count)
    }

    @Test func theMinuteQuotaWaitsAtLeastSixtySeconds() {
        #expect(WeChatErrors.minuteQuotaWait >= .seconds(60))
    }

    @Test func anUnknownCodeIsABadRequestThatNamesIt() {
        let error = WeChatErrors.error(code: 40097, errmsg: "invalid args rid: 9", origin: "wechat /datacube/x")
        #expect(error.label == "badRequest")
        #expect(
            error.message
                == "wechat /datacube/x: unexpected errcode 40097 (invalid args); look it up in the WeChat global return codes (全局返回码)"
        )
        #expect(error.requestID == "9")
    }

    @Test func tokenRefusalsAreOnlyFortyThousandOneAndFortyTwoThousandOne() {
        for code in WeChatErrors.knownCodes {
            #expect(WeChatErrors.isTokenRejection(code) == (code == 40001 || code == 42001))
        }
    }

    @Test func tokenRefusalMessagesDoNotQuoteTheErrmsg() {
        let error = WeChatErrors.error(
            code: 42001,
            errmsg: "access_token expired rid: 67d0f1a2-11223344-55667788",
            origin: "wechat /datacube/getusersummary"
        )
        #expect(!error.message.contains("access_token"))
        #expect(error.requestID == "67d0f1a2-11223344-55667788")
    }

    @Test(arguments: [
        ("error_40001_invalid_credential.json", "authExpired", "67d0f1a2-0a1b2c3d-4e5f6a7b"),
        ("error_40164_ip_not_in_whitelist.json", "permission", "67d0f1a2-778899aa-bbccddee"),
        ("error_42001_access_token_expired.json", "authExpired", "67d0f1a2-11223344-55667788"),
        ("error_45009_daily_quota.json", "quotaExhausted", "67d0f1a2-22334455-66778899"),
        ("error_45011_minute_quota.json", "rateLimited", "67d0f1a2-33445566-778899aa"),
        ("error_47009_api_offline.json", "badRequest", "67d0f1a2-66778899-aabbccdd"),
        ("error_61500_date_format.json", "badRequest", "67d0f1a2-44556677-8899aabb"),
        ("error_61501_date_range.json", "badRequest", "67d0f1a2-55667788-99aabbcc"),
    ])
    func mapsTheDocumentedErrorBodies(_ file: String, _ label: String, _ requestID: String) throws {
        let json = try JSONValue.parse(try Fixtures.bytes(Fixtures.adaptersTests + "/wechat/api/" + file))
        let (code, errmsg) = try #require(try WeChatErrors.envelope(of: json, origin: "wechat /x"))
        let error = WeChatErrors.error(code: code, errmsg: errmsg, origin: "wechat /x")
        #expect(error.label == label)
        #expect(error.requestID == requestID)
    }

    @Test(
        arguments: [
            (
                "access_token expired rid: 67d0f1a2-11223344-55667788", "access_token expired",
                "67d0f1a2-11223344-55667788"
            ),
            ("invalid appsecret, rid: 66b5fb8f-5e3c0071-3d7f539a", "invalid appsecret", "66b5fb8f-5e3c0071-3d7f539a"),
            ("invalid appid hint: [vJOTwa0300ha57]", "invalid appid", "vJOTwa0300ha57"),
            ("invalid appsecret rid:", "invalid appsecret rid:", nil),
            ("date format error", "date format error", nil),
            ("", "", nil),
        ] as [(String, String, String?)]
    )
    func splitsTheRequestIDFromTheMessage(_ errmsg: String, _ message: String, _ requestID: String?) {
        let split = WeChatErrors.splitRequestID(errmsg)
        #expect(split.message == message)
        #expect(split.requestID == requestID)
    }

    @Test func readsTheEnvelope() throws {
        let origin = "wechat /x"
        #expect(try WeChatErrors.envelope(of: JSONValue.parse(#"{"list":[]}"#), origin: origin) == nil)
        #expect(try WeChatErrors.envelope(of: JSONValue.parse(#"{"errcode":0,"errmsg":"ok"}"#), origin: origin) == nil)
        let numeric = try #require(
            try WeChatErrors.envelope(of: JSONValue.parse(#"{"errcode":"45009"}"#), origin: origin)
        )
        #expect(numeric.code == 45009 && numeric.errmsg == "")
        let error = #expect(throws: AdapterError.self) {
            try WeChatErrors.envelope(of: JSONValue.parse(#"{"errcode":true}"#), origin: origin)
        }
        #expect(error?.label == "schemaChanged")
        #expect(error?.message == #"wechat /x: "errcode" is boolean, expected a number"#)
    }
}
