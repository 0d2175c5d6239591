public import Collector
import Logging

/// Bilibili account and video counts from the official open platform (哔哩哔哩开放平台, arcopen,
/// PLATFORMS.md §5.1), with the account owner's OAuth authorisation.
///
/// ## Metrics
/// - `followers`, `following`, `posts` (approved videos) from `GET /arcopen/fn/data/user/stat`
///   (`follower`, `following`, `arc_passed_total`)
/// - `views`, `danmaku`, `comments`, `favorites`, `coins`, `shares`, `likes` per video
///   (`object` = bvid) from `GET /arcopen/fn/data/arc/stat?resource_id=<bvid>`; the videos are
///   the account's published uploads (`GET /arcopen/fn/archive/viewlist`, newest first, at
///   most `max_pages` pages) or the bvids configured in `videos`; titles, publication times and
///   addresses go to `objects.csv`
///
/// All are snapshots stamped when observed, `source = api`.
///
/// ## Configuration
/// `accounts` (the mids written to the files), `client_id`, `client_secret` (secret),
/// `videos`, `max_pages`, `redirect_url`, `base_url`, `token_url`; see ``configurationKeys``.
///
/// ## Tokens
/// `collector auth` exchanges the code from the authorisation page for an access and a refresh
/// token, kept in `state_dir`. When the access token expires (or the API refuses it) the
/// adapter refreshes it once; the refresh token is single-use, so the new pair is saved before
/// it is used. `collector test` never refreshes (it saves nothing).
///
/// ## Example output
/// ```
/// collector test --only bilibili_open
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,bilibili,208259,,followers,86231,exact,api
/// 2026-11-26T14:03:12+08:00,bilibili,208259,BV1Ab4y1c7Qa,views,153320,exact,api
/// ```
public struct BilibiliOpenAdapter: AuthorizingAdapter, SharedCredentialAdapter {
    public static let type = "bilibili_open"
    /// The `rate` of a section that sets none: 30/m. arcopen publishes no quota, and Bilibili
    /// answers bursts with −412 risk control that blocks for hours (PLATFORMS.md §5.3); the
    /// one figure known, ~150 requests per 5 minutes on `/x/space/*`, is 30/m.
    public static let defaultRate: Rate? = Rate(count: 30, per: .seconds(60))
    public static let summary =
        "Bilibili followers, following, videos and per-video counts from the official open platform (OAuth)."

    public static let configurationKeys: [ConfigurationKey] = [
        ConfigurationKey(
            "accounts",
            type: "array of strings",
            required: true,
            help:
                "Bilibili user ids (mid) written to the files, one authorised credential each, or \"registry\" for every bilibili account of the registry."
        ),
        ConfigurationKey("account", type: "string", help: "A single mid, instead of accounts."),
        ConfigurationKey(
            "client_id",
            type: "string",
            required: true,
            help: "The application's client id (open.bilibili.com → 应用管理)."
        ),
        ConfigurationKey(
            "client_secret",
            type: "string",
            required: true,
            secret: true,
            help: "The application's client secret, through ${VAR} or @file:."
        ),
        ConfigurationKey(
            "videos",
            type: "boolean, array of strings or table",
            default: "true",
            help:
                "true: the account's published uploads (needs ARC_BASE); false: account counts only; [\"BV…\"] or { \"<mid>\" = [\"BV…\"] }: these videos."
        ),
        ConfigurationKey(
            "max_pages",
            type: "integer",
            default: "5",
            help: "Upload-list pages of \(pageSize) videos read per account, newest first (1-100)."
        ),
        ConfigurationKey(
            "redirect_url",
            type: "string",
            help: "The callback address registered for the application, put into the authorisation page's gourl."
        ),
        ConfigurationKey(
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The arcopen root; tests and the demo point it at the platform simulator."
        ),
        ConfigurationKey(
            "token_url",
            type: "string",
            default: defaultTokenURL,
            help: "The root of the token endpoints (/x/account-oauth2/v1/…)."
        ),
        ConfigurationKey.credentialRate,
    ]

