import Collector

/// Which of Douyin's two video list endpoints an instance reads (`video_list`, PLATFORMS.md §3.2).
///
/// Both are `GET` with the access token in the `access-token` header and the query
/// `open_id, cursor, count`, and both answer `data.list`, `data.cursor`, `data.has_more`: only the
/// path and the scope differ. The current one is the platform's documented endpoint; the legacy
/// one stays selectable for an app whose console still grants only the older `video.list` ability.
enum DouyinVideoListEndpoint: String, Sendable, CaseIterable {
    /// `/api/douyin/v1/video/video_list/`, scope `video.list.bind`.
    case current
    /// `/video/list/`, scope `video.list`.
    case legacy

    /// The path below the API root.
    var path: String {
        switch self {
        case .current: "/api/douyin/v1/video/video_list/"
        case .legacy: "/video/list/"
        }
    }

    /// The scope the authorisation page asks for so that this endpoint answers.
    var scope: String {
        switch self {
        case .current: "video.list.bind"
        case .legacy: "video.list"
        }
    }

    /// Reads `video_list` (default ``current``).
    /// - Throws: a message naming both values when the key holds another one.
    init(configuration: AdapterConfiguration) throws(ConfigurationError) {
        guard let text = try configuration.string("video_list") else {
            self = .current
            return
        }
        guard let endpoint = Self(rawValue: text) else {
            throw configuration.error(
                "video_list",
                "\"video_list\" must be \"current\" (/api/douyin/v1/video/video_list/) or \"legacy\" (/video/list/), not "
                    + configuration.quoted(text, from: "video_list")
            )
        }
        self = endpoint
    }
}
