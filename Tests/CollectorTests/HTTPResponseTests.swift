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
        #expect(received.retryAfter(now: { Timestamp(secondsSinceEpoch: 0) }) == .seconds(30))
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
        #expect(response.retryAfter(now: { Timestamp(secondsSinceEpoch: 0) }) == .seconds(5))
        #expect(response.header("Server") == nil)
    }

    /// 1994-11-06T08:49:37Z, the date RFC 9110 writes in its three forms.
    private static let rfcExample = Timestamp(secondsSinceEpoch: 784_111_777)

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func readsEachFormOfAnHTTPDate(text: String) {
        #expect(HTTPDate.parse(text, now: Self.rfcExample) == Self.rfcExample)
    }

    @Test(arguments: [
        "", "GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT", "06 Nov 1994 08:49:37 GMT", "soon", "1.5",
    ])
    func refusesWhatIsNoHTTPDate(text: String) {
        #expect(HTTPDate.parse(text, now: Self.rfcExample) == nil)
    }

    @Test func placesATwoDigitYearWithinFiftyYearsAhead() {
        // In 2025, `37` is 2037 and `94` is 1994 (2094 would be more than 50 years ahead).
        let now = Timestamp(secondsSinceEpoch: 1_764_000_000)
        #expect(
            HTTPDate.parse("Wednesday, 21-Oct-37 07:28:00 GMT", now: now) == Timestamp(secondsSinceEpoch: 2_139_722_880)
        )
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == Self.rfcExample)
    }

    @Test func measuresARetryAfterDateFromTheCallersClockAndAPastDateAsNoWait() {
        let response = HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")])
        #expect(response.retryAfter(now: { Self.rfcExample.adding(seconds: -90) }) == .seconds(90))
        #expect(response.retryAfter(now: { Self.rfcExample }) == .zero)
        #expect(response.retryAfter(now: { Self.rfcExample.adding(seconds: 3600) }) == .zero)
        let garbled = HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "later")])
        #expect(garbled.retryAfter(now: { Self.rfcExample }) == nil)
    }
}
