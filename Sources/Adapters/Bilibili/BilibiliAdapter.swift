public import Collector

/// Bilibili account counts, and optionally per-video counts, from the public web API
/// (PLATFORMS.md §5.2), no login needed.
///
/// ## Metrics
/// - `followers`, `following` from `GET /x/relation/stat?vmid=<mid>`
/// - `posts` (videos) and `bilibili_likes_received` (lifetime likes) from `GET /x/web-interface/card?mid=<mid>`
/// - with `videos`: `views`, `danmaku`, `comments`, `favorites`, `coins`, `shares`, `likes` per
///   video (`object` = bvid) from `GET /x/web-interface/view?bvid=<bvid>` `data.stat`, and the
///   video's title, publication time and address in `objects.csv`
///
/// All are snapshots stamped when observed, `source = web`; counts are `exact` unless the
/// platform sends a display string. A play count of `"--"` (access-restricted videos) writes
/// no row. A negative account count (the web API answers `-1` for a figure the account does
/// not show) writes no row either: it is reported as a notice (`notPublished`), not a failure.
///
/// ## Configuration
/// `accounts` (mids), `card`, `videos`, `base_url`; see ``configurationKeys``. The videos are
/// listed in the configuration: listing an account's uploads needs the WBI-signed
/// `x/space/wbi/arc/search`, and the collector computes no signature. The official API
/// (`bilibili_open`) lists uploads by itself.
///
/// ## Politeness
/// These endpoints are unofficial: the instance's default budget is one request every 3 s,
/// which may be lowered, never raised; it collects one account at a time, and `cooldown` may
/// not go below 1 h (``UnofficialEndpointLimits``; a loopback `base_url` is exempt). A
/// risk-control answer (−412, −352, −799, HTTP 412) stops the instance for the rest of the run
/// and reports every remaining account with the code. No signature is computed
/// and no cookie is sent: this adapter only reads what the platform serves anonymously.
///
/// ## Example output
/// ```
/// collector test --only bilibili
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,bilibili,208259,,followers,86231,exact,web
/// 2026-11-26T14:03:12+08:00,bilibili,208259,BV1Ab4y1c7Qa,views,153320,exact,web
/// ```
public struct BilibiliAdapter: Adapter {
    public static let type = "bilibili"
    /// The `rate` of a section that sets none: 20/m, one request every 3 s: an unofficial endpoint is asked gently.
    public static let defaultRate: Rate? = Rate(count: 20, per: .seconds(60))
    public static let summary =
        "Bilibili followers, following, videos and likes, and listed videos' counts, from the public web API (no login)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "accounts",
            type: "array of strings",
            required: true,
            help: "Bilibili user ids (mid), or \"registry\" for every bilibili account of the registry."
        ),
        ConfigurationKey("account", type: "string", help: "A single mid, instead of accounts."),
        ConfigurationKey(
            "card",
            type: "boolean",
            default: "true",
            help: "Also read x/web-interface/card for posts and likes received (one more request per account)."
        ),
        ConfigurationKey(
            "videos",
            type: "boolean, array of strings or table",
            default: "false",
            help:
                "Videos whose counts to read (one request each): [\"BV…\"] for a one-account section, or { \"<mid>\" = [\"BV…\"] }. Uploads are not listed automatically (that endpoint needs a WBI signature); bilibili_open lists them."
        ),
        ConfigurationKey(
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The API root; tests and the demo point it at the platform simulator."
        ),
        UnofficialEndpointLimits.dailyRequestsKey,
    ]

    public static let metrics: [MetricDescriptor] =
        [
            MetricDescriptor(.followers, .account, "x/relation/stat data.follower"),
            MetricDescriptor(.following, .account, "x/relation/stat data.following"),
            MetricDescriptor(.posts, .account, "x/web-interface/card data.archive_count"),
            MetricDescriptor(likesReceived, .account, "x/web-interface/card data.like_num (lifetime likes received)"),
        ] + BilibiliVideoStats.descriptors(from: "x/web-interface/view data.stat.")

    public static let sampleConfiguration = """
        ## Bilibili account counts from the public web API (no login, no signature).
        [[adapters.bilibili]]
          ## Bilibili user ids (mid), or "registry" for the registry's bilibili accounts.
          accounts = ["208259", "546195"]
          ## Per-video counts: the bvids of each account (one request per video).
          # videos = { "208259" = ["BV1Ab4y1c7Qa"] }
          ## Unofficial endpoints: keep the budget low.
          # rate = "20/m"
          ## The most requests a day (Beijing time); may be lowered.
          # daily_requests = 2000
          # interval = "24h"
          # base_url = "https://api.bilibili.com"
        """

    static let defaultBaseURL = "https://api.bilibili.com"
    static let likesReceived = MetricName(rawValue: "bilibili_likes_received")

    public let name: String
    public let platform = Platform.bilibili
    public let accounts: [String]
    public let schedule: AdapterSchedule
    package let dailyRequestCap: Int?
    private let baseURL: String
    private let readsCard: Bool
    private let videos: BilibiliVideoSelection

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        let accounts = check { () throws(ConfigurationError) in try configuration.accounts(platform: .bilibili) } ?? []
        self.accounts = accounts
        BilibiliAdapter.checkAccounts(accounts, configuration, &check)
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
        readsCard = check { () throws(ConfigurationError) in try configuration.bool("card") }.flatMap { $0 } ?? true
        videos =
            check { () throws(ConfigurationError) in
                try BilibiliVideoSelection.parse(
                    configuration,
                    accounts: accounts,
                    uploads: nil,
                    absent: .none,
                    trueProblem:
                        "\"videos = true\" would list uploads through x/space/wbi/arc/search, which needs a WBI signature the collector does not compute; list the bvids instead (videos = [\"BV…\"]) or use [[adapters.bilibili_open]], which lists uploads through the official API"
                )
            } ?? .none
        schedule = AdapterSchedule(
            configuration: configuration,
            defaultRate: Self.defaultRate,
            check: &check
        )
        UnofficialEndpointLimits.check(
            schedule,
            of: configuration,
            site: "api.bilibili.com",
            access: .anonymous,
            baseURL: baseURL,
            check: &check
        )
        dailyRequestCap = UnofficialEndpointLimits.dailyRequestCap(
            of: configuration,
            site: "api.bilibili.com",
            baseURL: baseURL,
            check: &check
        )
        try check.finish()
    }

    /// Records each account that is not a mid (shared with `bilibili_open`).
    static func checkAccounts(
        _ accounts: [String],
        _ configuration: AdapterConfiguration,
        _ check: inout ConfigurationCheck
    ) {
        for account in accounts where account.isEmpty || !account.utf8.allSatisfy({ (48...57).contains($0) }) {
            check.report(
                configuration.error(
                    "accounts",
                    "bilibili account \(configuration.quoted(account, from: Self.accountsKey(configuration))) is not a numeric user id (mid); find it in the space URL space.bilibili.com/<mid>"
                )
            )
        }
    }

    /// The key the accounts were read from: `account` or `accounts`.
    static func accountsKey(_ configuration: AdapterConfiguration) -> String {
        configuration.values["account"] != nil ? "account" : "accounts"
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let bvids = videos.bvids(of: account)
        do {
            try await collectAccountCounts(account, into: batch, context: context)
        } catch {
            // The account's failure line is all the operator sees: say that its videos were
            // not requested either, rather than let them vanish from the files unexplained.
            throw Self.noting(bvids, notCollectedAfter: error)
        }
        for (index, bvid) in bvids.enumerated() {
            do {
                try await collectVideo(bvid, account: account, into: batch, context: context)
            } catch {
                throw Self.noting(Array(bvids[(index + 1)...]), notCollectedAfter: error, remaining: true)
            }
        }
    }

    /// Followers and following (`x/relation/stat`), and with `card` posts and likes received
    /// (`x/web-interface/card`).
    private func collectAccountCounts(_ account: String, into batch: SampleBatch, context: AdapterContext) async throws
    {
        let relation = try await fetch(Self.relationStat, query: "vmid=\(account)", context: context)
        let observed = context.now()
        try addCount(.followers, at: "data.follower", of: relation, observed, account, batch)
        try addCount(.following, at: "data.following", of: relation, observed, account, batch)
        guard readsCard else { return }
        let card = try await fetch(Self.card, query: "mid=\(account)", context: context)
        let cardObserved = context.now()
        try addCount(.posts, at: "data.archive_count", of: card, cardObserved, account, batch)
        // An answer without like_num writes no row and no failure, as before.
        try addCount(Self.likesReceived, at: "data.like_num", of: card, cardObserved, account, batch, optional: true)
    }

    /// `error` with a note that the listed videos `bvids` were not collected, when there are any
    /// and it is an ``AdapterError`` (whose message the failure line shows).
    /// With `remaining`, the videos are those after the one whose request ended the account.
    static func noting(_ bvids: [String], notCollectedAfter error: any Error, remaining: Bool = false) -> any Error {
        guard !bvids.isEmpty, var adapterError = error as? AdapterError else { return error }
        let which = remaining ? "remaining listed" : "listed"
        let listed =
            bvids.count == 1 ? "its \(which) video \(bvids[0]) was" : "its \(bvids.count) \(which) videos were"
        adapterError.message += "; \(listed) not collected in this run"
        return adapterError
    }

    /// Reads one video's counts. A video that cannot be read (hidden, under review, moved to
    /// another owner, a changed response) is recorded and skipped; rate limits and risk
    /// control end the account's collection, so the runner can back off or stop.
    private func collectVideo(
        _ bvid: String,
        account: String,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        let view: JSONReader
        do {
            view = try await fetch(Self.view, query: "bvid=\(bvid)", video: bvid, context: context)
        } catch let error as AdapterError where error.action == .skipAccount {
            BilibiliVideoStats.record(error, adapter: name, account: account, bvid: bvid, in: batch)
            return
        }
        let observed = context.now()
        do {
            if let owner = try view.optionalInt64("data.owner.mid"), String(owner) != account {
                let error = AdapterError.badRequest(
                    "\(view.origin): video \(bvid) belongs to mid \(owner), not to account \(account); list it under its owner in \"videos\""
                )
                BilibiliVideoStats.record(error, adapter: name, account: account, bvid: bvid, in: batch)
                return
            }
            let stat = try view.child("data.stat")
            batch.add(
                object: BilibiliVideoStats.object(
                    account: account,
                    bvid: bvid,
                    title: try view.optionalString("data.title"),
                    published: try view.optionalInt64("data.pubdate")
                )
            )
            try BilibiliVideoStats.add(
                from: stat,
                adapter: name,
                account: account,
                bvid: bvid,
                time: observed,
                source: .web,
                into: batch
            )
        } catch let error as JSONFieldError {
            BilibiliVideoStats.record(error.adapterError, adapter: name, account: account, bvid: bvid, in: batch)
        }
    }

    /// Adds the account count at `path` of `reader` (absent: an error, or nothing when
    /// `optional`), read like the video counters (``BilibiliAccountCount``). The web API answers
    /// `-1` for a figure the account does not show: no row, a `notPublished` notice.
    private func addCount(
        _ metric: MetricName,
        at path: String,
        of reader: JSONReader,
        _ time: Timestamp,
        _ account: String,
        _ batch: SampleBatch,
        optional: Bool = false
    ) throws {
        try BilibiliAccountCount.add(
            metric,
            at: path,
            of: reader,
            time: time,
            account: account,
            adapter: name,
            source: .web,
            negative: .notPublished,
            into: batch,
            optional: optional
        )
    }

    /// An endpoint, and how its errors name it (`bilibili /x/relation/stat`): the endpoint, not
    /// the request's path, since a base_url may carry a path prefix (the simulator's).
    private struct Endpoint {
        let path: String
        let origin: String

        init(_ path: String) {
            self.path = path
            self.origin = "bilibili " + path
        }
    }

    private static let relationStat = Endpoint("/x/relation/stat")
    private static let card = Endpoint("/x/web-interface/card")
    private static let view = Endpoint("/x/web-interface/view")
    private static let acceptJSON = [HTTPHeader("Accept", "application/json")]

    /// GETs `endpoint` with `query` and checks the `{code, message, data}` envelope; `video` is
    /// the bvid a video's call asks for, which its errors advise about.
    private func fetch(
        _ endpoint: Endpoint,
        query: String,
        video: String? = nil,
        context: AdapterContext
    ) async throws -> JSONReader {
        let request = HTTPRequest(url: baseURL + endpoint.path + "?" + query, headers: Self.acceptJSON)
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .bilibili,
            envelope: ["code"],
            now: context.now
        )
        let origin = endpoint.origin
        let code = json["code"]?.int64Value
        guard let code else {
            throw AdapterError.schemaChanged("\(origin): the response has no \"code\" field; the API may have changed")
        }
        if code != 0 {
            throw BilibiliErrors.error(
                code: code,
                message: json["message"]?.stringValue ?? "",
                origin: origin,
                video: video
            )
        }
        if let data = json["data"], data.objectMembers?.count == 1, data["v_voucher"] != nil {
            throw AdapterError.antiBot(
                "\(origin): answered with only a risk-control voucher (v_voucher); lower the instance's rate if it comes again",
                platformCode: "0/v_voucher"
            )
        }
        return JSONReader(json, origin: origin)
    }
}

extension BilibiliAdapter: DailyCappedSection {
    /// The relation and, with `card`, the card of each account, and each listed video.
    package var requestsPerRun: Int {
        accounts.reduce(0) { $0 + 1 + (readsCard ? 1 : 0) + videos.bvids(of: $1).count }
    }
}
