import Collector
import Logging

/// One account's calls during one collection: the stored credential, refreshed when its access
/// token has lapsed or when the platform says so mid-run (100200108, 100200102) — at most once
/// per collection — and saved before the new tokens are used.
///
/// A refresh invalidates the old refresh token, so the new pair is written to `state_dir`
/// atomically before anything else happens; a crash after that leaves a usable credential. In
/// dry-run mode (`collector test`) nothing could be saved, so no refresh is attempted.
struct KuaishouSession {
    /// The instance's API.
    let api: KuaishouAPI
    /// The instance name: the credential's key and the `collector auth` argument.
    let instance: String
    /// The open id.
    let account: String
    /// The collection's context.
    let context: AdapterContext
    /// The credential in use.
    private(set) var credential: Credential
    /// Whether this collection already refreshed the token.
    private(set) var hasRefreshed = false

    /// Loads the account's stored credential.
    /// - Throws: ``AdapterError/reauthorizationRequired(_:platformCode:requestID:)`` when there
    ///   is none or it is damaged; ``StorageError`` when `state_dir` cannot be read.
    init(api: KuaishouAPI, instance: String, account: String, context: AdapterContext) throws {
        self.api = api
        self.instance = instance
        self.account = account
        self.context = context
        let stored: Credential?
        do {
            stored = try CredentialStore(state: context.state).load(instance: instance, account: account)
        } catch let error as CredentialError {
            throw AdapterError.reauthorizationRequired(
                "kuaishou account \(account): the stored credential cannot be used: \(error)"
            )
        }
        guard let stored else {
            throw AdapterError.reauthorizationRequired(
                "kuaishou account \(account) has no stored credential in \(context.state.directory): "
                    + "authorise it with `collector auth \(instance)` (the account must be the open_id the authorisation returns)"
                    + CredentialStore(state: context.state).elsewhereHint(instance: instance, account: account)
            )
        }
        credential = stored
    }

    /// What the operator must do once the platform refused the authorisation: re-authorise now.
    /// The date on record is named as overridden, since a refusal (a revoked or expired
    /// authorisation) can come months before it.
    var reauthorizeAdvice: String {
        var advice = "re-authorise account \(account) now with `collector auth \(instance)`"
        if let end = credential.refreshExpiresAt, context.now() < end {
            advice +=
                " (the platform's refusal overrides the re-authorisation date on record, \(context.calendar.render(end)))"
        }
        return advice
    }

    /// Refreshes the access token when it has lapsed (or will within 5 minutes), and warns when
    /// the re-authorisation date is less than 14 days away.
    mutating func prepare() async throws {
        if !credential.isValid(at: context.now()) {
            try await refresh(because: "the access token expired at \(context.calendar.render(credential.expiresAt))")
        }
        let now = context.now()
        // A refresh token of unknown lifetime gives no date to warn about.
        let hasKnownEnd = credential.refreshExpiresAt != nil || credential.refreshToken == nil
        guard hasKnownEnd, KuaishouTokens.isReauthorizationDue(credential, now: now) else { return }
        let end = context.calendar.render(credential.reauthorizeBy)
        let message: String
        if now >= credential.reauthorizeBy {
            message =
                "kuaishou account \(account): the authorisation ended at \(end); the access token works until \(context.calendar.render(credential.expiresAt)), then collection stops: run `collector auth \(instance)` now"
        } else {
            message =
                "kuaishou account \(account) must be re-authorised by \(end) (\(KuaishouTokens.daysLeft(credential, now: now)) days left): refreshing does not extend the authorisation; run `collector auth \(instance)` before then"
        }
        context.logger.warning("\(message)", metadata: ["reauthorize.by": "\(end)"])
    }

    /// GETs an `/openapi/` endpoint with the account's token; on 100200108 or 100200102
    /// refreshes once (per collection) and asks again.
    mutating func get(_ path: String, _ parameters: [(String, String)]) async throws -> JSONReader {
        do {
            return try await getOnce(path, parameters)
        } catch let error as AdapterError where Self.refreshMayHelp(error) {
            guard !hasRefreshed else { throw refusedAfterRefresh(error) }
            try await refresh(because: "kuaishou \(path) answered \(error.platformCode ?? "")")
        }
        do {
            return try await getOnce(path, parameters)
        } catch let error as AdapterError where Self.refreshMayHelp(error) {
            throw refusedAfterRefresh(error)
        }
    }

