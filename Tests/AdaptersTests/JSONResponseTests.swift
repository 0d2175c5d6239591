import Adapters
import Collector
import Testing

/// How an answer that is not JSON becomes an adapter error; here, the redirects the HTTP client
/// hands back instead of following (another origin, https to http, a POST, too many).
struct JSONResponseTests {
    @Test(
        arguments: [
            (
                HTTPMethod.post, "http://api.weixin.qq.com/cgi-bin/stable_token", 307,
                "a redirect to http://api.weixin.qq.com, which is not followed: a POST is never sent on, since its body may hold a secret; check base_url"
            ),
            (
                .get, "http://api.weixin.qq.com/datacube/x?access_token=T", 302,
                "a redirect to http://api.weixin.qq.com, which is not followed: it would leave https for plain http; check base_url"
            ),
            (
                .get, "https://user:pw@other.example:8443/login?token=T", 301,
                "a redirect to https://other.example:8443, which is not followed: it leads to another host or port; check base_url"
            ),
            (
                .get, "/datacube/x", 302,
                "a redirect to https://api.weixin.qq.com, which is not followed: too many redirects in a row, or a Location that cannot be read; check base_url"
            ),
        ] as [(HTTPMethod, String, Int, String)]
    )
    func aRedirectNamesItsTargetAndWhyItWasNotFollowed(
        method: HTTPMethod,
        location: String,
        status: Int,
        expected: String
    ) {
        let request = HTTPRequest(method: method, url: "https://api.weixin.qq.com/cgi-bin/stable_token?appid=A")
        let response = HTTPResponse(status: status, headers: [HTTPHeader("Location", location)])
        let error = #expect(throws: AdapterError.self) {
            try JSONResponse.decode(
                response,
                of: request,
                platform: .wechat,
                envelope: ["errcode"],
                now: { Timestamp(secondsSinceEpoch: 0) }
            )
        }
        #expect(error?.label == "badRequest")
        #expect(error?.platformCode == "http-\(status)")
        #expect(error?.message == "wechat api.weixin.qq.com/cgi-bin/stable_token answered HTTP \(status), " + expected)
    }

    /// A plain-http `base_url` redirected to https on the same host: another origin, which the
    /// client does not follow, and the reason says so rather than "another host".
    @Test func aRedirectFromHTTPToHTTPSNamesTheSchemes() {
        let request = HTTPRequest(url: "http://127.0.0.1:8080/x/relation/stat?vmid=1")
        let response = HTTPResponse(
            status: 301,
            headers: [HTTPHeader("Location", "https://127.0.0.1:8080/x/relation/stat")]
        )
        let error = #expect(throws: AdapterError.self) {
            try JSONResponse.decode(
                response,
                of: request,
                platform: .bilibili,
                envelope: ["code"],
                now: { Timestamp(secondsSinceEpoch: 0) }
            )
        }
        #expect(
            error?.message
                == "bilibili 127.0.0.1:8080/x/relation/stat answered HTTP 301, a redirect to https://127.0.0.1:8080, which"
                + " is not followed: it moves from http to https, another origin; check base_url"
        )
    }

    @Test func aRedirectWithoutALocationSaysSo() {
        let request = HTTPRequest(url: "https://api.bilibili.com/x/relation/stat?vmid=1")
        let error = #expect(throws: AdapterError.self) {
            try JSONResponse.decode(
                HTTPResponse(status: 302),
                of: request,
                platform: .bilibili,
                envelope: ["code"],
                now: { Timestamp(secondsSinceEpoch: 0) }
            )
        }
        #expect(
            error?.message
                == "bilibili api.bilibili.com/x/relation/stat answered HTTP 302 without a Location; check base_url"
        )
    }
}
