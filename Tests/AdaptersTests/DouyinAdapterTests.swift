import Collector
import CollectorTesting
import Logging
import Testing

@testable import Adapters

/// The Douyin adapter against the platform simulator, for what the golden cases cannot see:
/// the requests sent (token placement, form bodies), the credential saved after a refresh, a
/// renewal or an authorisation, the catalogue rows, and dry runs.
@Suite(.serialized) struct DouyinAdapterTests {
    static let openID = "0da22181-0000-4000-8000-00000000feed"
    /// The golden cases' clock: 2025-11-25T00:00:00+08:00.
    static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)
    static let storedAccess = "act.FAKEstoredACCESS000000000000000000000000000000000"
    static let storedRefresh = "rft.FAKEstoredREFRESH00000000000000000000000000000000"

    // MARK: - Token lifecycle

    @Test func refreshesARefusedTokenOnceAndRetriesWithTheNewOne() async throws {
        let run = try await DouyinHarness.collect(case: "token_expired_mid_run")
        let requests = run.requests
        try #require(requests.count == 8)
        #expect(requests[0].path == "/douyin/data/external/user/fans/")
        #expect(requests[0].header("access-token") == Self.storedAccess)
        #expect(requests[1].method == "POST")
        #expect(requests[1].path == "/douyin/oauth/refresh_token/")
        #expect(requests[1].query.isEmpty)
        #expect(
            requests[1].bodyText
                == "client_key=awfixtureclientkey&grant_type=refresh_token&refresh_token=\(Self.storedRefresh)"
        )
        #expect(requests[2].path == "/douyin/data/external/user/fans/")
        for request in requests[2...] {
            #expect(request.header("access-token") == "act.FAKEfixtureREFRESHED00000000000000000000000000000")
        }
        for request in requests {
            #expect(!request.query.contains("token"), "a token in the query of \(request.path)")
        }

        let saved = try #require(run.credential)
        #expect(saved.accessToken.exposedValue == "act.FAKEfixtureREFRESHED00000000000000000000000000000")
        #expect(saved.obtainedAt == Self.now)
        #expect(saved.expiresAt == Self.now.adding(seconds: 1_296_000))
        // The refresh answer claims 30 days; the stored expiry (20 days away) is kept.
        #expect(saved.refreshExpiresAt == Timestamp(secondsSinceEpoch: 1_765_728_000))
        #expect(saved.refreshToken?.exposedValue == "rft.FAKEfixtureREFRESH000000000000000000000000000000")
        #expect(saved.renewals == 0)
        #expect(
            saved.attributes == [
                "open_id": Self.openID, "scope": "user_info,data.external.user,data.external.item,video.list.bind",
            ]
        )
        #expect(run.failures.isEmpty)
        #expect(run.samples.count == 28)
    }

    @Test func renewsTheRefreshTokenWhenFewerThanThreeDaysAreLeft() async throws {
        let run = try await DouyinHarness.collect(case: "refresh_token_renewed")
        let renewal = try #require(run.requests.first)
        #expect(renewal.method == "POST")
        #expect(renewal.path == "/douyin/oauth/renew_refresh_token/")
        #expect(renewal.bodyText == "client_key=awfixtureclientkey&refresh_token=\(Self.storedRefresh)")
        let saved = try #require(run.credential)
        #expect(saved.refreshToken?.exposedValue == "rft.FAKEfixtureRENEWED000000000000000000000000000000")
        #expect(saved.refreshExpiresAt == Self.now.adding(seconds: 2_592_000))
        #expect(saved.renewals == 3)
        #expect(saved.accessToken.exposedValue == Self.storedAccess)
        #expect(run.requests.dropFirst().allSatisfy { $0.method == "GET" })
    }

    @Test func leavesAnExpiredTokenAloneInADryRun() async throws {
        let run = try await DouyinHarness.collect(case: "access_token_lapsed_refreshed", dryRun: true)
        #expect(run.requests.isEmpty)
        let error = try #require(run.error as? AdapterError)
        #expect(error.hasSameKind(as: .authExpired("")))
        #expect(
            error.message
                == "douyin account \(Self.openID): the access token expired on 2025-11-20T00:00:00+08:00; "
                + "`collector test` changes no state, so it does not refresh tokens: run `collector run --once` to refresh it"
        )
        #expect(run.credential?.accessToken.exposedValue == Self.storedAccess)
    }

    @Test func reportsTheRenewalLimitWithTheDateAndStillCollects() async throws {
        let run = try await DouyinHarness.collect(case: "renewal_limit_reached")
        #expect(run.error == nil)
        #expect(run.samples.count == 14)
        #expect(
            run.failures.map(\.description) == [
                "douyin/\(Self.openID): reauthorizationRequired: douyin account \(Self.openID): the refresh token was "
                    + "renewed 5 times, Douyin's limit; re-authorise before 2025-11-27T00:00:00+08:00: the account owner "
                    + "scans the authorisation page (`collector auth douyin \(Self.openID)` prints its address), then run "
                    + "`collector auth douyin \(Self.openID) <code>` with the code it returns"
            ]
        )
    }

    @Test func remembersARefusedRefreshTokenAndKeepsTheValidAccessToken() async throws {
        let run = try await DouyinHarness.collect(case: "refresh_refused_access_still_valid")
        #expect(run.error == nil)
        #expect(run.samples.count == 14)
        #expect(run.failures.map(\.label) == ["reauthorizationRequired"])
        let saved = try #require(run.credential)
        #expect(saved.refreshExpiresAt == Self.now)
        #expect(saved.accessToken.exposedValue == Self.storedAccess)
        #expect(saved.expiresAt == Timestamp(secondsSinceEpoch: 1_764_043_200))
        // The next run does not ask the platform again: it uses the access token and reports.
        let refreshes = run.requests.filter { $0.path == "/douyin/oauth/refresh_token/" }
        #expect(refreshes.count == 1)
        #expect(DouyinTokenPolicy.action(for: saved, at: Self.now) == .use)
        #expect(DouyinTokenPolicy.urgency(for: saved, at: Self.now) == .report)
    }

    /// The refresh endpoint answers a "token invalid / expired" code (2190002, 10008), which
    /// elsewhere calls for a refresh: said of the refresh token, only a new authorisation cures
    /// it. With the access token lapsed the account fails as `reauthorizationRequired` naming
    /// `collector auth`, and the refusal is remembered so that the next run does not spend the
    /// refresh token again.
    @Test(arguments: [2_190_002, 10008])
    func aRefreshTokenRefusedAsInvalidAsksForReauthorization(code: Int) async throws {
        let directory = DouyinHarness.caseDirectory("refresh_refused_access_still_valid")
        try await DouyinHarness.withSimulator(fixtureRoot: directory + "/responses", seed: directory + "/state") {
            harness in
            harness.simulator.script(
                "POST",
                path: "/douyin/oauth/refresh_token/",
                [.json(#"{"data":{"description":"access_token无效","error_code":\#(code)},"message":"error"}"#)]
            )
            var lapsed = try #require(try harness.storedCredential())
            lapsed.expiresAt = Self.now.adding(seconds: -60)
            try CredentialStore(state: harness.state).save(lapsed, instance: "douyin", account: Self.openID)

            let error = await #expect(throws: AdapterError.self) { try await harness.session().prepare() }

            #expect(error?.hasSameKind(as: .reauthorizationRequired("")) == true, "\(String(describing: error))")
            #expect(error?.platformCode == String(code))
            #expect(error?.message.contains("`collector auth douyin \(Self.openID) <code>`") == true)
            let stored = try #require(try harness.storedCredential())
            #expect(stored.refreshExpiresAt == Self.now)
            #expect(stored.refreshToken?.exposedValue == Self.storedRefresh)
            // The next run goes straight to the re-authorisation, without spending the token again.
            let again = await #expect(throws: AdapterError.self) { try await harness.session().prepare() }
            #expect(again?.hasSameKind(as: .reauthorizationRequired("")) == true)
            #expect(harness.simulator.requests.filter { $0.path == "/douyin/oauth/refresh_token/" }.count == 1)
        }
    }

    /// PLATFORMS.md §3.3: a used-up app quota stops the instance for the Beijing day, not for
    /// the run: the next tick the same day fails the accounts without asking Douyin again.
    @Test func aUsedUpQuotaStopsEveryAccountUntilBeijingMidnight() async throws {
        let directory = DouyinHarness.caseDirectory("quota_stops_instance")
        try await DouyinHarness.withSimulator(fixtureRoot: directory + "/responses", seed: directory + "/state") {
            harness in
            let adapter = try harness.adapter()
            let first = await #expect(throws: AdapterError.self) {
                try await adapter.collect(
                    account: Self.openID,
                    into: SampleBatch(sink: InMemorySink()),
                    context: harness.context()
                )
            }
            #expect(first?.hasSameKind(as: .quotaExhausted("")) == true)
            let asked = harness.simulator.requests.count
            #expect(asked > 0)
            let second = await #expect(throws: AdapterError.self) {
                try await adapter.collect(
                    account: Self.openID,
                    into: SampleBatch(sink: InMemorySink()),
                    context: harness.context()
                )
            }
            #expect(second?.hasSameKind(as: .quotaExhausted("")) == true)
            #expect(
                second?.message.contains("no calls until 2025-11-26T00:00:00+08:00") == true,
                "\(String(describing: second))"
            )
            #expect(harness.simulator.requests.count == asked)
        }
    }

    // MARK: - Instances sharing the state folder

    /// Two instances sharing the state folder loaded the same credential, whose refresh token
    /// is due for renewal; the first renews it. The second decides again under the credential's
    /// lock on what is stored now: it neither spends the refresh token the first replaced (the
    /// platform would refuse it) nor saves its older copy, with one renewal fewer, over the new one.
    @Test func aSessionThatLoadedTheCredentialBeforeAnotherRenewedItUsesTheRenewedOne() async throws {
        let directory = DouyinHarness.caseDirectory("refresh_token_renewed")
        try await DouyinHarness.withSimulator(fixtureRoot: directory + "/responses", seed: directory + "/state") {
            harness in
            let first = try harness.session()
            let second = try harness.session()
            try await first.prepare()
            try await second.prepare()

            let renewals = harness.simulator.requests.filter { $0.path == "/douyin/oauth/renew_refresh_token/" }
            #expect(renewals.map(\.bodyText) == ["client_key=awfixtureclientkey&refresh_token=\(Self.storedRefresh)"])
            let stored = try #require(try harness.storedCredential())
            #expect(stored.refreshToken?.exposedValue == "rft.FAKEfixtureRENEWED000000000000000000000000000000")
            #expect(stored.renewals == 3)
            #expect(stored == first.credential)
            #expect(second.credential == stored)
        }
    }

    /// After this session loaded the credential, another instance sharing the state folder
    /// saved a renewed refresh token (its access token about to lapse). This session's refresh,
    /// with that token, is refused: the refusal (the refresh token's expiry set to now) is saved
    /// onto the stored credential while the lock is held, not onto the copy loaded earlier, so
    /// the other instance's refresh token and renewal count are kept.
    @Test func aRefusedRefreshIsSavedOntoTheCredentialAnotherInstanceSaved() async throws {
        let directory = DouyinHarness.caseDirectory("refresh_refused_access_still_valid")
        try await DouyinHarness.withSimulator(fixtureRoot: directory + "/responses", seed: directory + "/state") {
            harness in
            let session = try harness.session()
            var other = try #require(try harness.storedCredential())
            other.refreshToken = Secret("rft.FAKEotherINSTANCErenewed000000000000000000000000")
            other.refreshExpiresAt = Self.now.adding(seconds: 2_592_000)
            other.renewals = 1
            other.expiresAt = Self.now.adding(seconds: 60)
            try CredentialStore(state: harness.state).save(other, instance: "douyin", account: Self.openID)

            let error = await #expect(throws: AdapterError.self) { try await session.prepare() }

            #expect(error?.hasSameKind(as: .reauthorizationRequired("")) == true)
            let refreshes = harness.simulator.requests.filter { $0.path == "/douyin/oauth/refresh_token/" }
            #expect(refreshes.count == 1)
            #expect(
                refreshes.first?.bodyText.hasSuffix("refresh_token=\(other.refreshToken?.exposedValue ?? "")") == true
            )
            let stored = try #require(try harness.storedCredential())
            #expect(stored.refreshToken == other.refreshToken)
            #expect(stored.renewals == 1)
            #expect(stored.refreshExpiresAt == Self.now)
            #expect(stored.expiresAt == other.expiresAt)
        }
    }

    // MARK: - Authorisation

    @Test func exchangesACodeAndSavesTheCredentialUnderItsOpenID() async throws {
        try await DouyinHarness.withSimulator { harness in
            harness.simulator.script(
                "POST",
                path: "/douyin/oauth/access_token/",
                [.json(file: Fixtures.adaptersTests + "/douyin/oauth_access_token_ok.json")]
            )
            let adapter = try harness.adapter()
            let credential = try await adapter.authorize(
                account: Self.openID,
                code: "CODE+1/ä",
                context: harness.context()
            )
            let request = try #require(harness.simulator.requests.first)
            #expect(request.query.isEmpty)
            #expect(
                request.bodyText
                    == "client_key=awfixtureclientkey&client_secret=fixture-secret&code=CODE%2B1%2F%C3%A4&grant_type=authorization_code"
            )
            #expect(credential.accessToken.exposedValue == "act.FAKEfixtureTOKEN0000000000000000000000000000000000")
            #expect(credential.refreshToken?.exposedValue == "rft.FAKEfixtureREFRESH000000000000000000000000000000")
            #expect(credential.obtainedAt == Self.now)
            #expect(credential.expiresAt == Self.now.adding(seconds: 1_296_000))
            #expect(credential.refreshExpiresAt == Self.now.adding(seconds: 2_592_000))
            #expect(credential.renewals == 0)
            #expect(
                credential.attributes == [
                    "open_id": Self.openID, "scope": "user_info,data.external.user,data.external.item,video.list.bind",
                ]
            )
            let stored = try CredentialStore(state: harness.state).load(instance: "douyin", account: Self.openID)
            #expect(stored == credential)
        }
    }

    @Test func savesUnderTheReturnedOpenIDWhenTheCodeBelongsToAnotherConfiguredAccount() async throws {
        try await DouyinHarness.withSimulator { harness in
            harness.simulator.script(
                "POST",
                path: "/douyin/oauth/access_token/",
                [.json(file: Fixtures.adaptersTests + "/douyin/oauth_access_token_ok.json")]
            )
            let other = "0da22181-0000-4000-8000-00000000beef"
            let adapter = try harness.adapter(accounts: [other])
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.authorize(account: other, code: "CODE", context: harness.context())
            }
            #expect(error?.hasSameKind(as: .badRequest("")) == true)
            #expect(
                error?.message.hasPrefix(
                    "the code was authorised by the Douyin account with open_id \(Self.openID), not \(other); "
                        + "the tokens are saved for \(Self.openID)"
                ) == true
            )
            let store = CredentialStore(state: harness.state)
            #expect(try store.load(instance: "douyin", account: Self.openID) != nil)
            #expect(try store.load(instance: "douyin", account: other) == nil)
        }
    }

    @Test func authorisationPageCarriesClientKeyScopesAndAccount() throws {
        let plain = try DouyinHarness.adapter(base: "https://open.douyin.com")
        #expect(
            plain.authorizationURL(account: Self.openID)
                == "https://open.douyin.com/platform/oauth/connect/?client_key=awfixtureclientkey&response_type=code"
                + "&scope=data.external.user%2Cdata.external.item%2Cvideo.list.bind&state=\(Self.openID)"
        )
        let custom = try DouyinHarness.adapter(
            base: "https://open.douyin.com",
            extra: "scopes = [\"data.external.user\", \"renew_refresh_token\"]\n"
                + "redirect_uri = \"https://example.edu.cn/douyin/callback?x=1\"\n"
        )
        #expect(
            custom.authorizationURL(account: "a")
                == "https://open.douyin.com/platform/oauth/connect/?client_key=awfixtureclientkey&response_type=code"
                + "&scope=data.external.user%2Crenew_refresh_token"
                + "&redirect_uri=https%3A%2F%2Fexample.edu.cn%2Fdouyin%2Fcallback%3Fx%3D1&state=a"
        )
    }

    // MARK: - Data

    @Test func writesTheVideoCatalogueAndAsksForItemDataOfYoungVideosOnly() async throws {
        let run = try await DouyinHarness.collect(case: "happy")
        #expect(run.error == nil)
        #expect(
            run.objects == [
                ContentObject(
                    platform: .douyin,
                    object: "@9VwKzuuES8gmaXS7ZohqRM780mzqPfyGOZp2qAmnKlEaa/60zdRmYqig357zEBq6CZRp4NVe6qLIEW7V/DxFAg==",
                    account: Self.openID,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_740_970_800),
                    title: "开学第一课｜校长寄语 #开学季",
                    url: "https://www.iesdouyin.com/share/video/7400000000000000001/"
                ),
                ContentObject(
                    platform: .douyin,
                    object: "@9VwKzuuES8gmaXS7ZohqRM780mzqPfyGOZp2qAmnKlEaa/60zdRmYqig357zEBq6FAKEyoungVIDEO0002==",
                    account: Self.openID,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_763_600_000),
                    title: "初冬校园开放日",
                    url: "https://www.iesdouyin.com/share/video/7400000000000000002/"
                ),
            ]
        )
        let items = run.requests.filter { $0.path == "/douyin/data/external/item/base/" }
        #expect(
            items.map(\.query) == [
                "open_id=\(Self.openID)&item_id=%409VwKzuuES8gmaXS7ZohqRM780mzqPfyGOZp2qAmnKlEaa%2F60zdRmYqig357zEBq6FAKEyoungVIDEO0002%3D%3D"
            ]
        )
        let pages = run.requests.filter { $0.path == "/douyin/api/douyin/v1/video/video_list/" }.map(\.query)
        #expect(
            pages == [
                "open_id=\(Self.openID)&cursor=0&count=20", "open_id=\(Self.openID)&cursor=1741000000000&count=20",
            ]
        )
        let daily = run.requests.filter { $0.path.hasPrefix("/douyin/data/external/user/") }.map(\.query)
        #expect(daily == Array(repeating: "open_id=\(Self.openID)&date_type=7", count: 6))
    }

    @Test func readsTheOlderVideoListWhenConfigured() async throws {
        let current = try await DouyinHarness.collect(case: "happy")
        let legacy = try await DouyinHarness.collect(case: "legacy_video_list")
        #expect(legacy.error == nil)
        // The same videos, rows and catalogue from either endpoint; only the path differs.
        #expect(legacy.objects == current.objects)
        #expect(legacy.samples == current.samples)
        let lists = legacy.requests.filter { !$0.path.hasPrefix("/douyin/data/") }
        #expect(
            lists.map { $0.path + "?" + $0.query } == [
                "/douyin/video/list/?open_id=\(Self.openID)&cursor=0&count=20",
                "/douyin/video/list/?open_id=\(Self.openID)&cursor=1741000000000&count=20",
            ]
        )
        // The token goes in the header on both, never into the address.
        for request in lists + current.requests {
            #expect(request.header("access-token")?.isEmpty == false)
            #expect(!request.query.contains("access_token"))
        }
    }

    @Test func defaultScopesFollowTheVideoListEndpoint() throws {
        let current = try DouyinHarness.adapter(base: "https://open.douyin.com")
        let legacy = try DouyinHarness.adapter(base: "https://open.douyin.com", extra: "video_list = \"legacy\"\n")
        #expect(
            current.authorizationURL(account: "a")?.contains(
                "scope=data.external.user%2Cdata.external.item%2Cvideo.list.bind&"
            )
                == true
        )
        #expect(
            legacy.authorizationURL(account: "a")?.contains(
                "scope=data.external.user%2Cdata.external.item%2Cvideo.list&"
            )
                == true
        )
    }

    @Test func asksForTheConfiguredWindow() async throws {
        let run = try await DouyinHarness.collect(case: "empty_lists", extra: "days = 30\nvideos = false\n")
        #expect(run.requests.map(\.query) == Array(repeating: "open_id=\(Self.openID)&date_type=30", count: 6))
    }

    // MARK: - Configuration

    @Test(arguments: [
        ("days = 10\n", "\"days\" must be 7, 15 or 30 (Douyin's date_type windows), not 10"),
        ("scopes = []\n", "\"scopes\" must list at least one scope, none empty"),
        (
            "video_list = \"v1\"\n",
            "\"video_list\" must be \"current\" (/api/douyin/v1/video/video_list/) or \"legacy\" (/video/list/), not \"v1\""
        ),
    ])
    func rejectsBadSettings(_ extra: String, _ message: String) throws {
        let error = #expect(throws: ConfigurationErrors.self) {
            try DouyinHarness.adapter(base: "https://open.douyin.com", extra: extra)
        }
        #expect(error.map { "\($0)" }?.contains(message) == true, "\(String(describing: error))")
    }
}

