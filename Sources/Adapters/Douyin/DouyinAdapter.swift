public import Collector

/// Douyin account and video counts from the official open platform (open.douyin.com,
/// PLATFORMS.md §3), with the account owner's OAuth authorisation.
///
/// ## Metrics
/// Account level, one row per platform day of the rolling `days` window, stamped 00:00 of `date`:
/// - `followers` (`total_fans`) and `douyin_net_followers` (`new_fans`: the net change, which
///   may be negative — not `followers_new`) from `/data/external/user/fans/`
/// - `posts` (`total_issue`), `posts_new` (`new_issue`), `views` (`new_play`) from `/data/external/user/item/`
/// - `likes`, `comments`, `shares` (`new_like`, `new_comment`, `new_share`) from
///   `/data/external/user/like/`, `/comment/`, `/share/`
/// - `profile_views` (`profile_uv`) from `/data/external/user/profile/`
///
/// Content level (`object` = the video's `item_id`), snapshots stamped when observed:
/// - `views`, `likes`, `comments`, `shares`, `douyin_forwards` from the video list
///   (`/api/douyin/v1/video/video_list/`, or `/video/list/` with `video_list = "legacy"`) `statistics`
///   (`play_count`, `digg_count`, `comment_count`, `share_count`, `forward_count`), every video
///   (a `play_count` of 0 only for a public one: ``DouyinVideoVisibility``);
///   title, `create_time` and `share_url` go to objects.csv
/// - `douyin_avg_play_seconds` from `/data/external/item/base/`, videos under 30 days old
///
/// All rows are `source = api`; counts sent as strings (`"214"`) are exact.
///
/// ## Configuration
/// `accounts` (open_ids), `client_key`, `client_secret` (secret), `days` (7, 15 or 30),
/// `videos`, `video_list`, `play_duration`, `scopes`, `redirect_uri`, `base_url`. Tokens come from
/// `collector auth` and live in `state_dir`; the adapter refreshes the access token when it has
/// less than a day left, renews the refresh token when it has less than three days left (at
/// most 5 times), and then asks the operator to re-authorise by an absolute date.
///
/// ## Example output
/// ```
/// collector test --only douyin
/// time,platform,account,object,metric,value,quality,source
/// 2025-03-07T00:00:00+08:00,douyin,0da22181-0000-4000-8000-00000000feed,,followers,52488,exact,api
/// 2025-03-07T00:00:00+08:00,douyin,0da22181-0000-4000-8000-00000000feed,,douyin_net_followers,23,exact,api
/// 2025-11-25T10:02:41+08:00,douyin,0da22181-0000-4000-8000-00000000feed,@9VwKzuuES8gm…==,views,96510,exact,api
/// ```
public struct DouyinAdapter: AuthorizingAdapter, SharedCredentialAdapter {
    public static let type = "douyin"
    /// The `rate` of a section that sets none: 5/s (Douyin publishes no quota; each app's is in its console).
    public static let defaultRate: Rate? = Rate(count: 5, per: .seconds(1))
    public static let summary =
        "Douyin followers, daily account data and video counts from the official open platform (OAuth, 企业/党政/事业单位 developers)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "accounts",
            type: "array of strings",
            required: true,
            help:
                "Douyin open_ids (shown by `collector auth` after the owner's authorisation), or \"registry\" for every douyin account of the registry."
        ),
        ConfigurationKey("account", type: "string", help: "A single open_id, instead of accounts."),
        ConfigurationKey(
            "client_key",
            type: "string",
            required: true,
            help: "The app's client_key from the Douyin open platform console."
        ),
        ConfigurationKey(
            "client_secret",
            type: "string",
            required: true,
            secret: true,
            help: "The app's client_secret: \"${VAR}\" or \"@file:PATH\", never the literal."
        ),
        ConfigurationKey(
            "days",
            type: "integer",
            default: "7",
            help: "The rolling window of the daily account data (date_type): 7, 15 or 30 days."
        ),
        ConfigurationKey(
            "videos",
            type: "boolean",
            default: "true",
            help: "Also list the account's videos for per-video views, likes, comments and shares."
        ),
        ConfigurationKey(
            "video_list",
            type: "string",
            default: "current",
            help:
                "The video list endpoint: \"current\" (/api/douyin/v1/video/video_list/, scope video.list.bind) or \"legacy\" (/video/list/, scope video.list, for an app granted only the older ability)."
        ),
        ConfigurationKey(
            "play_duration",
            type: "boolean",
            default: "true",
            help:
                "Also read /data/external/item/base/ for videos under 30 days old: douyin_avg_play_seconds (one request per such video)."
        ),
        ConfigurationKey(
            "scopes",
            type: "array of strings",
            default: "[\"data.external.user\", \"data.external.item\", \"video.list.bind\"]",
            help:
                "The scopes the authorisation page asks for (add renew_refresh_token if the console lists it); the default asks for video.list instead of video.list.bind with video_list = \"legacy\"."
        ),
        ConfigurationKey(
            "redirect_uri",
            type: "string",
            help: "The redirect URI registered in the console, put into the authorisation page's address."
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
        MetricDescriptor(.followers, .account, "user/fans total_fans, per day"),
        MetricDescriptor(
            DouyinUserSeries.netFollowers,
            .account,
            "user/fans new_fans, per day: the net change of followers (may be negative)"
        ),
        MetricDescriptor(.posts, .account, "user/item total_issue, per day"),
        MetricDescriptor(.postsNew, .account, "user/item new_issue, per day"),
        MetricDescriptor(.views, .account, "user/item new_play, per day"),
        MetricDescriptor(.likes, .account, "user/like new_like, per day"),
        MetricDescriptor(.comments, .account, "user/comment new_comment, per day"),
        MetricDescriptor(.shares, .account, "user/share new_share, per day"),
        MetricDescriptor(.profileViews, .account, "user/profile profile_uv (unique visitors), per day"),
        MetricDescriptor(
            .views,
            .content,
            "video list statistics.play_count (a 0 only when video_status 5, public: private videos read 0)"
        ),
        MetricDescriptor(.likes, .content, "video list statistics.digg_count"),
        MetricDescriptor(.comments, .content, "video list statistics.comment_count"),
        MetricDescriptor(.shares, .content, "video list statistics.share_count"),
        MetricDescriptor(forwards, .content, "video list statistics.forward_count"),
        MetricDescriptor(
            averagePlaySeconds,
            .content,
            "item/base avg_play_duration in seconds, videos under 30 days old"
        ),
    ]

    public static let sampleConfiguration = """
        ## Douyin accounts through the official open platform (open.douyin.com). The app must
        ## belong to a 企业, 党政 or 事业单位 developer and hold the 用户数据/视频数据 abilities;
        ## each account owner authorises it once: `collector auth douyin <open_id> <code>`.
        [[adapters.douyin]]
          ## open_ids of the authorised accounts.
          accounts = ["0da22181-0000-4000-8000-00000000feed"]
          client_key = "${DOUYIN_CLIENT_KEY:-awexxxxxxxxxxxxxxxx}"
          client_secret = "${DOUYIN_CLIENT_SECRET:-placeholder}"
          ## Rolling window of the daily account data: 7, 15 or 30.
          # days = 7
          # videos = true
          ## The video list endpoint: "current" or "legacy" (/video/list/).
          # video_list = "current"
          # play_duration = true
          # interval = "24h"
          # base_url = "https://open.douyin.com"
        """

    static let defaultBaseURL = "https://open.douyin.com"
    static let forwards = MetricName(rawValue: "douyin_forwards")
    static let averagePlaySeconds = MetricName(rawValue: "douyin_avg_play_seconds")
    /// The scopes asked for when `scopes` is not set: the video list's follows `video_list`.
    static func defaultScopes(videoList: DouyinVideoListEndpoint) -> [String] {
        ["data.external.user", "data.external.item", videoList.scope]
    }

    public let name: String
    public let platform = Platform.douyin
    public let accounts: [String]
    public let schedule: AdapterSchedule
    /// The app credential the requests spend (the client_key), shared with other sections that use it.
    public let credentialID: String?
    /// `credential_rate`: the budget of that credential across every section.
    public let credentialRate: Rate?
    let api: DouyinAPI
    let days: Int
    let readsVideos: Bool
    /// `video_list`: the endpoint the videos are listed from.
    let videoList: DouyinVideoListEndpoint
    let readsPlayDuration: Bool
    private let scopes: [String]
    private let redirectURI: String?

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        accounts = check { () throws(ConfigurationError) in try configuration.accounts(platform: .douyin) } ?? []
        let accountsKey = configuration.values["account"] != nil ? "account" : "accounts"
        for account in accounts where account.isEmpty || account.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            check.report(
                configuration.error(
                    "accounts",
                    "douyin account \(configuration.quoted(account, from: accountsKey)) is not an open_id; `collector auth` shows the open_id of an authorised account"
                )
            )
        }
        let clientKey = check { () throws(ConfigurationError) in try configuration.requiredString("client_key") } ?? ""
        let clientSecret =
            check { () throws(ConfigurationError) in try configuration.requiredString("client_secret") } ?? ""
        api = DouyinAPI(
            baseURL: check { () throws(ConfigurationError) in
                try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            }
                ?? Self.defaultBaseURL,
            clientKey: clientKey,
            clientSecret: Secret(clientSecret)
        )
        days = check { () throws(ConfigurationError) in try configuration.integer("days") }.flatMap { $0 } ?? 7
        if ![7, 15, 30].contains(days) {
            check.report(
                configuration.error("days", "\"days\" must be 7, 15 or 30 (Douyin's date_type windows), not \(days)")
            )
        }
        readsVideos = check { () throws(ConfigurationError) in try configuration.bool("videos") }.flatMap { $0 } ?? true
        videoList =
            check { () throws(ConfigurationError) in try DouyinVideoListEndpoint(configuration: configuration) }
            ?? .current
        readsPlayDuration =
            check { () throws(ConfigurationError) in try configuration.bool("play_duration") }.flatMap { $0 } ?? true
        scopes =
            check { () throws(ConfigurationError) in try configuration.strings("scopes") }.flatMap { $0 }
            ?? Self.defaultScopes(videoList: videoList)
        if scopes.isEmpty || scopes.contains(where: \.isEmpty) {
            check.report(configuration.error("scopes", "\"scopes\" must list at least one scope, none empty"))
        }
        redirectURI = check { () throws(ConfigurationError) in try configuration.string("redirect_uri") }.flatMap { $0 }
        schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        credentialID = clientKey
        credentialRate = check { () throws(ConfigurationError) in try configuration.rate("credential_rate") }.flatMap {
            $0
        }
        try check.finish()
    }

    // MARK: - Authorisation

    public func authorizationURL(account: String) -> String? {
        api.authorizationURL(scopes: scopes, redirectURI: redirectURI, state: account)
    }

    /// Exchanges the code for tokens and saves them under the open_id the platform returns.
    /// - Throws: ``AdapterError/badRequest(_:platformCode:requestID:)`` when the code belongs to
    ///   another configured account than `account` (the credential is saved for the right one).
    public func authorize(account: String, code: String, context: AdapterContext) async throws -> Credential {
        let grant = try await api.exchange(code: code, context: context)
        guard let accessToken = grant.accessToken else {
            throw AdapterError.schemaChanged("douyin /oauth/access_token/: the answer has no access token")
        }
        let now = context.now()
        let openID = grant.openID.flatMap { $0.isEmpty ? nil : $0 } ?? account
        var attributes = ["open_id": openID]
        if let scope = grant.scope { attributes["scope"] = scope }
        let credential = Credential(
            accessToken: accessToken,
            refreshToken: grant.refreshToken,
            obtainedAt: now,
            expiresAt: now.adding(seconds: grant.expiresIn),
            refreshExpiresAt: grant.refreshExpiresIn.map { now.adding(seconds: $0) },
            renewals: 0,
            attributes: attributes
        )
        try CredentialStore(state: context.state).save(credential, instance: name, account: openID)
        if openID != account && accounts.contains(account) {
            throw AdapterError.badRequest(
                "the code was authorised by the Douyin account with open_id \(openID), not \(account); "
                    + "the tokens are saved for \(openID): add \"\(openID)\" to accounts in [[adapters.douyin]], "
                    + "or have the owner of \(account) scan the authorisation page"
            )
        }
        return credential
    }

    /// The open_id the credential was saved under: the operator gives a placeholder the first time.
    /// True: the answer's `open_id` names the account, so a placeholder may be given the first time.
    public var authorizationNamesTheAccount: Bool { true }

    public func savedAccount(of credential: Credential, authorizing account: String) -> String {
        credential.attributes["open_id"] ?? account
    }

    /// While renewals remain the runs extend the authorisation, so the refresh token's expiry is
    /// not the owner's deadline: the note gives the estimated end after the last renewal.
    public func renewalNote(for credential: Credential, at now: Timestamp, calendar: PlatformCalendar) -> String? {
        guard DouyinTokenPolicy.deadline(for: credential, at: now) == nil,
            let estimate = DouyinTokenPolicy.estimatedEnd(of: credential)
        else { return nil }
        let left = DouyinTokenPolicy.maximumRenewals - credential.renewals
        return "renewed by the runs (\(left) of \(DouyinTokenPolicy.maximumRenewals) renewals left): "
            + "no re-authorisation needed before about \(calendar.civilDate(of: estimate)); the run warns 7 days ahead"
    }

    // MARK: - Collection

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        // The quota is the app's: once used up, no account of the instance asks before 00:00
        // Beijing time (one small state read per account, none per request).
        let quotaFile = "douyin-\(name).quota"
        try DailyQuotaStop.check(
            try DailyQuotaStop.load(quotaFile, state: context.state),
            now: context.now(),
            quota: "the app's daily quota (28003017)",
            platformCode: "28003017"
        )
        do {
            try await collectAccount(account, into: batch, context: context)
        } catch let error as AdapterError where DailyQuotaStop.isUsedUp(error) {
            try DailyQuotaStop.save(DailyQuotaStop.until(after: context.now()), file: quotaFile, state: context.state)
            throw error
        }
    }

    private func collectAccount(_ account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let session = try DouyinSession(api: api, instance: name, account: account, context: context, batch: batch)
        try await session.prepare()
        var deferred: [AdapterError] = []
        for series in DouyinUserSeries.all {
            do {
                let response = try await session.get(
                    series.endpoint,
                    query: [("open_id", account), ("date_type", String(days))]
                )
                var problems = DouyinFieldProblems()
                try batch.add(
                    contentsOf: series.samples(
                        from: response,
                        account: account,
                        calendar: context.calendar,
                        problems: &problems
                    )
                )
                if let problem = problems.error { deferred.append(problem) }
            } catch let error as AdapterError where Self.concernsOneEndpoint(error) {
                deferred.append(error)
            }
        }
        if readsVideos {
            try await collectVideos(
                account: account,
                session: session,
                batch: batch,
                context: context,
                deferred: &deferred
            )
        }
        try report(deferred, account: account, batch: batch)
    }

    /// Whether an error is about one endpoint (a missing ability, a changed response) rather
    /// than the whole account: the other endpoints are still read.
    static func concernsOneEndpoint(_ error: AdapterError) -> Bool {
        let local: [AdapterError] = [.permission(""), .notFound(""), .badRequest(""), .schemaChanged("")]
        return local.contains { error.hasSameKind(as: $0) } || error.platformCode == "28001012"
    }

    /// Records the endpoint failures, one per platform code; throws the first when the account
    /// produced no sample at all.
    private func report(_ errors: [AdapterError], account: String, batch: SampleBatch) throws {
        var merged: [AdapterError] = []
        var repeats: [Int] = []
        for error in errors {
            if let code = error.platformCode, let index = merged.firstIndex(where: { $0.platformCode == code }) {
                repeats[index] += 1
            } else {
                merged.append(error)
                repeats.append(0)
            }
        }
        for index in merged.indices where repeats[index] > 0 {
            let count = repeats[index]
            merged[index].message += " (the same on \(count) more endpoint\(count == 1 ? "" : "s"))"
        }
        guard let first = merged.first else { return }
        let nothingCollected = batch.addedCount == 0
        for error in nothingCollected ? Array(merged.dropFirst()) : merged {
            batch.recordFailure(DouyinSession.collectionFailure(error, instance: name, account: account))
        }
        if nothingCollected { throw first }
    }
}
