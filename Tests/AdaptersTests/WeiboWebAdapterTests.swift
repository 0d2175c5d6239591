import Adapters
import Collector
import CollectorTesting
import Testing

/// The m.weibo.cn adapter against the platform simulator: what it sends, paging, the
/// catalogue, and its configuration rules.
@Suite(.serialized) struct WeiboWebAdapterTests {
    static let account = "5999000001"
    static let profilePath = "/weibo_web/api/container/getIndex"

    static func configuration(
        cookie: String = "SUB=abc; SSOLoginState=1700000000; _T_WM=42",
        extra: [String: ConfigValue] = [:],
        harness: WeiboHarness
    ) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "accounts": .array([.string(account)]),
            "cookie": .string(cookie),
            "base_url": .string(harness.simulator.url("/weibo_web")),
        ]
        values.merge(extra) { _, new in new }
        return AdapterConfiguration(type: "weibo_web", values: values)
    }

    @Test func sendsTheCookieWithoutSSOLoginStateAndTheReferer() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                [.json(file: "mweibo_getIndex_userinfo_ok.json"), .json(file: "mweibo_getIndex_weibo_cards_ok.json")]
            )
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let batch = harness.batch()
            try await adapter.collect(account: Self.account, into: batch, context: harness.context())

            let requests = harness.simulator.requests
            #expect(
                requests.map(\.query) == [
                    "type=uid&value=5999000001&containerid=1005055999000001",
                    "type=uid&value=5999000001&containerid=1076035999000001",
                ]
            )
            for request in requests {
                #expect(request.header("Cookie") == "SUB=abc; _T_WM=42")
                #expect(request.header("Referer") == "https://m.weibo.cn/")
                #expect(request.header("Authorization") == nil)
            }
            #expect(batch.addedCount == 3 + 6)
            #expect(batch.failures.isEmpty)
        }
    }

    @Test func followsSinceIDForFurtherPages() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                [
                    .json(file: "mweibo_getIndex_userinfo_ok.json"),
                    .json(file: "mweibo_getIndex_weibo_cards_ok.json"),
                    .json(#"{"ok":1,"data":{"cardlistInfo":{"since_id":0},"cards":[]}}"#),
                ]
            )
            let adapter = try WeiboWebAdapter(
                configuration: Self.configuration(extra: ["timeline_pages": .integer(3)], harness: harness)
            )
            try await adapter.collect(account: Self.account, into: harness.batch(), context: harness.context())
            #expect(
                harness.simulator.requests.last?.query
                    == "type=uid&value=5999000001&containerid=1076035999000001&since_id=5139999999999999"
            )
            #expect(harness.simulator.requestCount == 3)
        }
    }

    /// A timeline page of cards: the pinned post (`isTop`) first when `pinned`, then `posts`.
    static func cardsPage(pinned: Bool, _ posts: Range<Int>, sinceID: Int64) -> ScriptedResponse {
        let card = { (number: Int, top: Bool) in
            #"{"card_type":9,"mblog":{"id":"\#(5_140_000_000_000_000 + number)","#
                + (top ? #""isTop":1,"# : "")
                + #""reposts_count":1,"comments_count":2,"attitudes_count":3,"user":{"id":5999000001}}}"#
        }
        let cards = (pinned ? [card(0, true)] : []) + posts.map { card($0, false) }
        return .json(
            #"{"ok":1,"data":{"cardlistInfo":{"since_id":\#(sinceID)},"cards":[\#(cards.joined(separator: ","))]}}"#
        )
    }

    /// The pinned post heads every page and the third page repeats the second under a new
    /// since_id: each post is written once, the pinned one does not end the paging, and the
    /// repeated page does.
    @Test func aPostMetAgainInOneRunIsWrittenOnce() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                [
                    .json(file: "mweibo_getIndex_userinfo_ok.json"),
                    Self.cardsPage(pinned: true, 1..<10, sinceID: 5_139_000_000_000_009),
                    Self.cardsPage(pinned: true, 10..<14, sinceID: 5_139_000_000_000_013),
                    Self.cardsPage(pinned: true, 10..<14, sinceID: 5_139_000_000_000_014),
                ]
            )
            let adapter = try WeiboWebAdapter(
                configuration: Self.configuration(extra: ["timeline_pages": .integer(5)], harness: harness)
            )
            let batch = harness.batch()
            try await adapter.collect(account: Self.account, into: batch, context: harness.context())
            try batch.commit()

            #expect(harness.simulator.requestCount == 4)
            let posts = harness.sink.samples.map(\.object).filter { !$0.isEmpty }
            #expect(posts.count == 14 * 3)
            #expect(Set(posts).count == 14)
            #expect(harness.sink.objects.count == 14)
            #expect(batch.failures.isEmpty)
        }
    }

    @Test func catalogueRowsUseTheBidAndPlainTitles() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                [
                    .json(file: "mweibo_getIndex_userinfo_ok.json"),
                    .json(
                        #"{"ok":1,"data":{"cards":[{"card_type":9,"mblog":{"id":"5140000000000001","bid":"PfAkeBid1","created_at":"Mon Mar 03 09:30:00 +0800 2025","text":"<a href=\"/search\">#开学#</a> 春季学期安排 &amp; 须知<br />第二行","reposts_count":1,"comments_count":2,"attitudes_count":3}}]}}"#
                    ),
                ]
            )
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let batch = harness.batch()
            try await adapter.collect(account: Self.account, into: batch, context: harness.context())
            try batch.commit()
            #expect(
                harness.sink.objects == [
                    ContentObject(
                        platform: .weibo,
                        object: "5140000000000001",
                        account: Self.account,
                        publishedAt: Timestamp(secondsSinceEpoch: 1_740_965_400),
                        title: "#开学# 春季学期安排 & 须知",
                        url: "https://weibo.com/5999000001/PfAkeBid1"
                    )
                ]
            )
        }
    }

    @Test func aRejectedCookieFailsTheNextAccountsWithoutARequest() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(path: Self.profilePath, [.json(file: "mweibo_error_not_logged_in.json")])
            let adapter = try WeiboWebAdapter(
                configuration: Self.configuration(
                    extra: ["accounts": .array([.string(Self.account), .string("5999000002")])],
                    harness: harness
                )
            )
            let context = harness.context()
            for account in adapter.accounts {
                let error = await #expect(throws: AdapterError.self) {
                    try await adapter.collect(account: account, into: harness.batch(), context: context)
                }
                #expect(error?.hasSameKind(as: .reauthorizationRequired("")) == true)
            }
            #expect(harness.simulator.requestCount == 1)
        }
    }

    /// The login wall is remembered in state_dir: a later run (a new instance, as after a
    /// restart) sends nothing with the same cookie; a renewed cookie is tried.
    @Test func aRejectedCookieIsNotSentInLaterRunsUntilItChanges() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                [.json(file: "mweibo_error_not_logged_in.json"), .json(file: "mweibo_error_not_logged_in.json")]
            )
            let first = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            await #expect(throws: AdapterError.self) {
                try await first.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            #expect(harness.simulator.requestCount == 1)

            let later = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await later.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            #expect(harness.simulator.requestCount == 1)
            #expect(error?.platformCode == "ok:-100")
            #expect(
                error?.message.hasPrefix(
                    "still refused: the cookie was refused at 2025-11-25T00:00:00+08:00 on account \(Self.account) (code ok:-100), so nothing was requested with it; renew the cookie."
                ) == true,
                "\(String(describing: error))"
            )
            #expect(error?.message.contains("SUB=") == false)

            let renewed = try WeiboWebAdapter(configuration: Self.configuration(cookie: "SUB=new", harness: harness))
            await #expect(throws: AdapterError.self) {
                try await renewed.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            #expect(harness.simulator.requestCount == 2)
        }
    }

    // MARK: - Redirects

    /// After a followed redirect, an error names the address that answered as well as the one
    /// asked: the operator corrects base_url to the former (docs/operations.md, Redirects).
    /// Hosts and paths only, never a query.
    @Test func anErrorAfterAFollowedRedirectNamesTheAddressThatAnswered() async throws {
        try await WeiboHarness.run { harness in
            let moved = "/moved/api/container/getIndex"
            harness.simulator.script(path: Self.profilePath, [.redirect(to: moved + "?value=5999000001&t=SECRET")])
            harness.simulator.script(path: moved, [.status(404)])
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            let host = "127.0.0.1:\(harness.simulator.port)"
            #expect(error?.label == "badRequest")
            #expect(
                error?.message
                    == "weibo \(host)\(Self.profilePath) redirected to \(host)\(moved), which answered HTTP 404 Not Found with JSON that is not the platform's (no \"ok\"): the request did not reach the platform's API; check base_url (host and path prefix) and any proxy in between"
            )
            #expect(harness.simulator.requests.map(\.path) == [Self.profilePath, moved])
        }
    }

    /// A redirect to Weibo's login (where m.weibo.cn sends an expired cookie) is the login or
    /// verification wall: the instance stops. The page is named by its scheme and host only:
    /// its path and query name the page to return to and may carry a ticket.
    @Test(arguments: [
        (
            "https://passport.weibo.cn/signin/login?entry=mweibo&r=https%3A%2F%2Fm.weibo.cn%2F&ticket=T1CK3T",
            "https://passport.weibo.cn"
        ),
        ("https://login.sina.com.cn/sso/login.php?ticket=T1CK3T", "https://login.sina.com.cn"),
        // Scheme-relative, to a login page of m.weibo.cn: the request's scheme (the simulator's).
        ("//m.weibo.cn/login?backURL=T1CK3T", "http://m.weibo.cn"),
    ])
    func aRedirectToWeibosLoginIsTheLoginWall(_ location: String, _ shown: String) async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(path: Self.profilePath, [.redirect(to: location)])
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            #expect(error?.label == "antiBot")
            #expect(error?.action == .stopInstance)
            #expect(error?.platformCode == "http-302")
            #expect(
                error?.message
                    == "weibo m.weibo.cn getIndex (profile): a redirect to the login page \(shown) came instead of JSON (HTTP 302), a login or verification wall; check the cookie in a browser"
            )
            #expect(harness.simulator.requestCount == 1)
        }
    }

    /// A redirect to another origin (here another port, as another host or https → http) is
    /// no login wall: it fails the account naming its target, with both pieces of advice,
    /// and does not stop the instance (nor open its breaker for hours). Nothing reaches the
    /// other server.
    @Test func aRedirectElsewhereNamesItsTargetAndDoesNotStopTheInstance() async throws {
        try await WeiboHarness.run { harness in
            let elsewhere = try PlatformSimulator(fixtureRoot: Fixtures.adaptersTests + "/weibo")
            defer { elsewhere.stop() }
            harness.simulator.script(
                path: Self.profilePath,
                [.redirect(to: elsewhere.baseURL + Self.profilePath + "?t=SECRET")]
            )
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            #expect(error?.label == "badRequest")
            #expect(error?.action == .skipAccount)
            #expect(
                error?.message
                    == "weibo 127.0.0.1:\(harness.simulator.port)\(Self.profilePath) answered HTTP 302, a redirect to http://127.0.0.1:\(elsewhere.port), which is not followed: it leads to another host or port; check base_url; if base_url is right (the default is https://m.weibo.cn), open m.weibo.cn with the cookie in a browser to check it"
            )
            #expect(elsewhere.requestCount == 0)
        }
    }

    /// The sixth same-origin redirect in a row (a proxy's loop) is not followed, and is no
    /// login wall either: the account fails, saying so.
    @Test func theSixthSameOriginRedirectIsALoopNotALoginWall() async throws {
        try await WeiboHarness.run { harness in
            harness.simulator.script(
                path: Self.profilePath,
                Array(repeating: .redirect(to: Self.profilePath + "?again=1"), count: 6)
            )
            let adapter = try WeiboWebAdapter(configuration: Self.configuration(harness: harness))
            let error = await #expect(throws: AdapterError.self) {
                try await adapter.collect(account: Self.account, into: harness.batch(), context: harness.context())
            }
            let host = "127.0.0.1:\(harness.simulator.port)"
            #expect(error?.label == "badRequest")
            #expect(error?.action == .skipAccount)
            #expect(
                error?.message.hasPrefix(
                    "weibo \(host)\(Self.profilePath) redirected to \(host)\(Self.profilePath), which answered HTTP 302, a redirect to http://\(host), which is not followed: too many redirects in a row, or a Location that cannot be read; check base_url; if base_url is right"
                ) == true,
                "\(String(describing: error))"
            )
            #expect(harness.simulator.requestCount == 6)
        }
    }

    // MARK: - Pieces

    static let cookies: [(String, String?)] = [
        ("SUB=abc", "SUB=abc"),
        ("SUB=abc; SSOLoginState=1700000000; _T_WM=42", "SUB=abc; _T_WM=42"),
        ("  SUB=abc ;;_T_WM=42;  ", "SUB=abc; _T_WM=42"),
        ("SSOLoginState=1", nil),
        ("not a cookie", nil),
        ("", nil),
    ]

    @Test(arguments: cookies)
    func sanitizesTheCookie(_ raw: String, _ expected: String?) {
        #expect(WeiboWebAdapter.sanitizedCookie(raw) == expected)
    }

    static let titles: [(String, String)] = [
        ("【通知】2025年春季学期开学安排发布……", "【通知】2025年春季学期开学安排发布……"),
        ("第一行<br />第二行", "第一行"),
        ("第一行\n第二行", "第一行"),
        ("<a href='/n/x'>@示例</a> 转发 <span class=\"url-icon\"><img alt=\"[赞]\" src=\"x.png\"></span>", "@示例 转发"),
        ("a &lt;b&gt; &quot;c&quot; &#39;d&#39; &amp;amp;", "a <b> \"c\" 'd' &amp;"),
        ("   ", ""),
    ]

    @Test(arguments: titles)
    func titlesAreTheFirstLineAsPlainText(_ text: String, _ expected: String) {
        #expect(WeiboPost.title(of: text) == expected)
    }

    static let badConfigurations: [([String: ConfigValue], String)] = [
        (["accounts": .array([.string("1")])], "missing required key \"cookie\""),
        (["accounts": .array([.string("1")]), "cookie": .string("SUB=a\nX=b")], "must be one line"),
        (["accounts": .array([.string("1")]), "cookie": .string("SSOLoginState=1")], "holds no name=value pair"),
        (
            ["accounts": .array([.string("1")]), "cookie": .string("SUB=a"), "parallel_accounts": .integer(2)],
            "one account at a time"
        ),
        (
            ["accounts": .array([.string("1")]), "cookie": .string("SUB=a"), "timeline_pages": .integer(11)],
            "between 1 and 10"
        ),
        (["accounts": .array([.string("u/1")]), "cookie": .string("SUB=a")], "is not a numeric uid"),
    ]

    @Test(arguments: badConfigurations)
    func rejectsBadConfiguration(_ values: [String: ConfigValue], _ message: String) {
        let error = #expect(throws: ConfigurationErrors.self) {
            try WeiboWebAdapter(configuration: AdapterConfiguration(type: "weibo_web", values: values))
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func defaultsToOneRequestEveryThreeSeconds() throws {
        let adapter = try WeiboWebAdapter(
            configuration: AdapterConfiguration(
                type: "weibo_web",
                values: ["accounts": .array([.string("1")]), "cookie": .string("SUB=a")]
            )
        )
        #expect(adapter.schedule.rate == Rate(count: 20, per: .seconds(60)))
        #expect(adapter.schedule.parallelAccounts == 1)
    }
}