/// A simulator, a state folder and an HTTP client for one test.
private struct DouyinHarness {
    let simulator: PlatformSimulator
    let temporary: TemporaryDirectory
    let state: StateStore
    let http: CurlHTTPClient

    struct Run {
        var requests: [RecordedRequest]
        var samples: [Sample]
        var objects: [ContentObject]
        var failures: [CollectionFailure]
        var error: (any Error)?
        var credential: Credential?
    }

    static func caseDirectory(_ name: String) -> String {
        Fixtures.path("AdaptersTests/Cases/douyin/\(name)")
    }

    static func withSimulator<Result>(
        fixtureRoot: String = Fixtures.adaptersTests + "/douyin",
        readOnly: Bool = false,
        seed: String? = nil,
        _ body: (DouyinHarness) async throws -> Result
    ) async throws -> Result {
        let simulator = try PlatformSimulator(fixtureRoot: fixtureRoot)
        defer { simulator.stop() }
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        if let seed {
            let writable = try StateStore(directory: temporary.path("state"))
            for file in FileSystem.list(seed) {
                try writable.write(file, try Fixtures.bytes(seed + "/" + file))
            }
        }
        let state = try StateStore(directory: temporary.path("state"), readOnly: readOnly)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        return try await body(DouyinHarness(simulator: simulator, temporary: temporary, state: state, http: http))
    }

