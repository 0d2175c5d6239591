public import Collector

/// Weibo account and post counts from the official open API (api.weibo.com, OAuth2;
/// PLATFORMS.md §2.1).
///
/// ## Metrics
/// - `followers`, `following`, `posts` from `GET /2/users/counts.json?uids=…`
///   (`followers_count`, `friends_count`, `statuses_count`), account level.
/// - `shares`, `comments`, `likes` per post from `GET /2/statuses/user_timeline.json`
///   (`reposts_count`, `comments_count`, `attitudes_count`), content level, object = the
///   status id (`idstr`); the posts also fill `objects.csv` (first line of `text`,
///   `created_at`, `https://weibo.com/<uid>/<bid or id>`).
///
/// All are snapshots stamped when observed, `source = api`, `quality = exact`.
///
/// ## Batching
/// `users/counts` answers up to 100 uids per call: the first account of a run fetches the
/// counts of itself and the next 99 accounts, which then use their entry instead of calling
/// again (``WeiboCountsCache``). An entry is used once and never after the reuse window
/// (half the interval, at most an hour).
///
/// ## Tokens
/// Each account needs a token of its own user for its posts (`user_timeline` only returns the
/// authorised user's posts); the counts of any uid can be read with any token. The token is
/// `access_token` when configured (one token for the instance), else the one `collector auth`
/// saved for the account. Web apps cannot refresh Weibo tokens: once per run and token the
/// adapter asks `POST /oauth2/get_token_info` how long the token lives, stores the expiry with
/// the credential (for `collector auth list`), warns in the log a week before it expires with
/// the date to re-authorise by, and fails the account only once it has expired.
///
/// ## Configuration
/// `accounts`, `access_token` (secret), `app_key`, `app_secret` (secret), `redirect_uri`,
/// `posts`, `timeline_pages`, `base_url`; see ``configurationKeys``.
///
/// ## Example output
/// ```
/// collector test --only weibo
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,weibo,5999000001,,followers,1234567,exact,api
/// 2026-11-26T14:03:11+08:00,weibo,5999000001,,following,312,exact,api
/// 2026-11-26T14:03:11+08:00,weibo,5999000001,,posts,18842,exact,api
/// 2026-11-26T14:03:12+08:00,weibo,5999000001,5140000000000001,shares,231,exact,api
/// ```
public struct WeiboAdapter: AuthorizingAdapter, SharedCredentialAdapter {
    public static let type = "weibo"
    /// The `rate` of a section that sets none: 30/m: Weibo's limits are per hour and unpublished.
    public static let defaultRate: Rate? = Rate(count: 30, per: .seconds(60))
    public static let summary =
        "Weibo followers, following, posts and per-post reposts, comments and likes from the official open API (OAuth2)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "accounts",
            type: "array of strings",
            required: true,
            help:
                "Weibo uids (digits, as in weibo.com/u/<uid>), or \"registry\" for every weibo account of the registry."
        ),
        ConfigurationKey("account", type: "string", help: "A single uid, instead of accounts."),
        ConfigurationKey(
            "access_token",
            type: "string",
            secret: true,
            help:
                "A token used for every account; leave out to use the per-account tokens saved by `collector auth`."
        ),
        ConfigurationKey(
            "app_key",
            type: "string",
            help: "The app's App Key (client_id) from open.weibo.com, for `collector auth`."
        ),
        ConfigurationKey(
            "app_secret",
            type: "string",
            secret: true,
            help: "The app's App Secret, for `collector auth` (exchanging the authorisation code)."
        ),
        ConfigurationKey(
            "redirect_uri",
            type: "string",
            help: "The app's authorisation callback URL, exactly as registered on open.weibo.com, for `collector auth`."
        ),
        ConfigurationKey(
            "posts",
            type: "boolean",
            default: "true",
            help: "Also read statuses/user_timeline for per-post reposts, comments and likes."
        ),
        ConfigurationKey(
            "timeline_pages",
            type: "integer",
            default: "1",
            help: "Pages of 100 posts read per account (1 to 50); 1 covers the latest 100 posts."
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
        MetricDescriptor(.followers, .account, "users/counts followers_count"),
        MetricDescriptor(.following, .account, "users/counts friends_count"),
        MetricDescriptor(.posts, .account, "users/counts statuses_count"),
        MetricDescriptor(.shares, .content, "statuses/user_timeline reposts_count (转发)"),
        MetricDescriptor(.comments, .content, "statuses/user_timeline comments_count"),
        MetricDescriptor(.likes, .content, "statuses/user_timeline attitudes_count (赞)"),
    ]

    public static let sampleConfiguration = """
        ## Weibo counts from the official open API (api.weibo.com). Each account's owner
        ## authorises the app once: `collector auth weibo <uid>` prints the page to open and
        ## saves the token. Weibo web apps cannot refresh tokens: the log warns a week ahead.
        [[adapters.weibo]]
          ## Weibo uids (weibo.com/u/<uid>), or "registry" for the registry's weibo accounts.
          accounts = ["5999000001", "5999000002"]
          ## One token for every account; leave empty to use the tokens saved by `collector auth`.
          access_token = "${WEIBO_ACCESS_TOKEN:-}"
          ## The app registered on open.weibo.com, for `collector auth`.
          # app_key = "1234567890"
          # app_secret = "${WEIBO_APP_SECRET}"
          # redirect_uri = "https://example.org/weibo/callback"
          ## Per-post counts from statuses/user_timeline, 100 posts per page.
          # posts = true
          # timeline_pages = 1
          # rate = "30/m"
          # base_url = "https://api.weibo.com"
        """

    static let defaultBaseURL = "https://api.weibo.com"
    /// Posts per `user_timeline` page: the API's maximum.
    static let pageSize = 100
    /// Accounts per `users/counts` call: the API's maximum.
    static let countsBatchSize = 100
    /// How early the log warns about a token's expiry.
    static let expiryWarning: Int64 = 7 * 86_400

    public let name: String
    public let platform = Platform.weibo
    public let accounts: [String]
    public let schedule: AdapterSchedule
    /// The app credential the requests spend (the app_key), shared with other sections that use it.
    public let credentialID: String?
    /// `credential_rate`: the budget of that credential across every section.
    public let credentialRate: Rate?
    let baseURL: String
    let configuredToken: Secret?
    private let readsPosts: Bool
    private let timelinePages: Int
    let app: (key: String, secret: Secret, redirectURI: String)?
    let appMissing: ConfigurationError
    let reuseWindow: Int64
    private let countsCache = WeiboCountsCache()
    let tokenChecks = WeiboTokenChecks()

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        accounts = WeiboUID.accounts(of: configuration, check: &check)
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
        let token =
            check { () throws(ConfigurationError) in try configuration.string("access_token") }.flatMap { $0 } ?? ""
        if token.contains(where: { $0 == "\n" || $0 == "\r" || $0 == " " }) {
            check.report(configuration.error("access_token", "\"access_token\" contains a space or a line break"))
        }
        configuredToken = token.isEmpty ? nil : Secret(token)
        readsPosts = check { () throws(ConfigurationError) in try configuration.bool("posts") }.flatMap { $0 } ?? true
        timelinePages =
            check { () throws(ConfigurationError) in try configuration.integer("timeline_pages") }.flatMap { $0 } ?? 1
        if !(1...50).contains(timelinePages) {
            check.report(configuration.error("timeline_pages", "\"timeline_pages\" must be between 1 and 50"))
        }

        let appKey = check { () throws(ConfigurationError) in try configuration.string("app_key") }.flatMap { $0 }
        let appSecret = check { () throws(ConfigurationError) in try configuration.string("app_secret") }.flatMap { $0 }
        let redirectURI = check { () throws(ConfigurationError) in try configuration.string("redirect_uri") }.flatMap {
            $0
        }
        appMissing = configuration.error(
            nil,
            "`collector auth` needs app_key, app_secret and redirect_uri (from open.weibo.com) in this section"
        )
        let appKeys = [("app_key", appKey), ("app_secret", appSecret), ("redirect_uri", redirectURI)]
        let missing = appKeys.filter { $0.1?.isEmpty != false }.map(\.0)
        if let appKey, let appSecret, let redirectURI, missing.isEmpty {
            if !(redirectURI.hasPrefix("https://") || redirectURI.hasPrefix("http://")) {
                check.report(configuration.error("redirect_uri", "\"redirect_uri\" must be a URL (https://…)"))
            }
            app = (appKey, Secret(appSecret), redirectURI)
        } else if missing.count == appKeys.count {
            app = nil
        } else {
            // A key the loader rejected is not missing: it was reported already.
            if !missing.contains(where: configuration.rejectedKeys.contains) {
                check.report(
                    configuration.error(
                        missing.first,
                        "set all of app_key, app_secret and redirect_uri, or none (\(missing.joined(separator: " and ")) missing)"
                    )
                )
            }
            app = nil
        }
        schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        credentialID = appKey
        credentialRate = check { () throws(ConfigurationError) in try configuration.rate("credential_rate") }.flatMap {
            $0
        }
        if credentialRate != nil && appKey == nil {
            // Without the app key the sections that share the app cannot be told apart.
            check.report(
                configuration.error(
                    "credential_rate",
                    "\"credential_rate\" is the budget of the app: set app_key (with app_secret and redirect_uri) too"
                )
            )
        }
        reuseWindow = WeiboCountsCache.reuseWindow(interval: schedule.interval)
        try check.finish()
    }

    // MARK: - Collecting

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let token = try resolveToken(account: account, context: context)
        do {
            let tokenUID = try await checkToken(token, account: account, context: context)
            do {
                try await collect(account: account, token: token, tokenUID: tokenUID, into: batch, context: context)
            } catch let error as AdapterError where error.hasSameKind(as: .reauthorizationRequired("")) {
                // The token died after its check (21327 expired, 21332 revoked, …): the other
                // accounts sharing it fail from the check record, without a request, as after
                // `expire_in` ≤ 0.
                tokenChecks.store(
                    token.key,
                    .init(token: token.secret, checked: context.now(), uid: tokenUID, failure: error)
                )
                throw error
            }
        } catch let error as AdapterError where error.isRefusedAuthorization && token.credential != nil {
            // Kept with the saved token, so `collector auth` lists the account as needing a new
            // authorisation now rather than valid until its expiry.
            try CredentialStore(state: context.state)
                .recordRefusal(error, instance: name, account: account, at: context.now())
            throw error
        }
    }

    /// Collects `account` with a token that passed its check; `tokenUID` is the uid it belongs
    /// to, when the check told.
    private func collect(
        account: String,
        token: ResolvedToken,
        tokenUID: String?,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        // A shared token's failure asks for the re-authorisation of its owner, not of whichever
        // account happened to spend it.
        let owner = tokenUID ?? account
        let (observed, user) = try await counts(of: account, token: token.secret, owner: owner, context: context)
        do {
            try batch.add(
                contentsOf: WeiboCount.accountSamples(
                    from: user,
                    followingField: "friends_count",
                    profile: .default,
                    account: account,
                    time: observed,
                    source: .api
                )
            )
        } catch let error as JSONFieldError {
            throw error.adapterError
        }

        guard readsPosts else { return }
        if let tokenUID, tokenUID != account {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    label: "permission",
                    message:
                        "posts not read: the token belongs to uid \(tokenUID), and statuses/user_timeline only returns the authorised user's own posts; run `collector auth \(name) \(account)` for this account, or set posts = false"
                )
            )
            return
        }
        try await timeline(of: account, token: token.secret, into: batch, context: context)
    }

    /// Fetches the `users/counts` entry of `account`, from the run's batch when another
    /// account already fetched it.
    private func counts(
        of account: String,
        token: Secret,
        owner: String,
        context: AdapterContext
    ) async throws -> (Timestamp, JSONReader) {
        if let entry = countsCache.take(account, now: context.now(), window: reuseWindow) {
            return (entry.observed, entry.user)
        }
        let uids = batchOfUIDs(startingAt: account)
        let endpoint = "/2/users/counts.json"
        let json = try await call(
            HTTPRequest(url: baseURL + endpoint + "?uids=" + uids.joined(separator: ","), headers: headers(token)),
            endpoint: endpoint,
            account: owner,
            context: context
        )
        let observed = context.now()
        let reader = JSONReader(json, origin: "weibo " + endpoint)
        var entries: [String: WeiboCountsCache.Entry] = [:]
        do {
            for user in try reader.array("") {
                entries[try user.string("id")] = WeiboCountsCache.Entry(observed: observed, user: user)
            }
        } catch {
            throw error.adapterError
        }
        guard let own = entries.removeValue(forKey: account) else {
            throw AdapterError.notFound(
                "weibo \(endpoint): no entry for uid \(account) (the user may not exist or be hidden); check the uid",
                platformCode: "missing-uid"
            )
        }
        countsCache.store(entries)
        return (own.observed, own.user)
    }

    /// `account` and the instance's accounts after it, up to the batch size.
    private func batchOfUIDs(startingAt account: String) -> [String] {
        guard let start = accounts.firstIndex(of: account) else { return [account] }
        var seen: Set<String> = []
        return accounts[start...].filter { seen.insert($0).inserted }.prefix(Self.countsBatchSize).map { $0 }
    }

    /// Reads the account's latest posts, page by page, each post once per run.
    private func timeline(
        of account: String,
        token: Secret,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        let endpoint = "/2/statuses/user_timeline.json"
        // Every post read this run, so that one met again (a page served twice, or the list
        // moving under us) gets no second row.
        var seen: Set<String> = []
        var foreign: Set<String> = []
        for page in 1...timelinePages {
            let query = "?uid=\(account)&count=\(Self.pageSize)&page=\(page)"
            let json = try await call(
                HTTPRequest(url: baseURL + endpoint + query, headers: headers(token)),
                endpoint: endpoint,
                account: account,
                context: context
            )
            let observed = context.now()
            let reader = JSONReader(json, origin: "weibo \(endpoint) page \(page)")
            let statuses: [JSONReader]
            do {
                statuses = try reader.array("statuses")
            } catch {
                throw error.adapterError
            }
            var fresh = 0
            for status in statuses {
                let post: WeiboPost
                do {
                    post = try WeiboPost.read(status, account: account, profile: .default)
                } catch {
                    batch.recordFailure(
                        CollectionFailure(adapter: name, account: account, label: "schemaChanged", message: "\(error)")
                    )
                    continue
                }
                // Checked before any row is added: a repeat is skipped, not written again.
                guard seen.insert(post.id).inserted else { continue }
                fresh += 1
                if let author = post.authorID, author != account {
                    foreign.insert(author)
                    continue
                }
                try add(post, observed: observed, account: account, into: batch)
            }
            // A short page is the last; a page with no post not seen before means the API
            // ignores `page` (or repeats itself): stop rather than loop.
            let nextCursor = try? reader.optionalInt64("next_cursor")
            if statuses.count < Self.pageSize || nextCursor == 0 || fresh == 0 { break }
        }
        if !foreign.isEmpty {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    label: "permission",
                    message:
                        "statuses/user_timeline returned posts of uid \(foreign.sorted().joined(separator: ", ")), not of \(account); they were not stored. The token belongs to another user: run `collector auth \(name) \(account)`"
                )
            )
        }
    }

    /// Adds a post's rows and catalogue entry; a field it lacks is recorded against the post.
    private func add(_ post: WeiboPost, observed: Timestamp, account: String, into batch: SampleBatch) throws {
        try batch.add(contentsOf: post.samples(at: observed, account: account, source: .api))
        batch.add(object: post.object)
        for problem in post.problems {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    object: post.id,
                    label: "schemaChanged",
                    message: problem.description
                )
            )
        }
    }

    // MARK: - HTTP

    func headers(_ token: Secret) -> [HTTPHeader] {
        // The header keeps the token out of the URL, which logs and errors may show.
        [HTTPHeader("Accept", "application/json"), HTTPHeader("Authorization", "OAuth2 " + token.exposedValue)]
    }

    /// Performs `request` and maps an `error_code` body through ``WeiboErrors``; `account` is
    /// the one a token error asks to re-authorise (the token's owner).
    func call(
        _ request: HTTPRequest,
        endpoint: String,
        account: String,
        context: AdapterContext
    ) async throws -> JSONValue {
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .weibo,
            envelope: ["error_code"],
            now: context.now
        )
        let origin = "weibo " + endpoint
        if let code = json["error_code"] {
            let number = code.int64Value ?? code.stringValue.flatMap { Int64($0) }
            guard let number else {
                throw AdapterError.schemaChanged("\(origin): \"error_code\" is not a number")
            }
            throw WeiboErrors.apiError(
                code: number,
                text: json["error"]?.stringValue ?? "",
                origin: origin,
                reauthorize: reauthorizeHint(account)
            )
        }
        guard response.status < 400 else {
            throw AdapterError.badRequest(
                "\(origin) answered HTTP \(response.status) without an error code",
                platformCode: "http-\(response.status)"
            )
        }
        return json
    }
}
