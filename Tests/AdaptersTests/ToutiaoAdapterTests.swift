import Adapters
import Collector
import CollectorTesting
import Testing

/// The `toutiao` adapter: the cookie and the documented queries, the catalogue, failing closed,
/// and its error table, row by row, against the platform simulator.
@Suite(.serialized) struct ToutiaoAdapterTests {
    static let account = "1600000000000001"
    static let cookie = "sessionid=c00k1e-unit; sid_tt=abc"
    static let fans = "toutiao/mp/agw/statistic/v2/fans/latest_stat"
    static let list = "toutiao/mp/agw/statistic/v2/item/list"

    static func configuration(_ url: String, _ extra: [String: ConfigValue] = [:]) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "account": .string(account),
            "cookie": .string(cookie),
            "base_url": .string(url + "/toutiao"),
        ]
        values.merge(extra) { $1 }
        return AdapterConfiguration(type: "toutiao", values: values)
    }

    /// A fixture root with the shared fixtures: followers and one article.
    static func fixtures() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        let shared = Fixtures.adaptersTests + "/toutiao/"
        try root.write(try Fixtures.bytes(shared + "mp_agw_statistic_v2_fans_latest_stat_ok.json"), to: fans + ".json")
        try root.write(try Fixtures.bytes(shared + "mp_agw_statistic_v2_item_list_ok.json"), to: list + ".json")
        return root
    }

    static func collect(
        _ root: TemporaryDirectory,
        _ extra: [String: ConfigValue] = [:]
    ) async throws
        -> AdapterRun
    {
        try await AdapterRun.collect(
            configuration: { Self.configuration($0, extra) },
            account: account,
            fixtureRoot: root.path
        )
    }

    // MARK: - Requests and rows

    @Test func sendsTheCookieAndTheDocumentedQueries() async throws {
        let run = try await Self.collect(try Self.fixtures())
        #expect(run.error == nil)
        #expect(run.requests.map(\.path) == ["/" + Self.fans, "/" + Self.list])
        #expect(run.requests.map(\.query) == ["app_id=1231", "type=1&page_size=30&page_num=1&app_id=1231"])
        #expect(run.requests.allSatisfy { $0.header("Cookie") == Self.cookie })
    }

    @Test func writesFollowersAndOneRowPerArticleCounter() async throws {
        let run = try await Self.collect(try Self.fixtures())
        #expect(run.failures.isEmpty)
        #expect(
            run.rows == [
                ",followers,27105,exact,web",
                "7480000000000000001,views,18230,exact,web",
                "7480000000000000001,likes,412,exact,web",
                "7480000000000000001,comments,37,exact,web",
                "7480000000000000001,shares,96,exact,web",
                "7480000000000000001,favorites,58,exact,web",
                "7480000000000000001,toutiao_forwards,14,exact,web",
            ]
        )
        #expect(run.samples.allSatisfy { $0.platform == .toutiao && $0.account == Self.account })
        #expect(run.samples.allSatisfy { $0.time == AdapterRun.now })
    }

    @Test func writesTheArticleCatalogueRow() async throws {
        let run = try await Self.collect(try Self.fixtures())
        #expect(
            run.objects == [
                ContentObject(
                    platform: .toutiao,
                    object: "7480000000000000001",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_740_970_800),
                    title: "关于做好2025年春季学期开学工作的通知",
                    url: "https://www.toutiao.com/item/7480000000000000001/"
                )
            ]
        )
    }

    /// One item-list article with id `id` (a JSON literal) and `views` reads.
    static func article(_ id: String, views: Int, title: String = "文章") -> String {
        #"{"item_id":\#(id),"title":"\#(title)","create_time":1740970800,"item_stat":{"consume_data":{"go_detail_count":\#(views)},"#
            + #""interaction_data":{"digg_count":1,"comment_count":0,"share_count":0,"forward_count":0,"repin_count":0}}}"#
    }

    /// An item-list page of `articles`, with `has_more` when it is given.
    static func page(_ articles: [String], hasMore: Bool? = nil) -> String {
        let more = hasMore.map { #","has_more":\#($0)"# } ?? ""
        return #"{"code":0,"message":"success","item_datas":[\#(articles.joined(separator: ","))]\#(more)}"#
    }

    /// An article whose id is empty would be stored as the account's own views (object ""), a
    /// blank one or one with a line break as an object no file can hold: each is reported,
    /// naming its place and title, and skipped; the other articles are kept.
    @Test func anArticleWithAnEmptyOrUnstorableIDIsReportedAndSkipped() async throws {
        let root = try Self.fixtures()
        let articles = [
            Self.article(#""""#, views: 101, title: "空"), Self.article(#""  ""#, views: 102, title: "空白"),
            Self.article(#""74800,00\n1""#, views: 103), Self.article(#""7480000000000000004""#, views: 104),
        ]
        try root.write(Self.page(articles), to: Self.list + ".json")
        let run = try await Self.collect(root)
        #expect(run.error == nil)
        #expect(run.rows.filter { $0.hasPrefix(",") } == [",followers,27105,exact,web"])
        #expect(Set(run.samples.map(\.object)) == ["", "7480000000000000004"])
        #expect(run.objects.map(\.object) == ["7480000000000000004"])
        #expect(run.failures.map(\.label) == ["schemaChanged", "schemaChanged", "schemaChanged"])
        let messages = run.failures.map(\.message)
        #expect(
            messages.first
                == #"toutiao /mp/agw/statistic/v2/item/list: field "item_datas[0].item_id" is empty, expected an id (the platform may have changed its response); the article "空" was skipped, the other articles are kept"#
        )
        #expect(
            messages.dropFirst().first?.contains(#""item_datas[1].item_id" is "  ", an id with white space"#) == true
        )
        #expect(
            messages.last?.contains(#""item_datas[2].item_id" is "74800,00\n1", an id with a control character"#)
                == true
        )
        #expect(run.failures.allSatisfy { $0.object == nil })
    }

    /// The back office may send fewer articles than asked for (20 of 30) and say there are
    /// more: its `has_more` is followed, so no article is left unread without a word.
    @Test func followsHasMoreAcrossShortPages() async throws {
        let root = try Self.fixtures()
        for (number, range, more) in [(1, 1...20, true), (2, 21...40, true), (3, 41...45, false)] {
            let articles = range.map { Self.article(#""\#(7_480_000_000_000_000_000 + $0)""#, views: $0) }
            try root.write(Self.page(articles, hasMore: more), to: Self.list + "@page_num=\(number).json")
        }
        let run = try await Self.collect(root, ["max_pages": .integer(3)])
        #expect(run.error == nil && run.failures.isEmpty && run.notices.isEmpty)
        #expect(run.requests.count == 4)
        #expect(run.objects.count == 45)
    }

    /// An article list cut by max_pages is a notice naming why the list goes on and what to
    /// do, once per account and run: a page with `has_more: true`, or a full page without it.
    @Test(arguments: [(true, 20, "(\"has_more\" is true)"), (nil, 30, "(page 1 was full)")])
    func aListCutByMaxPagesIsANotice(_ hasMore: Bool?, _ count: Int, _ why: String) async throws {
        let root = try Self.fixtures()
        let articles = (1...count).map { Self.article(#""\#(7_480_000_000_000_000_000 + $0)""#, views: $0) }
        try root.write(Self.page(articles, hasMore: hasMore), to: Self.list + ".json")
        let run = try await Self.collect(root, ["max_pages": .integer(1)])
        #expect(run.error == nil && run.failures.isEmpty)
        #expect(run.requests.count == 2)
        #expect(run.notices.map(\.label) == ["articleListCut"])
        #expect(
            run.notices.first?.message
                == "toutiao /mp/agw/statistic/v2/item/list: the article list goes on after page 1 \(why), but max_pages = 1:"
                + " the \(count) newest articles were read, older ones not, in this run or later ones;"
                + " raise max_pages in [[adapters.toutiao]] (at most 100) to read them"
        )
    }

    @Test func stopsAtAnExpiredCookieWithTheRenewalAdvice() async throws {
        let root = try Self.fixtures()
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/toutiao/error_100004_not_login.json"),
            to: Self.list + ".json"
        )
        let run = try await Self.collect(root)
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "reauthorizationRequired")
        #expect(error.platformCode == "100004")
        #expect(
            error.message.contains(
                "the cookie expired (user not login); log in to mp.toutiao.com and replace it; until then nothing more is requested with this cookie"
            )
        )
        #expect(run.rows == [",followers,27105,exact,web"])
        #expect(run.requests.count == 2)
        #expect(!error.description.contains("c00k1e"))
    }

    /// After 100004 the next run sends nothing with the same cookie (in any order of its pairs)
    /// and says so; the file keeps a hash, never the cookie. A replaced cookie is tried again.
    @Test func aRefusedCookieIsNotSentAgainUntilItChanges() async throws {
        let root = try Self.fixtures()
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/toutiao/error_100004_not_login.json"),
            to: Self.fans + ".json"
        )
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        let first = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        #expect((first.error as? AdapterError)?.platformCode == "100004")
        let file = try #require(try state.read(LoginCookieRefusal.fileName(instance: "toutiao")))
        let text = String(decoding: file, as: UTF8.self)
        #expect(text.contains(#""cookie_sha256":""#) && text.contains(#""refusal_code":"100004""#))
        #expect(!text.contains("c00k1e") && !text.contains("sid_tt"))

        let second = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["cookie": .string("sid_tt=abc;sessionid=c00k1e-unit")]) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        #expect(second.requests.isEmpty)
        let error = try #require(second.error as? AdapterError)
        #expect(error.label == "reauthorizationRequired")
        #expect(error.platformCode == "100004")
        #expect(error.message.hasPrefix("still refused: the cookie was refused at 2"))
        #expect(error.message.contains("on account \(Self.account) (code 100004)"))
        #expect(error.message.contains("log in to mp.toutiao.com and replace the cookie"))
        #expect(!error.description.contains("c00k1e"))

        let working = try Self.fixtures()
        let renewed = try await AdapterRun.collect(
            configuration: { Self.configuration($0, ["cookie": .string("sessionid=fresh-unit")]) },
            account: Self.account,
            fixtureRoot: working.path,
            state: state
        )
        #expect(renewed.error == nil)
        #expect(renewed.requests.count == 2)
    }

    /// A redirect from the back office to Toutiao's login (the SSO host, or a `login` page on
    /// another toutiao.com host) is the session gone: reported as a refused cookie with the
    /// renewal advice, not as a wrong base_url, and the cookie is not sent in later runs. The
    /// target's path and query (a ticket) are never shown.
    @Test(arguments: [
        (
            "https://sso.toutiao.com/login/?service=https%3A%2F%2Fmp.toutiao.com%2F&ticket=t1ck3t",
            "https://sso.toutiao.com"
        ),
        // Scheme-relative: the request's scheme, plain http for the simulator.
        ("//mp.toutiao.com/auth/page/login?redirect_url=t1ck3t", "http://mp.toutiao.com"),
    ])
    func aRedirectToTheLoginRefusesTheCookie(_ location: String, _ shown: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        let root = try Self.fixtures()
        let redirect = ScriptedResponse.redirect(to: location)
        let first = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state,
            script: { $0.script(path: "/" + Self.fans, [redirect]) }
        )
        let error = try #require(first.error as? AdapterError)
        #expect(error.label == "reauthorizationRequired")
        #expect(error.platformCode == "http-302")
        #expect(
            error.message
                == "toutiao /mp/agw/statistic/v2/fans/latest_stat: answered HTTP 302, a redirect to the login page \(shown): the cookie expired or was logged out; log in to mp.toutiao.com and replace it; until then nothing more is requested with this cookie, in this run or later ones"
        )
        #expect(first.requests.count == 1)
        let file = try #require(try state.read(LoginCookieRefusal.fileName(instance: "toutiao")))
        #expect(String(decoding: file, as: UTF8.self).contains(#""refusal_code":"http-302""#))

        let second = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state
        )
        #expect(second.requests.isEmpty)
        let again = try #require(second.error as? AdapterError)
        #expect(again.message.hasPrefix("still refused: the cookie was refused at 2"))
        #expect(again.message.contains("(code http-302)"))
    }

    /// A redirect to any other host may be a wrong base_url as well as a lost session: it is
    /// reported with both pieces of advice, and the cookie is not latched as refused.
    @Test func aRedirectElsewhereAlsoNamesTheCookieButDoesNotLatchIt() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let state = try StateStore(directory: folder.path("state"))
        let root = try Self.fixtures()
        let redirect = ScriptedResponse.redirect(to: "https://www.example.com/moved")
        let run = try await AdapterRun.collect(
            configuration: { Self.configuration($0) },
            account: Self.account,
            fixtureRoot: root.path,
            state: state,
            script: { $0.script(path: "/" + Self.fans, [redirect]) }
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "badRequest")
        #expect(error.message.contains("a redirect to https://www.example.com, which is not followed"))
        #expect(
            error.message.hasSuffix(
                "check base_url; if base_url is right (the default is https://mp.toutiao.com), log in to mp.toutiao.com in a browser to check the cookie"
            )
        )
        #expect(try state.read(LoginCookieRefusal.fileName(instance: "toutiao")) == nil)
    }

    // MARK: - Error table (PLATFORMS.md §6), row by row

    struct Row: Sendable, CustomTestStringConvertible {
        var body: String
        var label: String
        var platformCode: String?
        var testDescription: String { body }
    }

    static let rows: [Row] = [
        Row(
            body: #"{"code":100004,"data":null,"err_no":100004,"message":"user not login","now":0,"reason":""}"#,
            label: "reauthorizationRequired",
            platformCode: "100004"
        ),
        Row(
            body: #"{"err_no":100004,"message":"user not login"}"#,
            label: "reauthorizationRequired",
            platformCode: "100004"
        ),
        Row(body: #"{"code":100004,"message":""}"#, label: "reauthorizationRequired", platformCode: "100004"),
        Row(
            body: #"{"code":0,"message":"error","fans_stat":{"total_fans_count":1}}"#,
            label: "badRequest",
            platformCode: "0"
        ),
        Row(body: #"{"code":7,"err_no":7,"message":"system busy"}"#, label: "badRequest", platformCode: "7"),
        Row(body: #"{"code":3,"message":"success"}"#, label: "badRequest", platformCode: "3"),
        // Codes sent as numeric strings are the same codes.
        Row(
            body: #"{"code":"100004","data":null,"err_no":"100004","message":"user not login","now":0,"reason":""}"#,
            label: "reauthorizationRequired",
            platformCode: "100004"
        ),
        Row(body: #"{"code":"1","message":"success"}"#, label: "badRequest", platformCode: "1"),
        Row(body: #"{"code":"busy","message":"success"}"#, label: "schemaChanged", platformCode: nil),
        Row(body: #"{"message":"参数错误"}"#, label: "badRequest", platformCode: nil),
        Row(body: #"{"code":0,"fans_stat":{"total_fans_count":1}}"#, label: "schemaChanged", platformCode: nil),
        Row(body: #"[{"message":"success"}]"#, label: "schemaChanged", platformCode: nil),
    ]

    @Test(arguments: rows)
    func mapsEachAnswerToOneAction(_ row: Row) async throws {
        let root = try Self.fixtures()
        try root.write(row.body, to: Self.fans + ".json")
        let run = try await Self.collect(root)
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == row.label)
        #expect(error.action == .skipAccount)
        #expect(error.platformCode == row.platformCode)
        #expect(error.message.hasPrefix("toutiao /mp/agw/statistic/v2/fans/latest_stat: "))
        #expect(run.samples.isEmpty)
        #expect(run.requests.count == 1)
    }

    // MARK: - Configuration

    @Test func defaultsToOneRequestEveryThreeSecondsAndOneAccountAtATime() throws {
        let adapter = try ToutiaoAdapter(configuration: Self.configuration("http://127.0.0.1:1"))
        #expect(adapter.schedule.rate == Rate(count: 20, per: .seconds(60)))
        #expect(adapter.schedule.parallelAccounts == 1)
        #expect(adapter.accounts == [Self.account])
        #expect(ToutiaoAdapter.configurationKeys.filter(\.isSecret).map(\.name) == ["cookie"])
    }

    @Test(arguments: [
        ("account", ConfigValue.string("示例教育局"), "is not a numeric 头条号 id"),
        ("max_pages", ConfigValue.integer(101), "\"max_pages\" must be between 1 and 100"),
        ("cookie", ConfigValue.string("a=1\nb=2"), "\"cookie\" must be one line"),
        ("cookie", ConfigValue.string(""), "\"cookie\" must not be empty"),
    ])
    func refusesABadKey(_ key: String, _ value: ConfigValue, _ problem: String) {
        #expect {
            _ = try ToutiaoAdapter(configuration: Self.configuration("http://127.0.0.1:1", [key: value]))
        } throws: { error in
            "\(error)".contains(problem) && !"\(error)".contains("a=1")
        }
    }

    @Test func needsTheCookie() {
        var configuration = Self.configuration("http://127.0.0.1:1")
        configuration.values["cookie"] = nil
        #expect {
            _ = try ToutiaoAdapter(configuration: configuration)
        } throws: { error in
            "\(error)".contains("missing required key \"cookie\"")
        }
    }
}
