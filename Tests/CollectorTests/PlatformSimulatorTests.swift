import Collector
import CollectorTesting
import Foundation
import Testing

/// The simulator's routing, scripts and records, through `CurlHTTPClient`.
@Suite(.serialized)
struct PlatformSimulatorTests {
    // MARK: - Fixture routing

    @Test(arguments: [
        ("/bilibili/x/relation/stat?vmid=208259", "bilibili/x/relation/stat@vmid=208259.json"),
        ("/bilibili/x/relation/stat?ps=20&vmid=208259", "bilibili/x/relation/stat@vmid=208259.json"),
        ("/bilibili/x/relation/stat?vmid=208259&tag=special", "bilibili/x/relation/stat@vmid=208259.json"),
        ("/bilibili/x/relation/stat?tag=special&vmid=208259", "bilibili/x/relation/stat@tag=special.json"),
        ("/bilibili/x/relation/stat?vmid=1", "bilibili/x/relation/stat.json"),
        ("/bilibili/x/relation/stat", "bilibili/x/relation/stat.json"),
        ("/bilibili/x/relation/stat?vmid", "bilibili/x/relation/stat.json"),
    ])
    func routesToTheFirstMatchingQueryFixtureThenThePathFixture(target: String, file: String) async throws {
        try await withPlatformSimulator { simulator in
            let response = try await fetch(simulator.url(target))
            #expect(response.status == 200)
            #expect(response.body == (try Fixtures.bytes(Fixtures.simulator + "/" + file)))
        }
    }

    @Test func answersAMissingFixtureWithA404JSONBody() async throws {
        try await withPlatformSimulator { simulator in
            let response = try await fetch(simulator.url("/douyin/nothing/here?open_id=1"))
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            #expect(text(response) == #"{"error":"no fixture","path":"/douyin/nothing/here"}"#)
        }
    }

    @Test func marksAndKeepsEveryAnswerNotFromTheFixtures() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(#"{"error":{"code":4041}}"#, to: "zhihu/error.json")
        try directory.write("404 file=error.json\n404 file=eror.json\n", to: "zhihu/member.script")
        try directory.write(#"{"ok":1}"#, to: "zhihu/other.json")
        let simulator = try PlatformSimulator(fixtureRoot: directory.path)
        defer { simulator.stop() }

        // A scripted 404 and a fixture are the platform's answers: no mark, nothing kept.
        let scripted = try await fetch(simulator.url("/zhihu/member"))
        #expect(scripted.status == 404)
        #expect(scripted.header("X-Simulator") == nil)
        #expect(try await fetch(simulator.url("/zhihu/other")).header("X-Simulator") == nil)
        #expect(simulator.fixtureProblems.isEmpty)

        let missingFile = try await fetch(simulator.url("/zhihu/member"))
        #expect(missingFile.status == 500)
        #expect(missingFile.header("X-Simulator") == "missing-file")
        let typo = try await fetch(simulator.url("/zhihu/membr?include=x"))
        #expect(typo.status == 404)
        #expect(typo.header("X-Simulator") == "no-fixture")
        #expect(simulator.fixtureProblems.count == 2)
        #expect(simulator.fixtureProblems.last?.hasPrefix("GET /zhihu/membr?include=x: no fixture ") == true)
    }

    @Test func refusesToStartWithoutAFixtureFolder() {
        #expect(throws: SimulatorError.self) {
            try PlatformSimulator(fixtureRoot: Fixtures.simulator + "/does-not-exist")
        }
    }

    // MARK: - Scripts

