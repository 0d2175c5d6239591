import Collector

/// The requests of open.douyin.com, one method each: the three OAuth calls and authorised
/// data GETs. Every answer goes through ``JSONResponse`` and then the `error_code` envelope, so
/// a caller gets either a reader over a successful response or an ``AdapterError``.
///
/// Secrets travel only where the platform wants them: the client secret, codes and refresh
/// tokens in POST bodies, the access token in the `access-token` header. No URL carries one.
struct DouyinAPI: Sendable {
    /// The API root, without a trailing slash.
    var baseURL: String
    /// The app's client key (public: it is part of the authorisation page's URL).
    var clientKey: String
    /// The app's client secret.
    var clientSecret: Secret

    // MARK: - OAuth

    /// `POST /oauth/access_token/`: exchanges an authorisation code for tokens.
    func exchange(code: String, context: AdapterContext) async throws -> DouyinTokenGrant {
        let json = try await post(
            "/oauth/access_token/",
            form: [
                ("client_key", clientKey), ("client_secret", clientSecret.exposedValue), ("code", code),
                ("grant_type", "authorization_code"),
            ],
            context: context
        )
        return try DouyinTokenGrant(json, refreshLifetimeField: "refresh_expires_in")
    }

    /// `POST /oauth/refresh_token/`: a new access token from the refresh token.
    func refresh(_ refreshToken: Secret, context: AdapterContext) async throws -> DouyinTokenGrant {
        let json = try await post(
            "/oauth/refresh_token/",
            form: [
                ("client_key", clientKey), ("grant_type", "refresh_token"),
                ("refresh_token", refreshToken.exposedValue),
            ],
            context: context
        )
        return try DouyinTokenGrant(json, refreshLifetimeField: "refresh_expires_in")
    }

    /// `POST /oauth/renew_refresh_token/`: a new refresh token (its lifetime in `expires_in`).
    func renew(_ refreshToken: Secret, context: AdapterContext) async throws -> DouyinTokenGrant {
        let json = try await post(
            "/oauth/renew_refresh_token/",
            form: [("client_key", clientKey), ("refresh_token", refreshToken.exposedValue)],
            context: context
        )
        return try DouyinTokenGrant(renewal: json)
    }

    /// The authorisation page for the account owner to scan.
    func authorizationURL(scopes: [String], redirectURI: String?, state: String) -> String {
        var query = [
            ("client_key", clientKey), ("response_type", "code"), ("scope", scopes.joined(separator: ",")),
        ]
        if let redirectURI { query.append(("redirect_uri", redirectURI)) }
        query.append(("state", state))
        return baseURL + "/platform/oauth/connect/?" + DouyinForm.encode(query)
    }

    // MARK: - Data

    /// `GET <endpoint>?<query>` with the access token in the `access-token` header.
    /// - Returns: a reader over the whole response, its envelope checked.
    func get(
        _ endpoint: String,
        query: [(String, String)],
        accessToken: Secret,
        context: AdapterContext
    ) async throws -> JSONReader {
        let request = HTTPRequest(
            url: baseURL + endpoint + "?" + DouyinForm.encode(query),
            headers: [HTTPHeader("Accept", "application/json"), HTTPHeader("access-token", accessToken.exposedValue)]
        )
        return try await send(request, endpoint: endpoint, context: context)
    }

    // MARK: - Plumbing

    private func post(_ endpoint: String, form: [(String, String)], context: AdapterContext) async throws -> JSONReader
    {
        let request = HTTPRequest(
            method: .post,
            url: baseURL + endpoint,
            headers: [
                HTTPHeader("Accept", "application/json"),
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body: Array(DouyinForm.encode(form).utf8)
        )
        return try await send(request, endpoint: endpoint, context: context)
    }

    private func send(_ request: HTTPRequest, endpoint: String, context: AdapterContext) async throws -> JSONReader {
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .douyin,
            envelope: ["extra", "data", "err_no"],
            now: context.now
        )
        // The endpoint, not request.path: a base_url may carry a path prefix (the simulator's).
        let origin = "douyin " + endpoint
        try DouyinEnvelope.check(json, origin: origin)
        return JSONReader(json, origin: origin)
    }
}