    public static let metrics: [MetricDescriptor] =
        [
            MetricDescriptor(.followers, .account, "arcopen data/user/stat data.follower"),
            MetricDescriptor(.following, .account, "arcopen data/user/stat data.following"),
            MetricDescriptor(.posts, .account, "arcopen data/user/stat data.arc_passed_total (approved videos)"),
        ] + BilibiliVideoStats.descriptors(from: "arcopen data/arc/stat data.")

    public static let sampleConfiguration = """
        ## Bilibili counts from the official open platform (OAuth; authorise with `collector auth`).
        [[adapters.bilibili_open]]
          ## The mids written to the files; each needs a credential from `collector auth`.
          accounts = ["208259"]
          client_id = "${BILIBILI_CLIENT_ID:-your-client-id}"
          client_secret = "${BILIBILI_CLIENT_SECRET:-your-client-secret}"
          ## true: the account's published uploads; or a list of bvids; false: account counts only.
          # videos = true
          # max_pages = 5
          # redirect_url = "https://example.edu.cn/bilibili/callback"
          # base_url = "https://member.bilibili.com"
          # token_url = "https://api.bilibili.com"
        """

    static let defaultBaseURL = "https://member.bilibili.com"
    static let defaultTokenURL = "https://api.bilibili.com"
    static let authorizationPage = "https://account.bilibili.com/pc/account-pc/auth/oauth"
    /// The account counts of `data/user/stat`, in the order the rows are written.
    static let accountCounts: [(metric: MetricName, field: String)] = [
        (.followers, "data.follower"), (.following, "data.following"), (.posts, "data.arc_passed_total"),
    ]
    /// Videos per upload-list page.
    static let pageSize = 20

