import Adapters
import Collector
import CollectorTesting
import Testing

/// The token arithmetic: expiries from the returned lifetimes, the refresh token's inherited
/// expiry, the 14-day warning window.
@Suite struct KuaishouTokensTests {
    /// 2025-11-25T00:00:00+08:00.
    static let granted = Timestamp(secondsSinceEpoch: 1_764_000_000)
    static let day: Int64 = 86_400

    static func fixture(_ name: String) throws -> JSONReader {
        let bytes = try Fixtures.bytes(Fixtures.adaptersTests + "/kuaishou/" + name)
        return JSONReader(try JSONValue.parse(bytes), origin: "kuaishou /oauth2/test")
    }

    static func reader(_ text: String) throws -> JSONReader {
        JSONReader(try JSONValue.parse(Array(text.utf8)), origin: "kuaishou /oauth2/refresh_token")
    }

    @Test func aGrantExpiresAfterTheReturnedLifetimes() throws {
        let credential = try KuaishouTokens.granted(
            try Self.fixture("oauth2_access_token_ok.json"),
            obtainedAt: Self.granted
        )
        #expect(credential.accessToken.exposedValue == "ChFvYXV0aC5hY2Nlc3NUb2tlbhFAKEfixture000000000000000000")
        #expect(credential.refreshToken?.exposedValue == "ChJvYXV0aC5yZWZyZXNoVG9rZW4FAKEfixture0000000000000000")
        #expect(credential.obtainedAt == Self.granted)
        #expect(credential.expiresAt == Self.granted.adding(seconds: 172_800))
        #expect(credential.refreshExpiresAt == Self.granted.adding(seconds: 15_552_000))
        #expect(credential.reauthorizeBy == Self.granted.adding(seconds: 180 * Self.day))
        #expect(credential.renewals == 0)
        #expect(
            credential.attributes == [
                "open_id": "f0a1b2c3d4e5f60718293a4b5c6d7e8f", "scopes": "user_info,user_video_info",
            ]
        )
    }

    @Test func aRefreshRotatesBothTokensButKeepsTheReauthorizationDate() throws {
        let first = try KuaishouTokens.granted(
            try Self.fixture("oauth2_access_token_ok.json"),
            obtainedAt: Self.granted
        )
        // The fixture's refresh answers 150 days of refresh lifetime: it is 30 days later.
        let later = Self.granted.adding(seconds: 30 * Self.day)
        let renewed = try KuaishouTokens.refreshed(
            first,
            by: try Self.fixture("oauth2_refresh_token_ok.json"),
            obtainedAt: later
        )
        #expect(renewed.accessToken.exposedValue == "ChFvYXV0aC5hY2Nlc3NUb2tlbhNEWfixture000000000000000000")
        #expect(renewed.refreshToken?.exposedValue == "ChJvYXV0aC5yZWZyZXNoVG9rZW4NEWfixture00000000000000000")
        #expect(renewed.obtainedAt == later)
        #expect(renewed.expiresAt == later.adding(seconds: 172_800))
        #expect(renewed.refreshExpiresAt == later.adding(seconds: 12_960_000))
        #expect(renewed.reauthorizeBy == first.reauthorizeBy)
        #expect(renewed.renewals == 1)
        #expect(renewed.attributes["open_id"] == "f0a1b2c3d4e5f60718293a4b5c6d7e8f")
    }

    @Test func aRefreshUsesTheReturnedLifetimeEvenWhenItDiffersFromThePlan() throws {
        let previous = Credential(
            accessToken: Secret("a"),
            refreshToken: Secret("r"),
            obtainedAt: Self.granted,
            expiresAt: Self.granted.adding(seconds: 3600),
            refreshExpiresAt: Self.granted.adding(seconds: 1000 * Self.day)
        )
        let renewed = try KuaishouTokens.refreshed(
            previous,
            by: try Self.reader(
                #"{"result":1,"access_token":"a2","expires_in":"7200","refresh_token":"r2","refresh_token_expires_in":"648000"}"#
            ),
            obtainedAt: Self.granted
        )
        #expect(renewed.expiresAt == Self.granted.adding(seconds: 7200))
        #expect(renewed.refreshExpiresAt == Self.granted.adding(seconds: 648_000))
    }

    @Test func aRefreshWithoutARefreshLifetimeKeepsThePreviousDate() throws {
        let previous = Credential(
            accessToken: Secret("a"),
            refreshToken: Secret("r"),
            obtainedAt: Self.granted,
            expiresAt: Self.granted.adding(seconds: 3600),
            refreshExpiresAt: Self.granted.adding(seconds: 99 * Self.day),
            renewals: 4
        )
        let renewed = try KuaishouTokens.refreshed(
            previous,
            by: try Self.reader(#"{"result":1,"access_token":"a2","expires_in":3600,"refresh_token":"r2"}"#),
            obtainedAt: Self.granted.adding(seconds: 10)
        )
        #expect(renewed.refreshExpiresAt == Self.granted.adding(seconds: 99 * Self.day))
        #expect(renewed.renewals == 5)
    }

    @Test(arguments: [
        #"{"result":1,"access_token":"a","refresh_token":"r","refresh_token_expires_in":60}"#,
        #"{"result":1,"access_token":"a","expires_in":0,"refresh_token":"r"}"#,
        #"{"result":1,"access_token":"a","expires_in":-5,"refresh_token":"r"}"#,
        #"{"result":1,"access_token":"","expires_in":60,"refresh_token":"r"}"#,
        #"{"result":1,"access_token":"a","expires_in":60}"#,
        #"{"result":1,"access_token":"a","expires_in":"2 days","refresh_token":"r"}"#,
    ])
    func anUnusableTokenAnswerIsRejectedWithItsField(_ text: String) throws {
        let previous = Credential(accessToken: Secret("a"), obtainedAt: Self.granted, expiresAt: Self.granted)
        #expect(throws: JSONFieldError.self) {
            try KuaishouTokens.refreshed(previous, by: try Self.reader(text), obtainedAt: Self.granted)
        }
    }

    static let warningCases: [(Int64, Bool)] = [
        (15 * day, false), (14 * day, false), (14 * day - 1, true), (3 * day, true), (0, true), (-day, true),
    ]

    @Test(arguments: warningCases)
    func warnsWhenFewerThanFourteenDaysRemain(remaining: Int64, due: Bool) {
        let credential = Credential(
            accessToken: Secret("a"),
            refreshToken: Secret("r"),
            obtainedAt: Self.granted,
            expiresAt: Self.granted.adding(seconds: 3600),
            refreshExpiresAt: Self.granted.adding(seconds: remaining)
        )
        #expect(KuaishouTokens.isReauthorizationDue(credential, now: Self.granted) == due)
        #expect(KuaishouTokens.refreshTokenExpired(credential, now: Self.granted) == (remaining <= 0))
    }

    static let daysLeftCases: [(Int64, Int64)] = [
        (14 * day - 1, 13), (3 * day + 5, 3), (0, 0), (-1, -1), (-day, -1), (-day - 1, -2),
    ]

    @Test(arguments: daysLeftCases)
    func countsWholeDaysLeft(remaining: Int64, days: Int64) {
        let credential = Credential(
            accessToken: Secret("a"),
            obtainedAt: Self.granted,
            expiresAt: Self.granted,
            refreshExpiresAt: Self.granted.adding(seconds: remaining)
        )
        #expect(KuaishouTokens.daysLeft(credential, now: Self.granted) == days)
    }
}
