import Collector

/// The HTTP side of open.kuaishou.com for one adapter instance: builds the URLs (the app id
/// with the app secret or an access token in the query, as the platform wants), decodes the
/// `{result, error_msg}` envelope and maps error codes through ``KuaishouErrors``.
struct KuaishouAPI: Sendable {
    /// The API root without a trailing slash.
    let baseURL: String
    /// The app's `app_id`.
    let appID: String
    /// The app's `app_secret`.
    let appSecret: Secret

    /// GETs `path` with `query` and returns the response once its envelope says success.
    /// - Parameters:
    ///   - path: `/openapi/user_info`.
    ///   - query: the parameters; they may hold secrets, so the URL is never shown whole.
    ///   - reauthorize: the operator's next step for the codes that call for re-authorisation.
    /// - Throws: ``AdapterError`` for an error code, a bad status or body; ``HTTPError`` for
    ///   transport failures.
    func get(
        _ path: String,
        _ query: KuaishouQuery,
        reauthorize: String,
        context: AdapterContext
    ) async throws -> JSONReader {
        let request = HTTPRequest(
            url: baseURL + path + "?" + query.encoded,
            headers: [HTTPHeader("Accept", "application/json")]
        )
        let response = try await context.http.fetch(request)
        let json = try JSONResponse.decode(
            response,
            of: request,
            platform: .kuaishou,
            envelope: ["result"],
            now: context.now
        )
        // The endpoint, not request.path: a base_url may carry a path prefix (the simulator's).
        let origin = "kuaishou " + path
        let reader = JSONReader(json, origin: origin)
        let result: Int64
        do {
            result = try reader.int64("result")
        } catch {
            throw JSONResponse.schemaChanged(error)
        }
        let message = json["error_msg"]?.stringValue ?? ""
        // 1 is success; some integrations report 0 on success too, never with an error message.
        guard result == 1 || (result == 0 && message.isEmpty) else {
            throw KuaishouErrors.error(code: result, message: message, origin: origin, reauthorize: reauthorize)
        }
        return reader
    }

    /// `app_id` and `access_token`, the query every `/openapi/` call starts with.
    func openAPIQuery(accessToken: Secret) -> KuaishouQuery {
        KuaishouQuery([("app_id", appID), ("access_token", accessToken.exposedValue)])
    }

    /// The query of `/oauth2/access_token`: exchanges an authorisation code.
    func codeQuery(code: String) -> KuaishouQuery {
        KuaishouQuery([
            ("app_id", appID), ("app_secret", appSecret.exposedValue), ("code", code),
            ("grant_type", "authorization_code"),
        ])
    }

    /// The query of `/oauth2/refresh_token`.
    func refreshQuery(refreshToken: Secret) -> KuaishouQuery {
        KuaishouQuery([
            ("app_id", appID), ("app_secret", appSecret.exposedValue), ("refresh_token", refreshToken.exposedValue),
            ("grant_type", "refresh_token"),
        ])
    }
}
