public import Collector

/// Bilibili account counts from the public web API (PLATFORMS.md §5.2), no login needed.
///
/// ## Metrics
/// - `followers`, `following` from `GET /x/relation/stat?vmid=<mid>`
/// - `posts` (videos) and `bilibili_likes_received` (lifetime likes) from `GET /x/web-interface/card?mid=<mid>`
///
/// All are snapshots stamped when observed, `source = web`, `quality = exact`.
///
/// ## Politeness
/// These endpoints are unofficial: the instance's default budget is one request every 3 s,
/// and a risk-control answer (−412, −352, −799, HTTP 412) stops the instance for the rest of
/// the run and reports every remaining account with the code. No signature is computed
/// and no cookie is sent: this adapter only reads what the platform serves anonymously.
///
/// ## Example output
/// ```
/// collector test --only bilibili
/// time,platform,account,object,metric,value,quality,source
/// 2026-11-26T14:03:11+08:00,bilibili,208259,,followers,86231,exact,web
/// ```
public struct BilibiliAdapter: Adapter {
    public static let type = "bilibili"
    public static let summary = "Bilibili followers, following, videos and likes from the public web API (no login)."

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
            "base_url",
            type: "string",
            default: defaultBaseURL,
            help: "The API root; tests and the demo point it at the platform simulator."
        ),
    ]

    public static let metrics: [MetricDescriptor] = [
        MetricDescriptor(.followers, .account, "x/relation/stat data.follower"),
        MetricDescriptor(.following, .account, "x/relation/stat data.following"),
        MetricDescriptor(.posts, .account, "x/web-interface/card data.archive_count"),
        MetricDescriptor(likesReceived, .account, "x/web-interface/card data.like_num (lifetime likes received)"),
    ]

    public static let sampleConfiguration = """
        ## Bilibili account counts from the public web API (no login, no signature).
        [[adapters.bilibili]]
          ## Bilibili user ids (mid), or "registry" for the registry's bilibili accounts.
          accounts = ["208259", "546195"]
          ## Unofficial endpoints: keep the budget low.
          # rate = "20/m"
          # interval = "24h"
          # base_url = "https://api.bilibili.com"
        """

    static let defaultBaseURL = "https://api.bilibili.com"
    static let likesReceived = MetricName(rawValue: "bilibili_likes_received")

    public let name: String
    public let platform = Platform.bilibili
    public let accounts: [String]
    public let schedule: AdapterSchedule
    private let baseURL: String
    private let readsCard: Bool

    public init(configuration: AdapterConfiguration) throws(ConfigurationError) {
        name = configuration.name
        accounts = try configuration.accounts(platform: .bilibili)
        for account in accounts where account.isEmpty || !account.utf8.allSatisfy({ (48...57).contains($0) }) {
            throw configuration.error(
                "accounts",
                "bilibili account \"\(account)\" is not a numeric user id (mid); find it in the space URL space.bilibili.com/<mid>"
            )
        }
        baseURL = try BaseURL.validated(configuration, default: Self.defaultBaseURL)
        readsCard = try configuration.bool("card") ?? true
        schedule = try AdapterSchedule(configuration: configuration, defaultRate: Rate(count: 20, per: .seconds(60)))
    }

    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let relation = try await fetch("/x/relation/stat?vmid=\(account)", context: context)
        let observed = context.now()
        do {
            try batch.add(sample(observed, account, .followers, relation.int64("data.follower")))
            try batch.add(sample(observed, account, .following, relation.int64("data.following")))
        } catch let error as JSONFieldError {
            throw JSONResponse.schemaChanged(error)
        }

        guard readsCard else { return }
        let card = try await fetch("/x/web-interface/card?mid=\(account)", context: context)
        let cardObserved = context.now()
        do {
            try batch.add(sample(cardObserved, account, .posts, card.int64("data.archive_count")))
            if let likes = try card.optionalInt64("data.like_num") {
                try batch.add(sample(cardObserved, account, Self.likesReceived, likes))
            }
        } catch let error as JSONFieldError {
            throw JSONResponse.schemaChanged(error)
        }
    }

    private func sample(_ time: Timestamp, _ account: String, _ metric: MetricName, _ value: Int64) -> Sample {
        Sample(time: time, platform: .bilibili, account: account, metric: metric, value: .integer(value), source: .web)
    }

    /// GETs `pathAndQuery` and checks the `{code, message, data}` envelope.
    private func fetch(_ pathAndQuery: String, context: AdapterContext) async throws -> JSONReader {
        let request = HTTPRequest(url: baseURL + pathAndQuery, headers: [HTTPHeader("Accept", "application/json")])
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(response, of: request, platform: .bilibili)
        // The endpoint, not request.path: a base_url may carry a path prefix (the simulator's).
        let origin = "bilibili " + pathAndQuery.prefix(while: { $0 != "?" })
        let code = json["code"]?.int64Value
        guard let code else {
            throw AdapterError.schemaChanged("\(origin): the response has no \"code\" field; the API may have changed")
        }
        if code != 0 {
            throw BilibiliErrors.error(code: code, message: json["message"]?.stringValue ?? "", origin: origin)
        }
        if let data = json["data"], data.objectMembers?.count == 1, data["v_voucher"] != nil {
            throw AdapterError.antiBot(
                "\(origin): answered with only a risk-control voucher (v_voucher); stop and try again in a few hours",
                platformCode: "0/v_voucher"
            )
        }
        return JSONReader(json, origin: origin)
    }
}