    private func getOnce(_ path: String, _ parameters: [(String, String)]) async throws -> JSONReader {
        // The call's own parameters first: the simulator routes a page by its first parameter.
        var query = KuaishouQuery(parameters)
        for (name, value) in api.openAPIQuery(accessToken: credential.accessToken).items { query.append(name, value) }
        return try await api.get(path, query, reauthorize: reauthorizeAdvice, context: context)
    }

    private static func refreshMayHelp(_ error: AdapterError) -> Bool {
        error.platformCode.flatMap { Int64($0) }.map(KuaishouErrors.refreshMayHelp) ?? false
    }

    /// A freshly refreshed token was refused too: only the operator can fix this.
    private func refusedAfterRefresh(_ error: AdapterError) -> AdapterError {
        .reauthorizationRequired(
            "\(error.message), even with a freshly refreshed token; \(reauthorizeAdvice)",
            platformCode: error.platformCode
        )
    }

    /// The refresh endpoint itself refused the refresh token with a "refresh may help" code
    /// (100200102, 100200108): the token is spent or invalid (another copy of `state_dir` may
    /// have rotated it), and another refresh would only spend it again. Only a new
    /// authorisation helps, and as a platform refusal it is recorded with the credential.
    private static func refusedRefresh(_ error: AdapterError, reauthorize: String) -> AdapterError {
        .reauthorizationRequired(
            "\(error.message), in answer to the refresh token: it is spent or no longer valid (another copy of "
                + "state_dir may have refreshed it), and refreshing again cannot help; \(reauthorize)",
            platformCode: error.platformCode,
            requestID: error.requestID
        )
    }

    /// Exchanges the refresh token for a new pair, saves it, then uses it.
    private mutating func refresh(because reason: String) async throws {
        let now = context.now()
        guard let refreshToken = credential.refreshToken else {
            throw AdapterError.reauthorizationRequired(
                "kuaishou account \(account): \(reason) and the stored credential has no refresh token; \(reauthorizeAdvice)"
            )
        }
        if KuaishouTokens.refreshTokenExpired(credential, now: now) {
            throw AdapterError.reauthorizationRequired(
                "kuaishou account \(account): \(reason) and the refresh token expired at \(context.calendar.render(credential.reauthorizeBy)); "
                    + "re-authorise the account with `collector auth \(instance)`"
            )
        }
        guard !context.isDryRun, !context.state.isReadOnly else {
            throw AdapterError.authExpired(
                "kuaishou account \(account): \(reason); `collector test` does not refresh tokens (a refresh replaces the refresh token and the new one could not be saved): `collector run --once` will"
            )
        }
        // Under the credential's lock: an instance sharing the state folder that refreshed first
        // leaves its new pair, which is used instead of spending the same refresh token again.
        let renewed = try await CredentialStore(state: context.state).refreshing(
            credential,
            instance: instance,
            account: account,
            at: now
        ) { [api, instance, account, context, reauthorizeAdvice] current in
            let response: JSONReader
            do {
                response = try await api.get(
                    "/oauth2/refresh_token",
                    api.refreshQuery(refreshToken: current.refreshToken ?? refreshToken),
                    reauthorize: reauthorizeAdvice,
                    context: context
                )
            } catch let error as AdapterError where error.hasSameKind(as: .authExpired("")) {
                throw Self.refusedRefresh(error, reauthorize: reauthorizeAdvice)
            }
            let renewed: Credential
            do throws(JSONFieldError) {
                renewed = try KuaishouTokens.refreshed(current, by: response, obtainedAt: now)
            } catch {
                throw JSONResponse.schemaChanged(error)
            }
            // The old refresh token is dead from now on: persist the new pair before anything else.
            try CredentialStore(state: context.state).save(renewed, instance: instance, account: account)
            return renewed
        }
        credential = renewed
        hasRefreshed = true
        context.logger.info(
            "refreshed the kuaishou access token",
            metadata: [
                "account": "\(account)", "expires.at": "\(context.calendar.render(renewed.expiresAt))",
                "reauthorize.by": "\(context.calendar.render(renewed.reauthorizeBy))",
            ]
        )
    }
}
