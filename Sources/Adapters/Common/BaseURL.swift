import Collector

/// The `base_url` key every HTTP adapter has (SPEC §2): validated once, without a trailing slash.
enum BaseURL {
    /// The section's `base_url`, or `defaultURL`.
    static func validated(
        _ configuration: AdapterConfiguration,
        default defaultURL: String
    ) throws(ConfigurationError) -> String {
        var url = try configuration.string("base_url") ?? defaultURL
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw configuration.error(
                "base_url",
                "\"base_url\" must start with https:// (or http:// for a local simulator)"
            )
        }
        guard !url.contains("?") else {
            throw configuration.error("base_url", "\"base_url\" must not contain a query string")
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
