import Collector
import Logging

/// One account's authorised conversation with Douyin during one collection: it loads the
/// stored credential, refreshes or renews it as ``DouyinTokenPolicy`` decides (saving every new
/// token before using it), and sends data requests, refreshing once and retrying when the
/// platform says the access token expired mid-run (28001008, 2190008, 10008, 2190002).
///
/// Lives inside one `collect` call and is not shared between tasks.
final class DouyinSession {
    private let api: DouyinAPI
    private let instance: String
    private let account: String
    private let context: AdapterContext
    private let batch: SampleBatch
    private let store: CredentialStore
    private let logger: Logger
    /// The credential in use: the stored one, or what a refresh or renewal made of it.
    private(set) var credential: Credential
    private var refreshedThisRun = false
    private var renewalProblem: AdapterError?
    private var refreshProblem: AdapterError?

    /// Loads the stored credential of `account`.
    /// - Throws: ``AdapterError/reauthorizationRequired(_:platformCode:requestID:)`` when there is none
    ///   or it is damaged.
    init(api: DouyinAPI, instance: String, account: String, context: AdapterContext, batch: SampleBatch) throws {
        self.api = api
        self.instance = instance
        self.account = account
        self.context = context
        self.batch = batch
        store = CredentialStore(state: context.state)
        logger = context.logger
        let stored: Credential?
        do {
            stored = try store.load(instance: instance, account: account)
        } catch let error as CredentialError {
            throw AdapterError.reauthorizationRequired("douyin account \(account): \(error)")
        }
        guard let stored else {
            throw AdapterError.reauthorizationRequired(
                "douyin account \(account) has no stored authorisation in state_dir; "
                    + Self.instructions(instance: instance, account: account)
                    + store.elsewhereHint(instance: instance, account: account)
            )
        }
        credential = stored
    }

    /// What the operator does to (re-)authorise an account.
    static func instructions(instance: String, account: String) -> String {
        // Bare `collector auth` only lists the stored credentials: name the command that prints the page.
        "the account owner scans the authorisation page (`collector auth \(instance) \(account)` prints its "
            + "address), then run `collector auth \(instance) \(account) <code>` with the code it returns"
    }

    // MARK: - Lifecycle

    /// Brings the credential into a usable state: renews the refresh token or refreshes the
    /// access token when due, and warns (or reports) when the authorisation is about to lapse
    /// for good.
    /// - Throws: ``AdapterError`` when no usable access token is left.
    func prepare() async throws {
        // Each step changes the credential so that it is not chosen again: at most a renewal
        // and a refresh happen before `use`.
        for _ in 0..<4 {
            let now = context.now()
            switch DouyinTokenPolicy.action(for: credential, at: now, canRefresh: canRefresh, canRenew: canRenew) {
            case .use:
                noteDeadline(at: now)
                return
            case .renewRefreshToken:
                try await renew()
            case .refresh:
                try await refresh(accessRefused: false)
            case .reauthorize:
                throw unusable(at: now)
            }
        }
        let now = context.now()
        guard DouyinTokenPolicy.isAccessTokenAlive(credential, at: now) else { throw unusable(at: now) }
        noteDeadline(at: now)
    }

    /// `GET endpoint?query` with the access token; refreshes once and retries when the platform
    /// refuses the token.
    func get(_ endpoint: String, query: [(String, String)]) async throws -> JSONReader {
        do {
            return try await api.get(endpoint, query: query, accessToken: credential.accessToken, context: context)
        } catch let error as AdapterError where DouyinErrors.rejectsAccessToken(error) {
            if context.isDryRun { throw dryRunExpired(error) }
            guard !refreshedThisRun, DouyinTokenPolicy.isRefreshTokenAlive(credential, at: context.now()) else {
                let why = refreshedThisRun ? ", although it was refreshed in this run" : "; " + refreshTokenState()
                throw reauthorization(error.message + why, deadline: nil, from: error)
            }
            logger.info(
                "the platform refused the access token; refreshing it once and retrying",
                metadata: ["error.code": "\(error.platformCode ?? "")"]
            )
            try await refresh(accessRefused: true)
            do {
                return try await api.get(endpoint, query: query, accessToken: credential.accessToken, context: context)
            } catch let again as AdapterError where DouyinErrors.rejectsAccessToken(again) {
                throw reauthorization(again.message + ", even right after a refresh", deadline: nil, from: again)
            }
        }
    }

    private var canRefresh: Bool { !refreshedThisRun && !context.isDryRun }
    private var canRenew: Bool { renewalProblem == nil && !context.isDryRun }

