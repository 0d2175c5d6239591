import Collector
import CollectorTesting
import Testing

/// `CurlHTTPClient` against the platform simulator, a real HTTP/1.1 server on 127.0.0.1.
@Suite(.serialized)
struct CurlHTTPClientTests {
    // MARK: - Responses

    @Test func returnsStatusHeadersAndBodyOfAFixture() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=1")))
            let expected = try fixtureBytes("bilibili/x/relation/stat.json")
            #expect(response.status == 200)
            #expect(response.body == expected)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("Content-Length") == String(expected.count))
            #expect(response.headers.first?.name == "Server")
        }
    }

    @Test func sendsTheConfiguredUserAgentAndRequestHeaders() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(userAgent: "collector-test/1"))
            defer { client.shutdown() }
            let request = HTTPRequest(
                url: simulator.url("/bilibili/x/relation/stat"),
                headers: [HTTPHeader("Referer", "https://space.bilibili.com/1")]
            )
            _ = try await client.fetch(request)
            let recorded = try #require(simulator.requests.last)
            #expect(recorded.header("User-Agent") == "collector-test/1")
            #expect(recorded.header("Referer") == "https://space.bilibili.com/1")
            #expect(recorded.method == "GET")
        }
    }

    @Test func eachRequestCarriesItsOwnHeadersOnAReusedHandle() async throws {
        try await withPlatformSimulator { simulator in
            // One slot: every request runs on the same easy handle, one after the other.
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 1))
            defer { client.shutdown() }
            let url = simulator.url("/bilibili/x/relation/stat")
            let cookie = HTTPRequest(url: url, headers: [HTTPHeader("Cookie", "SESSDATA=x")])
            let plain = HTTPRequest(url: url)
            let referer = HTTPRequest(url: url, headers: [HTTPHeader("Referer", "https://space.bilibili.com/1")])
            for request in [cookie, cookie, plain, referer, referer] { _ = try await client.fetch(request) }
            let recorded = simulator.requests.suffix(5)
            #expect(recorded.map { $0.header("Cookie") } == ["SESSDATA=x", "SESSDATA=x", nil, nil, nil])
            #expect(
                recorded.map { $0.header("Referer") } == [
                    nil, nil, nil, "https://space.bilibili.com/1", "https://space.bilibili.com/1",
                ]
            )
        }
    }

    @Test(arguments: [(429, "Too Many Requests"), (500, "Internal Server Error"), (412, "Precondition Failed")])
    func returnsErrorStatusesAsResponses(status: Int, phrase: String) async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [ScriptedResponse.status(status)])
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            #expect(response.status == status)
            #expect(
                String(decoding: response.body, as: UTF8.self)
                    == "{\"code\":\(status),\"message\":\"scripted \(status)\"}"
            )
        }
    }

    @Test func readsRetryAfterOfARateLimitedResponse() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [.rateLimited(retryAfter: 7)])
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            #expect(response.status == 429)
            #expect(response.retryAfter(now: { Timestamp(secondsSinceEpoch: 0) }) == .seconds(7))
        }
    }

    @Test func returnsAnHTMLAnswerAsAResponse() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [.html(status: 200)])
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            #expect(response.status == 200)
            #expect(response.looksLikeHTML)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.body == Array(ScriptedResponse.defaultHTML.utf8))
        }
    }

    /// libcurl follows no redirect, not even to the same origin: that is
    /// `RedirectFollowingHTTPClient`'s, above the budgets, so that each hop is a request of its own.
    @Test(arguments: [301, 302, 303, 307, 308])
    func returnsEveryRedirectAsTheAnswer(status: Int) async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/old", [.redirect(to: "/bilibili/x/relation/stat?vmid=208259", status: status)])
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/old")))
            #expect(response.status == status)
            #expect(response.header("Location") == "/bilibili/x/relation/stat?vmid=208259")
            #expect(simulator.requests.map(\.path) == ["/old"])
        }
    }

    @Test func decodesAChunkedBody() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [ScriptedResponse.fixture().inChunks()])
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            #expect(response.body == (try fixtureBytes("bilibili/x/relation/stat.json")))
            #expect(response.header("Transfer-Encoding") == "chunked")
        }
    }

    // MARK: - POST

    @Test func sendsThePostBodyAsJSON() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let body = Array(#"{"begin_date":"2026-11-01","end_date":"2026-11-01"}"#.utf8)
            let request = HTTPRequest(
                method: .post,
                url: simulator.url("/wechat/datacube/getarticletotaldetail?access_token=TOKEN"),
                body: body
            )
            let response = try await client.fetch(request)
            #expect(response.status == 200)
            #expect(response.body == (try fixtureBytes("wechat/datacube/getarticletotaldetail.json")))
            let recorded = try #require(simulator.requests.last)
            #expect(recorded.method == "POST")
            #expect(recorded.path == "/wechat/datacube/getarticletotaldetail")
            #expect(recorded.query == "access_token=TOKEN")
            #expect(recorded.body == body)
            #expect(recorded.header("Content-Type") == "application/json")
            #expect(recorded.header("Expect") == nil)
        }
    }

    @Test func keepsTheCallersContentTypeAndSendsAnEmptyPostBody() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let request = HTTPRequest(
                method: .post,
                url: simulator.url("/bilibili/x/relation/stat"),
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")]
            )
            _ = try await client.fetch(request)
            // Then a GET on the same pooled handle must not be a POST any more.
            _ = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            let recorded = simulator.requests
            #expect(recorded.map(\.method) == ["POST", "GET"])
            #expect(recorded[0].body.isEmpty)
            #expect(recorded[0].header("Content-Length") == "0")
            #expect(recorded[0].header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(recorded[1].header("Content-Type") == nil)
        }
    }

    // MARK: - Transport failures

    @Test func timesOutWhenTheServerStalls() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [.stall(.seconds(60))])
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"), timeout: .milliseconds(300))
            let error = try #require(await failure { try await client.fetch(request) })
            #expect(error.metricLabel == "timeout")
            #expect(error.host == "127.0.0.1:\(simulator.port)")
            #expect(error.path == "/bilibili/x/relation/stat")
            #expect(error.isRetryable)
        }
    }

    @Test(arguments: [false, true])
    func refusesABodyOverTheCap(chunked: Bool) async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxBodyBytes: 100))
            defer { client.shutdown() }
            // With Content-Length libcurl refuses before reading (MAXFILESIZE); chunked, the
            // write callback stops at the cap.
            let response = chunked ? ScriptedResponse.fixture().inChunks() : .fixture()
            simulator.script(path: "/wechat/datacube/getarticletotaldetail", [response])
            let request = HTTPRequest(url: simulator.url("/wechat/datacube/getarticletotaldetail"))
            let error = try #require(await failure { try await client.fetch(request) })
            #expect(error.metricLabel == "bodyTooLarge")
            #expect(error.detail == "response body over 100 bytes")
            // A body under the cap still passes.
            let small = try await client.fetch(HTTPRequest(url: simulator.url("/scripted/alternate")))
            #expect(small.status == 200)
        }
    }

    @Test func reportsATruncatedBody() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [ScriptedResponse.fixture().truncated(at: 20)])
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"))
            let error = try #require(await failure { try await client.fetch(request) })
            #expect(error.metricLabel == "truncated")
            #expect(error.isRetryable)
        }
    }

    /// A status line was received, then the connection died inside the body (closed short,
    /// reset, broken chunk framing): a broken answer of the server or a proxy, labelled
    /// `truncated` and worded so, never a connection failure ("check the network").
    @Test(arguments: [
        ScriptedResponse.fixture().truncated(at: 20), ScriptedResponse.fixture().reset(at: 20),
        ScriptedResponse.fixture().brokenChunks(at: 20),
    ])
    func reportsAnAnswerBrokenOffInTheBodyAsTruncated(_ broken: ScriptedResponse) async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [broken])
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"))
            let error = try #require(await failure { try await client.fetch(request) })
            #expect(error.metricLabel == "truncated", "\(error)")
            #expect(error.isRetryable)
            #expect(!error.meansUnreachable)
            #expect(error.meansBrokenAnswer)
            #expect(error.detail.hasPrefix("the answer (HTTP 200) broke off in the body: "), "\(error)")
            #expect(error.detail.hasSuffix("; the server or a proxy in between cut it short"), "\(error)")
        }
    }

    @Test func reportsAConnectionClosedWithoutAResponse() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [.close])
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"))
            let error = try #require(await failure { try await client.fetch(request) })
            #expect(error.metricLabel == "couldNotConnect")
        }
    }

    @Test func reportsARefusedConnection() async throws {
        let port = try closedPort()
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let request = HTTPRequest(url: "http://127.0.0.1:\(port)/x/relation/stat")
        let error = try #require(await failure { try await client.fetch(request) })
        #expect(error.metricLabel == "couldNotConnect")
        #expect(error.description.hasPrefix("127.0.0.1:\(port)/x/relation/stat: couldNotConnect ("))
    }

    @Test func reportsAnUnresolvableHost() async throws {
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        // `.invalid` never resolves (RFC 2606), without asking a real name server for a real name.
        let request = HTTPRequest(url: "http://collector-test.invalid/x")
        let error = try #require(await failure { try await client.fetch(request) })
        #expect(error.metricLabel == "couldNotResolve")
    }

    @Test func keepsTheQueryStringOutOfErrors() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            let path = "/wechat/datacube/getarticletotaldetail"
            simulator.script(path: path, [.stall(.seconds(60)), ScriptedResponse.fixture().truncated(at: 3)])
            let secretQuery = "?access_token=SECRET&appid=APPID"
            let refused = "http://127.0.0.1:\(try closedPort())\(path)\(secretQuery)"
            let requests = [
                HTTPRequest(url: simulator.url(path + secretQuery), timeout: .milliseconds(300)),
                HTTPRequest(url: simulator.url(path + secretQuery)),
                HTTPRequest(url: refused),
                HTTPRequest(url: "http://collector-test.invalid\(path)\(secretQuery)"),
            ]
            var labels: [String] = []
            for request in requests {
                let error = try #require(await failure { try await client.fetch(request) })
                labels.append(error.metricLabel)
                for text in [error.description, error.detail, error.path, error.host, "\(error)"] {
                    #expect(!text.contains("SECRET"))
                    #expect(!text.contains("access_token"))
                    #expect(!text.contains("APPID"))
                }
            }
            #expect(labels == ["timeout", "truncated", "couldNotConnect", "couldNotResolve"])
        }
    }

    // MARK: - Concurrency, keep-alive, cancellation

    @Test func runsManyConcurrentRequestsOverFewKeptAliveConnections() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 8))
            defer { client.shutdown() }
            let expected = try fixtureBytes("bilibili/x/relation/stat.json")
            let statuses = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let response = try await client.fetch(
                            HTTPRequest(url: simulator.url("/bilibili/x/relation/stat?vmid=\(1000 + index)"))
                        )
                        return response.status == 200 && response.body == expected
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 })
            #expect(simulator.requestCount == 200)
            #expect(Set(simulator.requests.map(\.query)).count == 200)
            // At most one connection per transfer slot, reused for the rest.
            #expect((1...8).contains(simulator.connectionsAccepted))
        }
    }

    @Test func reusesOneConnectionForSequentialRequests() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            for _ in 0..<5 {
                _ = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            }
            #expect(simulator.connectionsAccepted == 1)
        }
    }

    @Test func cancelsARunningRequest() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            defer { client.shutdown() }
            simulator.script(path: "/bilibili/x/relation/stat", [.stall(.seconds(60))])
            let task = Task {
                try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            }
            #expect(await simulator.waitForRequests(1))
            task.cancel()
            let error = try #require(await failure { try await task.value })
            #expect(error.metricLabel == "cancelled")
            // The client goes on working.
            let response = try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            #expect(response.status == 200)
        }
    }

    @Test func cancelsQueuedRequestsWithoutSendingThem() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 1))
            defer { client.shutdown() }
            simulator.script(path: "/slow", [.stall(.seconds(60))])
            let slow = Task {
                try await client.fetch(HTTPRequest(url: simulator.url("/slow")))
            }
            #expect(await simulator.waitForRequests(1))
            // The only slot is taken: this one waits in the queue.
            let queued = Task {
                try await client.fetch(HTTPRequest(url: simulator.url("/bilibili/x/relation/stat")))
            }
            queued.cancel()
            let queuedError = try #require(await failure { try await queued.value })
            slow.cancel()
            let slowError = try #require(await failure { try await slow.value })
            #expect(queuedError.metricLabel == "cancelled")
            #expect(slowError.metricLabel == "cancelled")
            #expect(simulator.requests.map(\.path) == ["/slow"])
        }
    }

    @Test func failsAnAlreadyCancelledTaskAtOnce() async throws {
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.fetch(HTTPRequest(url: "http://127.0.0.1:1/never"))
        }
        let error = try #require(await failure { try await task.value })
        #expect(error.metricLabel == "cancelled")
    }

    @Test func shutdownFailsRunningAndLaterRequests() async throws {
        try await withPlatformSimulator { simulator in
            let client = CurlHTTPClient()
            simulator.script(path: "/slow", [.stall(.seconds(60))])
            let slow = Task {
                try await client.fetch(HTTPRequest(url: simulator.url("/slow")))
            }
            #expect(await simulator.waitForRequests(1))
            client.shutdown()
            client.shutdown()
            let slowError = try #require(await failure { try await slow.value })
            #expect(slowError.metricLabel == "cancelled")
            let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"))
            let laterError = try #require(await failure { try await client.fetch(request) })
            #expect(laterError.metricLabel == "other")
            #expect(laterError.detail == "the HTTP client is shut down")
        }
    }

    // MARK: - Security options

    /// An option libcurl refuses (here an unknown scheme in the protocol list; in production an
    /// old libcurl or one without TLS) fails every request with a clear message: the client
    /// never sends a request without its protocol restriction or TLS verification.
    @Test func failsEveryRequestWhenLibcurlRefusesASecurityOption() async throws {
        try await withPlatformSimulator { simulator in
            var configuration = HTTPClientConfiguration()
            configuration.protocols = "http,https,no-such-protocol"
            let client = CurlHTTPClient(configuration: configuration)
            defer { client.shutdown() }
            for _ in 0..<2 {
                let request = HTTPRequest(url: simulator.url("/bilibili/x/relation/stat"))
                let error = try #require(await failure { try await client.fetch(request) })
                #expect(error.metricLabel == "setup")
                #expect(!error.isRetryable)
                #expect(error.detail.hasPrefix("libcurl refused CURLOPT_PROTOCOLS_STR ("))
                #expect(
                    error.detail.hasSuffix(
                        "); no request is sent without it: check the libcurl version (7.85 or later) and its TLS support"
                    )
                )
            }
            #expect(simulator.requestCount == 0)
        }
    }

    // MARK: - file://

    @Test func readsAFileURLWithoutAServer() async throws {
        let directory = try TemporaryDirectory()
        let text = #"{"code":0,"data":{"follower":86231}}"#
        let file = try directory.write(text, to: "relation/stat.json")
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let response = try await client.fetch(HTTPRequest(url: "file://\(file)"))
        #expect(response.status == 200)
        #expect(response.body == Array(text.utf8))
        let missing = HTTPRequest(url: "file://\(directory.path)/missing.json")
        let error = try #require(await failure { try await client.fetch(missing) })
        #expect(error.metricLabel == "other")
    }

    // MARK: - Helpers

    private func fixtureBytes(_ relative: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.simulator + "/" + relative)
    }
}

/// The ``HTTPError`` `operation` throws, or nil when it succeeds (or throws something else,
/// which is recorded as an issue).
func failure<Value>(_ operation: () async throws -> Value) async -> HTTPError? {
    do {
        _ = try await operation()
        return nil
    } catch let error as HTTPError {
        return error
    } catch {
        Issue.record("expected an HTTPError, got \(error)")
        return nil
    }
}

/// A 127.0.0.1 port nothing listens on: one the simulator had and gave back.
func closedPort() throws -> Int {
    let simulator = try PlatformSimulator(fixtureRoot: Fixtures.simulator)
    let port = simulator.port
    simulator.stop()
    return port
}
