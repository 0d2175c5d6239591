import Collector
import CollectorTesting
import Testing

/// `RedirectFollowingHTTPClient` above the budgets, the self-metrics and `CurlHTTPClient`, as
/// `collector run` composes them, against the platform simulator.
@Suite(.serialized)
struct RedirectFollowingHTTPClientTests {
    static let statPath = "/bilibili/x/relation/stat"

    // MARK: - Each hop is a request

    /// The rate is a ceiling promised to the operator: a hop waits for the budget like any
    /// request, and the counter has each hop under its own status.
    @Test func eachHopWaitsForTheRateAndIsCountedWithItsStatus() async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http, rate: Rate(count: 6, per: .seconds(60)))
            simulator.script(
                path: "/bilibili/x/relation/old",
                [.redirect(to: "/bilibili/x/relation/moved", status: 301)]
            )
            simulator.script(path: "/bilibili/x/relation/moved", [.redirect(to: "stat?vmid=208259", status: 307)])
            let request = HTTPRequest(
                url: simulator.url("/bilibili/x/relation/old?vmid=1"),
                headers: [HTTPHeader("Cookie", "SESSDATA=cookie-value")]
            )
            let response = try await stack.client.fetch(request)
            #expect(response.status == 200)
            #expect(response.body == (try Self.fixture("bilibili/x/relation/stat@vmid=208259.json")))
            #expect(response.header("Location") == nil)
            #expect(
                simulator.requests.map(\.path) == [
                    "/bilibili/x/relation/old", "/bilibili/x/relation/moved", Self.statPath,
                ]
            )
            // The request at once, then each hop one interval of 6/m (10 s) after the one before.
            #expect(stack.clock.sleeps == [.seconds(10), .seconds(10)])
            #expect(stack.count("301") == 1)
            #expect(stack.count("307") == 1)
            #expect(stack.count("200") == 1)
            // A hop carries the request's headers: it goes to the same origin.
            #expect(simulator.requests.allSatisfy { $0.header("Cookie") == "SESSDATA=cookie-value" })
        }
    }

    /// RFC 3986 resolution against the URL that answered: relative to its folder, to its
    /// parent, to the host, network-path and absolute.
    @Test(arguments: [
        "stat?vmid=208259", "./stat?vmid=208259", "../relation/stat?vmid=208259",
        "/bilibili/x/relation/stat?vmid=208259", "//127.0.0.1:PORT/bilibili/x/relation/stat?vmid=208259",
        "http://127.0.0.1:PORT/bilibili/x/relation/stat?vmid=208259",
    ])
    func followsARelativeOrAbsoluteLocation(location: String) async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http)
            let target = location.replacing("PORT", with: String(simulator.port))
            simulator.script(path: "/bilibili/x/relation/old", [.redirect(to: target)])
            let response = try await stack.client.fetch(
                HTTPRequest(url: simulator.url("/bilibili/x/relation/old?vmid=1"))
            )
            #expect(response.status == 200)
            #expect(response.body == (try Self.fixture("bilibili/x/relation/stat@vmid=208259.json")))
            #expect(simulator.requests.map(\.path) == ["/bilibili/x/relation/old", Self.statPath])
            #expect(simulator.requests.last?.query == "vmid=208259")
        }
    }

    /// After a followed redirect the answer names the URL that gave it, for the adapters'
    /// messages, without its query (it may hold a token); an answer to the request's own URL
    /// names none.
    @Test func theAnswerAfterARedirectNamesItsURLWithoutTheQuery() async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http)
            simulator.script(path: "/bilibili/x/relation/old", [.redirect(to: "stat?vmid=208259&access_token=SECRET")])
            let redirected = try await stack.client.fetch(
                HTTPRequest(url: simulator.url("/bilibili/x/relation/old?vmid=1&access_token=SECRET"))
            )
            #expect(redirected.status == 200)
            #expect(redirected.finalURL == simulator.url(Self.statPath))
            let direct = try await stack.client.fetch(HTTPRequest(url: simulator.url(Self.statPath + "?vmid=208259")))
            #expect(direct.status == 200)
            #expect(direct.finalURL == nil)
        }
    }

    @Test func followsAtMostFiveRedirectsAndReturnsTheSixth() async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http, rate: Rate(count: 1, per: .seconds(1)))
            simulator.script(path: "/loop", Array(repeating: .redirect(to: "/loop"), count: 7))
            let response = try await stack.client.fetch(HTTPRequest(url: simulator.url("/loop")))
            // The request and five hops; the sixth redirect is the answer, which the adapter
            // reports as "too many redirects in a row, or a Location that cannot be read" (JSONResponse).
            #expect(response.status == 302)
            #expect(response.header("Location") == "/loop")
            #expect(simulator.requestCount == 6)
            #expect(stack.count("302") == 6)
            #expect(stack.clock.sleeps.count == 5)
        }
    }

    /// A hop is a request with the request's timeout of its own: it may wait for the budget
    /// first. Its failure names the hop and is counted.
    @Test func aHopThatTimesOutFailsWithTheHopsPathAndIsCounted() async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http)
            simulator.script(path: "/old", [.redirect(to: "/slow")])
            simulator.script(path: "/slow", [.stall(.seconds(60))])
            let request = HTTPRequest(url: simulator.url("/old?access_token=SECRET"), timeout: .milliseconds(500))
            let error = try #require(await failure { try await stack.client.fetch(request) })
            #expect(error.metricLabel == "timeout")
            #expect(error.description.contains("127.0.0.1:\(simulator.port)/slow"), "\(error.description)")
            #expect(!error.description.contains("SECRET"))
            #expect(stack.count("302") == 1)
            #expect(stack.count("timeout") == 1)
        }
    }

    // MARK: - Redirects that are not followed

    /// Another port of 127.0.0.1 is another origin, as another host or https → http would be:
    /// the redirect is the answer, and nothing reaches the other server.
    @Test(arguments: [301, 302, 303, 307, 308])
    func returnsARedirectToAnotherOriginWithoutFollowingIt(status: Int) async throws {
        try await withPlatformSimulator { simulator in
            try await withPlatformSimulator { elsewhere in
                let http = CurlHTTPClient()
                defer { http.shutdown() }
                let stack = Stack(http: http)
                let target = elsewhere.url("/bilibili/x/relation/stat?vmid=208259")
                simulator.script(path: "/old", [.redirect(to: target, status: status)])
                let response = try await stack.client.fetch(HTTPRequest(url: simulator.url("/old?access_token=SECRET")))
                #expect(response.status == status)
                #expect(response.header("Location") == target)
                #expect(elsewhere.requestCount == 0)
                #expect(simulator.requests.map(\.path) == ["/old"])
                #expect(stack.count(String(status)) == 1)
            }
        }
    }

    /// A POST is never sent again, not even to its own origin: its body may hold an app secret.
    @Test(arguments: [false, true])
    func neverFollowsARedirectOfAPost(sameOrigin: Bool) async throws {
        try await withPlatformSimulator { simulator in
            try await withPlatformSimulator { elsewhere in
                let http = CurlHTTPClient()
                defer { http.shutdown() }
                let stack = Stack(http: http)
                let path = "/wechat/cgi-bin/stable_token"
                let target = (sameOrigin ? simulator : elsewhere).url("/wechat/moved/stable_token")
                simulator.script("POST", path: path, [.redirect(to: target, status: 307)])
                let body = Array(#"{"grant_type":"client_credential","secret":"APPSECRET-SENTINEL"}"#.utf8)
                let request = HTTPRequest(method: .post, url: simulator.url(path), body: body)
                let response = try await stack.client.fetch(request)
                #expect(response.status == 307)
                #expect(response.header("Location") == target)
                #expect(simulator.requests.map(\.path) == [path])
                #expect(elsewhere.requestCount == 0)
            }
        }
    }

    @Test(arguments: [nil, "", "http://[bad"])
    func returnsARedirectWithoutAUsableLocation(location: String?) async throws {
        try await withPlatformSimulator { simulator in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let stack = Stack(http: http)
            let headers = location.map { [ScriptedResponse.Header("Location", $0)] } ?? []
            simulator.script(path: "/old", [ScriptedResponse(status: 302, headers: headers, body: .bytes([]))])
            let response = try await stack.client.fetch(HTTPRequest(url: simulator.url("/old")))
            #expect(response.status == 302)
            #expect(simulator.requestCount == 1)
        }
    }

    // MARK: - Helpers

    private static func fixture(_ relative: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.simulator + "/" + relative)
    }
}

/// The client `collector run` gives an adapter, on a clock that moves only when a budget
/// waits: redirects above the budget above the counters above libcurl.
private struct Stack {
    let clock = ManualTime()
    let metrics = SelfMetrics(instance: "main", formats: [.csv])
    let client: RedirectFollowingHTTPClient

    init(http: CurlHTTPClient, rate: Rate? = nil) {
        let metered = MeteredHTTPClient(base: http, platform: .bilibili, metrics: metrics)
        let budgeted = BudgetedHTTPClient(
            base: metered,
            budgets: [RequestBudget(rate: rate)],
            now: clock.now,
            wallClock: { Timestamp(secondsSinceEpoch: 0) },
            sleep: clock.sleep
        )
        client = RedirectFollowingHTTPClient(base: budgeted)
    }

    /// `collector_http_requests_total` for `code`; 0 when never counted.
    func count(_ code: String) -> Double {
        metrics.value(of: "collector_http_requests_total", labels: ["platform": "bilibili", "code": code]) ?? 0
    }
}
