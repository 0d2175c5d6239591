public import Collector
import Logging

/// Tokens and authorisation of ``WeiboAdapter``: where an account's token comes from, the
/// token check that warns before expiry, and `collector auth` (the authorisation page and the
/// code exchange).
extension WeiboAdapter {
    // MARK: - Tokens

    /// A token and where it came from.
    struct ResolvedToken: Sendable {
        var secret: Secret
        /// The key of its check record: `configured`, or `account:<uid>` for a stored token.
        var key: String
        /// The stored credential it came from, if any.
        var credential: Credential?
    }

    /// The configured token, else the one `collector auth` saved for `account`.
    /// - Throws: ``AdapterError``; ``UnreadableCredentialError`` when the saved token's file
    ///   cannot be read (another user's: the operator's to fix, not a re-authorisation).
    func resolveToken(account: String, context: AdapterContext) throws -> ResolvedToken {
        if let configuredToken { return ResolvedToken(secret: configuredToken, key: "configured", credential: nil) }
        let credential: Credential?
        do {
            credential = try CredentialStore(state: context.state).load(instance: name, account: account)
        } catch let error as UnreadableCredentialError {
            throw error
        } catch {
            throw AdapterError.reauthorizationRequired(
                "weibo: the saved token of account \(account) cannot be used: \(error)"
            )
        }
        guard let credential else {
            throw AdapterError.reauthorizationRequired(
                "weibo: no token for account \(account): run \(reauthorizeHint(account)), or configure a token for the instance (docs/adapters/weibo.md)"
                    + CredentialStore(state: context.state).elsewhereHint(instance: name, account: account)
            )
        }
        if credential.expiresAt <= context.now() {
            throw AdapterError.reauthorizationRequired(
                "weibo: the saved token of account \(account) expired on \(context.calendar.render(credential.expiresAt)); re-authorise: \(reauthorizeHint(account))",
                platformCode: "expired"
            )
        }
        return ResolvedToken(secret: credential.accessToken, key: "account:\(account)", credential: credential)
    }

    func reauthorizeHint(_ account: String) -> String {
        "`collector auth \(name) \(account)`"
    }

    /// Checks the token's lifetime once per run (``WeiboTokenChecks``): warns a week before it
    /// expires, fails once it has, and saves the expiry with the credential.
    /// - Returns: the uid the token belongs to, when known.
    /// - Throws: only when the token is expired or revoked; any other failure of the check is
    ///   logged, and the data calls then tell.
    func checkToken(_ token: ResolvedToken, account: String, context: AdapterContext) async throws -> String? {
        let now = context.now()
        if let record = tokenChecks.recent(token.key, token: token.secret, now: now, window: reuseWindow) {
            if let failure = record.failure { throw failure }
            return record.uid
        }
        let endpoint = "/oauth2/get_token_info"
        let info: JSONReader
        do {
            let json = try await call(
                formPost(endpoint, [("access_token", token.secret.exposedValue)]),
                endpoint: endpoint,
                account: account,
                context: context
            )
            info = JSONReader(json, origin: "weibo " + endpoint)
        } catch let error as AdapterError where error.hasSameKind(as: .reauthorizationRequired("")) {
            tokenChecks.store(token.key, .init(token: token.secret, checked: now, uid: nil, failure: error))
            throw error
        } catch {
            context.logger.warning(
                "could not check the weibo token's expiry; collecting anyway",
                metadata: ["error": "\(error)"]
            )
            tokenChecks.store(token.key, .init(token: token.secret, checked: now, uid: nil, failure: nil))
            return nil
        }

        let uid = WeiboUID.received(in: info, endpoint: endpoint, account: account, context: context)
        guard let expireIn = try? info.int64("expire_in") else {
            context.logger.warning("weibo get_token_info did not say when the token expires (no \"expire_in\")")
            tokenChecks.store(token.key, .init(token: token.secret, checked: now, uid: uid, failure: nil))
            return uid
        }
        let expiresAt = now.adding(seconds: expireIn)
        let date = context.calendar.civilDate(of: expiresAt)
        let owner = token.credential == nil ? "the configured token" : "the token of account \(account)"
        if expireIn <= 0 {
            let failure = AdapterError.reauthorizationRequired(
                "weibo: \(owner) has expired; re-authorise: \(reauthorizeHint(uid ?? account))",
                platformCode: "expire_in"
            )
            tokenChecks.store(token.key, .init(token: token.secret, checked: now, uid: uid, failure: failure))
            throw failure
        }
        if expireIn < Self.expiryWarning {
            context.logger.warning(
                "weibo: \(owner) expires in \(max(1, expireIn / 86_400)) day(s); re-authorise before \(date): \(reauthorizeHint(uid ?? account))",
                metadata: ["expires": "\(context.calendar.render(expiresAt))"]
            )
        }
        tokenChecks.store(token.key, .init(token: token.secret, checked: now, uid: uid, failure: nil))
        await saveExpiry(
            token,
            uid: uid ?? account,
            createdAt: try? info.optionalInt64("create_at"),
            expiresAt: expiresAt,
            context: context
        )
        return uid
    }