    @Test func servesScriptedResponsesInOrderThenTheFixtures() async throws {
        try await withPlatformSimulator { simulator in
            let path = "/bilibili/x/relation/stat"
            simulator.script(path: path, [.rateLimited(retryAfter: 2), .serverError, .json(#"{"code":-352}"#)])
            var statuses: [Int] = []
            var bodies: [String] = []
            for _ in 0..<4 {
                let response = try await fetch(simulator.url(path))
                statuses.append(response.status)
                bodies.append(text(response))
            }
            #expect(statuses == [429, 500, 200, 200])
            #expect(bodies[2] == #"{"code":-352}"#)
            #expect(
                bodies[3]
                    == String(
                        decoding: try Fixtures.bytes(Fixtures.simulator + "/bilibili/x/relation/stat.json"),
                        as: UTF8.self
                    )
            )
        }
    }

    @Test func scriptsOnlyTheGivenMethod() async throws {
        try await withPlatformSimulator { simulator in
            let path = "/bilibili/x/relation/stat"
            simulator.script("POST", path: path, [.serverError])
            let get = try await fetch(simulator.url(path))
            let post = try await fetch(simulator.url(path), method: .post)
            #expect(get.status == 200)
            #expect(post.status == 500)
        }
    }

    @Test func servesAScriptFileInOrderThenTheFixture() async throws {
        try await withPlatformSimulator { simulator in
            var seen: [String] = []
            for _ in 0..<5 {
                let response = try await fetch(simulator.url("/scripted/flaky"))
                seen.append("\(response.status) \(response.header("Retry-After") ?? "-") \(text(response))")
            }
            #expect(
                seen == [
                    #"429 3 {"code":429,"message":"scripted 429"}"#,
                    #"500 - {"code":500,"message":"scripted 500"}"#,
                    "200 - {\"source\":\"alternate\"}\n",
                    "200 - \(ScriptedResponse.defaultHTML)",
                    "200 - {\"source\":\"fixture\"}\n",
                ]
            )
        }
    }

    @Test func namesTheLineOfABrokenScriptFile() async throws {
        try await withPlatformSimulator { simulator in
            let response = try await fetch(simulator.url("/scripted/broken"))
            #expect(response.status == 500)
            let script = Fixtures.simulator + "/scripted/broken.script"
            #expect(
                text(response)
                    == #"{"error":"broken script","detail":"\#(script):2: expected a status (100-599) or `close`, found `hello`"}"#
            )
        }
    }

