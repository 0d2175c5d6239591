public import Collector

/// Weibo account and post counts from the unofficial m.weibo.cn JSON endpoints, with a
/// logged-in cookie (PLATFORMS.md §2.2). Off unless configured; prefer the official `weibo`
/// adapter.
///
/// ## Metrics
/// - `followers`, `following`, `posts` from
///   `GET /api/container/getIndex?type=uid&value=<uid>&containerid=100505<uid>`
///   (`data.userInfo.followers_count`, `follow_count`, `statuses_count`). m.weibo.cn shows
///   followers rounded above 10,000 (`"123.4万"`): such values are `approx`, read with the
///   ``CountProfile/weiboDisplay`` profile; plain integers are `exact`.
/// - `shares`, `comments`, `likes` per post from `…&containerid=107603<uid>` (the cards of
///   `card_type` 9: `mblog.reposts_count`, `comments_count`, `attitudes_count`); `"100万+"` is a
///   `lower_bound`, `"15.4万"` `approx`. The posts also fill `objects.csv`.
///
/// All are snapshots stamped when observed, `source = web`.
///
/// ## Politeness and failing closed
/// One request every 3 s by default (`20/m`), one account at a time (`parallel_accounts` must
/// stay 1). `rate` may be lowered, never raised, and `cooldown` may not go below 1 h
/// (``UnofficialEndpointLimits``). The cookie and `Referer: https://m.weibo.cn/` are sent; nothing is signed and no
/// captcha is answered. A login wall (`ok:-100`) fails the account and every later account of
/// the instance without a request, in later runs too until the cookie changes
/// (``LoginCookieRefusal``): renew the cookie. Throttling (`操作过于频繁`), the empty
/// answer m.weibo.cn gives while a captcha is pending (`这里还没有内容`), any other unexpected
/// `ok:0`, an HTML page and HTTP 418/432 stop the instance for the run.
///
/// ## Configuration
/// `accounts`, `cookie` (secret, required), `posts`, `timeline_pages`, `base_url`; see
/// ``configurationKeys``.
///
/// ## Example output
/// ```
/// collector test --only weibo_web
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,weibo,5999000001,,followers,1234000,approx,web
/// 2026-11-26T14:03:11+08:00,weibo,5999000001,,following,312,exact,web
/// 2026-11-26T14:03:14+08:00,weibo,5999000001,5139990000000002,shares,1000000,lower_bound,web
/// ```
public struct WeiboWebAdapter: Adapter {
    public static let type = "weibo_web"
    /// The `rate` of a section that sets none: 20/m, one request every 3 s, also the fastest a cookie session may go.
    public static let defaultRate: Rate? = Rate(count: 20, per: .seconds(60))
    public static let summary =
        "Weibo followers, following, posts and per-post counts from unofficial m.weibo.cn endpoints (cookie; opt-in, fails closed)."

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
            "cookie",
            type: "string",
            required: true,
            secret: true,
            help:
                "The Cookie header of a logged-in m.weibo.cn session, from ${VAR} or @file:PATH; renew it when the log says so."
        ),
        ConfigurationKey(
            "posts",
            type: "boolean",
            default: "true",
            help: "Also read the timeline cards for per-post reposts, comments and likes (one more request per page)."
        ),
        ConfigurationKey(
            "timeline_pages",
            type: "integer",
            default: "1",
            help: "Timeline pages (about 10 posts each) read per account, 1 to 10."
        ),
        ConfigurationKey(
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The site root; tests point it at the platform simulator."
        ),
        UnofficialEndpointLimits.dailyRequestsKey,
    ]

    public static let metrics: [MetricDescriptor] = [
        MetricDescriptor(.followers, .account, "getIndex userInfo.followers_count (approx when shown as 万)"),
        MetricDescriptor(.following, .account, "getIndex userInfo.follow_count"),
        MetricDescriptor(.posts, .account, "getIndex userInfo.statuses_count"),
        MetricDescriptor(.shares, .content, "getIndex cards mblog.reposts_count"),
        MetricDescriptor(.comments, .content, "getIndex cards mblog.comments_count"),
        MetricDescriptor(.likes, .content, "getIndex cards mblog.attitudes_count"),
    ]

    public static let sampleConfiguration = """
        ## Weibo counts from unofficial m.weibo.cn endpoints with a logged-in cookie. Off unless
        ## configured; prefer [[adapters.weibo]]. Stops on a login wall or risk control.
        [[adapters.weibo_web]]
          ## Weibo uids (weibo.com/u/<uid>), or "registry" for the registry's weibo accounts.
          accounts = ["5999000001"]
          ## The Cookie header of a logged-in m.weibo.cn session: a secret.
          cookie = "${WEIBO_COOKIE:-SUB=placeholder}"
          # posts = true
          # timeline_pages = 1
          ## Unofficial endpoint: one request every 3 s at most; a faster rate is refused.
          # rate = "20/m"
          ## Pause after an anti-bot answer: 1h at least.
          # cooldown = "6h"
          ## The most requests a day (Beijing time) with this cookie; may be lowered.
          # daily_requests = 2000
          # base_url = "https://m.weibo.cn"
        """

    static let defaultBaseURL = "https://m.weibo.cn"
    static let referer = "https://m.weibo.cn/"

    public let name: String
    public let platform = Platform.weibo
    /// m.weibo.cn, not the official api.weibo.com: its anti-bot answers (HTTP 432, 418) come
    /// from the web site's risk control, so its breaker leaves the `weibo` adapter running.
    public let riskControlService = CircuitBreaker.Service(platform: .weibo, name: "weibo_web")
    public let accounts: [String]
    public let schedule: AdapterSchedule
    package let dailyRequestCap: Int?
    private let baseURL: String
    private let cookie: Secret
    private let readsPosts: Bool
    private let timelinePages: Int
    private let reuseWindow: Int64
    private let latch = WeiboCookieLatch()

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        accounts = WeiboUID.accounts(of: configuration, check: &check)
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
        let raw = check { () throws(ConfigurationError) in try configuration.requiredString("cookie") }
        var cookie: String?
        if let raw {
            if raw.contains(where: { $0 == "\n" || $0 == "\r" }) {
                check.report(
                    configuration.error("cookie", "\"cookie\" must be one line (the value of the Cookie header)")
                )
            } else if let sanitized = Self.sanitizedCookie(raw) {
                cookie = sanitized
            } else {
                check.report(configuration.error("cookie", "\"cookie\" holds no name=value pair"))
            }
        }
        self.cookie = Secret(cookie ?? "")
        readsPosts = check { () throws(ConfigurationError) in try configuration.bool("posts") }.flatMap { $0 } ?? true
        timelinePages =
            check { () throws(ConfigurationError) in try configuration.integer("timeline_pages") }.flatMap { $0 } ?? 1
        if !(1...10).contains(timelinePages) {
            check.report(configuration.error("timeline_pages", "\"timeline_pages\" must be between 1 and 10"))
        }
        schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        UnofficialEndpointLimits.check(
            schedule,
            of: configuration,
            site: "m.weibo.cn",
            access: .loginCookie,
            baseURL: baseURL,
            check: &check
        )
        dailyRequestCap = UnofficialEndpointLimits.dailyRequestCap(
            of: configuration,
            site: "m.weibo.cn",
            baseURL: baseURL,
            check: &check
        )
        if schedule.parallelAccounts != 1 && BaseURL.isLoopback(HTTPRequest(url: baseURL).host) {
            // One login is one session, the simulator's too: its accounts never go side by side.
            check.report(
                configuration.error(
                    "parallel_accounts",
                    "weibo_web collects one account at a time (an unofficial endpoint); remove \"parallel_accounts\""
                )
            )
        }
        reuseWindow = WeiboCountsCache.reuseWindow(interval: schedule.interval)
        try check.finish()
    }

    /// The cookie without `SSOLoginState`, whose presence alone draws HTTP 432 (PLATFORMS.md
    /// §2.2), and without empty pairs; nil when no pair is left.
    package static func sanitizedCookie(_ raw: String) -> String? {
        let pairs = raw.split(separator: ";").compactMap { part -> String? in
            let pair = part.drop(while: { $0 == " " || $0 == "\t" })
            let trimmed = String(pair.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
            guard let equals = trimmed.firstIndex(of: "="), equals > trimmed.startIndex else { return nil }
            return trimmed[..<equals] == "SSOLoginState" ? nil : trimmed
        }
        return pairs.isEmpty ? nil : pairs.joined(separator: "; ")
    }

    // MARK: - Collecting

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        if let rejection = latch.current(now: context.now(), window: reuseWindow) {
            throw AdapterError.reauthorizationRequired(
                "not collected: m.weibo.cn rejected the cookie (login wall) on account \(rejection.account) in this run; renew the cookie",
                platformCode: "ok:-100"
            )
        }
        // A login wall met in an earlier run: the cookie is not sent again until it changes.
        let refusal = LoginCookieRefusal(instance: name, cookie: cookie, state: context.state)
        if let refused = refusal.current() {
            throw refusal.stillRefused(refused, calendar: context.calendar, renewal: "renew the cookie")
        }
        let profile = try await getIndex(account: account, container: "100505", extra: "", what: "profile", context)
        let observed = context.now()
        do {
            try batch.add(
                contentsOf: WeiboCount.accountSamples(
                    from: try profile.child("data.userInfo"),
                    followingField: "follow_count",
                    profile: .weiboDisplay,
                    account: account,
                    time: observed,
                    source: .web
                )
            )
        } catch let error as JSONFieldError {
            throw error.adapterError
        }
        guard readsPosts else { return }
        try await timeline(of: account, into: batch, context: context)
    }

    /// Reads the timeline cards, following `since_id` for further pages. A post is written once
    /// per run: the pinned post (`isTop`) heads every page, and m.weibo.cn may serve a page
    /// again under a new `since_id`; a page that brings no post not seen before ends the paging.
    private func timeline(of account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        var cursor: String?
        var seen: Set<String> = []
        for page in 1...timelinePages {
            let extra = cursor.map { "&since_id=\($0)" } ?? ""
            let reader = try await getIndex(account: account, container: "107603", extra: extra, what: "posts", context)
            let observed = context.now()
            let cards: [JSONReader]
            do {
                cards = try reader.array("data.cards")
            } catch {
                throw error.adapterError
            }
            var posts = 0
            var fresh = 0
            for card in cards {
                guard (try? card.optionalInt64("card_type")) == 9, let mblog = try? card.child("mblog") else {
                    continue
                }
                let post: WeiboPost
                do {
                    post = try WeiboPost.read(mblog, account: account, profile: .weiboDisplay)
                } catch {
                    batch.recordFailure(
                        CollectionFailure(adapter: name, account: account, label: "schemaChanged", message: "\(error)")
                    )
                    continue
                }
                posts += 1
                // Checked before any row is added: a repeat is skipped, not written again.
                guard seen.insert(post.id).inserted else { continue }
                fresh += 1
                // A card of another author (a recommendation slipped into the list) is not ours.
                if let author = post.authorID, author != account { continue }
                try batch.add(contentsOf: post.samples(at: observed, account: account, source: .web))
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
            // A page of posts all seen before is a repeated page: reading on would only repeat it.
            guard page < timelinePages, !cards.isEmpty, posts == 0 || fresh > 0,
                let next = try? reader.optionalString("data.cardlistInfo.since_id"), next != "0", next != cursor
            else { break }
            cursor = next
        }
    }

    // MARK: - HTTP

    /// GETs one container of `account` and checks the `ok` envelope.
    private func getIndex(
        account: String,
        container: String,
        extra: String,
        what: String,
        _ context: AdapterContext
    ) async throws -> JSONReader {
        let request = HTTPRequest(
            url: baseURL + "/api/container/getIndex?type=uid&value=\(account)&containerid=\(container)\(account)"
                + extra,
            headers: [
                HTTPHeader("Accept", "application/json, text/plain, */*"),
                HTTPHeader("Referer", Self.referer),
                HTTPHeader("X-Requested-With", "XMLHttpRequest"),
                HTTPHeader("Cookie", cookie.exposedValue),
            ]
        )
        let response = try await context.http.fetch(request)
        let origin = "weibo m.weibo.cn getIndex (\(what))"
        let decoded = Result { () throws(AdapterError) -> JSONValue in
            try JSONResponse.decode(response, of: request, platform: .weibo, envelope: ["ok"], now: context.now)
        }
        if case .failure(let error) = decoded, (300...399).contains(response.status) {
            // m.weibo.cn sends an expired cookie to the login page on passport.weibo.cn, which
            // the client does not follow (another host): the same wall as a login page. Any
            // other redirect is reported as one, naming its target, without opening the breaker.
            throw WeiboErrors.webRedirect(
                error,
                response: response,
                of: request,
                origin: origin,
                defaultBaseURL: Self.defaultBaseURL
            )
        }
        if case .failure(let error) = decoded, response.looksLikeHTML,
            error.hasSameKind(as: .schemaChanged("")) || error.hasSameKind(as: .badRequest(""))
        {
            // On m.weibo.cn an HTML page is a login or verification page, not a changed API:
            // fail closed.
            throw AdapterError.antiBot(
                "\(origin): an HTML page came instead of JSON (HTTP \(response.status)), a login or verification wall; check the cookie in a browser",
                platformCode: "http-\(response.status)"
            )
        }
        let json = try decoded.get()
        guard let okValue = json["ok"] else {
            throw AdapterError.schemaChanged("\(origin): the response has no \"ok\" field; the site may have changed")
        }
        guard let ok = okValue.int64Value ?? okValue.stringValue.flatMap({ Int64($0) }) else {
            throw AdapterError.schemaChanged("\(origin): \"ok\" is not a number; the site may have changed")
        }
        if let error = WeiboErrors.webError(ok: ok, message: json["msg"]?.stringValue ?? "", origin: origin) {
            if ok == -100 {
                latch.reject(account: account, at: context.now())
                LoginCookieRefusal(instance: name, cookie: cookie, state: context.state)
                    .remember(error, account: account, context: context)
            }
            throw error
        }
        return JSONReader(json, origin: origin)
    }
}

extension WeiboWebAdapter: DailyCappedSection {
    /// The profile and, with `posts`, every timeline page of each account.
    package var requestsPerRun: Int { accounts.count * (1 + (readsPosts ? timelinePages : 0)) }
}

extension WeiboWebAdapter: LoginCookieSection {
    package var loginCookie: Secret { cookie }

    package static let sharedLoginConsequence =
        "the limits of one request every 3 s and one account at a time, and the stop after a login wall, hold"
        + " per section, so two sections would send m.weibo.cn that login's requests side by side and go on"
        + " with it after it was rejected; put the accounts of that login into one section"
}
