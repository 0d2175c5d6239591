import Foundation
import Testing

/// `collector auth`: the page to open without a network, then with a real OAuth adapter against
/// the platform simulator the code exchange, the stored credential (0600, no token on screen)
/// and the listing.
@Suite(.serialized) struct AuthCommandTests {
    /// The first step of OAuth: the page to open per account, then the command to run next,
    /// ready to copy when one account is meant. No network is needed.
    @Test func authPrintsThePageAndTheCommandToRunNext() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [[adapters.weibo]]
            accounts = ["123", "456"]
            app_key = "${TEST_WEIBO_KEY:-k123}"
            app_secret = "${TEST_WEIBO_SECRET:-s456}"
            redirect_uri = "https://example.org/cb"

            """
        )
        let one = try CLI.run(["auth", "weibo", "123"], in: workspace.path)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("weibo/123: open https://api.weibo.com/oauth2/authorize?client_id=k123&"))
        #expect(one.stdout.contains("then run: collector auth weibo 123 CODE "))
        #expect(!one.stdout.contains("s456"))
        let both = try CLI.run(["auth", "weibo"], in: workspace.path)
        #expect(both.stdout.contains("weibo/456: open "))
        #expect(both.stdout.contains("then run: collector auth weibo ACCOUNT CODE "))
    }

    @Test func exchangesACodeStoresTheCredentialPrivatelyAndListsIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let token = try String(
            contentsOfFile: CLI.repositoryRoot + "/Tests/AdaptersTests/Fixtures/kuaishou/oauth2_access_token_ok.json",
            encoding: .utf8
        )
        try workspace.write("simulator/kuaishou/oauth2/access_token.json", token)
        let (simulator, port) = try CLI.startSimulator(fixtures: workspace.path + "/simulator", in: workspace.path)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let account = "f0a1b2c3d4e5f60718293a4b5c6d7e8f"
        try workspace.write(
            "adapters.conf",
            """
            [[adapters.kuaishou]]
            accounts = ["\(account)"]
            app_id = "ks_app"
            app_secret = "${KS_SECRET}"
            base_url = "http://127.0.0.1:\(port)/kuaishou"
            """
        )
        let environment = ["KS_SECRET": "app-secret-never-shown"]

        let page = try CLI.run(["auth", "kuaishou"], in: workspace.path, environment: environment)
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.stdout.contains("kuaishou/\(account): open http://127.0.0.1:\(port)/kuaishou/oauth2/authorize?"))

        let login = try CLI.run(
            ["auth", "kuaishou", account, "the-code"],
            in: workspace.path,
            environment: environment
        )
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("authorised"))
        #expect(login.stdout.contains("re-authorise before"))
        let stored = try #require(workspace.files(under: "state").first { $0.hasPrefix("credential-") })
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path + "/state/" + stored)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let listing = try CLI.run(["auth"], in: workspace.path, environment: environment)
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("kuaishou/\(account): access token valid until"))
        let accessToken = try #require(
            token.components(separatedBy: "\"access_token\": \"").last?.prefix { $0 != "\"" }
        )
        #expect(accessToken.count > 20)
        for output in [page.stdout, page.stderr, login.stdout, login.stderr, listing.stdout] {
            #expect(!output.contains("app-secret-never-shown"))
            #expect(!output.contains(accessToken))
        }
    }
}

/// `collector auth` listing the stored credentials: that there are none, and that a token its
/// instance renews by itself (WeChat's stable_token) has no re-authorisation date, so the
/// listing must not tell anyone to re-authorise it.
@Suite(.serialized) struct AuthListingTests {
    @Test func authListSaysWhenNothingIsStored() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        let result = try CLI.run(["auth", "list"], in: workspace.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("no stored credentials"))
    }

    @Test func listsATokenRenewedFromTheAppSecretAsNeedingNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            state_dir = "state"

            [[adapters.wechat]]
            account = "gh_0123456789ab"
            app_id = "wx0123456789abcdef"
            app_secret = "${WX_SECRET}"
            """
        )
        let expires = Int(Date().timeIntervalSince1970) + 3600
        let credential =
            #"{"access_token":"tok-never-shown","obtained_at":\#(expires - 7200),"expires_at":\#(expires)}"#
        try workspace.write("state/credential-wechat~gh_0123456789ab.json", credential)
        let listing = try CLI.run(["auth"], in: workspace.path, environment: ["WX_SECRET": "secret-never-shown"])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stdout.contains(
                "wechat/gh_0123456789ab: access token valid until 20"
            ) && listing.stdout.contains("; renewed automatically from the app secret, nothing to do"),
            "\(listing.stdout)"
        )
        #expect(!listing.stdout.contains("re-authorise"))
        #expect(!listing.stdout.contains("tok-never-shown"))
    }

    /// An account typed wrong (20825 for 208259), or the whole callback address pasted as the
    /// code: refused with exit 2 before the single-use code is sent, naming the configured
    /// accounts; nothing is stored and the code can still be used.
    @Test func refusesAnUnconfiguredAccountOrACallbackAddressBeforeSpendingTheCode() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            state_dir = "state"

            [[adapters.bilibili_open]]
            accounts = ["208259"]
            client_id = "cid"
            client_secret = "sec"
            token_url = "http://127.0.0.1:1"
            """
        )
        let typo = try CLI.run(["auth", "bilibili_open", "20825", "good-code"], in: workspace.path)
        #expect(typo.status == 2, "\(typo.stderr)")
        #expect(
            typo.stderr.contains(#"account "20825" is not in the accounts of bilibili_open (configured: "208259")"#)
        )
        #expect(typo.stderr.contains("the code was not sent"))
        let pasted = try CLI.run(
            ["auth", "bilibili_open", "208259", "https://example.edu.cn/cb?code=abc123&state=208259"],
            in: workspace.path
        )
        #expect(pasted.status == 2, "\(pasted.stderr)")
        #expect(pasted.stderr.contains("the code looks like the whole callback address"))
        #expect(!pasted.stderr.contains("abc123"))
        #expect(!workspace.files(under: "state").contains { $0.hasPrefix("credential-") })
    }

    /// An access token whose time is up is listed as expired, not as "valid until" a past date.
    @Test func listsAnExpiredAccessTokenAsExpired() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "[collector]\nstate_dir = \"state\"\n")
        try workspace.write(
            "state/credential-bilibili_open~208259.json",
            #"{"access_token":"tok-never-shown","obtained_at":1700000000,"expires_at":1700007200,"refresh_token":"ref"}"#
        )
        let listing = try CLI.run(["auth"], in: workspace.path)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stdout.hasPrefix("bilibili_open/208259: access token expired on 2023-11-15"),
            "\(listing.stdout)"
        )
        #expect(!listing.stdout.contains("valid until"))
    }

    /// A credential file whose name holds a line break and a terminal escape (an earlier
    /// version named a file after a uid from the platform's answer): the listing escapes them,
    /// as the log does, so the file can neither forge a line nor clear the screen.
    @Test func escapesControlCharactersInTheNamesOfCredentialFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "[collector]\nstate_dir = \"state\"\n")
        let expires = Int(Date().timeIntervalSince1970) + 86400 * 30
        let account = "1\nweibo_5999000001: access token valid until 2099-01-01\u{1B}[2J"
        try workspace.write(
            "state/credential-weibo~\(account).json",
            #"{"access_token":"tok-never-shown","obtained_at":\#(expires - 7200),"expires_at":\#(expires)}"#
        )
        let listing = try CLI.run(["auth"], in: workspace.path)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stdout.hasPrefix(
                "weibo/1\\nweibo_5999000001: access token valid until 2099-01-01\\u{1B}[2J: access token valid until 20"
            ),
            "\(listing.stdout)"
        )
        #expect(!listing.stdout.contains("\u{1B}"))
        #expect(listing.stdout.split(separator: "\n").count == 1, "\(listing.stdout)")
    }
}

/// `collector auth` naming what the operator must act on: the open_id a Douyin placeholder was
/// saved under, the deadline of credentials the adapter extends by itself, and an authorisation
/// the platform refused during a run.
@Suite(.serialized) struct AuthDeadlineTests {
    /// docs/adapters/douyin.md: the first time, the open_id is not known; the credential is saved
    /// under the one Douyin returns, which the output must show (it goes into `accounts`).
    @Test func aDouyinPlaceholderAuthorisationShowsTheOpenIDItWasSavedUnder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "simulator/douyin/oauth/access_token/.json",
            #"{"data":{"access_token":"act.never-shown","description":"","error_code":0,"expires_in":1296000,"open_id":"0da22181-real-open-id","refresh_expires_in":2592000,"refresh_token":"rft.never-shown","scope":"data.external.user"},"message":"success"}"#
        )
        let (simulator, port) = try CLI.startSimulator(fixtures: workspace.path + "/simulator", in: workspace.path)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write(
            "adapters.conf",
            """
            [[adapters.douyin]]
            accounts = ["not-yet-known"]
            client_key = "awkey"
            client_secret = "${DY_SECRET}"
            base_url = "http://127.0.0.1:\(port)/douyin"
            """
        )
        let login = try CLI.run(
            ["auth", "douyin", "placeholder", "THECODE"],
            in: workspace.path,
            environment: ["DY_SECRET": "secret-never-shown"]
        )
        #expect(login.status == 0, "\(login.stderr)")
        #expect(
            login.stdout.hasPrefix(
                #"douyin/0da22181-real-open-id: authorised (saved under "0da22181-real-open-id", not "placeholder": put "0da22181-real-open-id" into accounts"#
            ),
            "\(login.stdout)"
        )
        #expect(!login.stdout.contains("never-shown"))
    }

    /// Douyin renews its refresh token (5 times) and bilibili_open refreshes its single-use one:
    /// the expiries on file are no deadline for the owner, and the list must not give one.
    @Test func credentialsTheAdapterExtendsItselfHaveNoNearDeadline() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            state_dir = "state"

            [[adapters.douyin]]
            accounts = ["OA-feed"]
            client_key = "awkey"
            client_secret = "${DY_SECRET}"

            [[adapters.bilibili_open]]
            accounts = ["208259"]
            client_id = "cid"
            client_secret = "${BO_SECRET}"
            """
        )
        let now = Int(Date().timeIntervalSince1970)
        try workspace.write(
            "state/credential-douyin~OA-feed.json",
            #"{"access_token":"t","refresh_token":"r","obtained_at":\#(now),"expires_at":\#(now + 86400 * 15),"refresh_expires_at":\#(now + 86400 * 2),"renewals":1}"#
        )
        try workspace.write(
            "state/credential-bilibili_open~208259.json",
            #"{"access_token":"t","refresh_token":"r","obtained_at":\#(now),"expires_at":\#(now + 3600)}"#
        )
        let listing = try CLI.run(
            ["auth"],
            in: workspace.path,
            environment: ["DY_SECRET": "s", "BO_SECRET": "s"]
        )
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(!listing.stdout.contains("re-authorise before"), "\(listing.stdout)")
        #expect(listing.stdout.contains("douyin/OA-feed: ") && listing.stdout.contains("(4 of 5 renewals left)"))
        #expect(listing.stdout.contains("bilibili_open/208259: ") && listing.stdout.contains("not known in advance"))
    }

    /// A refusal a run recorded (Kuaishou 100200109, Weibo 21332) outweighs the dates on file.
    @Test func aRefusedAuthorisationIsListedAsNeedingANewOne() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "[collector]\nstate_dir = \"state\"\n")
        let now = Int(Date().timeIntervalSince1970)
        try workspace.write(
            "state/credential-kuaishou~openidB.json",
            #"{"access_token":"t","refresh_token":"r","obtained_at":\#(now),"expires_at":\#(now + 86400 * 2),"refresh_expires_at":\#(now + 86400 * 180),"refused_at":\#(now - 60),"refusal_code":"100200109"}"#
        )
        let listing = try CLI.run(["auth"], in: workspace.path)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stdout.contains("NEEDS AUTHORISING: refused by the platform on 20")
                && listing.stdout.contains("(code 100200109); the owner must authorise again"),
            "\(listing.stdout)"
        )
        #expect(!listing.stdout.contains("re-authorise before"))
    }
}