    /// A new access token from the refresh token, saved before it is used.
    /// - Parameter accessRefused: whether the platform already refused the current access token;
    ///   otherwise a refused refresh token leaves the still-valid access token in use, and the
    ///   deadline is reported.
    private func refresh(accessRefused: Bool) async throws {
        guard let refreshToken = credential.refreshToken else {
            throw reauthorization("douyin account \(account): no refresh token is stored", deadline: nil)
        }
        // Under the credential's lock: an instance sharing the state folder that refreshed first
        // leaves its new token, which is used instead of spending the same refresh token again.
        var refusal: AdapterError?
        credential = try await store.refreshing(
            credential,
            instance: instance,
            account: account,
            at: context.now()
        ) { current in
            do {
                let grant = try await api.refresh(current.refreshToken ?? refreshToken, context: context)
                return try saved(grant, replacing: current)
            } catch let error as AdapterError where Self.refusesRefreshToken(error) {
                // Remembered, so that later runs go straight to the deadline instead of asking
                // again; saved while the lock is held, onto the stored credential, so that it
                // never writes an older token over one another instance saved.
                var refused = current
                refused.refreshExpiresAt = min(current.refreshExpiresAt ?? context.now(), context.now())
                try store.save(refused, instance: instance, account: account)
                refusal = Self.refreshRefusal(error)
                return refused
            }
        }
        refreshedThisRun = true
        if let refusal {
            refreshProblem = refusal
            guard !accessRefused, DouyinTokenPolicy.isAccessTokenAlive(credential, at: context.now()) else {
                let expired = "the access token expired on \(context.calendar.render(credential.expiresAt))"
                throw reauthorization("\(refusal.message); \(expired)", deadline: nil, from: refusal)
            }
            // The current access token still works: `prepare` uses it and reports the deadline.
            return
        }
        logger.info(
            "refreshed the Douyin access token",
            metadata: ["expires_at": "\(context.calendar.render(credential.expiresAt))"]
        )
    }

    /// Whether the refresh endpoint's `error` refuses the refresh token for good: a code that
    /// calls for re-authorisation (10010, 10020), or one that says a token is expired or invalid
    /// (10008, 2190002: `authExpired` elsewhere): the only token a refresh sends is the refresh
    /// token, and refreshing again would only spend it again.
    private static func refusesRefreshToken(_ error: AdapterError) -> Bool {
        error.hasSameKind(as: .reauthorizationRequired("")) || error.hasSameKind(as: .authExpired(""))
    }

    /// `error` from the refresh endpoint as the re-authorisation it calls for.
    private static func refreshRefusal(_ error: AdapterError) -> AdapterError {
        guard !error.hasSameKind(as: .reauthorizationRequired("")) else { return error }
        return .reauthorizationRequired(
            error.message
                + ", in answer to the refresh token: it is spent or no longer valid, and refreshing again cannot help",
            platformCode: error.platformCode,
            requestID: error.requestID
        )
    }

    /// `current` with what a refresh granted, saved before it is used: a rotated refresh token
    /// must survive a crash right after this.
    private func saved(_ grant: DouyinTokenGrant, replacing current: Credential) throws -> Credential {
        let now = context.now()
        var next = current
        if let accessToken = grant.accessToken { next.accessToken = accessToken }
        next.obtainedAt = now
        next.expiresAt = now.adding(seconds: grant.expiresIn)
        if let rotated = grant.refreshToken, !rotated.isEmpty { next.refreshToken = rotated }
        if let lifetime = grant.refreshExpiresIn {
            // A refresh keeps the refresh token's expiry (PLATFORMS.md §3.1): never move it later.
            let reported = now.adding(seconds: lifetime)
            next.refreshExpiresAt = min(next.refreshExpiresAt ?? reported, reported)
        }
        if let scope = grant.scope { next.attributes["scope"] = scope }
        try store.save(next, instance: instance, account: account)
        return next
    }

    /// A new 30-day refresh token, saved before it is used; a refusal is remembered and reported
    /// with the deadline, and the current tokens stay in use.
    ///
    /// Decided again under the credential's lock on the stored credential: an instance sharing
    /// the state folder that renewed first leaves its new refresh token and renewal count, which
    /// are used instead of spending the refresh token it replaced or saving an older one over them.
    private func renew() async throws {
        guard credential.refreshToken != nil else { return }
        credential = try await store.locked(instance: instance, account: account) { stored in
            let current = stored ?? credential
            guard DouyinTokenPolicy.action(for: current, at: context.now()) == .renewRefreshToken else {
                logger.info(
                    "another process sharing the state folder renewed the Douyin refresh token; using the one it saved"
                )
                return current
            }
            return try await renewed(current)
        }
    }

