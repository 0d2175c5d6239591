import Testing

@testable import Collector

@Suite("HTTPRequest: the URL parts that errors may show")
struct HTTPRequestTests {
    @Test(
        "host, path and redacted URL never carry the query, the fragment or user info",
        arguments: [
            (
                "https://api.weixin.qq.com/datacube/getusercumulate?access_token=SECRET",
                "api.weixin.qq.com", "/datacube/getusercumulate",
                "https://api.weixin.qq.com/datacube/getusercumulate"
            ),
            (
                "http://127.0.0.1:8080/x/relation/stat?vmid=1#top", "127.0.0.1:8080", "/x/relation/stat",
                "http://127.0.0.1:8080/x/relation/stat"
            ),
            ("https://user:pass@example.com/a/b", "example.com", "/a/b", "https://example.com/a/b"),
            ("https://example.com", "example.com", "/", "https://example.com"),
            ("https://example.com?token=SECRET", "example.com", "/", "https://example.com"),
            ("https://example.com#frag", "example.com", "/", "https://example.com"),
            ("https://例子.cn/路径?q=1", "例子.cn", "/路径", "https://例子.cn/路径"),
        ]
    )
    func parts(url: String, host: String, path: String, redacted: String) {
        let request = HTTPRequest(url: url)
        #expect(request.host == host)
        #expect(request.path == path)
        #expect(request.redactedURL == redacted)
    }
}
