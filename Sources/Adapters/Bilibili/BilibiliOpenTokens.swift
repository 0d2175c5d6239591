import Collector
import Logging

/// The OAuth side of arcopen (PLATFORMS.md §5.1): exchanging an authorisation code, refreshing,
/// and keeping the credential in the state folder.
///
/// Every refresh token is usable once. A refresh therefore saves the new pair before anything
/// else happens — before it is returned, before any data request — so that a crash right after
/// the answer arrived still leaves the new, unused refresh token on disk. A dry run
/// (`collector test`) never refreshes: it could not save the new pair, and the old refresh token
/// would be spent.
struct BilibiliOpenTokens: Sendable {
    /// The instance name the credentials are filed under.
    let instance: String
    /// The application's client id.
    let clientID: String
    /// The application's client secret.
    let clientSecret: Secret
    /// The token endpoints' root (`https://api.bilibili.com`).
    let tokenURL: String

    static let tokenPath = "/x/account-oauth2/v1/token"
    static let refreshPath = "/x/account-oauth2/v1/refresh_token"

    /// The stored credential of `account`.
    /// - Throws: ``AdapterError/reauthorizationRequired(_:platformCode:requestID:)`` when there is
    ///   none or it is damaged; ``StorageError`` when the state folder cannot be read.
    func load(account: String, context: AdapterContext) throws -> Credential {
        let stored: Credential?
        do {
            stored = try CredentialStore(state: context.state).load(instance: instance, account: account)
        } catch let error as CredentialError {
            throw AdapterError.reauthorizationRequired(error.description)
        }
        guard let stored else {
            throw AdapterError.reauthorizationRequired(
                "bilibili_open: no credential for account \(account) in the state folder; authorise the account with `collector auth \(instance) \(account)`"
                    + CredentialStore(state: context.state).elsewhereHint(instance: instance, account: account)
            )
        }
        return stored
    }

    /// What to do when only a new authorisation helps: the command, with this instance and
    /// `account`, as the other adapters' messages give it.
    func authorizeAgain(_ account: String) -> String {
        "authorise the account again with `collector auth \(instance) \(account)`"
    }

    /// Exchanges an authorisation code for a credential and saves it.
    func exchange(code: String, account: String, context: AdapterContext) async throws -> Credential {
        let credential = try await request(
            Self.tokenPath,
            grant: BilibiliOpenErrors.codeGrant,
            account: account,
            [
                ("client_id", clientID), ("client_secret", clientSecret.exposedValue),
                ("grant_type", "authorization_code"), ("code", code),
            ],
            renewals: 0,
            context: context
        )
        try CredentialStore(state: context.state).save(credential, instance: instance, account: account)
        return credential
    }

    /// Spends `credential`'s refresh token for a new pair, saves the pair, and returns it; or,
    /// when another process sharing the state folder refreshed it meanwhile, returns the pair it
    /// saved (``CredentialStore/refreshing(_:instance:account:at:refresh:)``), instead of
    /// spending a refresh token that is already spent.
    func refresh(_ credential: Credential, account: String, context: AdapterContext) async throws -> Credential {
        let canSpend = !(credential.refreshToken?.isEmpty ?? true) && !context.isDryRun && !context.state.isReadOnly
        // Nothing to spend or nowhere to save: `spend` says so, without taking the lock.
        guard canSpend else { return try await spend(credential, account: account, context: context) }
        return try await CredentialStore(state: context.state).refreshing(
            credential,
            instance: instance,
            account: account,
            at: context.now()
        ) { current in
            try await spend(current, account: account, context: context)
        }
    }

    /// The token request of ``refresh(_:account:context:)``, under the credential's lock.
    private func spend(_ credential: Credential, account: String, context: AdapterContext) async throws -> Credential {
        guard let refreshToken = credential.refreshToken, !refreshToken.isEmpty else {
            throw AdapterError.reauthorizationRequired(
                "bilibili_open: the access token of account \(account) expired and no refresh token is stored; "
                    + authorizeAgain(account)
            )
        }
        guard !context.isDryRun, !context.state.isReadOnly else {
            throw AdapterError.authExpired(
                "bilibili_open: the access token of account \(account) expired; `collector test` does not refresh it, because the refresh token is single-use and a dry run saves nothing; run `collector run` once to refresh"
            )
        }
        let fresh = try await request(
            Self.refreshPath,
            grant: "refresh token",
            account: account,
            [
                ("client_id", clientID), ("client_secret", clientSecret.exposedValue),
                ("grant_type", "refresh_token"), ("refresh_token", refreshToken.exposedValue),
            ],
            renewals: credential.renewals + 1,
            context: context
        )
        // First thing: the old refresh token is spent, the new one exists only in memory.
        try CredentialStore(state: context.state).save(fresh, instance: instance, account: account)
        context.logger.info(
            "refreshed the access token",
            metadata: ["expires_at": "\(context.calendar.render(fresh.expiresAt))"]
        )
        return fresh
    }

    /// POSTs a token request (form-encoded body: no secret in the URL) and reads the credential.
    private func request(
        _ path: String,
        grant: String,
        account: String,
        _ parameters: [(String, String)],
        renewals: Int,
        context: AdapterContext
    ) async throws -> Credential {
        let request = HTTPRequest(
            method: .post,
            url: tokenURL + path,
            headers: [
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                HTTPHeader("Accept", "application/json"),
            ],
            body: Array(BilibiliOpenForm.encode(parameters).utf8)
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
        guard code == 0 else {
            throw BilibiliOpenErrors.tokenError(
                code: code,
                message: json["message"]?.stringValue ?? "",
                origin: origin,
                grant: grant,
                reauthorize: authorizeAgain(account)
            )
        }
        let reader = JSONReader(json, origin: origin)
        let obtained = context.now()
        do {
            let access = try reader.string("data.access_token")
            let refresh = try reader.optionalString("data.refresh_token")
            var attributes: [String: String] = [:]
            if let scopes = try reader.optionalArray("data.scopes") {
                attributes["scopes"] = try scopes.map { try $0.string("") }.joined(separator: ",")
            }
            return Credential(
                accessToken: Secret(access),
                refreshToken: refresh.map(Secret.init),
                obtainedAt: obtained,
                expiresAt: expiry(reader, obtained: obtained, context: context),
                renewals: renewals,
                attributes: attributes
            )
        } catch let error as JSONFieldError {
            throw error.adapterError
        }
    }

    /// `data.expires_in`: the platform sends an absolute Unix time (`1630220614`); a small
    /// number is taken as seconds from now. When it is unreadable the token is treated as
    /// expiring now, so the new refresh token is still saved and the next run refreshes again.
    private func expiry(_ reader: JSONReader, obtained: Timestamp, context: AdapterContext) -> Timestamp {
        let value: Int64
        do {
            value = try reader.int64("data.expires_in")
        } catch {
            context.logger.warning("the token answer has no readable expiry", metadata: ["error": "\(error)"])
            return obtained
        }
        if value > 1_000_000_000 { return Timestamp(secondsSinceEpoch: value) }
        return Timestamp(secondsSinceEpoch: obtained.secondsSinceEpoch + max(0, value))
    }
}