    /// `current` with a renewed refresh token, saved; or, when the platform refuses, `current`
    /// as it was (with the renewal limit noted when that was the reason).
    private func renewed(_ current: Credential) async throws -> Credential {
        guard let refreshToken = current.refreshToken else { return current }
        let grant: DouyinTokenGrant
        do {
            grant = try await api.renew(refreshToken, context: context)
        } catch let error as AdapterError where error.action != .retry {
            var kept = current
            if error.platformCode == String(DouyinErrors.renewalLimitReached) {
                kept.renewals = max(kept.renewals, DouyinTokenPolicy.maximumRenewals)
                try store.save(kept, instance: instance, account: account)
            }
            renewalProblem = error
            var metadata: Logger.Metadata = ["error": "\(error.label)"]
            if let code = error.platformCode { metadata["error.code"] = "\(code)" }
            logger.warning("could not renew the Douyin refresh token", metadata: metadata)
            return kept
        }
        let now = context.now()
        var next = current
        next.refreshToken = grant.refreshToken ?? refreshToken
        next.refreshExpiresAt = now.adding(seconds: grant.expiresIn)
        next.renewals += 1
        try store.save(next, instance: instance, account: account)
        logger.info(
            "renewed the Douyin refresh token",
            metadata: [
                "renewal": "\(next.renewals) of \(DouyinTokenPolicy.maximumRenewals)",
                "refresh_expires_at": "\(context.calendar.render(now.adding(seconds: grant.expiresIn)))",
            ]
        )
        return next
    }

    // MARK: - Telling the operator

    /// Warns, or reports a failure, when the authorisation can no longer be extended and its
    /// end is near; the account is still collected.
    private func noteDeadline(at now: Timestamp) {
        let canRenew = renewalProblem == nil
        guard let urgency = DouyinTokenPolicy.urgency(for: credential, at: now, canRenew: canRenew),
            let deadline = DouyinTokenPolicy.deadline(for: credential, at: now, canRenew: canRenew)
        else { return }
        let failure = reauthorization(
            "douyin account \(account): \(deadlineReason(at: now))",
            deadline: deadline,
            from: renewalProblem ?? refreshProblem
        )
        switch urgency {
        case .warn:
            logger.warning("\(failure.message)")
        case .report:
            batch.recordFailure(Self.collectionFailure(failure, instance: instance, account: account))
        }
    }

    /// Why the authorisation cannot be extended.
    private func deadlineReason(at now: Timestamp) -> String {
        if let renewalProblem { return "the refresh token could not be renewed: \(renewalProblem.message)" }
        if let refreshProblem { return "the platform refused the refresh token: \(refreshProblem.message)" }
        if !DouyinTokenPolicy.isRefreshTokenAlive(credential, at: now) { return refreshTokenState() }
        return "the refresh token was renewed \(credential.renewals) times, Douyin's limit"
    }

    private func refreshTokenState() -> String {
        guard credential.refreshToken != nil else { return "no refresh token is stored" }
        guard let expiry = credential.refreshExpiresAt else { return "the refresh token is not accepted" }
        return "the refresh token expired on \(context.calendar.render(expiry))"
    }

    /// The error when no access token can be used.
    private func unusable(at now: Timestamp) -> AdapterError {
        let expired = "the access token expired on \(context.calendar.render(credential.expiresAt))"
        if context.isDryRun && DouyinTokenPolicy.isRefreshTokenAlive(credential, at: now) {
            return .authExpired(
                "douyin account \(account): \(expired); `collector test` changes no state, so it does not "
                    + "refresh tokens: run `collector run --once` to refresh it"
            )
        }
        return reauthorization("douyin account \(account): \(expired) and \(refreshTokenState())", deadline: nil)
    }

    private func dryRunExpired(_ error: AdapterError) -> AdapterError {
        .authExpired(
            error.message
                + "; `collector test` changes no state, so it does not refresh tokens: run `collector run --once`",
            platformCode: error.platformCode,
            requestID: error.requestID
        )
    }

    /// A ``AdapterError/reauthorizationRequired(_:platformCode:requestID:)`` that says by when
    /// (`deadline`, or "now" when nil) and how.
    private func reauthorization(
        _ reason: String,
        deadline: Timestamp?,
        from cause: AdapterError? = nil
    )
        -> AdapterError
    {
        let when: String
        if let deadline, deadline > context.now() {
            when = "re-authorise before \(context.calendar.render(deadline))"
        } else {
            when = "nothing more is collected for this account until it is re-authorised"
        }
        return .reauthorizationRequired(
            "\(reason); \(when): \(Self.instructions(instance: instance, account: account))",
            platformCode: cause?.platformCode,
            requestID: cause?.requestID
        )
    }

    /// `error` as a failure recorded in the batch (the account goes on being collected).
    static func collectionFailure(
        _ error: AdapterError,
        instance: String,
        account: String,
        object: String? = nil
    ) -> CollectionFailure {
        var message = error.message
        if let requestID = error.requestID { message += " [request id \(requestID)]" }
        return CollectionFailure(
            adapter: instance,
            account: account,
            object: object,
            label: error.label,
            platformCode: error.platformCode,
            message: message
        )
    }
}
