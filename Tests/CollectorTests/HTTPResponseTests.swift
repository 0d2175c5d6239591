import Testing

@testable import Collector

@Suite("HTTPResponse: header lines as received")
struct HTTPResponseTests {
    private let received = HTTPResponse(
        status: 429,
        headerLines: Array(
            "Server: nginx\r\ncontent-type:\tapplication/json \r\nno colon here\r\n: no name\r\nRetry-After:  30\r\nX-Empty:\r\nX-Url: http://h:80/p\n\r\n"
                .utf8
        ),
        body: Array("{}".utf8)
    )

    @Test func readsHeadersInPlaceCaseInsensitivelyWithTrimmedValues() {
        #expect(received.header("server") == "nginx")
        #expect(received.header("Content-Type") == "application/json")
        #expect(received.header("X-EMPTY") == "")
        #expect(received.header("X-Missing") == nil)
        // A line ending in LF alone; the name ends at the first colon.
        #expect(received.header("x-url") == "http://h:80/p")
        #expect(received.header("Serve") == nil)
        #expect(received.retryAfter == .seconds(30))
    }

    @Test func anEarlierNameWinsWhereverItStands() {
        let lines = "RateLimit-Remaining: 7\r\nServer: nginx\r\nx-ratelimit-remaining: 3\r\n"
        let raw = HTTPResponse(status: 200, headerLines: Array(lines.utf8), body: [])
        let given = HTTPResponse(status: 200, headers: raw.headers, body: [])
        for response in [raw, given] {
            #expect(response.header(preferring: ["X-RateLimit-Remaining", "RateLimit-Remaining"]) == "3")
            #expect(response.header(preferring: ["RateLimit-Remaining", "X-RateLimit-Remaining"]) == "7")
            #expect(response.header(preferring: ["X-Missing", "server"]) == "nginx")
            #expect(response.header(preferring: ["X-Missing", "Y-Missing"]) == nil)
            #expect(response.header(preferring: []) == nil)
        }
    }

    @Test func parsesTheSameHeadersAsGivenOnesAndComparesEqual() {
        let given = HTTPResponse(
            status: 429,
            headers: [
                HTTPHeader("Server", "nginx"), HTTPHeader("content-type", "application/json"),
                HTTPHeader("Retry-After", "30"), HTTPHeader("X-Empty", ""), HTTPHeader("X-Url", "http://h:80/p"),
            ],
            body: Array("{}".utf8)
        )
        #expect(received.headers == given.headers)
        #expect(received == given)
        #expect(received.hashValue == given.hashValue)
    }

    @Test func settingHeadersReplacesTheReceivedOnes() {
        var response = received
        response.headers = [HTTPHeader("Retry-After", "5")]
        #expect(response.retryAfter == .seconds(5))
        #expect(response.header("Server") == nil)
    }
}
