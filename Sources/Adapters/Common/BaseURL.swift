import Collector

/// The `base_url` key every HTTP adapter has (SPEC §2): validated once, without a trailing slash.
enum BaseURL {
    /// The section's `key` (`base_url`, or another API root such as `token_url`), or `defaultURL`.
    ///
    /// `https://` only: every adapter sends a secret, a token or a cookie to its API root. Plain
    /// `http://` is accepted for a loopback host alone (`127.0.0.1`, `::1`, `localhost`), where
    /// the platform simulator runs.
    static func validated(
        _ configuration: AdapterConfiguration,
        key: String = "base_url",
        default defaultURL: String
    ) throws(ConfigurationError) -> String {
        var url = try configuration.string(key) ?? defaultURL
        if url.hasPrefix("http://") {
            guard isLoopback(HTTPRequest(url: url).host) else {
                throw configuration.error(
                    key,
                    "\"\(key)\" must use https://: plain http:// would send the credentials unencrypted"
                        + " (http:// is accepted only for a local simulator on 127.0.0.1, ::1 or localhost)"
                )
            }
        } else if !url.hasPrefix("https://") {
            throw configuration.error(
                key,
                "\"\(key)\" must start with https:// (or http:// for a local simulator on 127.0.0.1)"
            )
        }
        guard !url.contains("?") else {
            throw configuration.error(key, "\"\(key)\" must not contain a query string")
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Whether `authority` (`host`, `host:port`, `[v6]:port`, without user info) names this
    /// machine's loopback interface.
    static func isLoopback(_ authority: String) -> Bool {
        var host = Substring(authority)
        if host.hasPrefix("[") {
            // An IPv6 literal: `[::1]` or `[::1]:8080`.
            guard let close = host.firstIndex(of: "]") else { return false }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
    }
}
