public import Collector
import Logging

/// WeChat Official Account statistics from the official data APIs (datacube, PLATFORMS.md
/// §1.1–§1.7): followers, account-level reads and interactions per day, and cumulative
/// article statistics. The data APIs are open to verified (微信认证) accounts only; the
/// others import the back-office exports instead (`[[adapters.import]]`).
///
/// ## Metrics
/// Every value describes a platform day and is stamped 00:00 of it, `source = api`.
/// - `followers` (`getusercumulate` `cumulate_user`), `followers_new` and `followers_lost`
///   (`getusersummary`: Σ `new_user` / `cancel_user` of the day over all `user_source` rows).
/// - Account level from `getbizsummary`: `viewers` (`read_user`), `recommends` (`zaikan_user`,
///   在看), `likes` (`like_user`), `comments` (`comment_count`), `wechat_share_users`
///   (`share_user`, people who shared).
/// - Content level from `getarticletotaldetail`, object = `msgid` (`<msg_data_id>_<index>`),
///   cumulative at each `stat_date`: the same five, plus `favorites` (`collection_user`) and
///   `completion_rate` (`read_finish_rate`, when it is a fraction or a percentage).
/// - With `legacy_articles = true`, from the retired APIs: `views`, `viewers`, `shares`,
///   `favorites` per day (`getuserread`, the 99999999 "all sources" row) and per article
///   (`getarticletotal`, first 7 days after publishing), plus `wechat_delivered` (送达人数),
///   for days through 2025-10-31 only: the current APIs' `viewers` from 2025-11-01 count
///   readers differently (PLATFORMS.md §1.9), and one day must not get both.
///
/// ## Windows and cursor
/// Follower data comes in windows of at most 7 days ending yesterday: the first run fetches
/// `backfill_days` days, later runs resume after the last day stored (a cursor in `state_dir`,
/// saved after the samples are committed). An empty list means "not ready yet", never zero.
/// `getbizsummary` days are re-polled while the platform says `is_delay`. Articles are read
/// one publish date per call over the last 30 days, since their totals keep growing.
///
/// ## Tokens and quotas
/// `POST /cgi-bin/stable_token`, cached per account until 5 minutes before expiry; refused
/// tokens are renewed (normal mode, then one forced refresh within the platform's 20 a day).
/// 45009 (daily quota) stops calls for the account until 00:00 Beijing time, 45011 backs off
/// at least 60 s; 40164 asks for the IP whitelist. See docs/adapters/wechat.md.
///
/// ## Configuration
/// ```toml
/// [[adapters.wechat]]
///   account = "gh_0123456789ab"
///   app_id = "wx0123456789abcdef"
///   app_secret = "${WECHAT_APP_SECRET}"
///   # backfill_days = 7
/// ```
///
/// ## Example output
/// ```
/// collector test --only wechat
/// time,platform,account,object,metric,value,quality,source
/// 2025-11-24T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182590,exact,api
/// 2025-10-27T00:00:00+08:00,wechat,gh_0123456789ab,2247512345_1,viewers,11904,exact,api
/// ```
public struct WeChatAdapter: Adapter, SharedCredentialAdapter {
    public static let type = "wechat"
    /// The `rate` of a section that sets none: 60/m, since the datacube quotas are not
    /// published and 45011 is the per-minute signal.
    public static let defaultRate: Rate? = Rate(count: 60, per: .seconds(60))
    public static let summary =
        "WeChat Official Account followers, reads and article statistics from the official data APIs (verified accounts)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "account",
            type: "string",
            required: true,
            help: "The account's original id (gh_…, 设置与开发 → 公众号设置 → 原始ID): the account column of every row."
        ),
        ConfigurationKey(
            "app_id",
            type: "string",
            required: true,
            help: "The account's AppID (wx…, 设置与开发 → 基本配置 → 开发者ID)."
        ),
        ConfigurationKey(
            "app_secret",
            type: "string",
            required: true,
            secret: true,
            help: "The account's AppSecret (设置与开发 → 基本配置 → 开发者密码), through ${VAR} or @file:."
        ),
        ConfigurationKey(
            "backfill_days",
            type: "integer",
            default: String(defaultBackfillDays),
            help: "On the first run, how many days back to fetch (1 to \(maximumBackfillDays))."
        ),
        ConfigurationKey(
            "articles",
            type: "boolean",
            default: "true",
            help: "Read per-article statistics with getarticletotaldetail (30 calls per run)."
        ),
        ConfigurationKey(
            "legacy_articles",
            type: "boolean",
            default: "false",
            help:
                "Also call the retired getuserread/getarticletotal APIs, for days through 2025-10-31 only (the current APIs cover what follows); they now answer 47009."
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
        MetricDescriptor(.followers, .account, "getusercumulate cumulate_user"),
        MetricDescriptor(.followersNew, .account, "getusersummary Σ new_user over user_source"),
        MetricDescriptor(.followersLost, .account, "getusersummary Σ cancel_user over user_source"),
        MetricDescriptor(.viewers, .account, "getbizsummary detail.read_user (阅读人数)"),
        MetricDescriptor(.recommends, .account, "getbizsummary detail.zaikan_user (在看)"),
        MetricDescriptor(.likes, .account, "getbizsummary detail.like_user"),
        MetricDescriptor(.comments, .account, "getbizsummary detail.comment_count"),
        MetricDescriptor(shareUsers, .account, "getbizsummary detail.share_user (people who shared)"),
        MetricDescriptor(.viewers, .content, "getarticletotaldetail detail_list[].read_user, cumulative"),
        MetricDescriptor(.recommends, .content, "getarticletotaldetail detail_list[].zaikan_user, cumulative"),
        MetricDescriptor(.likes, .content, "getarticletotaldetail detail_list[].like_user, cumulative"),
        MetricDescriptor(.comments, .content, "getarticletotaldetail detail_list[].comment_count, cumulative"),
        MetricDescriptor(shareUsers, .content, "getarticletotaldetail detail_list[].share_user, cumulative"),
        MetricDescriptor(.favorites, .content, "getarticletotaldetail detail_list[].collection_user, cumulative"),
        MetricDescriptor(
            .completionRate,
            .content,
            "getarticletotaldetail detail_list[].read_finish_rate as a fraction"
        ),
        MetricDescriptor(.views, .account, "legacy getuserread int_page_read_count (all sources)"),
        MetricDescriptor(.viewers, .account, "legacy getuserread int_page_read_user (all sources)"),
        MetricDescriptor(.shares, .account, "legacy getuserread share_count (all sources)"),
        MetricDescriptor(.favorites, .account, "legacy getuserread add_to_fav_count (all sources)"),
        MetricDescriptor(.views, .content, "legacy getarticletotal details[].int_page_read_count, cumulative"),
        MetricDescriptor(.viewers, .content, "legacy getarticletotal details[].int_page_read_user, cumulative"),
        MetricDescriptor(.shares, .content, "legacy getarticletotal details[].share_count, cumulative"),
        MetricDescriptor(.favorites, .content, "legacy getarticletotal details[].add_to_fav_count, cumulative"),
        MetricDescriptor(delivered, .content, "legacy getarticletotal details[].target_user (送达人数)"),
    ]

    public static let sampleConfiguration = """
        ## WeChat Official Account statistics from the official data APIs (verified accounts only).
        ## Whitelist this machine's IP: mp.weixin.qq.com → 设置与开发 → 基本配置 → IP白名单.
        [[adapters.wechat]]
          ## The original id (gh_…): the account column of every row.
          account = "gh_0123456789ab"
          ## 设置与开发 → 基本配置: the AppID, and the AppSecret from the environment or a file.
          app_id = "wx0123456789abcdef"
          app_secret = "${WECHAT_APP_SECRET:-placeholder}"
          ## First run: how many days back (at most 60).
          # backfill_days = 7
          ## Per-article statistics (getarticletotaldetail, 30 calls per run).
          # articles = true
          ## The retired getuserread/getarticletotal APIs, for days through 2025-10-31 only.
          # legacy_articles = false
          ## Yesterday's data is ready after 08:00 Beijing time.
          # interval = "6h"
          # base_url = "https://api.weixin.qq.com"
        """

    static let defaultBaseURL = "https://api.weixin.qq.com"
    static let defaultBackfillDays = 7
    /// The most days a first run fetches, and the furthest back a resumed run reaches.
    package static let maximumBackfillDays = 60
    /// getusersummary and getusercumulate accept at most 7 days per call (§1.5).
    static let followerWindowDays = 7
    /// getbizsummary's span is not documented (§1.5); the follower APIs' 7 days are assumed.
    static let bizWindowDays = 7
    /// Articles gain reads for 30 days after publishing (getarticletotaldetail).
    static let articleDays = 30
    /// The legacy getuserread accepts at most 3 days per call.
    static let legacyReadWindowDays = 3
    /// The legacy getarticletotal covers the first 7 days after publishing only.
    static let legacyArticleDays = 7
    static let shareUsers = MetricName(rawValue: "wechat_share_users")
    static let delivered = MetricName(rawValue: "wechat_delivered")

    public let name: String
    public let platform = Platform.wechat
    public let accounts: [String]
    public let schedule: AdapterSchedule
    /// The app credential the requests spend (the app id), shared with other sections that use it.
    public let credentialID: String?
    /// `credential_rate`: the budget of that credential across every section.
    public let credentialRate: Rate?
    let baseURL: String
    let backfillDays: Int
    let readsArticles: Bool
    let readsLegacy: Bool
    /// Whether the section writes articles' cumulative totals per `stat_date` (`articles`, or
    /// `legacy_articles`), the publishing day's among them: on the keys of a 已通知内容 import of
    /// the same account (docs/imports.md, "As-of date"), which `collector check` warns about.
    public var collectsArticleTotals: Bool { readsArticles || readsLegacy }
    private let appID: String
    private let appSecret: Secret

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        let account = check { () throws(ConfigurationError) in try configuration.requiredString("account") }
        if let account, !(account.hasPrefix("gh_") && account.utf8.count > 3 && Self.isPlainID(account)) {
            check.report(
                configuration.error(
                    "account",
                    "wechat account \(configuration.quoted(account, from: "account")) is not an original id (gh_ followed by letters and digits); find it under mp.weixin.qq.com → 设置与开发 → 公众号设置 → 原始ID"
                )
            )
        }
        accounts = account.map { [$0] } ?? []
        let appID = check { () throws(ConfigurationError) in try configuration.requiredString("app_id") } ?? ""
        if !appID.isEmpty, !(appID.hasPrefix("wx") && Self.isPlainID(appID)) {
            check.report(
                configuration.error(
                    "app_id",
                    "\(configuration.assignment("app_id", appID)) is not an AppID (wx followed by letters and digits); find it under 设置与开发 → 基本配置 → 开发者ID(AppID)"
                )
            )
        }
        self.appID = appID
        appSecret = Secret(
            check { () throws(ConfigurationError) in try configuration.requiredString("app_secret") } ?? ""
        )
        backfillDays =
            check { () throws(ConfigurationError) in try configuration.integer("backfill_days") }.flatMap { $0 }
            ?? Self.defaultBackfillDays
        if !(1...Self.maximumBackfillDays).contains(backfillDays) {
            check.report(
                configuration.error(
                    "backfill_days",
                    "\"backfill_days\" must be between 1 and \(Self.maximumBackfillDays); import the 用户增长 export for older history"
                )
            )
        }
        readsArticles =
            check { () throws(ConfigurationError) in try configuration.bool("articles") }.flatMap { $0 } ?? true
        readsLegacy =
            check { () throws(ConfigurationError) in try configuration.bool("legacy_articles") }.flatMap { $0 } ?? false
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
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

    /// Letters, digits and `_`: safe in a file name and a URL.
    private static func isPlainID(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// The token provider of `account`.
    func tokenProvider(account: String) -> WeChatTokenProvider {
        WeChatTokenProvider(instance: name, account: account, appID: appID, appSecret: appSecret, baseURL: baseURL)
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let stored = try loadCursor(account: account, context: context)
        let now = context.now()
        try DailyQuotaStop.check(
            stored.stoppedUntil,
            now: now,
            quota: "the daily API quota (45009)",
            platformCode: "45009"
        )
        var run = Collection(
            account: account,
            batch: batch,
            context: context,
            // The datacube's days are Beijing days whatever the configured timezone: east of
            // UTC+8, the local yesterday is Beijing's today for part of the day (61501).
            yesterday: PlatformCalendar.beijing.yesterday(now: now),
            cursor: stored,
            datacube: Datacube(baseURL: baseURL, tokens: tokenProvider(account: account), context: context)
        )
        run.cursor.stoppedUntil = nil
        do {
            try await run.datacube.prepare()
            try await section("getusercumulate", &run) { try await collectCumulate(&$0) }
            try await section("getusersummary", &run) { try await collectSummary(&$0) }
            try await section("getbizsummary", &run) { try await collectBizSummary(&$0) }
            if readsArticles {
                try await section("getarticletotaldetail", &run) { try await collectArticles(&$0) }
            }
            if readsLegacy {
                try await section("legacy", &run) { try await collectLegacy(&$0) }
            }
        } catch {
            let failure = (error as? TokenFailure)?.error ?? (error as? AdapterError)
            if let failure, DailyQuotaStop.isUsedUp(failure) {
                run.cursor.stoppedUntil = DailyQuotaStop.until(after: context.now())
            }
            // Keep what the finished windows brought, and where they got to.
            try batch.commit()
            if run.cursor != stored { try saveCursor(run.cursor, account: account, context: context) }
            throw failure ?? error
        }
        try batch.commit()
        if run.cursor != stored { try saveCursor(run.cursor, account: account, context: context) }
    }

    /// Runs one endpoint's section. A failure that concerns only this endpoint (a changed
    /// response, an API the account may not use, a retired API) is recorded and the next section
    /// runs; anything else (token, IP whitelist, quota, rate limit, transport) ends the account.
    private func section(
        _ endpoint: String,
        _ run: inout Collection,
        _ body: (inout Collection) async throws -> Void
    ) async throws {
        do {
            try await body(&run)
        } catch let error as AdapterError where Self.concernsOnlyTheSection(error) {
            var message = error.message
            if let requestID = error.requestID { message += " [request id \(requestID)]" }
            run.batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: run.account,
                    label: error.label,
                    platformCode: error.platformCode,
                    message: message
                )
            )
            run.context.logger.warning(
                "\(message)",
                metadata: ["endpoint": "\(endpoint)", "error": "\(error.label)"]
            )
        }
    }

    /// Whether an error from a data call spares the other endpoints: a schema change, a bad
    /// request (47009, 61500, 61501) and an unauthorised API (48001, 50001: permission sets
    /// are granted per API family). An IP whitelist refusal applies to every call.
    static func concernsOnlyTheSection(_ error: AdapterError) -> Bool {
        if error.hasSameKind(as: .schemaChanged("")) || error.hasSameKind(as: .badRequest("")) { return true }
        return error.hasSameKind(as: .permission(""))
            && (error.platformCode == "48001" || error.platformCode == "50001")
    }

    /// One collection of one account: what the sections share and advance.
    struct Collection {
        let account: String
        let batch: SampleBatch
        let context: AdapterContext
        let yesterday: CivilDate
        var cursor: Cursor
        var datacube: Datacube
        /// Keeps the rows to the days they may describe, reporting the first stray one.
        var dayCheck = DayCheck()

        /// 00:00 of a platform day in the configured calendar.
        func stamp(_ day: CivilDate) -> Timestamp { context.calendar.startOfDay(day) }

        /// A sample of this account.
        func sample(_ day: CivilDate, object: String = "", _ metric: MetricName, _ count: ParsedCount) -> Sample {
            Sample(
                time: stamp(day),
                platform: .wechat,
                account: account,
                object: object,
                metric: metric,
                value: .integer(count.point),
                quality: count.quality,
                source: .api
            )
        }
    }
}