    /// Runs the golden case `name` once through `collect`, with its stored state.
    static func collect(case name: String, extra: String = "", dryRun: Bool = false) async throws -> Run {
        let directory = caseDirectory(name)
        return try await withSimulator(
            fixtureRoot: directory + "/responses",
            readOnly: dryRun,
            seed: directory + "/state"
        ) { harness in
            // The case's own configuration, with `extra` keys added to its section.
            let configuration = try String(decoding: Fixtures.bytes(directory + "/adapter.conf"), as: UTF8.self)
            let file = try ConfigurationFile.parse(
                text: configuration + extra,
                path: directory + "/adapter.conf",
                environment: ["SIMULATOR_URL": harness.simulator.baseURL],
                adapterKeys: AdapterRegistry.configurationKeys
            )
            let adapter = try DouyinAdapter(configuration: try #require(file.sections.first))
            let sink = InMemorySink()
            let batch = SampleBatch(sink: sink)
            var error: (any Error)?
            do {
                try await adapter.collect(
                    account: DouyinAdapterTests.openID,
                    into: batch,
                    context: harness.context(dryRun: dryRun)
                )
            } catch let thrown {
                error = thrown
            }
            try batch.commit()
            return Run(
                requests: harness.simulator.requests,
                samples: sink.samples,
                objects: sink.objects,
                failures: batch.failures,
                error: error,
                credential: try CredentialStore(state: harness.state).load(
                    instance: "douyin",
                    account: DouyinAdapterTests.openID
                )
            )
        }
    }

    /// A session of the fixture account, as one collection of an instance builds it: it loads
    /// the stored credential now.
    func session() throws -> DouyinSession {
        let adapter = try adapter()
        return try DouyinSession(
            api: adapter.api,
            instance: adapter.name,
            account: DouyinAdapterTests.openID,
            context: context(),
            batch: SampleBatch(sink: InMemorySink())
        )
    }

    /// The credential stored for the fixture account.
    func storedCredential() throws -> Credential? {
        try CredentialStore(state: state).load(instance: "douyin", account: DouyinAdapterTests.openID)
    }

    func adapter(accounts: [String] = [DouyinAdapterTests.openID], extra: String = "") throws -> DouyinAdapter {
        try Self.adapter(base: simulator.baseURL + "/douyin", accounts: accounts, extra: extra)
    }

    static func adapter(
        base: String,
        accounts: [String] = [DouyinAdapterTests.openID],
        extra: String = ""
    ) throws -> DouyinAdapter {
        let list = accounts.map { "\"\($0)\"" }.joined(separator: ", ")
        let text = """
            [[adapters.douyin]]
            accounts = [\(list)]
            client_key = "awfixtureclientkey"
            client_secret = "${DOUYIN_CLIENT_SECRET:-fixture-secret}"
            base_url = "\(base)"
            rate = "1000/s"

            """
        let file = try ConfigurationFile.parse(
            text: text + extra,
            path: "adapters.conf",
            environment: [:],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let section = try #require(file.sections.first)
        return try DouyinAdapter(configuration: section)
    }

    func context(dryRun: Bool = false) -> AdapterContext {
        AdapterContext(
            http: http,
            state: state,
            calendar: .beijing,
            now: { DouyinAdapterTests.now },
            sleep: { _ in },
            logger: Logger(label: "douyin-test") { _ in SwiftLogNoOpLogHandler() },
            isDryRun: dryRun
        )
    }
}
