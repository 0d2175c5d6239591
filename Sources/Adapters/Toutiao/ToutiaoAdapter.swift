public import Collector
import Logging

/// Toutiao (头条号) followers and per-article counts from the mp.toutiao.com back office
/// (PLATFORMS.md §6), with the operator's login cookie. Opt-in and unofficial: Toutiao documents
/// no API for these counts.
///
/// ## Metrics
/// - `followers` from `GET /mp/agw/statistic/v2/fans/latest_stat` `fans_stat.total_fans_count`
/// - per article (`object` = `item_id`) from `GET /mp/agw/statistic/v2/item/list?type=1`, pages
///   of 30, newest first, while `has_more` says so, at most `max_pages` (a cut list is a notice): `views` (`go_detail_count`, 阅读), `likes`
///   (`digg_count`), `comments` (`comment_count`), `shares` (`share_count`), `favorites`
///   (`repin_count`, 收藏), `toutiao_forwards` (`forward_count`, 转发); titles, publication
///   times and addresses go to `objects.csv`
///
/// All are snapshots stamped when observed, `source = web`; counts are `exact` unless the back
/// office sends a display string; a placeholder (`--`, `null`) writes no row.
///
/// ## Configuration
/// `account` (the 头条号 id written to the files), `cookie` (secret), `max_pages`,
/// `base_url`; see ``configurationKeys``. One cookie is one logged-in account, so one section
/// holds one account; the default budget is one request every 3 s (`rate = "20/m"`), which
/// may be lowered, never raised, and `cooldown` may not go below 1 h (``UnofficialEndpointLimits``).
///
/// ## Failing closed
/// An expired cookie (`code`/`err_no` 100004, as a number or a string, "user not login") stops the instance with
/// "the cookie expired; log in to mp.toutiao.com and replace it", and later runs report
/// "still refused" without a request until the configured cookie changes
/// (``LoginCookieRefusal``); so does a redirect to the login (`sso.toutiao.com`, or a `login`
/// page on a toutiao.com host), which the HTTP client never follows to another host. Any other answer whose
/// `message` is not `"success"` is an error, never skipped silently; an HTML page (a login
/// wall) is a schema change. Nothing is retried against a login wall.
///
/// ## Example output
/// ```
/// collector test --only toutiao
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,toutiao,1600000000000001,,followers,27105,exact,web
/// 2026-11-26T14:03:14+08:00,toutiao,1600000000000001,7480000000000000001,views,18230,exact,web
/// ```
public struct ToutiaoAdapter: Adapter {
    public static let type = "toutiao"
    /// The `rate` of a section that sets none: 20/m, one request every 3 s, also the fastest a cookie session may go.
    public static let defaultRate: Rate? = Rate(count: 20, per: .seconds(60))
    public static let summary =
        "Toutiao followers and per-article counts from the mp.toutiao.com back office (opt-in, login cookie)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "account",
            type: "string",
            required: true,
            help:
                "The 头条号 id written to the files (mp.toutiao.com → 账号设置); one section per account, since one cookie is one login."
        ),
        ConfigurationKey(
            "cookie",
            type: "string",
            required: true,
            secret: true,
            help: "The Cookie header of a logged-in mp.toutiao.com session, through ${VAR} or @file:."
        ),
        ConfigurationKey(
            "max_pages",
            type: "integer",
            default: "10",
            help: "Article-list pages of \(pageSize) read per run, newest first (1-100)."
        ),
        ConfigurationKey(
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The back-office root; tests and the demo point it at the platform simulator."
        ),
        UnofficialEndpointLimits.dailyRequestsKey,
    ]

    public static let metrics: [MetricDescriptor] =
        [MetricDescriptor(.followers, .account, "fans/latest_stat fans_stat.total_fans_count")]
        + itemFields.map { MetricDescriptor($0.metric, .content, "item/list item_datas[].\($0.path), per article") }

    public static let sampleConfiguration = """
        ## Toutiao counts from the mp.toutiao.com back office (unofficial, opt-in, login cookie).
        [[adapters.toutiao]]
          ## The 头条号 id written to the files; one section per account.
          account = "1600000000000001"
          ## The Cookie header of a logged-in mp.toutiao.com session; renew it when it expires.
          cookie = "${TOUTIAO_COOKIE:-sessionid=placeholder}"
          # max_pages = 10
          ## Undocumented endpoints: one request every 3 s at most; a faster rate is refused.
          # rate = "20/m"
          ## Pause after an anti-bot answer: 1h at least.
          # cooldown = "6h"
          ## The most requests a day (Beijing time) with this cookie; may be lowered.
          # daily_requests = 2000
          # base_url = "https://mp.toutiao.com"
        """

    static let defaultBaseURL = "https://mp.toutiao.com"
    static let forwards = MetricName(rawValue: "toutiao_forwards")
    /// Articles per item-list page.
    static let pageSize = 30
    static let fansPath = "/mp/agw/statistic/v2/fans/latest_stat"
    static let itemListPath = "/mp/agw/statistic/v2/item/list"

    /// Item-list field path → metric, in the order the rows are written.
    static let itemFields: [(path: String, metric: MetricName)] = [
        ("item_stat.consume_data.go_detail_count", .views),
        ("item_stat.interaction_data.digg_count", .likes),
        ("item_stat.interaction_data.comment_count", .comments),
        ("item_stat.interaction_data.share_count", .shares),
        ("item_stat.interaction_data.repin_count", .favorites),
        ("item_stat.interaction_data.forward_count", forwards),
    ]

    public let name: String
    public let platform = Platform.toutiao
    public let accounts: [String]
    public let schedule: AdapterSchedule
    package let dailyRequestCap: Int?
    private let baseURL: String
    private let cookie: Secret
    private let maxPages: Int

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        let account = check { () throws(ConfigurationError) in try configuration.requiredString("account") }
        if let account, !account.utf8.allSatisfy({ (48...57).contains($0) }) {
            check.report(
                configuration.error(
                    "account",
                    "toutiao account \(configuration.quoted(account, from: "account")) is not a numeric 头条号 id; copy it from mp.toutiao.com → 账号设置"
                )
            )
        }
        accounts = account.map { [$0] } ?? []
        let cookie = check { () throws(ConfigurationError) in try configuration.requiredString("cookie") } ?? ""
        if cookie.contains("\n") || cookie.contains("\r") {
            check.report(configuration.error("cookie", "\"cookie\" must be one line: the value of the Cookie header"))
        }
        self.cookie = Secret(cookie)
        maxPages =
            check { () throws(ConfigurationError) in try configuration.integer("max_pages") }.flatMap { $0 } ?? 10
        if !(1...100).contains(maxPages) {
            check.report(configuration.error("max_pages", "\"max_pages\" must be between 1 and 100"))
        }
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
        var schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        UnofficialEndpointLimits.check(
            schedule,
            of: configuration,
            site: "mp.toutiao.com",
            access: .loginCookie,
            baseURL: baseURL,
            check: &check
        )
        dailyRequestCap = UnofficialEndpointLimits.dailyRequestCap(
            of: configuration,
            site: "mp.toutiao.com",
            baseURL: baseURL,
            check: &check
        )
        // One login, one account: never two requests of the same session side by side.
        schedule.parallelAccounts = 1
        self.schedule = schedule
        try check.finish()
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        // A cookie refused before is not sent again (fail closed): the account is reported at
        // once, until the configured cookie changes.
        let refusal = LoginCookieRefusal(instance: name, cookie: cookie, state: context.state)
        if let refused = refusal.current() {
            throw refusal.stillRefused(refused, calendar: context.calendar, renewal: Self.renewal)
        }
        do {
            try await collectCounts(account: account, into: batch, context: context)
        } catch let error as AdapterError where error.isRefusedAuthorization {
            // 100004, or a redirect to the login: the session is gone.
            refusal.remember(error, account: account, context: context)
            throw error
        }
    }

    /// What to do about a refused cookie.
    static let renewal = "log in to mp.toutiao.com and replace the cookie"

    /// Reads the followers and the article list of `account`.
    private func collectCounts(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let fans = try await fetch(Self.fansPath + "?app_id=1231", context: context)
        let observed = context.now()
        try addFollowers(fans, account: account, time: observed, into: batch, context: context)

        var seen: Set<String> = []
        for page in 1...maxPages {
            let list = try await fetch(
                Self.itemListPath + "?type=1&page_size=\(Self.pageSize)&page_num=\(page)&app_id=1231",
                context: context
            )
            let listObserved = context.now()
            let items: [JSONReader]
            do {
                guard let value = list.value("item_datas") else {
                    throw JSONFieldError(
                        kind: .missing,
                        path: "item_datas",
                        origin: list.origin,
                        problem: "is missing (the platform may have changed its response)"
                    )
                }
                items = value == .null ? [] : try list.array("item_datas")
            } catch let error as JSONFieldError {
                throw error.adapterError
            }
            var added = 0
            for item in items {
                if try addItem(item, account: account, time: listObserved, seen: &seen, into: batch) { added += 1 }
            }
            // The answer's own `has_more` decides when it is there: the page size is the back
            // office's, which may send fewer than asked for (20) and more after them. Without it,
            // a short page is the last. A page of articles already seen means the endpoint
            // ignores page_num, and reading on would only repeat it.
            let hasMore = list.value("has_more")?.boolValue ?? (items.count >= Self.pageSize)
            if added == 0 || !hasMore { break }
            if page == maxPages {
                batch.recordNotice(listCut(list, account: account, articles: seen.count))
            }
        }
    }

    /// The notice that `max_pages` cut the article list short: once per account and run, since
    /// the older articles' counts are missing from every run until it is raised.
    private func listCut(_ list: JSONReader, account: String, articles: Int) -> CollectionFailure {
        let why = list.value("has_more")?.boolValue == true ? "\"has_more\" is true" : "page \(maxPages) was full"
        return CollectionFailure(
            adapter: name,
            account: account,
            label: "articleListCut",
            message:
                "\(list.origin): the article list goes on after page \(maxPages) (\(why)), but max_pages = \(maxPages):"
                + " the \(articles) newest articles were read, older ones not, in this run or later ones;"
                + " raise max_pages in [[adapters.toutiao]] (at most 100) to read them"
        )
    }

    /// Writes the follower count, or records why there is none.
    private func addFollowers(
        _ fans: JSONReader,
        account: String,
        time: Timestamp,
        into batch: SampleBatch,
        context: AdapterContext
    ) throws {
        let path = "fans_stat.total_fans_count"
        let problem: String
        switch fans.value(path).map({ CountString.parse(json: $0) }) {
        case .count(let count):
            try batch.add(
                Sample(
                    time: time,
                    platform: .toutiao,
                    account: account,
                    metric: .followers,
                    value: count.sampleValue,
                    quality: count.quality,
                    source: .web
                )
            )
            return
        case .missing:
            context.logger.warning("the back office sent no follower count", metadata: ["field": "\(path)"])
            return
        case .rejected(let reason):
            problem = "field \"\(path)\": \(reason)"
        case nil:
            problem = "field \"\(path)\" is missing"
        }
        batch.recordFailure(
            CollectionFailure(
                adapter: name,
                account: account,
                label: AdapterError.schemaChanged("").label,
                message: "\(fans.origin): \(problem) (the platform may have changed its response)"
            )
        )
    }

    /// Writes one article's counts and catalogue row; returns false when the article was
    /// already seen on an earlier page or has no id (recorded).
    private func addItem(
        _ item: JSONReader,
        account: String,
        time: Timestamp,
        seen: inout Set<String>,
        into batch: SampleBatch
    ) throws -> Bool {
        let itemID: String
        do {
            // An empty id would store the article's counts as the account's own (object "").
            itemID = try item.id("item_id")
        } catch {
            let title = ((try? item.optionalString("title")) ?? nil).map(ContentObject.title(from:)) ?? ""
            let which = title.isEmpty ? "the article" : "the article \"\(KnownSecrets.excerpt(title, limit: 60))\""
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    label: AdapterError.schemaChanged("").label,
                    message: "\(error); \(which) was skipped, the other articles are kept"
                )
            )
            return false
        }
        guard seen.insert(itemID).inserted else { return false }
        batch.add(
            object: ContentObject(
                platform: .toutiao,
                object: itemID,
                account: account,
                publishedAt: ((try? item.optionalInt64("create_time")) ?? nil).flatMap {
                    $0 > 0 ? Timestamp(secondsSinceEpoch: $0) : nil
                },
                title: ((try? item.optionalString("title")) ?? nil).map {
                    String($0.prefix(while: { $0 != "\n" && $0 != "\r" }))
                } ?? "",
                url: "https://www.toutiao.com/item/\(itemID)/"
            )
        )
        var problems: [String] = []
        for (path, metric) in Self.itemFields {
            guard let value = item.value(path) else {
                problems.append("field \"\(item.path(path))\" is missing")
                continue
            }
            switch CountString.parse(json: value) {
            case .count(let count):
                try batch.add(
                    Sample(
                        time: time,
                        platform: .toutiao,
                        account: account,
                        object: itemID,
                        metric: metric,
                        value: count.sampleValue,
                        quality: count.quality,
                        source: .web
                    )
                )
            case .missing:
                continue
            case .rejected(let reason):
                problems.append("field \"\(item.path(path))\": \(reason)")
            }
        }
        if !problems.isEmpty {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    object: itemID,
                    label: AdapterError.schemaChanged("").label,
                    message: "\(item.origin): " + problems.joined(separator: "; ")
                        + " (the platform may have changed its response)"
                )
            )
        }
        return true
    }

    /// GETs `pathAndQuery` with the cookie and checks the back office's envelope, failing
    /// closed: 100004 and every message other than `"success"` are errors.
    private func fetch(_ pathAndQuery: String, context: AdapterContext) async throws -> JSONReader {
        let request = HTTPRequest(
            url: baseURL + pathAndQuery,
            headers: [HTTPHeader("Accept", "application/json"), HTTPHeader("Cookie", cookie.exposedValue)]
        )
        let response = try await context.http.fetch(request)
        // The endpoint, not request.path: a base_url may carry a path prefix (the simulator's).
        let origin = "toutiao " + pathAndQuery.prefix(while: { $0 != "?" })
        let json: JSONValue
        do throws(AdapterError) {
            json = try JSONResponse.decode(
                response,
                of: request,
                platform: .toutiao,
                envelope: ["code", "err_no", "message"],
                now: context.now
            )
        } catch {
            throw ToutiaoErrors.redirectRead(error, response: response, of: request, origin: origin)
        }
        guard case .object = json else {
            throw AdapterError.schemaChanged(
                "\(origin): the response is not a JSON object; the back office may have changed"
            )
        }
        let envelope = JSONReader(json, origin: origin)
        // The codes may come as numbers or as numeric strings ("100004"), as counts do: a string
        // 100004 is the same expired cookie, and a string "1" is no success.
        var codes: [Int64] = []
        var unreadable: JSONFieldError?
        for field in ["code", "err_no"] {
            do throws(JSONFieldError) {
                if let code = try envelope.optionalInt64(field) { codes.append(code) }
            } catch {
                unreadable = unreadable ?? error
            }
        }
        let message = json["message"]?.stringValue
        if codes.contains(100004) {
            throw ToutiaoErrors.error(code: 100004, message: message ?? "", origin: origin)
        }
        // A code that is no number at all says nothing of success: fail closed.
        if let unreadable { throw unreadable.adapterError }
        guard let message else {
            throw AdapterError.schemaChanged(
                "\(origin): the response has no \"message\" field; the back office may have changed"
            )
        }
        let failing = codes.first { $0 != 0 }
        guard message == "success", failing == nil else {
            throw ToutiaoErrors.error(code: failing ?? codes.first, message: message, origin: origin)
        }
        return JSONReader(json, origin: origin)
    }
}

extension ToutiaoAdapter: DailyCappedSection {
    /// The followers and every article-list page.
    package var requestsPerRun: Int { 1 + maxPages }
}

extension ToutiaoAdapter: LoginCookieSection {
    package var loginCookie: Secret { cookie }

    package static let sharedLoginConsequence =
        "mp.toutiao.com answers with the counts of the logged-in back-office account whatever \"account\" says,"
        + " so a second section would write that account's counts under another id (and send its login's"
        + " requests side by side); one login, one section"
}