    /// Keeps the expiry with the credential so `collector auth list` shows it. A configured
    /// token is saved under its own uid, unless `collector auth` saved a different token there.
    ///
    /// Under the credential's lock, on the credential stored now: `collector auth` or another
    /// instance sharing the state folder may have saved a new token since this run loaded its
    /// copy, and saving that copy with the new expiry would put the old token back. Only the
    /// token that was checked gets the expiry.
    func saveExpiry(
        _ token: ResolvedToken,
        uid: String,
        createdAt: Int64?,
        expiresAt: Timestamp,
        context: AdapterContext
    ) async {
        // `collector test` changes no state, not even a lock file.
        guard !context.state.isReadOnly else { return }
        let store = CredentialStore(state: context.state)
        let account = token.credential == nil ? uid : String(token.key.dropFirst("account:".count))
        let instance = name
        do {
            try await store.locked(instance: instance, account: account) { stored in
                if let stored, stored.accessToken != token.secret { return }
                var credential: Credential
                if let stored {
                    credential = stored
                } else if token.credential != nil {
                    // Removed since this run loaded it: not brought back.
                    return
                } else {
                    let obtained = createdAt.map(Timestamp.init(secondsSinceEpoch:)) ?? context.now()
                    credential = Credential(accessToken: token.secret, obtainedAt: obtained, expiresAt: expiresAt)
                }
                if token.credential == nil { credential.attributes["origin"] = "configured" }
                guard
                    abs(credential.expiresAt.secondsSinceEpoch - expiresAt.secondsSinceEpoch) > 60
                        || credential.attributes["uid"] != uid
                else { return }
                credential.expiresAt = expiresAt
                credential.attributes["uid"] = uid
                try store.save(credential, instance: instance, account: account)
            }
        } catch {
            context.logger.warning("could not save the weibo token's expiry", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Authorising

    public func authorizationURL(account: String) -> String? {
        guard let app else { return nil }
        // forcelogin: the operator signs in as the account being authorised, not as whoever
        // is logged in in the browser; state echoes the account back with the code.
        return baseURL + "/oauth2/authorize?client_id=" + WeiboForm.escape(app.key) + "&response_type=code"
            + "&redirect_uri=" + WeiboForm.escape(app.redirectURI) + "&forcelogin=true&state="
            + WeiboForm.escape(account)
    }

    public func authorize(account: String, code: String, context: AdapterContext) async throws -> Credential {
        guard let app else {
            throw appMissing
        }
        let endpoint = "/oauth2/access_token"
        let json = try await call(
            formPost(
                endpoint,
                [
                    ("client_id", app.key), ("client_secret", app.secret.exposedValue),
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", app.redirectURI),
                ]
            ),
            endpoint: endpoint,
            account: account,
            context: context
        )
        let reader = JSONReader(json, origin: "weibo " + endpoint)
        let token: String
        let expiresIn: Int64
        do {
            token = try reader.string("access_token")
            expiresIn = try reader.int64("expires_in")
        } catch {
            throw error.adapterError
        }
        let uid = WeiboUID.received(in: reader, endpoint: endpoint, account: account, context: context)
        if let uid, uid != account {
            throw AdapterError.reauthorizationRequired(
                "weibo: the code was issued to uid \(uid), not to account \(account); sign in to Weibo as \(account) on the authorisation page and try again"
            )
        }
        let now = context.now()
        let credential = Credential(
            accessToken: Secret(token),
            obtainedAt: now,
            expiresAt: now.adding(seconds: expiresIn),
            attributes: ["uid": uid ?? account, "origin": "collector auth"]
        )
        try CredentialStore(state: context.state).save(credential, instance: name, account: account)
        return credential
    }

    /// A POST of `fields` as a form to one of the OAuth endpoints, which answer JSON.
    private func formPost(_ endpoint: String, _ fields: [(String, String)]) -> HTTPRequest {
        HTTPRequest(
            method: .post,
            url: baseURL + endpoint,
            headers: [
                HTTPHeader("Accept", "application/json"),
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body: WeiboForm.encode(fields)
        )
    }
}
