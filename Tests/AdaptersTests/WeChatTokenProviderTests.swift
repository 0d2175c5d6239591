import Adapters
import Collector
import CollectorTesting
import Testing

/// The stable access token (PLATFORMS.md §1.1): cached until 5 minutes before expiry, renewed
/// in normal mode, forced at most 20 times a day and 30 s apart.
@Suite(.serialized)
struct WeChatTokenProviderTests {
    private func provider(_ harness: WeChatHarness, appID: String = "wx0123456789abcdef") -> WeChatTokenProvider {
        WeChatTokenProvider(
            instance: "wechat",
            account: "gh_0123456789ab",
            appID: appID,
            appSecret: Secret("test-secret"),
            baseURL: harness.simulator.baseURL + "/wechat"
        )
    }

    private func stored(_ harness: WeChatHarness) throws -> Credential {
        try #require(try CredentialStore(state: harness.state).load(instance: "wechat", account: "gh_0123456789ab"))
    }

    @Test func fetchesAStableTokenInNormalModeAndSavesIt() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        let token = try await provider(harness).token(context: harness.context())
        #expect(token.exposedValue == WeChatHarness.token)
        let request = try #require(harness.tokenRequests().first)
        #expect(request.method == "POST")
        #expect(request.query.isEmpty)
        #expect(
            request.bodyText
                == #"{"appid":"wx0123456789abcdef","force_refresh":false,"grant_type":"client_credential","secret":"test-secret"}"#
        )
        let credential = try stored(harness)
        #expect(credential.accessToken.exposedValue == WeChatHarness.token)
        #expect(credential.obtainedAt == WeChatHarness.start)
        #expect(credential.expiresAt == WeChatHarness.start.adding(seconds: 7200))
        #expect(credential.attributes == ["app_id": "wx0123456789abcdef"])
        #expect(!harness.logText.contains(WeChatHarness.token))
        #expect(!harness.logText.contains("test-secret"))
    }

    @Test func reusesTheCachedTokenUntilFiveMinutesBeforeExpiry() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        let tokens = provider(harness)
        _ = try await tokens.token(context: harness.context())
        harness.now = WeChatHarness.start.adding(seconds: 7200 - 301)
        _ = try await tokens.token(context: harness.context())
        #expect(harness.tokenRequests().count == 1)
        harness.now = WeChatHarness.start.adding(seconds: 7200 - 300)
        _ = try await tokens.token(context: harness.context())
        #expect(harness.tokenRequests().count == 2)
        #expect(try stored(harness).obtainedAt == WeChatHarness.start.adding(seconds: 7200 - 300))
    }

    @Test func ignoresATokenCachedForAnotherAppID() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        _ = try await provider(harness, appID: "wxaaaaaaaaaaaaaaaa").token(context: harness.context())
        _ = try await provider(harness).token(context: harness.context())
        #expect(harness.tokenRequests().count == 2)
        #expect(try stored(harness).attributes["app_id"] == "wx0123456789abcdef")
    }

    @Test func refetchCallsThePlatformWhateverTheCacheHolds() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        let tokens = provider(harness)
        _ = try await tokens.token(context: harness.context())
        _ = try await tokens.refetch(context: harness.context())
        #expect(harness.tokenRequests().map { $0.bodyText.contains(#""force_refresh":false"#) } == [true, true])
    }

    @Test func forcedRefreshesAreCountedAndThirtySecondsApart() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 4)
        let tokens = provider(harness)
        _ = try await tokens.token(context: harness.context())
        #expect(try await tokens.forceRefresh(context: harness.context()) == .token(Secret(WeChatHarness.token)))
        #expect(harness.tokenRequests().last?.bodyText.contains(#""force_refresh":true"#) == true)
        #expect(
            try stored(harness).attributes == [
                "app_id": "wx0123456789abcdef", "force_refresh_day": "2025-11-25", "force_refresh_count": "1",
                "force_refresh_at": "1764000000",
            ]
        )

        harness.now = WeChatHarness.start.adding(seconds: 29)
        let refused = try await tokens.forceRefresh(context: harness.context())
        #expect(
            refused
                == .refused(
                    reason: "the last forced token refresh was 29 s ago and the platform allows one per 30 s"
                )
        )
        #expect(harness.tokenRequests().count == 2)

        harness.now = WeChatHarness.start.adding(seconds: 30)
        #expect(try await tokens.forceRefresh(context: harness.context()) == .token(Secret(WeChatHarness.token)))
        #expect(try stored(harness).attributes["force_refresh_count"] == "2")
        // A normal fetch keeps the counters.
        _ = try await tokens.refetch(context: harness.context())
        #expect(try stored(harness).attributes["force_refresh_count"] == "2")
    }

    /// Another instance sharing the state folder forces a refresh while this one waits for the
    /// credential's lock: this one then reads the new counters and keeps the 30 s spacing,
    /// instead of forcing a second refresh on counters it read before. Until session 16 the
    /// budget was read and counted outside the lock.
    @Test func aForcedRefreshWaitsForAnotherInstancesAndKeepsTheSpacing() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        let tokens = provider(harness)
        _ = try await tokens.token(context: harness.context())
        let store = CredentialStore(state: harness.state)
        let held = AsyncStream<Void>.makeStream()
        // The other instance: holds the lock, forces (its call is counted), then lets go.
        let other = Task {
            try await store.locked(instance: "wechat", account: "gh_0123456789ab") { stored in
                held.continuation.yield()
                try await Task.sleep(for: .milliseconds(300))
                var counted = try #require(stored)
                counted.attributes["force_refresh_day"] = "2025-11-25"
                counted.attributes["force_refresh_count"] = "1"
                counted.attributes["force_refresh_at"] = String(WeChatHarness.start.secondsSinceEpoch)
                try store.save(counted, instance: "wechat", account: "gh_0123456789ab")
            }
        }
        for await _ in held.stream { break }
        harness.now = WeChatHarness.start.adding(seconds: 5)
        let outcome = try await tokens.forceRefresh(context: harness.context())
        try await other.value
        #expect(
            outcome
                == .refused(reason: "the last forced token refresh was 5 s ago and the platform allows one per 30 s")
        )
        #expect(harness.tokenRequests().count == 1)
        #expect(try stored(harness).attributes["force_refresh_count"] == "1")
    }

    @Test func forcedRefreshesStopAtTwentyAndResumeTheNextBeijingDay() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        try CredentialStore(state: harness.state).save(
            Credential(
                accessToken: Secret("old"),
                obtainedAt: WeChatHarness.start,
                expiresAt: WeChatHarness.start.adding(seconds: 7200),
                attributes: [
                    "app_id": "wx0123456789abcdef", "force_refresh_day": "2025-11-25", "force_refresh_count": "20",
                    "force_refresh_at": "1763990000",
                ]
            ),
            instance: "wechat",
            account: "gh_0123456789ab"
        )
        let tokens = provider(harness)
        harness.now = WeChatHarness.start.adding(seconds: 86400 - 1)
        #expect(
            try await tokens.forceRefresh(context: harness.context())
                == .refused(reason: "the 20 forced token refreshes of today (Beijing time) are used up")
        )
        #expect(harness.tokenRequests().isEmpty)

        harness.now = WeChatHarness.start.adding(seconds: 86400)
        #expect(try await tokens.forceRefresh(context: harness.context()) == .token(Secret(WeChatHarness.token)))
        #expect(try stored(harness).attributes["force_refresh_day"] == "2025-11-26")
        #expect(try stored(harness).attributes["force_refresh_count"] == "1")
    }

    @Test func aForcedRefreshIsCountedEvenWhenItsAnswerFails() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        harness.simulator.script("POST", path: "/wechat/cgi-bin/stable_token", [.html(status: 502)])
        let tokens = provider(harness)
        _ = try await tokens.token(context: harness.context())
        await #expect(throws: AdapterError.self) { try await tokens.forceRefresh(context: harness.context()) }
        #expect(try stored(harness).attributes["force_refresh_count"] == "1")
        #expect(try stored(harness).accessToken.exposedValue == WeChatHarness.token)
    }

    @Test(
        arguments: [
            (#"{"errcode":40125,"errmsg":"invalid appsecret rid: s-1"}"#, "reauthorizationRequired", "40125"),
            (
                #"{"errcode":40164,"errmsg":"invalid ip 203.0.113.45, not in whitelist rid: s-2"}"#, "permission",
                "40164"
            ),
            (#"{"errcode":45009,"errmsg":"reach max api daily quota limit rid: s-3"}"#, "quotaExhausted", "45009"),
            (#"{"access_token":"","expires_in":7200}"#, "schemaChanged", nil),
            (#"{"expires_in":7200}"#, "schemaChanged", nil),
            (#"{"access_token":"x","expires_in":"soon"}"#, "schemaChanged", nil),
        ] as [(String, String, String?)]
    )
    func tokenEndpointFailuresAreAdapterErrors(_ body: String, _ label: String, _ code: String?) async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.simulator.script("POST", path: "/wechat/cgi-bin/stable_token", [.json(body)])
        let error = await #expect(throws: AdapterError.self) {
            try await provider(harness).token(context: harness.context())
        }
        #expect(error?.label == label)
        #expect(error?.platformCode == code)
        #expect(error?.message.hasPrefix("wechat /cgi-bin/stable_token") == true)
        #expect(try CredentialStore(state: harness.state).load(instance: "wechat", account: "gh_0123456789ab") == nil)
    }

    /// A 307 on the token request is not followed (the body holds the AppSecret) and says where
    /// it led, not that the schema changed.
    @Test func aRedirectOfTheTokenRequestIsAnErrorNamingItsTarget() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        try await withPlatformSimulator { elsewhere in
            let target = elsewhere.url("/wechat/cgi-bin/stable_token")
            harness.simulator.script(
                "POST",
                path: "/wechat/cgi-bin/stable_token",
                [.redirect(to: target, status: 307)]
            )
            let error = await #expect(throws: AdapterError.self) {
                try await provider(harness).token(context: harness.context())
            }
            #expect(error?.label == "badRequest")
            #expect(error?.platformCode == "http-307")
            #expect(
                error?.message
                    == "wechat 127.0.0.1:\(harness.simulator.port)/wechat/cgi-bin/stable_token answered HTTP 307,"
                    + " a redirect to http://127.0.0.1:\(elsewhere.port), which is not followed: a POST is never"
                    + " sent on, since its body may hold a secret; check base_url"
            )
            #expect(elsewhere.requestCount == 0)
            #expect(harness.tokenRequests().count == 1)
        }
    }

    @Test func expiresInMayBeANumericString() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.simulator.script(
            "POST",
            path: "/wechat/cgi-bin/stable_token",
            [.json(#"{"access_token":"abc","expires_in":"3600"}"#)]
        )
        _ = try await provider(harness).token(context: harness.context())
        #expect(try stored(harness).expiresAt == WeChatHarness.start.adding(seconds: 3600))
    }
}
