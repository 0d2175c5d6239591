public import Collector

/// Kuaishou follower and video counts from the official open platform (open.kuaishou.com,
/// PLATFORMS.md §4), for accounts whose owners authorised the instance's app.
///
/// ## Metrics
/// - `followers`, `following` from `GET /openapi/user_info` (`user_info.fan`, `user_info.follow`)
/// - per video (object = `photo_id`): `views`, `likes`, `comments` from `GET /openapi/photo/list`
///   (`view_count`, `like_count`, `comment_count`), with a catalogue row (first line of the
///   caption, `create_time`, `play_url`) in objects.csv
///
/// All are snapshots stamped when observed, `source = api`; counts go through `CountString`,
/// so a count sent as a string is read the same, and a missing one produces no row.
///
/// ## Configuration
/// `accounts` are the open ids the authorisations returned; `app_id` and `app_secret` are the
/// app's (the secret only through `${VAR}` or `@file:`). Each account is authorised once with
/// `collector auth kuaishou`; the credential lives in `state_dir`. The access token (about 48 h)
/// is refreshed when it lapses, or once when the platform answers 100200108 mid-run; the new
/// pair is saved before it is used, because a refresh invalidates the old refresh token. The
/// refresh token keeps its original expiry (about 180 days) however often it is refreshed:
/// fewer than 14 days before that date every collection warns with the date, and afterwards
/// the account fails with `reauthorizationRequired` until it is authorised again.
/// Videos are read newest first, `page_size` per page (at most 200), `max_pages` pages at most.
///
/// ## Example output
/// ```
/// collector test --only kuaishou
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,kuaishou,f0a1b2c3d4e5f60718293a4b5c6d7e8f,,followers,48213,exact,api
/// 2026-11-26T14:03:11+08:00,kuaishou,f0a1b2c3d4e5f60718293a4b5c6d7e8f,3xabcdefghijk12,views,40218,exact,api
/// ```
public struct KuaishouAdapter: AuthorizingAdapter, SharedCredentialAdapter {
    public static let type = "kuaishou"
    /// The `rate` of a section that sets none: 2/s (the platform documents no limit).
    public static let defaultRate: Rate? = Rate(count: 2, per: .seconds(1))
    public static let summary =
        "Kuaishou followers and per-video views, likes and comments from the official open platform (OAuth per account)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "accounts",
            type: "array of strings",
            required: true,
            help:
                "The authorised users' open ids (the open_id `collector auth kuaishou` reports), or \"registry\" for the registry's kuaishou accounts."
        ),
        ConfigurationKey("account", type: "string", help: "A single open id, instead of accounts."),
        ConfigurationKey(
            "app_id",
            type: "string",
            required: true,
            help: "The app's app_id on open.kuaishou.com (its abilities must include user_info and user_video_info)."
        ),
        ConfigurationKey(
            "app_secret",
            type: "string",
            required: true,
            secret: true,
            help: "The app's app_secret, through ${VAR} or @file:PATH."
        ),
        ConfigurationKey(
            "redirect_uri",
            type: "string",
            help: "The redirect URI registered for the app, put into the authorisation link `collector auth` shows."
        ),
        ConfigurationKey(
            "videos",
            type: "boolean",
            default: "true",
            help: "Also read the video list for per-video views, likes and comments."
        ),
        ConfigurationKey(
            "max_pages",
            type: "integer",
            default: "5",
            help: "Video list pages read per account and collection, at most (newest videos first)."
        ),
        ConfigurationKey(
            "page_size",
            type: "integer",
            default: "200",
            help: "Videos per page (the count parameter), 1 to 200."
        ),
        ConfigurationKey(
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The API root; tests and the demo point it at the platform simulator."
        ),
        ConfigurationKey.credentialRate,
    ]

    public static let metrics: [MetricDescriptor] = [
        MetricDescriptor(.followers, .account, "openapi/user_info user_info.fan"),
        MetricDescriptor(.following, .account, "openapi/user_info user_info.follow"),
        MetricDescriptor(.views, .content, "openapi/photo/list video_list[].view_count (cumulative plays)"),
        MetricDescriptor(.likes, .content, "openapi/photo/list video_list[].like_count"),
        MetricDescriptor(.comments, .content, "openapi/photo/list video_list[].comment_count"),
    ]

    public static let sampleConfiguration = """
        ## Kuaishou followers and per-video counts from the official open platform.
        ## Authorise each account once with `collector auth kuaishou`; tokens are kept in state_dir.
        [[adapters.kuaishou]]
          ## The authorised users' open ids, or "registry".
          accounts = ["f0a1b2c3d4e5f60718293a4b5c6d7e8f"]
          ## The app on open.kuaishou.com (abilities user_info and user_video_info).
          app_id = "${KUAISHOU_APP_ID:-ks000000000000000000}"
          app_secret = "${KUAISHOU_APP_SECRET:-placeholder}"
          # redirect_uri = "https://example.edu.cn/kuaishou/callback"
          # videos = true
          # max_pages = 5
          # page_size = 200
          # interval = "24h"
          # base_url = "https://open.kuaishou.com"
        """

    static let defaultBaseURL = "https://open.kuaishou.com"
    static let scopes = "user_info,user_video_info"

    public let name: String
    public let platform = Platform.kuaishou
    public let accounts: [String]
    public let schedule: AdapterSchedule
    /// The app credential the requests spend (the app_id), shared with other sections that use it.
    public let credentialID: String?
    /// `credential_rate`: the budget of that credential across every section.
    public let credentialRate: Rate?
    let api: KuaishouAPI
    let readsVideos: Bool
    let maxPages: Int
    let pageSize: Int
    private let redirectURI: String?

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        accounts = check { () throws(ConfigurationError) in try configuration.accounts(platform: .kuaishou) } ?? []
        let accountsKey = configuration.values["account"] != nil ? "account" : "accounts"
        for account in accounts where !Self.isOpenID(account) {
            check.report(
                configuration.error(
                    "accounts",
                    "kuaishou account \(configuration.quoted(account, from: accountsKey)) is not an open id (letters, digits, - and _); list the open_id that `collector auth kuaishou` reports"
                )
            )
        }
        let appID = check { () throws(ConfigurationError) in try configuration.requiredString("app_id") } ?? ""
        let appSecret = check { () throws(ConfigurationError) in try configuration.requiredString("app_secret") } ?? ""
        api = KuaishouAPI(
            baseURL: check { () throws(ConfigurationError) in
                try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            }
                ?? Self.defaultBaseURL,
            appID: appID,
            appSecret: Secret(appSecret)
        )
        redirectURI = check { () throws(ConfigurationError) in try configuration.string("redirect_uri") }.flatMap { $0 }
        readsVideos = check { () throws(ConfigurationError) in try configuration.bool("videos") }.flatMap { $0 } ?? true
        maxPages = check { () throws(ConfigurationError) in try configuration.integer("max_pages") }.flatMap { $0 } ?? 5
        if !(1...1000).contains(maxPages) {
            check.report(configuration.error("max_pages", "\"max_pages\" must be between 1 and 1000"))
        }
        pageSize =
            check { () throws(ConfigurationError) in try configuration.integer("page_size") }.flatMap { $0 } ?? 200
        if !(1...200).contains(pageSize) {
            check.report(
                configuration.error("page_size", "\"page_size\" must be between 1 and 200 (the platform's maximum)")
            )
        }
        schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        credentialID = appID
        credentialRate = check { () throws(ConfigurationError) in try configuration.rate("credential_rate") }.flatMap {
            $0
        }
        try check.finish()
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        var session = try KuaishouSession(api: api, instance: name, account: account, context: context)
        do {
            try await collect(account: account, session: &session, into: batch, context: context)
        } catch let error as AdapterError where error.isRefusedAuthorization {
            // Kept with the credential, so `collector auth` lists the account as needing a new
            // authorisation now rather than valid until its dates.
            try CredentialStore(state: context.state)
                .recordRefusal(error, instance: name, account: account, at: context.now())
            throw error
        }
    }

    private func collect(
        account: String,
        session: inout KuaishouSession,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        try await session.prepare()

        let info = try await session.get("/openapi/user_info", [])
        let observed = context.now()
        let user: JSONReader
        do {
            user = try info.child("user_info")
        } catch {
            throw JSONResponse.schemaChanged(error)
        }
        try addCount(user, "fan", .followers, account: account, object: "", at: observed, into: batch)
        try addCount(user, "follow", .following, account: account, object: "", at: observed, into: batch)

        guard readsVideos else { return }
        try await collectVideos(account: account, session: &session, into: batch, context: context)
    }

    // MARK: - Authorisation

    public func authorizationURL(account: String) -> String? {
        var query = KuaishouQuery([("app_id", api.appID), ("scope", Self.scopes), ("response_type", "code")])
        if let redirectURI { query.append("redirect_uri", redirectURI) }
        return api.baseURL + "/oauth2/authorize?" + query.encoded
    }

    /// True: the answer's `open_id` names the account, so a placeholder may be given the first time.
    public var authorizationNamesTheAccount: Bool { true }

    public func authorize(account: String, code: String, context: AdapterContext) async throws -> Credential {
        let response = try await api.get(
            "/oauth2/access_token",
            api.codeQuery(code: code),
            reauthorize: "have the account's owner authorise again and run `collector auth \(name)` with the new code",
            context: context
        )
        let credential: Credential
        do {
            credential = try KuaishouTokens.granted(response, obtainedAt: context.now())
        } catch {
            throw JSONResponse.schemaChanged(error)
        }
        let store = CredentialStore(state: context.state)
        if let openID = credential.attributes["open_id"], openID != account {
            // The code is spent: keep what it bought under the account it really belongs to.
            try store.save(credential, instance: name, account: openID)
            throw AdapterError.badRequest(
                "the authorisation was granted by open_id \(openID), not \(account); the credential was saved for \(openID): list \"\(openID)\" in accounts of \(name)"
            )
        }
        try store.save(credential, instance: name, account: account)
        return credential
    }

    // MARK: - Counts

    /// Adds the count at `field` of `reader`; a missing field or an unreadable value is
    /// recorded as a failure, a `null` or placeholder produces no row.
    func addCount(
        _ reader: JSONReader,
        _ field: String,
        _ metric: MetricName,
        account: String,
        object: String,
        at time: Timestamp,
        into batch: SampleBatch
    ) throws {
        let value = reader.value(field)
        let path = reader.path(field)
        switch CountString.parse(json: value) {
        case .count(let count):
            try batch.add(
                Sample(
                    time: time,
                    platform: .kuaishou,
                    account: account,
                    object: object,
                    metric: metric,
                    value: count.sampleValue,
                    quality: count.quality,
                    source: .api
                )
            )
        case .missing:
            guard value == nil else { return }
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    object: object.isEmpty ? nil : object,
                    label: "schemaChanged",
                    message:
                        "\(reader.origin): field \"\(path)\" is missing (the platform may have changed its response); no \(metric) row"
                )
            )
        case .rejected(let reason):
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    object: object.isEmpty ? nil : object,
                    label: "schemaChanged",
                    message: "\(reader.origin): field \"\(path)\": \(reason); no \(metric) row"
                )
            )
        }
    }

    /// Open ids are opaque tokens of letters and digits; `-` and `_` are allowed for safety.
    static func isOpenID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }
}
