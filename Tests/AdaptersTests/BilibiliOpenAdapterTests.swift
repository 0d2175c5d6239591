import Adapters
import Collector
import CollectorTesting
import Logging
import Synchronization
import Testing

/// The `bilibili_open` adapter: OAuth with a single-use refresh token, the arcopen requests and
/// the error tables, row by row, against the platform simulator.
@Suite(.serialized) struct BilibiliOpenAdapterTests {
    static let account = "208259"
    static let secret = "s3cr3t-client"
    static let now = AdapterRun.now
    static let userStat = "bilibili_open/arcopen/fn/data/user/stat"
    static let refreshPath = "bilibili_open/x/account-oauth2/v1/refresh_token"

    static func configuration(_ url: String, _ extra: [String: ConfigValue] = [:]) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "accounts": .array([.string(account)]),
            "client_id": .string("cid-unit"),
            "client_secret": .string(secret),
            "base_url": .string(url + "/bilibili_open"),
            "token_url": .string(url + "/bilibili_open"),
            "videos": .bool(false),
        ]
        values.merge(extra) { $1 }
        return AdapterConfiguration(type: "bilibili_open", values: values)
    }

    /// A state folder under `directory` holding a credential for the account.
    static func state(
        in directory: TemporaryDirectory,
        expiresAt: Int64 = 1_893_456_000,
        refreshToken: String? = "ref-1"
    ) throws -> StateStore {
        let store = try StateStore(directory: directory.path("state"))
        try CredentialStore(state: store).save(
            Credential(
                accessToken: Secret("tok-old"),
                refreshToken: refreshToken.map(Secret.init),
                obtainedAt: Timestamp(secondsSinceEpoch: 1_763_000_000),
                expiresAt: Timestamp(secondsSinceEpoch: expiresAt)
            ),
            instance: "bilibili_open",
            account: account
        )
        return store
    }

    static func stored(_ state: StateStore) throws -> Credential? {
        try CredentialStore(state: state).load(instance: "bilibili_open", account: account)
    }

    static let refreshed =
        #"{"code":0,"message":"0","ttl":1,"data":{"access_token":"tok-new","refresh_token":"ref-2","expires_in":1893456000,"scopes":["USER_DATA","ARC_DATA"]}}"#

    /// A fixture root answering the user stat for `token` and the refresh with ``refreshed``.
    static func fixtures(userStatFor token: String = "tok-new") throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/arcopen_data_user_stat_ok.json"),
            to: "\(userStat)@access_token=\(token).json"
        )
        try root.write(refreshed, to: refreshPath + ".json")
        return root
    }

    // MARK: - The single-use refresh token

    @Test func savesTheRefreshedPairBeforeTheNewTokenIsUsed() async throws {
        let root = try Self.fixtures()
        let directory = try TemporaryDirectory()
        let state = try Self.state(in: directory, expiresAt: 1_700_000_000)
        let storedWhenUsed = Mutex<[String?]>([])
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state,
            observe: { request in
                guard request.url.contains("access_token=tok-new") else { return }
                let credential = try? Self.stored(state)
                storedWhenUsed.withLock { $0.append(credential?.refreshToken?.exposedValue) }
            }
        )
        #expect(run.error == nil)
        #expect(storedWhenUsed.withLock { $0 } == ["ref-2"])
        #expect(run.rows == [",followers,86231,exact,api", ",following,45,exact,api", ",posts,612,exact,api"])
        let credential = try #require(try Self.stored(state))
        #expect(credential.accessToken.exposedValue == "tok-new")
        #expect(credential.refreshToken?.exposedValue == "ref-2")
        #expect(credential.obtainedAt == Self.now)
        #expect(credential.expiresAt == Timestamp(secondsSinceEpoch: 1_893_456_000))
        #expect(credential.renewals == 1)
        #expect(credential.attributes == ["scopes": "USER_DATA,ARC_DATA"])
    }

    @Test func keepsTheNewRefreshTokenWhenTheFirstCallWithItFails() async throws {
        let root = try Self.fixtures(userStatFor: "nobody")
        let directory = try TemporaryDirectory()
        let state = try Self.state(in: directory, expiresAt: 1_700_000_000)
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        #expect(run.error != nil)
        #expect(try Self.stored(state)?.refreshToken?.exposedValue == "ref-2")
    }

    @Test func sendsTheRefreshAsAFormWithNothingSecretInTheURL() async throws {
        let root = try Self.fixtures()
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory, expiresAt: 1_700_000_000)
        )
        let refreshes = run.requests.filter { $0.path.hasSuffix("/x/account-oauth2/v1/refresh_token") }
        let refresh = try #require(refreshes.first)
        #expect(refreshes.count == 1)
        #expect(refresh.method == "POST")
        #expect(refresh.query == "")
        #expect(refresh.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            refresh.bodyText
                == "client_id=cid-unit&client_secret=s3cr3t-client&grant_type=refresh_token&refresh_token=ref-1"
        )
        let stat = try #require(run.requests.last)
        #expect(stat.path == "/bilibili_open/arcopen/fn/data/user/stat")
        #expect(stat.queryParameter("client_id") == "cid-unit")
        #expect(stat.queryParameter("access_token") == "tok-new")
    }

    @Test func dryRunNeverSpendsTheRefreshToken() async throws {
        let root = try Self.fixtures()
        let directory = try TemporaryDirectory()
        _ = try Self.state(in: directory, expiresAt: 1_700_000_000)
        let readOnly = try StateStore(directory: directory.path("state"), readOnly: true)
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: readOnly,
            dryRun: true
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "authExpired")
        #expect(error.message.contains("`collector test` does not refresh it"))
        #expect(run.requests.isEmpty)
        #expect(try Self.stored(readOnly)?.refreshToken?.exposedValue == "ref-1")
    }

    @Test func asksForANewAuthorisationWhenNoRefreshTokenIsStored() async throws {
        let root = try Self.fixtures()
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory, expiresAt: 1_700_000_000, refreshToken: nil)
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "reauthorizationRequired")
        #expect(error.message.contains("no refresh token is stored"))
        #expect(run.requests.isEmpty)
    }

    /// Two instances sharing the state folder: while this one's token was being refused, the
    /// other refreshed the account and saved a new pair. Spending the stored refresh token again
    /// would be refused (it is single-use) and tell the operator to authorise again; the pair
    /// the other instance saved is used instead, and nothing is spent.
    @Test func usesThePairAnotherInstanceSavedInsteadOfSpendingTheRefreshTokenAgain() async throws {
        let root = try Self.fixtures(userStatFor: "tok-other")
        try root.write(
            #"{"code":-101,"message":"token refused","ttl":1}"#,
            to: "\(Self.userStat)@access_token=tok-old.json"
        )
        try root.write(#"{"code":-101,"message":"refresh_token invalid","ttl":1}"#, to: Self.refreshPath + ".json")
        let directory = try TemporaryDirectory()
        let state = try Self.state(in: directory)
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state,
            observe: { request in
                guard request.url.contains("access_token=tok-old") else { return }
                // The other instance's refresh lands while this request is on its way.
                try? CredentialStore(state: state).save(
                    Credential(
                        accessToken: Secret("tok-other"),
                        refreshToken: Secret("ref-other"),
                        obtainedAt: Self.now,
                        expiresAt: Timestamp(secondsSinceEpoch: 1_893_456_000)
                    ),
                    instance: "bilibili_open",
                    account: Self.account
                )
            }
        )
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(run.rows == [",followers,86231,exact,api", ",following,45,exact,api", ",posts,612,exact,api"])
        #expect(!run.requests.contains { $0.path.hasSuffix("/refresh_token") })
        #expect(try Self.stored(state)?.refreshToken?.exposedValue == "ref-other")
    }

    /// A refused refresh is kept with the credential, so `collector auth` lists the account as
    /// needing a new authorisation, as Kuaishou's and Weibo's are.
    @Test func recordsARefusedRefreshWithTheCredential() async throws {
        let root = try Self.fixtures()
        try root.write(#"{"code":-101,"message":"refresh_token invalid","ttl":1}"#, to: Self.refreshPath + ".json")
        let directory = try TemporaryDirectory()
        let state = try Self.state(in: directory, expiresAt: 1_700_000_000)
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        #expect((run.error as? AdapterError)?.label == "reauthorizationRequired")
        let stored = try #require(try Self.stored(state))
        #expect(stored.refusedAt == Self.now)
        #expect(stored.refusalCode == "-101")
        #expect(stored.refreshToken?.exposedValue == "ref-1")
    }

    /// The operator sending a code is already running `collector auth`: a refused code says to
    /// get a new one from the page, not to run `collector auth`.
    @Test func aRefusedCodeSaysToGetANewOne() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":-400,"message":"code invalid","ttl":1}"#,
            to: "bilibili_open/x/account-oauth2/v1/token.json"
        )
        let simulator = try PlatformSimulator(fixtureRoot: root.path)
        defer { simulator.stop() }
        let adapter = try BilibiliOpenAdapter(configuration: Self.configuration(simulator.baseURL))
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        let directory = try TemporaryDirectory()
        let context = AdapterContext(
            http: http,
            state: try StateStore(directory: directory.path("state")),
            calendar: .beijing,
            now: { Self.now },
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        await #expect {
            _ = try await adapter.authorize(account: Self.account, code: "spent", context: context)
        } throws: { error in
            let message = (error as? AdapterError)?.message ?? ""
            return message.contains("get a new code from the authorisation page and run this command again")
                && !message.contains("`collector auth`")
        }
    }

    // MARK: - collector auth

    struct Expiry: Sendable, CustomTestStringConvertible {
        var json: String
        var expected: Int64
        var testDescription: String { json }
    }

    @Test(arguments: [
        Expiry(json: "1893456000", expected: 1_893_456_000),
        Expiry(json: "7200", expected: 1_764_007_200),
        Expiry(json: "\"2592000\"", expected: 1_766_592_000),
    ])
    func authorizeExchangesTheCodeAndSavesTheCredential(_ expiry: Expiry) async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"access_token":"tok-a","refresh_token":"ref-a","expires_in":\#(expiry.json)}}"#,
            to: "bilibili_open/x/account-oauth2/v1/token.json"
        )
        let simulator = try PlatformSimulator(fixtureRoot: root.path)
        defer { simulator.stop() }
        let adapter = try BilibiliOpenAdapter(configuration: Self.configuration(simulator.baseURL))
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
        defer { http.shutdown() }
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path("state"))
        let context = AdapterContext(
            http: http,
            state: state,
            calendar: .beijing,
            now: { Self.now },
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let credential = try await adapter.authorize(account: Self.account, code: "c0de+1/2", context: context)
        #expect(credential.accessToken.exposedValue == "tok-a")
        #expect(credential.refreshToken?.exposedValue == "ref-a")
        #expect(credential.expiresAt == Timestamp(secondsSinceEpoch: expiry.expected))
        #expect(credential.renewals == 0)
        #expect(try Self.stored(state) == credential)
        let request = try #require(simulator.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/bilibili_open/x/account-oauth2/v1/token")
        #expect(
            request.bodyText
                == "client_id=cid-unit&client_secret=s3cr3t-client&grant_type=authorization_code&code=c0de%2B1%2F2"
        )
    }

    @Test func authorizationURLCarriesTheClientIDCallbackAndAccount() throws {
        let adapter = try BilibiliOpenAdapter(
            configuration: Self.configuration(
                "http://127.0.0.1:1",
                ["redirect_url": .string("https://example.edu.cn/cb?x=1")]
            )
        )
        #expect(
            adapter.authorizationURL(account: Self.account)
                == "https://account.bilibili.com/pc/account-pc/auth/oauth?client_id=cid-unit&gourl=https%3A%2F%2Fexample.edu.cn%2Fcb%3Fx%3D1&state=208259"
        )
    }

    // MARK: - Account counts

    /// `data/user/stat` is read by the web adapter's count rules (docs/adapters/bilibili.md): a
    /// `null` writes no row, a display string is approximate, and the account's other counts
    /// and its videos are still read, instead of the whole account failing.
    @Test func aNullAccountCountWritesNoRowAndTheVideosAreStillRead() async throws {
        let root = try Self.fixtures(userStatFor: "nobody")
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"follower":"1.2万","following":null,"arc_passed_total":45}}"#,
            to: Self.userStat + ".json"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/arcopen_data_arc_stat_ok.json"),
            to: "bilibili_open/arcopen/fn/data/arc/stat.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .array([.string("BV1Ef4y1g7Sc")])]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.notices.isEmpty, "\(run.notices)")
        #expect(run.rows.prefix(2) == [",followers,12000,approx,api", ",posts,45,exact,api"], "\(run.rows)")
        #expect(run.rows.filter { $0.hasPrefix("BV1Ef4y1g7Sc,") }.count == 7, "\(run.rows)")
    }

    // MARK: - Videos and objects

    @Test func writesCatalogueRowsFromTheUploadList() async throws {
        let root = try Self.fixtures(userStatFor: "tok-old")
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"list":[{"resource_id":"BV1Ab4y1c7Qa","title":"毕业典礼\n全程回放","ptime":1751274000},{"resource_id":"BV1Cd4y1e7Rb","title":"未发布","ptime":0}],"page":{"pn":1,"ps":20,"total":2}}}"#,
            to: "bilibili_open/arcopen/fn/archive/viewlist.json"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/arcopen_data_arc_stat_ok.json"),
            to: "bilibili_open/arcopen/fn/data/arc/stat.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .bool(true)]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(run.error == nil)
        #expect(
            run.objects == [
                ContentObject(
                    platform: .bilibili,
                    object: "BV1Ab4y1c7Qa",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_751_274_000),
                    title: "毕业典礼",
                    url: "https://www.bilibili.com/video/BV1Ab4y1c7Qa"
                ),
                ContentObject(
                    platform: .bilibili,
                    object: "BV1Cd4y1e7Rb",
                    account: Self.account,
                    title: "未发布",
                    url: "https://www.bilibili.com/video/BV1Cd4y1e7Rb"
                ),
            ]
        )
        #expect(run.samples.count == 3 + 2 * 7)
        let list = try #require(run.requests.first { $0.path.hasSuffix("/archive/viewlist") })
        #expect(list.queryParameter("ps") == "20")
        #expect(list.queryParameter("pn") == "1")
        #expect(list.queryParameter("status") == "pubed")
    }

    /// An upload list without `data.list` is a changed response: the account's videos fail by
    /// name (the account's own counts stay); an empty first page against a listed total is said.
    @Test(arguments: [
        (#"{"arc_list":[{"resource_id":"BV1Ab4y1c7Qa"}],"page":{"pn":1,"ps":20,"total":2}}"#, "failure"),
        (#"{"list":[],"page":{"pn":1,"ps":20,"total":612}}"#, "notice"),
    ])
    func anUploadListWithoutVideosIsNotSilent(data: String, kind: String) async throws {
        let root = try Self.fixtures(userStatFor: "tok-old")
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":"# + data + "}",
            to: "bilibili_open/arcopen/fn/archive/viewlist.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .bool(true)]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(run.error == nil)
        #expect(run.samples.count == 3)
        let said = kind == "failure" ? run.failures : run.notices
        #expect(said.count == 1, "\(run.failures) \(run.notices)")
        if kind == "failure" {
            #expect(said.first?.label == "schemaChanged")
            #expect(said.first?.message.contains(#"field "data.list" is missing"#) == true)
        } else {
            #expect(said.first?.message.contains(#""data.page.total" is 612"#) == true)
        }
    }

    /// A later page that repeats the previous one (the platform ignored `pn`) or comes back
    /// empty before `data.page.total` is reached ends the list early: said, with how many of the
    /// listed total were read, instead of losing the other videos silently in every run.
    @Test(arguments: [("repeated", "failure"), ("empty", "notice")])
    func anUploadListEndingBeforeItsTotalIsSaid(page2: String, kind: String) async throws {
        let root = try Self.fixtures(userStatFor: "tok-old")
        func page(_ bvids: [String]) -> String {
            let items = bvids.map { #"{"resource_id":"\#($0)","title":"t","ptime":1751274000}"# }
            return
                #"{"code":0,"message":"0","ttl":1,"data":{"list":[\#(items.joined(separator: ","))],"page":{"ps":20,"total":45}}}"#
        }
        let first = (10..<30).map { "BV1Ab4y1c7" + String($0) }
        try root.write(page(first), to: "bilibili_open/arcopen/fn/archive/viewlist@pn=1.json")
        try root.write(
            page(page2 == "repeated" ? first : []),
            to: "bilibili_open/arcopen/fn/archive/viewlist@pn=2.json"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/arcopen_data_arc_stat_ok.json"),
            to: "bilibili_open/arcopen/fn/data/arc/stat.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .bool(true)]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(run.error == nil)
        #expect(run.samples.count == 3 + 20 * 7)
        let said = kind == "failure" ? run.failures : run.notices
        #expect(said.count == 1, "\(run.failures) \(run.notices)")
        #expect(said.first?.label == (kind == "failure" ? "schemaChanged" : "incompleteUploadList"))
        #expect(said.first?.message.contains("page 2 of the upload list") == true)
        #expect(said.first?.message.contains(#"20 of the 45 uploads that "data.page.total" lists were read"#) == true)
    }

    /// One page of the upload list holding the videos `numbers` (`BV1Ab4y1c7<n + 9>`) and
    /// `data.page.total`.
    static func uploadPage(_ numbers: [Int], total: Int) -> String {
        let items = numbers.map { #"{"resource_id":"BV1Ab4y1c7\#($0 + 9)","title":"t","ptime":1751274000}"# }
        return
            #"{"code":0,"message":"0","ttl":1,"data":{"list":[\#(items.joined(separator: ","))],"page":{"ps":20,"total":\#(total)}}}"#
    }

    /// A video deleted while the list is paged (`data.page.total` 45, then 44) moves the later
    /// videos up: video 21 crosses onto page 1, already read. Page 1 is read once more and video
    /// 21 is read; when that re-read cannot account for the drop (the list changed again), an
    /// `incompleteUploadList` notice says so instead of a silent gap.
    @Test(arguments: [true, false])
    func anUploadListThatShrinksWhileReadIsReadAgainOrSaid(settles: Bool) async throws {
        let root = try Self.fixtures(userStatFor: "tok-old")
        let all = Array(1...45)
        let shrunk = all.filter { $0 != 5 }
        let pages = [
            Self.uploadPage(Array(all[0..<20]), total: 45),
            Self.uploadPage(Array(shrunk[20..<40]), total: 44),
            settles
                ? Self.uploadPage(Array(shrunk[0..<20]), total: 44) : Self.uploadPage(Array(all[0..<20]), total: 45),
            Self.uploadPage(Array(shrunk[40...]), total: 44),
        ]
        for (index, page) in pages.enumerated() {
            try root.write(page, to: "bilibili_open/arcopen/fn/archive/page\(index).json")
        }
        try root.write(
            (0..<pages.count).map { "200 file=page\($0).json\n" }.joined(),
            to: "bilibili_open/arcopen/fn/archive/viewlist.script"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/arcopen_data_arc_stat_ok.json"),
            to: "bilibili_open/arcopen/fn/data/arc/stat.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .bool(true)]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(run.failures.isEmpty, "\(run.failures)")
        let lists = run.requests.filter { $0.path.hasSuffix("/archive/viewlist") }
        #expect(lists.compactMap { $0.queryParameter("pn") } == ["1", "2", "1", "3"])
        let read = Set(run.requests.compactMap { $0.queryParameter("resource_id") })
        #expect(read.contains("BV1Ab4y1c730") == settles, "video 21")
        #expect(read.count == (settles ? 45 : 44))
        if settles {
            #expect(run.notices.isEmpty, "\(run.notices)")
        } else {
            let notice = try #require(run.notices.first)
            #expect(run.notices.count == 1, "\(run.notices)")
            #expect(notice.label == "incompleteUploadList")
            #expect(
                notice.message.contains(
                    #"the upload list changed while it was read ("data.page.total" went from 45 to 44 after page 1, and reading page 1 again gave 45)"#
                ),
                "\(notice.message)"
            )
        }
    }

    @Test func takesTheTitleFromTheVideoStatWhenTheVideoIsConfigured() async throws {
        let root = try Self.fixtures(userStatFor: "tok-old")
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"view":1,"danmaku":2,"reply":3,"favorite":4,"coin":5,"share":6,"like":7,"title":"开学第一课","ptime":1756688400}}"#,
            to: "bilibili_open/arcopen/fn/data/arc/stat.json"
        )
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["videos": .array([.string("BV1Ef4y1g7Sc")])]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        #expect(
            run.objects == [
                ContentObject(
                    platform: .bilibili,
                    object: "BV1Ef4y1g7Sc",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_756_688_400),
                    title: "开学第一课",
                    url: "https://www.bilibili.com/video/BV1Ef4y1g7Sc"
                )
            ]
        )
        #expect(
            run.rows.suffix(7) == [
                "BV1Ef4y1g7Sc,views,1,exact,api", "BV1Ef4y1g7Sc,danmaku,2,exact,api",
                "BV1Ef4y1g7Sc,comments,3,exact,api",
                "BV1Ef4y1g7Sc,favorites,4,exact,api", "BV1Ef4y1g7Sc,coins,5,exact,api",
                "BV1Ef4y1g7Sc,shares,6,exact,api",
                "BV1Ef4y1g7Sc,likes,7,exact,api",
            ]
        )
        #expect(run.requests.last?.queryParameter("resource_id") == "BV1Ef4y1g7Sc")
    }

    // MARK: - Error tables, row by row

    struct Row: Sendable, CustomTestStringConvertible {
        var code: Int64
        var label: String
        var refreshes: Bool
        var testDescription: String { "\(code) → \(label)" }
    }

    /// Data endpoints. A refused token is refreshed once; refused again, only a new
    /// authorisation helps.
    static let dataRows: [Row] = [
        Row(code: -2, label: "reauthorizationRequired", refreshes: true),
        Row(code: -101, label: "reauthorizationRequired", refreshes: true),
        Row(code: -401, label: "reauthorizationRequired", refreshes: true),
        Row(code: -658, label: "reauthorizationRequired", refreshes: true),
        Row(code: -1, label: "permission", refreshes: false),
        Row(code: -3, label: "permission", refreshes: false),
        Row(code: -4, label: "permission", refreshes: false),
        Row(code: -403, label: "permission", refreshes: false),
        Row(code: -404, label: "notFound", refreshes: false),
        Row(code: 62002, label: "notFound", refreshes: false),
        Row(code: 62004, label: "notFound", refreshes: false),
        Row(code: 62012, label: "notFound", refreshes: false),
        Row(code: -412, label: "antiBot", refreshes: false),
        Row(code: -352, label: "antiBot", refreshes: false),
        Row(code: -799, label: "antiBot", refreshes: false),
        Row(code: -509, label: "rateLimited", refreshes: false),
        Row(code: -500, label: "transient", refreshes: false),
        Row(code: -503, label: "transient", refreshes: false),
        Row(code: -504, label: "transient", refreshes: false),
        Row(code: -400, label: "badRequest", refreshes: false),
        Row(code: 99999, label: "badRequest", refreshes: false),
    ]

    @Test(arguments: dataRows)
    func mapsEachDataErrorCodeToOneAction(_ row: Row) async throws {
        // Every user-stat call, with the old token or the refreshed one, answers the code.
        let root = try Self.fixtures(userStatFor: "nobody")
        try root.write(#"{"code":\#(row.code),"message":"m","ttl":1}"#, to: Self.userStat + ".json")
        let directory = try TemporaryDirectory()
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: try Self.state(in: directory)
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == row.label)
        #expect(error.platformCode == String(row.code))
        #expect(error.message.hasPrefix("bilibili_open /arcopen/fn/data/user/stat: "))
        #expect(run.requests.contains { $0.path.hasSuffix("/refresh_token") } == row.refreshes)
        for secret in ["tok-old", "tok-new", "ref-1", "ref-2", Self.secret] {
            #expect(!error.description.contains(secret))
        }
    }

    /// The token endpoint: a refused refresh token needs a new authorisation; passing
    /// failures are retried.
    static let tokenRows: [Row] = [
        Row(code: -101, label: "reauthorizationRequired", refreshes: true),
        Row(code: -400, label: "reauthorizationRequired", refreshes: true),
        Row(code: 4012, label: "reauthorizationRequired", refreshes: true),
        Row(code: -1, label: "permission", refreshes: true),
        Row(code: -3, label: "permission", refreshes: true),
        Row(code: -509, label: "rateLimited", refreshes: true),
        Row(code: -412, label: "antiBot", refreshes: true),
        Row(code: -352, label: "antiBot", refreshes: true),
        Row(code: -799, label: "antiBot", refreshes: true),
        Row(code: -500, label: "transient", refreshes: true),
        Row(code: -503, label: "transient", refreshes: true),
        Row(code: -504, label: "transient", refreshes: true),
    ]

    @Test(arguments: tokenRows)
    func mapsEachTokenErrorCodeToOneAction(_ row: Row) async throws {
        let root = try Self.fixtures()
        try root.write(#"{"code":\#(row.code),"message":"m","ttl":1}"#, to: Self.refreshPath + ".json")
        let directory = try TemporaryDirectory()
        let state = try Self.state(in: directory, expiresAt: 1_700_000_000)
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == row.label)
        #expect(error.platformCode == String(row.code))
        #expect(error.message.hasPrefix("bilibili_open /x/account-oauth2/v1/refresh_token: "))
        #expect(!error.description.contains("ref-1") && !error.description.contains(Self.secret))
        #expect(try Self.stored(state)?.refreshToken?.exposedValue == "ref-1")
    }

    // MARK: - Configuration

    @Test(arguments: [
        ("max_pages", ConfigValue.integer(0), "\"max_pages\" must be between 1 and 100"),
        ("token_url", ConfigValue.string("ftp://api.bilibili.com"), "\"token_url\" must start with https://"),
        ("token_url", ConfigValue.string("http://api.bilibili.com"), "\"token_url\" must use https://"),
        ("videos", ConfigValue.array([.string("av170001")]), "is not a bvid"),
        ("accounts", ConfigValue.array([.string("space.bilibili.com/208259")]), "is not a numeric user id"),
    ])
    func refusesABadKey(_ key: String, _ value: ConfigValue, _ problem: String) {
        #expect {
            _ = try BilibiliOpenAdapter(configuration: Self.configuration("http://127.0.0.1:1", [key: value]))
        } throws: { error in
            "\(error)".contains(problem)
        }
    }

    /// A section without `rate` used to send as fast as the platform answered (about 20 a
    /// second), the bursts PLATFORMS.md §5.3 says end in −412.
    @Test func aSectionWithoutRateGetsTheDefaultBudget() throws {
        let adapter = try BilibiliOpenAdapter(configuration: Self.configuration("http://127.0.0.1:1"))
        #expect(BilibiliOpenAdapter.defaultRate == Rate(count: 30, per: .seconds(60)))
        #expect(adapter.schedule.rate == BilibiliOpenAdapter.defaultRate)
        let slower = try BilibiliOpenAdapter(
            configuration: Self.configuration("http://127.0.0.1:1", ["rate": .string("10/m")])
        )
        #expect(slower.schedule.rate == Rate(count: 10, per: .seconds(60)))
    }

    @Test func needsTheClientSecret() {
        var configuration = Self.configuration("http://127.0.0.1:1")
        configuration.values["client_secret"] = nil
        #expect {
            _ = try BilibiliOpenAdapter(configuration: configuration)
        } throws: { error in
            "\(error)".contains("missing required key \"client_secret\"")
        }
    }

    @Test func declaresClientSecretAsASecret() {
        let secrets = BilibiliOpenAdapter.configurationKeys.filter(\.isSecret).map(\.name)
        #expect(secrets == ["client_secret"])
    }
}
