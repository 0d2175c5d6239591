package import Collector
import Logging

/// The access token of one WeChat Official Account (PLATFORMS.md §1.1, §10): fetched from
/// `POST /cgi-bin/stable_token` with the app id and secret, cached with ``CredentialStore``
/// under the instance and account, and reused until 5 minutes before it expires.
///
/// ## Renewal after a refusal (40001/42001)
/// 1. ``refetch(context:)``: the stable token in normal mode (`force_refresh: false`). It
///    returns the token the platform currently holds, which is what a stale cache lacks.
/// 2. Only if the platform still refuses that one, ``forceRefresh(context:)``: at most 20 a
///    day (Beijing) and 30 s apart, counted in the credential's attributes
///    (`force_refresh_day`, `force_refresh_count`, `force_refresh_at`) before the call, since
///    the platform counts the call whether or not its answer arrives.
///
/// The token only ever leaves as the `access_token` query parameter; it is never logged, and
/// errors name the endpoint without its query.
package struct WeChatTokenProvider: Sendable {
    /// How long before expiry a cached token is replaced: the platform rotates it then.
    package static let renewalMargin: Duration = .seconds(300)
    /// Forced refreshes the platform allows per day.
    package static let forceRefreshesPerDay = 20
    /// The shortest gap between two forced refreshes, in seconds.
    package static let forceRefreshSpacing: Int64 = 30

    /// The outcome of ``forceRefresh(context:)``.
    package enum ForcedRefresh: Sendable, Hashable {
        /// A new token.
        case token(Secret)
        /// Not attempted: the day's budget is used up or the last one was too recent.
        case refused(reason: String)
    }

    /// The adapter instance: the credential file's first part.
    package let instance: String
    /// The account (gh_ id): the credential file's second part.
    package let account: String
    /// The AppID.
    package let appID: String
    private let appSecret: Secret
    private let url: String
    private let origin = "wechat /cgi-bin/stable_token"

    /// A provider for one account.
    /// - Parameters:
    ///   - instance: The adapter instance's name.
    ///   - account: The account id the credential is filed under.
    ///   - appID: The account's AppID.
    ///   - appSecret: The account's AppSecret.
    ///   - baseURL: The API root, without a trailing slash.
    package init(instance: String, account: String, appID: String, appSecret: Secret, baseURL: String) {
        self.instance = instance
        self.account = account
        self.appID = appID
        self.appSecret = appSecret
        self.url = baseURL + "/cgi-bin/stable_token"
    }

    /// The cached token while it stays valid for 5 more minutes, else a fresh one (normal mode).
    package func token(context: AdapterContext) async throws -> Secret {
        if let stored = try load(context), stored.attributes["app_id"] == appID,
            stored.isValid(at: context.now(), margin: Self.renewalMargin)
        {
            return stored.accessToken
        }
        return try await fetch(force: false, context: context)
    }

    /// A token from the platform in normal mode, whatever the cache holds: step 1 after a refusal.
    package func refetch(context: AdapterContext) async throws -> Secret {
        try await fetch(force: false, context: context)
    }

    /// A forced new token, when today's budget and the 30 s spacing allow one: step 2 after a refusal.
    ///
    /// Under the credential's lock (``CredentialStore/locked(instance:account:_:)``), from the
    /// budget read after the lock is taken: two instances sharing the state folder (shards of one
    /// service) refused at the same moment would otherwise both read the day's count and both
    /// force, spending two of the day's 20 within the 30 s the platform asks between them.
    package func forceRefresh(context: AdapterContext) async throws -> ForcedRefresh {
        // `collector test` saves nothing, not even a lock file.
        guard !context.state.isReadOnly else { return try await forceRefresh(stored: load(context), context: context) }
        let store = CredentialStore(state: context.state)
        do {
            return try await store.locked(instance: instance, account: account) { stored in
                try await forceRefresh(stored: stored, context: context)
            }
        } catch let error as CredentialError {
            // A damaged token file: the new token replaces it (as in `load`).
            context.logger.warning("ignoring a damaged token file: \(error.file) \(error.problem)")
            return try await forceRefresh(stored: nil, context: context)
        }
    }

    /// ``forceRefresh(context:)`` with the stored credential `stored`, its budget and counters.
    private func forceRefresh(stored: Credential?, context: AdapterContext) async throws -> ForcedRefresh {
        let now = context.now()
        var attributes = stored?.attributes ?? [:]
        // The platform's day: its quotas reset at 00:00 Beijing time, whatever the configured zone.
        let today = PlatformCalendar.beijing.civilDate(of: now).description
        let usedToday = attributes["force_refresh_day"] == today ? Int(attributes["force_refresh_count"] ?? "") ?? 0 : 0
        if usedToday >= Self.forceRefreshesPerDay {
            return .refused(
                reason: "the \(Self.forceRefreshesPerDay) forced token refreshes of today (Beijing time) are used up"
            )
        }
        if let last = attributes["force_refresh_at"].flatMap({ Int64($0) }) {
            let elapsed = now.secondsSinceEpoch - last
            if elapsed < Self.forceRefreshSpacing {
                return .refused(
                    reason:
                        "the last forced token refresh was \(max(elapsed, 0)) s ago and the platform allows one per \(Self.forceRefreshSpacing) s"
                )
            }
        }
        attributes["force_refresh_day"] = today
        attributes["force_refresh_count"] = String(usedToday + 1)
        attributes["force_refresh_at"] = String(now.secondsSinceEpoch)
        if var stored {
            // Count the call before making it: the platform counts it even if the answer is lost.
            stored.attributes = attributes
            try CredentialStore(state: context.state).save(stored, instance: instance, account: account)
        }
        context.logger.warning(
            "forcing a new WeChat access token after the platform refused a fresh one",
            metadata: ["force_refresh.count": "\(usedToday + 1)"]
        )
        return .token(try await fetch(force: true, context: context, carrying: attributes))
    }

    /// The stored credential, or nil when there is none or it is damaged (then a new one replaces it).
    private func load(_ context: AdapterContext) throws -> Credential? {
        do {
            return try CredentialStore(state: context.state).load(instance: instance, account: account)
        } catch let error as CredentialError {
            context.logger.warning("ignoring a damaged token file: \(error.file) \(error.problem)")
            return nil
        }
    }

    /// Calls stable_token, saves the credential (keeping the forced-refresh counters) and returns the token.
    private func fetch(
        force: Bool,
        context: AdapterContext,
        carrying carried: [String: String]? = nil
    ) async throws -> Secret {
        let body = JSONValue.object([
            JSONMember("grant_type", .string("client_credential")),
            JSONMember("appid", .string(appID)),
            JSONMember("secret", .string(appSecret.exposedValue)),
            JSONMember("force_refresh", .bool(force)),
        ])
        let request = HTTPRequest(
            method: .post,
            url: url,
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
            body: Array(body.serialized().utf8)
        )
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .wechat,
            envelope: ["errcode"],
            now: context.now
        )
        if let (code, errmsg) = try WeChatErrors.envelope(of: json, origin: origin) {
            throw WeChatErrors.error(code: code, errmsg: errmsg, origin: origin)
        }
        let reader = JSONReader(json, origin: origin)
        let token: String
        let expiresIn: Int64
        do {
            token = try reader.string("access_token")
            expiresIn = try reader.int64("expires_in")
        } catch {
            throw error.adapterError
        }
        guard !token.isEmpty, expiresIn > 0 else {
            throw AdapterError.schemaChanged(
                "\(origin): answered an empty access_token or a non-positive expires_in (\(expiresIn))"
            )
        }
        let now = context.now()
        var attributes = try carried ?? load(context)?.attributes ?? [:]
        attributes = attributes.filter { $0.key.hasPrefix("force_refresh_") }
        attributes["app_id"] = appID
        let credential = Credential(
            accessToken: Secret(token),
            obtainedAt: now,
            expiresAt: now.adding(seconds: expiresIn),
            attributes: attributes
        )
        try CredentialStore(state: context.state).save(credential, instance: instance, account: account)
        context.logger.info(
            "fetched a WeChat access token",
            metadata: ["expires_in": "\(expiresIn)", "force_refresh": "\(force)"]
        )
        return credential.accessToken
    }
}
