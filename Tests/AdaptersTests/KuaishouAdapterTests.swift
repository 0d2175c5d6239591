import Adapters
import Collector
import CollectorTesting
import Synchronization
import Testing

/// The Kuaishou adapter against the platform simulator: token refresh and its storage, dry
/// runs, the re-authorisation warning, the catalogue, `collector auth`, configuration checks.
@Suite(.serialized) struct KuaishouAdapterTests {
    /// 2025-11-25T00:00:00+08:00.
    static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)
    static let day: Int64 = 86_400
    static let account = "f0a1b2c3d4e5f60718293a4b5c6d7e8f"
    static let oldAccess = "KSaccessOLD0000000000000000000"
    static let oldRefresh = "KSrefreshOLD000000000000000000"
    static let newAccess = "ChFvYXV0aC5hY2Nlc3NUb2tlbhNEWfixture000000000000000000"
    static let newRefresh = "ChJvYXV0aC5yZWZyZXNoVG9rZW4NEWfixture00000000000000000"
    static let appSecret = "app-secret-value-0001"

    // MARK: - Refresh

    @Test func anExpiredAccessTokenMidRunIsRefreshedAndTheRotatedPairIsStoredBeforeUse() async throws {
        let world = try World()
        try world.respond("openapi/user_info.script", "200 file=expired.json\n")
        try world.respond("openapi/expired.json", fixture: "error_100200108_access_token_expired.json")
        try world.respond("oauth2/refresh_token.json", fixture: "oauth2_refresh_token_ok.json")
        try world.respond("openapi/user_info@access_token=\(Self.newAccess).json", fixture: "openapi_user_info_ok.json")
        try world.respond(
            "openapi/photo/list@access_token=\(Self.newAccess).json",
            fixture: "openapi_photo_list_ok.json"
        )
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 150 * Self.day))

        let seenWithNewToken = Mutex<[String?]>([])
        let (samples, _) = try await world.collect { request in
            // Whenever the new access token goes out, the new refresh token must already be on disk.
            guard request.url.contains("access_token=\(Self.newAccess)") else { return }
            let stored = try? world.credentials.load(instance: "kuaishou", account: Self.account)
            seenWithNewToken.withLock { $0.append(stored?.refreshToken?.exposedValue) }
        }

        let stored = try #require(try world.credentials.load(instance: "kuaishou", account: Self.account))
        #expect(stored.accessToken.exposedValue == Self.newAccess)
        #expect(stored.refreshToken?.exposedValue == Self.newRefresh)
        #expect(stored.obtainedAt == Self.now)
        #expect(stored.expiresAt == Self.now.adding(seconds: 172_800))
        #expect(stored.refreshExpiresAt == Self.now.adding(seconds: 12_960_000))
        #expect(stored.renewals == 1)
        #expect(stored.attributes["open_id"] == Self.account)
        #expect(seenWithNewToken.withLock { $0 } == [Self.newRefresh, Self.newRefresh])

        let requests = world.simulator.requests
        #expect(
            requests.map(\.path) == [
                "/kuaishou/openapi/user_info", "/kuaishou/oauth2/refresh_token", "/kuaishou/openapi/user_info",
                "/kuaishou/openapi/photo/list",
            ]
        )
        #expect(requests.first?.queryParameter("access_token") == Self.oldAccess)
        #expect(requests[1].queryParameter("refresh_token") == Self.oldRefresh)
        #expect(requests[1].queryParameter("grant_type") == "refresh_token")
        #expect(requests[1].queryParameter("app_secret") == Self.appSecret)
        #expect(samples.count == 8)
    }

    @Test func aLapsedAccessTokenIsRefreshedBeforeTheFirstCall() async throws {
        let world = try World()
        try world.respond("oauth2/refresh_token.json", fixture: "oauth2_refresh_token_ok.json")
        try world.respond("openapi/user_info@access_token=\(Self.newAccess).json", fixture: "openapi_user_info_ok.json")
        try world.respond(
            "openapi/photo/list@access_token=\(Self.newAccess).json",
            fixture: "openapi_photo_list_ok.json"
        )
        try world.store(Self.stored(expiresIn: 60, refreshExpiresIn: 150 * Self.day))

        let (samples, _) = try await world.collect()

        #expect(
            world.simulator.requests.map(\.path) == [
                "/kuaishou/oauth2/refresh_token", "/kuaishou/openapi/user_info", "/kuaishou/openapi/photo/list",
            ]
        )
        #expect(
            samples.map(\.metric.rawValue) == [
                "followers", "following", "views", "likes", "comments", "views", "likes", "comments",
            ]
        )
        let stored = try #require(try world.credentials.load(instance: "kuaishou", account: Self.account))
        #expect(stored.refreshToken?.exposedValue == Self.newRefresh)
    }

    @Test func aDryRunNeverRefreshesSoTheStoredRefreshTokenSurvives() async throws {
        let world = try World()
        try world.respond("oauth2/refresh_token.json", fixture: "oauth2_refresh_token_ok.json")
        let original = Self.stored(expiresIn: -60, refreshExpiresIn: 150 * Self.day)
        try world.store(original)

        let error = await #expect(throws: AdapterError.self) { try await world.collect(dryRun: true) }

        #expect(error?.label == "authExpired")
        #expect(error?.message.contains("`collector test` does not refresh tokens") == true)
        #expect(world.simulator.requests.isEmpty)
        #expect(try world.credentials.load(instance: "kuaishou", account: Self.account) == original)
    }

    @Test func aRefusedFreshTokenAsksForReauthorizationWithoutLeakingSecrets() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", #"{"result":100200102,"error_msg":"refused"}"#)
        try world.respond("oauth2/refresh_token.json", fixture: "oauth2_refresh_token_ok.json")
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 150 * Self.day))

        let error = await #expect(throws: AdapterError.self) { try await world.collect() }

        let text = try #require(error).description
        #expect(error?.label == "reauthorizationRequired")
        #expect(text.contains("`collector auth kuaishou`"))
        for secret in [Self.oldAccess, Self.oldRefresh, Self.newAccess, Self.newRefresh, Self.appSecret] {
            #expect(!text.contains(secret))
        }
        // One refresh per collection, no more.
        #expect(world.simulator.requests.filter { $0.path.hasSuffix("/refresh_token") }.count == 1)
    }

    /// A revoked authorisation (100200109) is kept with the credential, so `collector auth`
    /// lists it as needing a new one; the message does not send the operator to the date on
    /// record, months away, as if there were time.
    @Test func aRevokedAuthorisationIsRecordedWithTheCredential() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", #"{"result":100200109,"error_msg":"user revoked"}"#)
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 150 * Self.day))

        let error = await #expect(throws: AdapterError.self) { try await world.collect() }

        #expect(error?.label == "reauthorizationRequired")
        #expect(
            error?.message.contains("re-authorise account \(Self.account) now") == true,
            "\(String(describing: error))"
        )
        #expect(error?.message.contains("the platform's refusal overrides the re-authorisation date on record") == true)
        let saved = try #require(try world.credentials.load(instance: "kuaishou", account: Self.account))
        #expect(saved.refusedAt == Self.now)
        #expect(saved.refusalCode == "100200109")
        #expect(saved.accessToken.exposedValue == Self.oldAccess)
    }

    /// `/oauth2/refresh_token` itself refuses the refresh token with a code that elsewhere calls
    /// for a refresh (100200102: spent, say by another copy of state_dir; 100200108): another
    /// refresh cannot cure that, so the operator is told to re-authorise now, and the refusal
    /// is recorded as for 100200113, for `collector auth` to list.
    @Test(arguments: [100_200_102, 100_200_108])
    func aRefreshTokenRefusedByTheRefreshEndpointAsksForReauthorizationAndIsRecorded(code: Int) async throws {
        let world = try World()
        try world.respond("oauth2/refresh_token.json", #"{"result":\#(code),"error_msg":"request refused"}"#)
        try world.store(Self.stored(expiresIn: -60, refreshExpiresIn: 150 * Self.day))

        let error = await #expect(throws: AdapterError.self) { try await world.collect() }

        #expect(error?.label == "reauthorizationRequired")
        #expect(error?.platformCode == String(code))
        #expect(
            error?.message.contains("re-authorise account \(Self.account) now with `collector auth kuaishou`") == true,
            "\(String(describing: error))"
        )
        let text = try #require(error).description
        for secret in [Self.oldAccess, Self.oldRefresh, Self.appSecret] { #expect(!text.contains(secret)) }
        #expect(world.simulator.requests.map(\.path) == ["/kuaishou/oauth2/refresh_token"])
        let saved = try #require(try world.credentials.load(instance: "kuaishou", account: Self.account))
        #expect(saved.refusedAt == Self.now)
        #expect(saved.refusalCode == String(code))
        #expect(saved.refreshToken?.exposedValue == Self.oldRefresh)
    }

    // MARK: - Re-authorisation date

    @Test func warnsWithTheAbsoluteDateWhenFewerThanFourteenDaysRemain() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", fixture: "openapi_user_info_ok.json")
        try world.respond("openapi/photo/list.json", fixture: "openapi_photo_list_ok.json")
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 10 * Self.day + 3600))

        _ = try await world.collect()

        #expect(
            world.logs.warnings == [
                "kuaishou account \(Self.account) must be re-authorised by 2025-12-05T01:00:00+08:00 (10 days left): refreshing does not extend the authorisation; run `collector auth kuaishou` before then"
            ]
        )
    }

    @Test func saysWhenTheAuthorizationEndedWhileTheAccessTokenStillWorks() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", fixture: "openapi_user_info_ok.json")
        try world.respond("openapi/photo/list.json", fixture: "openapi_photo_list_ok.json")
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: -3600))

        let (samples, _) = try await world.collect()

        #expect(samples.count == 8)
        #expect(
            world.logs.warnings == [
                "kuaishou account \(Self.account): the authorisation ended at 2025-11-24T23:00:00+08:00; the access token works until 2025-11-26T00:00:00+08:00, then collection stops: run `collector auth kuaishou` now"
            ]
        )
    }

    @Test func staysQuietWhileMoreThanFourteenDaysRemain() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", fixture: "openapi_user_info_ok.json")
        try world.respond("openapi/photo/list.json", fixture: "openapi_photo_list_ok.json")
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 15 * Self.day))

        _ = try await world.collect()

        #expect(world.logs.warnings.isEmpty)
    }

    // MARK: - Catalogue

    @Test func catalogueRowsTakeTheCaptionsFirstLineAndMillisecondTimes() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", fixture: "openapi_user_info_ok.json")
        try world.respond(
            "openapi/photo/list.json",
            #"""
            {"result":1,"video_list":[
              {"photo_id":"p1","caption":"  校长寄语\n#开学季 第二行","play_url":"https://www.kuaishou.com/short-video/p1","create_time":1740970800000,"view_count":1,"like_count":2,"comment_count":3},
              {"photo_id":"p2","caption":"","create_time":1741257012,"view_count":4,"like_count":5,"comment_count":6},
              {"photo_id":"p3","view_count":7,"like_count":8,"comment_count":9}
            ]}
            """#
        )
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 150 * Self.day))

        let (_, objects) = try await world.collect()

        #expect(
            objects == [
                ContentObject(
                    platform: .kuaishou,
                    object: "p1",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_740_970_800),
                    title: "校长寄语",
                    url: "https://www.kuaishou.com/short-video/p1"
                ),
                ContentObject(
                    platform: .kuaishou,
                    object: "p2",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_741_257_012)
                ),
                ContentObject(platform: .kuaishou, object: "p3", account: Self.account),
            ]
        )
    }

    /// A video whose `photo_id` is blank or holds a line break cannot be stored: it is reported
    /// and skipped, the other videos kept.
    @Test func aVideoWithABlankOrUnstorableIDIsReportedAndSkipped() async throws {
        let world = try World()
        try world.respond("openapi/user_info.json", fixture: "openapi_user_info_ok.json")
        try world.respond(
            "openapi/photo/list.json",
            #"""
            {"result":1,"video_list":[
              {"photo_id":"  ","view_count":1,"like_count":2,"comment_count":3},
              {"photo_id":"p\n1","view_count":1,"like_count":2,"comment_count":3},
              {"photo_id":"p2","view_count":4,"like_count":5,"comment_count":6}
            ]}
            """#
        )
        try world.store(Self.stored(expiresIn: Self.day, refreshExpiresIn: 150 * Self.day))
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try await world.adapter().collect(account: Self.account, into: batch, context: world.context())
        try batch.commit()
        #expect(sink.objects.map(\.object) == ["p2"])
        #expect(Set(sink.samples.map(\.object)) == ["", "p2"])
        #expect(batch.failures.map(\.label) == ["schemaChanged", "schemaChanged"])
        #expect(
            batch.failures.last?.message.contains(#""video_list[1].photo_id" is "p\n1", an id with a control"#) == true
        )
    }

    static let publicationTimes: [(Int64, Int64)] = [
        (1_740_970_800_000, 1_740_970_800), (1_740_970_800, 1_740_970_800), (1_000_000_000_001, 1_000_000_000),
        (1_000_000_000_000, 1_000_000_000_000),
    ]

    @Test(arguments: publicationTimes)
    func publicationTimesInMillisecondsAreDetectedByMagnitude(raw: Int64, seconds: Int64) {
        #expect(KuaishouAdapter.publicationTime(raw) == Timestamp(secondsSinceEpoch: seconds))
    }

    @Test func aZeroOrNegativePublicationTimeIsUnknown() {
        #expect(KuaishouAdapter.publicationTime(0) == nil)
        #expect(KuaishouAdapter.publicationTime(-5) == nil)
    }

    @Test(arguments: [
        ("开学第一课｜校长寄语 #开学季", "开学第一课｜校长寄语 #开学季"), ("\n\n  第二段 \r\n第三段", "第二段"), ("a\rb", "a"), ("   ", ""),
    ])
    func titlesAreTheFirstNonEmptyLine(caption: String, title: String) {
        #expect(ContentObject.title(from: caption) == title)
    }

    // MARK: - Authorisation

    @Test func anAuthorizationCodeIsExchangedAndTheCredentialSaved() async throws {
        let world = try World()
        try world.respond("oauth2/access_token.json", fixture: "oauth2_access_token_ok.json")

        let adapter = try world.adapter()
        let credential = try await adapter.authorize(account: Self.account, code: "c0de+/=", context: world.context())

        #expect(credential.expiresAt == Self.now.adding(seconds: 172_800))
        #expect(credential.refreshExpiresAt == Self.now.adding(seconds: 15_552_000))
        #expect(try world.credentials.load(instance: "kuaishou", account: Self.account) == credential)
        let request = try #require(world.simulator.requests.first)
        #expect(request.path == "/kuaishou/oauth2/access_token")
        #expect(request.queryParameter("code") == "c0de%2B%2F%3D")
        #expect(request.queryParameter("grant_type") == "authorization_code")
        #expect(request.queryParameter("app_id") == "ks000000000000000000")
    }

    @Test func aCodeGrantedByAnotherUserIsSavedUnderItsOpenIDAndReported() async throws {
        let world = try World()
        try world.respond("oauth2/access_token.json", fixture: "oauth2_access_token_ok.json")
        let other = "0000000000000000000000000000beef"

        let adapter = try world.adapter(accounts: [Self.account, other])
        let error = await #expect(throws: AdapterError.self) {
            try await adapter.authorize(account: other, code: "c", context: world.context())
        }

        #expect(error?.label == "badRequest")
        #expect(error?.message.contains("granted by open_id \(Self.account), not \(other)") == true)
        #expect(try world.credentials.load(instance: "kuaishou", account: Self.account) != nil)
        #expect(try world.credentials.load(instance: "kuaishou", account: other) == nil)
    }

    @Test func theAuthorizationLinkCarriesTheAppScopesAndRedirect() throws {
        let adapter = try Self.configure(
            """
            [[adapters.kuaishou]]
            accounts = ["\(Self.account)"]
            app_id = "ks123"
            app_secret = "${SECRET:-s}"
            redirect_uri = "https://example.edu.cn/ks/callback?x=1"
            """
        )
        #expect(
            adapter.authorizationURL(account: Self.account)
                == "https://open.kuaishou.com/oauth2/authorize?app_id=ks123&scope=user_info%2Cuser_video_info&response_type=code&redirect_uri=https%3A%2F%2Fexample.edu.cn%2Fks%2Fcallback%3Fx%3D1"
        )
    }

    // MARK: - Configuration

    @Test(arguments: [
        ("page_size = 0", "\"page_size\" must be between 1 and 200"),
        ("page_size = 201", "\"page_size\" must be between 1 and 200"),
        ("max_pages = 0", "\"max_pages\" must be between 1 and 1000"),
        ("videos = \"yes\"", "must be true or false, not a string"),
        ("base_url = \"ftp://x\"", "\"base_url\" must start with https://"),
    ])
    func invalidSettingsAreRejectedWithTheKey(line: String, message: String) throws {
        let text = """
            [[adapters.kuaishou]]
            accounts = ["\(Self.account)"]
            app_id = "ks123"
            app_secret = "${SECRET:-s}"
            \(line)
            """
        #expect(Self.configurationError(text)?.contains(message) == true)
    }

    @Test func anAccountThatIsNotAnOpenIDIsRejected() {
        let text = """
            [[adapters.kuaishou]]
            accounts = ["示例大学"]
            app_id = "ks123"
            app_secret = "${SECRET:-s}"
            """
        #expect(Self.configurationError(text)?.contains("kuaishou account \"示例大学\" is not an open id") == true)
    }

    @Test func theAppSecretIsRequired() {
        let text = """
            [[adapters.kuaishou]]
            accounts = ["\(Self.account)"]
            app_id = "ks123"
            """
        #expect(Self.configurationError(text)?.contains("missing required key \"app_secret\"") == true)
    }

    @Test func queryValuesArePercentEncoded() {
        #expect(KuaishouQuery.escape("aZ09-._~") == "aZ09-._~")
        #expect(KuaishouQuery.escape("a+b/c=d e&f") == "a%2Bb%2Fc%3Dd%20e%26f")
        #expect(KuaishouQuery.escape("快") == "%E5%BF%AB")
    }

    // MARK: - Support

    static func stored(expiresIn: Int64, refreshExpiresIn: Int64) -> Credential {
        Credential(
            accessToken: Secret(oldAccess),
            refreshToken: Secret(oldRefresh),
            obtainedAt: now.adding(seconds: -3600),
            expiresAt: now.adding(seconds: expiresIn),
            refreshExpiresAt: now.adding(seconds: refreshExpiresIn),
            attributes: ["open_id": account]
        )
    }

    static func configure(_ text: String, environment: [String: String] = [:]) throws -> KuaishouAdapter {
        let file = try ConfigurationFile.parse(
            text: text,
            path: "test.conf",
            environment: environment,
            adapterKeys: AdapterRegistry.configurationKeys
        )
        return try KuaishouAdapter(configuration: try #require(file.sections.first))
    }

    /// The configuration error's text, or nil when the section is accepted.
    static func configurationError(_ text: String) -> String? {
        do {
            _ = try configure(text)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// A simulator with a fixture folder, a state folder and a log, for one test.
private final class World: Sendable {
    let directory: TemporaryDirectory
    let simulator: PlatformSimulator
    let state: StateStore
    let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
    let logs = LogRecorder()

    init() throws {
        directory = try TemporaryDirectory(prefix: "kuaishou-test")
        try directory.createDirectory("responses/kuaishou")
        simulator = try PlatformSimulator(fixtureRoot: directory.path("responses"))
        state = try StateStore(directory: directory.path("state"))
    }

    deinit {
        http.shutdown()
        simulator.stop()
    }

    var credentials: CredentialStore { CredentialStore(state: state) }

    func respond(_ path: String, _ text: String) throws {
        try directory.write(text, to: "responses/kuaishou/" + path)
    }

    func respond(_ path: String, fixture: String) throws {
        try directory.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/kuaishou/" + fixture),
            to: "responses/kuaishou/" + path
        )
    }

    func store(_ credential: Credential) throws {
        try credentials.save(credential, instance: "kuaishou", account: KuaishouAdapterTests.account)
    }

    func adapter(accounts: [String] = [KuaishouAdapterTests.account]) throws -> KuaishouAdapter {
        try KuaishouAdapterTests.configure(
            """
            [[adapters.kuaishou]]
            accounts = [\(accounts.map { "\"\($0)\"" }.joined(separator: ", "))]
            app_id = "ks000000000000000000"
            app_secret = "${KUAISHOU_APP_SECRET}"
            base_url = "${SIMULATOR_URL}/kuaishou"
            """,
            environment: ["SIMULATOR_URL": simulator.baseURL, "KUAISHOU_APP_SECRET": KuaishouAdapterTests.appSecret]
        )
    }

    func context(
        dryRun: Bool = false,
        observe: @escaping @Sendable (HTTPRequest) -> Void = { _ in }
    ) throws -> AdapterContext {
        AdapterContext(
            http: ObservingHTTP(base: http, observe: observe),
            state: dryRun ? try StateStore(directory: state.directory, readOnly: true) : state,
            calendar: .beijing,
            now: { KuaishouAdapterTests.now },
            sleep: { _ in },
            logger: logs.logger(label: "kuaishou-test"),
            isDryRun: dryRun
        )
    }

    /// Collects the test account once; the samples and catalogue rows it produced.
    func collect(
        dryRun: Bool = false,
        observe: @escaping @Sendable (HTTPRequest) -> Void = { _ in }
    ) async throws -> ([Sample], [ContentObject]) {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try await adapter().collect(
            account: KuaishouAdapterTests.account,
            into: batch,
            context: context(dryRun: dryRun, observe: observe)
        )
        try batch.commit()
        #expect(batch.failures.isEmpty, "\(batch.failures)")
        return (sink.samples, sink.objects)
    }
}
