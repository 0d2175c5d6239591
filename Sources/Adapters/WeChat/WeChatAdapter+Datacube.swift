import Collector
import Logging

extension WeChatAdapter {
    /// Posts datacube queries for one account with the token in use, renewing the token as
    /// PLATFORMS.md §1.1 asks when the platform refuses it (40001/42001): once in normal mode,
    /// then at most one forced refresh per collection.
    struct Datacube {
        let baseURL: String
        let tokens: WeChatTokenProvider
        let context: AdapterContext
        private var token: Secret?
        private var forcedRefresh = false

        init(baseURL: String, tokens: WeChatTokenProvider, context: AdapterContext) {
            self.baseURL = baseURL
            self.tokens = tokens
            self.context = context
        }

        /// Gets the token before any query, so that a token failure fails the account as a whole.
        mutating func prepare() async throws {
            token = try await tokens.token(context: context)
        }

        /// `POST <base_url>/datacube/<endpoint>?access_token=…` with the window as the body.
        /// - Returns: A reader over the successful answer, its origin naming endpoint and window.
        /// - Throws: ``AdapterError`` from the error table; ``TokenFailure`` when renewing the
        ///   token failed; ``HTTPError`` for transport failures.
        mutating func query(_ endpoint: String, _ window: DateWindow) async throws -> JSONReader {
            let origin = "wechat /datacube/\(endpoint) \(window)"
            var renewals = 0
            while true {
                let current = try await currentToken()
                let request = HTTPRequest(
                    method: .post,
                    url:
                        "\(baseURL)/datacube/\(endpoint)?access_token=\(WeChatAdapter.queryEncoded(current.exposedValue))",
                    headers: [
                        HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json"),
                    ],
                    body: Array(window.body.utf8)
                )
                let response = try await context.http.fetch(request)
                let json = try JSONResponse.decode(
                    response,
                    of: request,
                    platform: .wechat,
                    envelope: ["errcode"],
                    now: context.now
                )
                guard let (code, errmsg) = try WeChatErrors.envelope(of: json, origin: origin) else {
                    return JSONReader(json, origin: origin)
                }
                guard WeChatErrors.isTokenRejection(code) else {
                    throw WeChatErrors.error(
                        code: code,
                        errmsg: errmsg,
                        origin: origin,
                        legacy: WeChatErrors.legacyEndpoints.contains(endpoint)
                    )
                }
                renewals += 1
                context.logger.info(
                    "the platform refused the access token; renewing it",
                    metadata: ["endpoint": "\(endpoint)", "error.code": "\(code)", "renewal": "\(renewals)"]
                )
                if renewals == 1 {
                    token = try await renewing { try await tokens.refetch(context: context) }
                    continue
                }
                guard renewals == 2, !forcedRefresh else {
                    throw WeChatErrors.error(code: code, errmsg: errmsg, origin: origin)
                }
                forcedRefresh = true
                switch try await renewing({ try await tokens.forceRefresh(context: context) }) {
                case .token(let forced):
                    token = forced
                case .refused(let reason):
                    let (_, requestID) = WeChatErrors.splitRequestID(errmsg)
                    throw TokenFailure(
                        error: .authExpired(
                            "\(origin): the platform refused a freshly fetched access token (code \(code)) and no forced refresh was made: \(reason); check that app_id and app_secret belong to this account",
                            platformCode: String(code),
                            requestID: requestID
                        )
                    )
                }
            }
        }

        private mutating func currentToken() async throws -> Secret {
            if let token { return token }
            let fetched = try await renewing { try await tokens.token(context: context) }
            token = fetched
            return fetched
        }

        /// Runs a token call, marking its ``AdapterError`` as one that ends the account's collection.
        private func renewing<T>(_ call: () async throws -> T) async throws -> T {
            do {
                return try await call()
            } catch let error as AdapterError {
                throw TokenFailure(error: error)
            }
        }
    }

    /// A token failure met while a section was querying: it ends the account's collection,
    /// where a section's own failure (a missing field, an unauthorised API) only ends the section.
    struct TokenFailure: Error {
        var error: AdapterError
    }

    /// Percent-encodes a query value: everything but RFC 3986's unreserved characters.
    static func queryEncoded(_ text: String) -> String {
        PercentEncoding.escape(text)
    }
}