    public let name: String
    public let platform = Platform.bilibili
    /// The open platform (member.bilibili.com, OAuth), not the web API the `bilibili` adapter
    /// asks: a −412 from the web API's risk control does not stop it, nor its refusal the other.
    public let riskControlService = CircuitBreaker.Service(platform: .bilibili, name: "bilibili_open")
    public let accounts: [String]
    public let schedule: AdapterSchedule
    /// The app credential the requests spend (the client_id), shared with other sections that use it.
    public let credentialID: String?
    /// `credential_rate`: the budget of that credential across every section.
    public let credentialRate: Rate?
    private let baseURL: String
    private let clientID: String
    private let redirectURL: String?
    private let videos: BilibiliVideoSelection
    private let maxPages: Int
    private let tokens: BilibiliOpenTokens

    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        let accounts = check { () throws(ConfigurationError) in try configuration.accounts(platform: .bilibili) } ?? []
        self.accounts = accounts
        BilibiliAdapter.checkAccounts(accounts, configuration, &check)
        clientID = check { () throws(ConfigurationError) in try configuration.requiredString("client_id") } ?? ""
        let secret = check { () throws(ConfigurationError) in try configuration.requiredString("client_secret") } ?? ""
        baseURL =
            check { () throws(ConfigurationError) in try BaseURL.validated(configuration, default: Self.defaultBaseURL)
            } ?? Self.defaultBaseURL
        let tokenURL =
            check { () throws(ConfigurationError) in
                try BaseURL.validated(configuration, key: "token_url", default: Self.defaultTokenURL)
            } ?? Self.defaultTokenURL
        redirectURL = check { () throws(ConfigurationError) in try configuration.string("redirect_url") }.flatMap { $0 }
        videos =
            check { () throws(ConfigurationError) in
                try BilibiliVideoSelection.parse(
                    configuration,
                    accounts: accounts,
                    uploads: .uploads,
                    absent: .uploads
                )
            } ?? .uploads
        maxPages = check { () throws(ConfigurationError) in try configuration.integer("max_pages") }.flatMap { $0 } ?? 5
        if !(1...100).contains(maxPages) {
            check.report(configuration.error("max_pages", "\"max_pages\" must be between 1 and 100"))
        }
        schedule = AdapterSchedule(configuration: configuration, defaultRate: Self.defaultRate, check: &check)
        credentialID = clientID
        credentialRate = check { () throws(ConfigurationError) in try configuration.rate("credential_rate") }.flatMap {
            $0
        }
        tokens = BilibiliOpenTokens(
            instance: name,
            clientID: clientID,
            clientSecret: Secret(secret),
            tokenURL: tokenURL
        )
        try check.finish()
    }

    public func authorizationURL(account: String) -> String? {
        var parameters = [("client_id", clientID)]
        if let redirectURL { parameters.append(("gourl", redirectURL)) }
        parameters.append(("state", account))
        return Self.authorizationPage + "?" + BilibiliOpenForm.encode(parameters)
    }

    public func authorize(account: String, code: String, context: AdapterContext) async throws -> Credential {
        try await tokens.exchange(code: code, account: account, context: context)
    }

    /// The runs refresh the access token with the single-use refresh token, whose lifetime
    /// Bilibili does not document: the access token's expiry is no deadline for the owner, and
    /// none is known in advance (a refused refresh fails the account and says so).
    public func renewalNote(for credential: Credential, at now: Timestamp, calendar: PlatformCalendar) -> String? {
        guard credential.refreshToken != nil else { return nil }
        return "refreshed by the runs; the date by which the owner must authorise again is not known in advance"
            + " (Bilibili does not say how long a refresh token lives): a run that is refused says so"
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        do {
            try await collectAuthorized(account: account, into: batch, context: context)
        } catch let error as AdapterError where error.isRefusedAuthorization {
            // Kept with the credential, so `collector auth` lists the account as needing a new
            // authorisation rather than as fine. A refresh racing another instance's is no
            // refusal: the credential lock makes this process use the other's new pair.
            try CredentialStore(state: context.state)
                .recordRefusal(error, instance: name, account: account, at: context.now())
            throw error
        }
    }

    private func collectAuthorized(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        var session = Session(
            adapter: self,
            account: account,
            credential: try tokens.load(account: account, context: context)
        )
        if !session.credential.isValid(at: context.now()) {
            session.credential = try await tokens.refresh(session.credential, account: account, context: context)
            session.refreshed = true
        }

        let user = try await session.get("/arcopen/fn/data/user/stat", [], context: context)
        let observed = context.now()
        // Read as the web adapter reads its account counts (docs/adapters/bilibili.md): a `null`
        // or a placeholder writes no row and the account's other counts and videos are kept.
        for (metric, field) in Self.accountCounts {
            try BilibiliAccountCount.add(
                metric,
                at: field,
                of: user,
                time: observed,
                account: account,
                adapter: name,
                source: .api,
                negative: .passedOn,
                into: batch
            )
        }

        let listed: [Upload]
        switch videos {
        case .none: listed = []
        case .listed: listed = videos.bvids(of: account).map { Upload(bvid: $0, title: nil, published: nil) }
        case .uploads: listed = try await uploads(&session, batch: batch, context: context)
        }
        for (index, upload) in listed.enumerated() {
            do {
                try await collectVideo(upload, session: &session, into: batch, context: context)
            } catch {
                // The account's failure line is all the operator sees: name the videos not read.
                throw BilibiliAdapter.noting(
                    listed[(index + 1)...].map(\.bvid),
                    notCollectedAfter: error,
                    remaining: true
                )
            }
        }
    }

    // MARK: - Videos

    /// A video to read: its bvid and, when the upload list gave them, its title and time.
    struct Upload: Sendable, Hashable {
        var bvid: String
        var title: String?
        var published: Int64?
    }

    /// The account's published uploads, newest first, page by page until a short page, the
    /// listed total, `max_pages`, or a page that repeats the previous one.
    ///
    /// A `data.page.total` that drops between two pages means that videos before the boundary
    /// were deleted while the list was read: the later videos moved up, and those that crossed
    /// the boundary are now at the end of the page already read. That page is read once more
    /// (one request, only then) to pick them up; when that cannot account for the drop, an
    /// `incompleteUploadList` notice says so. A total that grows only repeats videos, which
    /// `seen` drops.
    private func uploads(
        _ session: inout Session,
        batch: SampleBatch,
        context: AdapterContext
    ) async throws -> [Upload] {
        var list = UploadList()
        var previousTotal: Int64?
        for page in 1...maxPages {
            let (reader, items, total) = try await uploadPage(page, &session, context: context)
            // Absent is a changed response (`null` or `[]` is an empty page): without it no video
            // would be read, silently. The videos of earlier pages are still read.
            guard let items else {
                batch.recordFailure(
                    CollectionFailure(
                        adapter: name,
                        account: session.account,
                        label: AdapterError.schemaChanged("").label,
                        message:
                            "\(reader.origin): field \"\(reader.path("data.list"))\" is missing (the platform may have changed its response); the uploads from page \(page) on were not read, so their videos' counts are missing"
                    )
                )
                break
            }
            if page == 1, items.isEmpty, let total, total > 0 {
                // An empty first page against a listed total is no failure of ours to prove, but
                // every per-video count stops: said in the summary, not only the log.
                batch.recordNotice(
                    CollectionFailure(
                        adapter: name,
                        account: session.account,
                        label: "emptyUploadList",
                        message:
                            "\(reader.origin): the first page of the upload list is empty although \"data.page.total\" is \(total); no video was read this run"
                    )
                )
            }
            if let before = previousTotal, let total, total < before {
                try await rereadAfterShrink(
                    page: page - 1,
                    from: before,
                    to: total,
                    &list,
                    &session,
                    batch: batch,
                    context: context
                )
            }
            previousTotal = total ?? previousTotal
            let added = list.take(items, adapter: name, account: session.account, batch: batch)
            let reachedTotal = total.map { Int64(page * Self.pageSize) >= $0 } ?? false
            if items.count < Self.pageSize || reachedTotal || added == 0 {
                if !reachedTotal, let total, Int64(list.uploads.count) < total, !(page == 1 && items.isEmpty) {
                    recordEarlyEnd(
                        page: page,
                        items: items.count,
                        repeated: !items.isEmpty && added == 0,
                        read: list.uploads.count,
                        total: total,
                        origin: reader.origin,
                        account: session.account,
                        batch: batch
                    )
                }
                break
            }
            if page == maxPages {
                context.logger.info(
                    "the upload list goes on beyond max_pages; older videos are not read",
                    metadata: ["max_pages": "\(maxPages)"]
                )
            }
        }
        return list.uploads
    }

    /// One page of the upload list: its reader, its videos (nil when `data.list` is absent) and
    /// `data.page.total`.
    private func uploadPage(
        _ page: Int,
        _ session: inout Session,
        context: AdapterContext
    ) async throws -> (reader: JSONReader, items: [JSONReader]?, total: Int64?) {
        let reader = try await session.get(
            "/arcopen/fn/archive/viewlist",
            [("ps", String(Self.pageSize)), ("pn", String(page)), ("status", "pubed")],
            context: context
        )
        do {
            let items = try reader.optionalArray("data.list") ?? []
            return (reader, reader.value("data.list") == nil ? nil : items, try reader.optionalInt64("data.page.total"))
        } catch {
            throw error.adapterError
        }
    }

    /// Reads `page` again after `data.page.total` dropped from `before` to `after` on the next
    /// page, taking the videos that moved onto it; says so when that cannot have been enough: a
    /// drop of more than a page, or a list that changed again meanwhile.
    private func rereadAfterShrink(
        page: Int,
        from before: Int64,
        to after: Int64,
        _ list: inout UploadList,
        _ session: inout Session,
        batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        let (reader, items, total) = try await uploadPage(page, &session, context: context)
        // The page's bad items were reported the first time it was read.
        list.take(items ?? [], adapter: name, account: session.account, batch: nil)
        guard before - after > Int64(Self.pageSize) || items == nil || total != after else { return }
        batch.recordNotice(
            CollectionFailure(
                adapter: name,
                account: session.account,
                label: "incompleteUploadList",
                message:
                    "\(reader.origin): the upload list changed while it was read (\"data.page.total\" went from \(before) to \(after) after page \(page), and reading page \(page) again gave \(total.map(String.init) ?? "none")); videos near the page boundaries may be missing from this run, and are read again next run"
            )
        )
    }

    /// The uploads read so far, each bvid once.
    private struct UploadList {
        var uploads: [Upload] = []
        var seen: Set<String> = []

        /// Appends the videos of `items` not seen yet and returns how many; an item without a
        /// bvid is recorded in `batch` (nil: already recorded).
        @discardableResult
        mutating func take(_ items: [JSONReader], adapter: String, account: String, batch: SampleBatch?) -> Int {
            var added = 0
            for item in items {
                guard let bvid = try? item.string("resource_id"), BilibiliVideoSelection.isBVID(bvid) else {
                    batch?.recordFailure(
                        CollectionFailure(
                            adapter: adapter,
                            account: account,
                            label: AdapterError.schemaChanged("").label,
                            message:
                                "\(item.origin): field \"\(item.path("resource_id"))\" is missing or not a bvid (the platform may have changed its response); the upload was skipped"
                        )
                    )
                    continue
                }
                guard seen.insert(bvid).inserted else { continue }
                added += 1
                uploads.append(
                    Upload(
                        bvid: bvid,
                        title: (try? item.optionalString("title")) ?? nil,
                        published: (try? item.optionalInt64("ptime")) ?? nil
                    )
                )
            }
            return added
        }
    }

    /// Reports an upload list that ended before `data.page.total` was reached, so that the
    /// videos never read do not vanish from the files unexplained, in every run. A page that
    /// brings no new video (the platform ignored `pn`, or repeated the previous page) is a
    /// changed response, as Douyin's repeated cursor is; an empty or short page is a notice,
    /// as an empty first page is: the platform's total may count videos it no longer lists.
    private func recordEarlyEnd(
        page: Int,
        items: Int,
        repeated: Bool,
        read: Int,
        total: Int64,
        origin: String,
        account: String,
        batch: SampleBatch
    ) {
        let missing =
            "\(read) of the \(total) uploads that \"data.page.total\" lists were read; the other videos' counts are missing from this run"
        if repeated {
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    label: AdapterError.schemaChanged("").label,
                    message:
                        "\(origin): page \(page) of the upload list repeats videos already read (the platform may ignore \"pn\" or have changed its paging); paging stopped there so that it cannot loop: \(missing)"
                )
            )
        } else {
            batch.recordNotice(
                CollectionFailure(
                    adapter: name,
                    account: account,
                    label: "incompleteUploadList",
                    message:
                        "\(origin): page \(page) of the upload list \(items == 0 ? "is empty" : "has only \(items) of \(Self.pageSize) videos"), so paging stopped before the listed total: \(missing)"
                )
            )
        }
    }

    /// Reads one video; a video that cannot be read is recorded and skipped, while rate
    /// limits, risk control and authorisation failures end the account's collection.
    private func collectVideo(
        _ upload: Upload,
        session: inout Session,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        let account = session.account
        let stat: JSONReader
        do {
            stat = try await session.get(
                "/arcopen/fn/data/arc/stat",
                [("resource_id", upload.bvid)],
                context: context
            )
        } catch let error as AdapterError where Self.concernsOneVideo(error) {
            BilibiliVideoStats.record(error, adapter: name, account: account, bvid: upload.bvid, in: batch)
            return
        }
        let observed = context.now()
        do {
            let data = try stat.child("data")
            batch.add(
                object: BilibiliVideoStats.object(
                    account: account,
                    bvid: upload.bvid,
                    title: try upload.title ?? data.optionalString("title"),
                    published: try upload.published ?? data.optionalInt64("ptime")
                )
            )
            try BilibiliVideoStats.add(
                from: data,
                adapter: name,
                account: account,
                bvid: upload.bvid,
                time: observed,
                source: .api,
                into: batch
            )
        } catch let error as JSONFieldError {
            BilibiliVideoStats.record(error.adapterError, adapter: name, account: account, bvid: upload.bvid, in: batch)
        }
    }

    /// Whether `error` concerns one video only (hidden, deleted, a changed answer) rather than
    /// the account, the token or the platform's patience.
    static func concernsOneVideo(_ error: AdapterError) -> Bool {
        error.hasSameKind(as: .notFound("")) || error.hasSameKind(as: .badRequest(""))
            || error.hasSameKind(as: .schemaChanged(""))
    }

    // MARK: - Requests

    /// One account's credential during a collection: every data request goes through
    /// ``get(_:_:context:)``, which refreshes the token once when the API refuses it.
    struct Session {
        let adapter: BilibiliOpenAdapter
        let account: String
        var credential: Credential
        /// Whether the token was refreshed during this collection (at most once).
        var refreshed = false

        init(adapter: BilibiliOpenAdapter, account: String, credential: Credential) {
            self.adapter = adapter
            self.account = account
            self.credential = credential
        }

        /// GETs an arcopen endpoint with the current token; when the token is refused, refreshes
        /// it (once per collection) and asks again.
        mutating func get(
            _ path: String,
            _ parameters: [(String, String)],
            context: AdapterContext
        ) async throws -> JSONReader {
            do {
                return try await adapter.fetch(path, parameters, token: credential.accessToken, context: context)
            } catch let error as AdapterError where error.hasSameKind(as: .authExpired("")) {
                guard !refreshed else { throw refusedAfterRefresh(error) }
                credential = try await adapter.tokens.refresh(credential, account: account, context: context)
                refreshed = true
            }
            do {
                return try await adapter.fetch(path, parameters, token: credential.accessToken, context: context)
            } catch let error as AdapterError where error.hasSameKind(as: .authExpired("")) {
                throw refusedAfterRefresh(error)
            }
        }

        /// A token refused although it was just refreshed: only a new authorisation helps.
        func refusedAfterRefresh(_ error: AdapterError) -> AdapterError {
            .reauthorizationRequired(
                error.message + " even after a refresh; " + adapter.tokens.authorizeAgain(account),
                platformCode: error.platformCode
            )
        }
    }

    /// GETs `path` with `parameters`, the client id and the token, and checks the envelope.
    /// The token travels in the query as arcopen documents it; errors name only the path.
    private func fetch(
        _ path: String,
        _ parameters: [(String, String)],
        token: Secret,
        context: AdapterContext
    ) async throws -> JSONReader {
        let query = BilibiliOpenForm.encode(
            parameters + [("client_id", clientID), ("access_token", token.exposedValue)]
        )
        let request = HTTPRequest(
            url: baseURL + path + "?" + query,
            headers: [HTTPHeader("Accept", "application/json")]
        )
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .bilibili,
            envelope: ["code"],
            now: context.now
        )
        let origin = "bilibili_open " + path
        guard let code = json["code"]?.int64Value else {
            throw AdapterError.schemaChanged("\(origin): the response has no \"code\" field; the API may have changed")
        }
        if code != 0 {
            throw BilibiliOpenErrors.error(code: code, message: json["message"]?.stringValue ?? "", origin: origin)
        }
        return JSONReader(json, origin: origin)
    }
}
