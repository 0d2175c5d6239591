import Collector

/// A platform's login page, as a cookie endpoint's redirect reveals it: the sign that the
/// login cookie no longer works, which the cookie adapters tell apart from any other redirect
/// (a wrong `base_url`, a proxy), which must not be read as a refused cookie.
struct LoginRedirect {
    /// The hosts that are login pages whatever their path (`passport.weibo.cn`).
    var hosts: Set<String>
    /// The platform's domains, on whose hosts a path with one of ``pathWords`` is a login page
    /// too (`weibo.com`: `m.weibo.cn/login`).
    var domains: [String]
    /// The words that make a path on one of ``domains`` a login page (`login`).
    var pathWords: [String]

    /// The login page `response` redirects to, as its scheme and host (`https://passport.weibo.cn`:
    /// never its path or query, which carry the page to return to and may carry a ticket); nil
    /// when it redirects anywhere else. A relative `Location` stays on the requested host, which
    /// is no login host; a scheme-relative one (`//sso.toutiao.com/…`) takes the request's scheme.
    func page(of response: HTTPResponse, for request: HTTPRequest) -> String? {
        guard var location = response.header("Location") else { return nil }
        if location.hasPrefix("//"), let scheme = request.url.firstRange(of: "://") {
            location = request.url[..<scheme.lowerBound] + ":" + location
        }
        guard let schemeEnd = location.firstRange(of: "://") else { return nil }
        let target = HTTPRequest(url: location)
        let host = String(target.host.lowercased().prefix(while: { $0 != ":" }))
        let onPlatform = domains.contains { host == $0 || host.hasSuffix("." + $0) }
        let path = target.path.lowercased()
        guard hosts.contains(host) || (onPlatform && pathWords.contains(where: { path.contains($0) })) else {
            return nil
        }
        return "\(location[..<schemeEnd.lowerBound].lowercased())://\(host)"
    }
}