    @Test func scriptFilesAreReadFromTheFixtureRootGiven() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(#"{"n":1}"#, to: "weibo/2/users/show.json")
        try directory.write("200 delay=10ms truncate=3\n418\n", to: "weibo/2/users/show.script")
        let simulator = try PlatformSimulator(fixtureRoot: directory.path)
        defer { simulator.stop() }
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let error = try #require(
            await failure { try await client.fetch(HTTPRequest(url: simulator.url("/weibo/2/users/show"))) }
        )
        #expect(error.metricLabel == "truncated")
        let teapot = try await client.fetch(HTTPRequest(url: simulator.url("/weibo/2/users/show")))
        #expect(teapot.status == 418)
        let plain = try await client.fetch(HTTPRequest(url: simulator.url("/weibo/2/users/show")))
        #expect(text(plain) == #"{"n":1}"#)
    }

    @Test func scriptFilesNameTheirFilesUnderARelativeFixtureRoot() async throws {
        // `platform-simulator --fixtures sim`: the root given relative to the working folder
        // was put before a script's `file=` twice (`sim/sim/…`), and every such line got a 500.
        let directory = try TemporaryDirectory()
        // The root named from the working folder up (`../../tmp/collector-test.x/d1/d2`), as
        // many folders deep as the working folder, so that the `../` of a doubled root cannot
        // climb back to where the first one led.
        let levels = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let nested = (0...levels).map { "d\($0)" }.joined(separator: "/")
        try directory.write(#"{"fans":"4.8万"}"#, to: nested + "/xiaohongshu/api/display.json")
        try directory.write("200 file=display.json\n", to: nested + "/xiaohongshu/api/accounts.script")
        let relative = String(repeating: "../", count: levels) + directory.path.drop { $0 == "/" } + "/" + nested
        let simulator = try PlatformSimulator(fixtureRoot: relative)
        defer { simulator.stop() }
        let response = try await fetch(simulator.url("/xiaohongshu/api/accounts"))
        #expect(response.status == 200)
        #expect(text(response) == #"{"fans":"4.8万"}"#)
    }

    @Test func routesPostsByTheMembersOfTheirJSONBody() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(#"{"day":"default"}"#, to: "wechat/datacube/getarticletotaldetail.json")
        try directory.write(
            #"{"day":"2025-10-26"}"#,
            to: "wechat/datacube/getarticletotaldetail@begin_date=2025-10-26.json"
        )
        try directory.write(#"{"day":"seven"}"#, to: "wechat/datacube/getarticletotaldetail@days=7.json")
        let simulator = try PlatformSimulator(fixtureRoot: directory.path)
        defer { simulator.stop() }
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        func post(_ body: String) async throws -> String {
            let response = try await client.fetch(
                HTTPRequest(
                    method: .post,
                    url: simulator.url("/wechat/datacube/getarticletotaldetail?access_token=T"),
                    body: Array(body.utf8)
                )
            )
            return text(response)
        }
        #expect(try await post(#"{"begin_date":"2025-10-26","end_date":"2025-10-26"}"#) == #"{"day":"2025-10-26"}"#)
        #expect(
            try await post(#"{ "nested": {"begin_date": "x"}, "list": [1, 2], "days" : 7 }"#) == #"{"day":"seven"}"#
        )
        #expect(try await post(#"{"begin_date":"2025-10-27","end_date":"2025-10-27"}"#) == #"{"day":"default"}"#)
        #expect(try await post(#"{"begin_date":"../../etc/passwd"}"#) == #"{"day":"default"}"#)
        #expect(try await post("not json") == #"{"day":"default"}"#)
    }

    // MARK: - Records

    @Test func recordsMethodPathQueryHeadersAndBody() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(
                method: .post,
                url: simulator.url("/wechat/datacube/getarticletotaldetail?access_token=T&x=%20y"),
                headers: [HTTPHeader("X-Trace", "abc")],
                body: Array("{\"a\":1}".utf8)
            )
            _ = try await client.fetch(request)
            let recorded = try #require(simulator.requests.first)
            #expect(recorded.method == "POST")
            #expect(recorded.path == "/wechat/datacube/getarticletotaldetail")
            #expect(recorded.query == "access_token=T&x=%20y")
            #expect(recorded.queryParameter("access_token") == "T")
            #expect(recorded.queryParameter("x") == "%20y")
            #expect(recorded.queryParameter("missing") == nil)
            #expect(recorded.header("x-trace") == "abc")
            #expect(recorded.bodyText == "{\"a\":1}")
            #expect(simulator.requestCount == 1)
        }
    }

    @Test func countsConnectionsAcceptedAcrossClients() async throws {
        try await withPlatformSimulator { simulator in
            for _ in 0..<3 {
                let client = CurlHTTPClient()
                for _ in 0..<2 {
                    _ = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
                }
                client.shutdown()
            }
            #expect(simulator.requestCount == 6)
            #expect(simulator.connectionsAccepted == 3)
        }
    }

    @Test func stopsWhileAResponseIsDelayed() async throws {
        let simulator = try PlatformSimulator(fixtureRoot: Fixtures.simulator)
        simulator.script(path: "/slow", [.stall(.seconds(600))])
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let url = simulator.url("/slow")
        let pending = Task { try await client.fetch(HTTPRequest(url: url)) }
        #expect(await simulator.waitForRequests(1))
        simulator.stop()
        let error = try #require(await failure { try await pending.value })
        #expect(error.metricLabel == "couldNotConnect")
    }

    // MARK: - Helpers

    private func fetch(_ url: String, method: HTTPMethod = .get) async throws -> HTTPResponse {
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        return try await client.fetch(HTTPRequest(method: method, url: url))
    }

    private func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }
}
