import Collector

/// What an OAuth call returned (PLATFORMS.md §3.1), lifetimes in seconds. `expires_in` and
/// `refresh_expires_in` may be numeric strings (`"1296000"`).
struct DouyinTokenGrant: Sendable {
    /// The new access token (absent from a renewal).
    var accessToken: Secret?
    /// The access token's lifetime (for a renewal: the new refresh token's).
    var expiresIn: Int64
    /// The refresh token, when one was returned.
    var refreshToken: Secret?
    /// The refresh token's lifetime, when given.
    var refreshExpiresIn: Int64?
    /// The account the tokens belong to.
    var openID: String?
    /// The scopes granted, comma-separated.
    var scope: String?

    /// Reads `/oauth/access_token/` or `/oauth/refresh_token/`.
    init(_ response: JSONReader, refreshLifetimeField: String) throws(AdapterError) {
        do throws(JSONFieldError) {
            accessToken = Secret(try response.string("data.access_token"))
            expiresIn = try Self.lifetime(response, "data.expires_in")
            refreshToken = try response.optionalString("data.refresh_token").map(Secret.init)
            refreshExpiresIn = try response.optionalInt64("data." + refreshLifetimeField)
            openID = try response.optionalString("data.open_id")
            scope = try response.optionalString("data.scope")
        } catch {
            throw error.adapterError
        }
        if let refreshExpiresIn, refreshExpiresIn <= 0 {
            throw .schemaChanged(
                "\(response.origin): \"data.\(refreshLifetimeField)\" is \(refreshExpiresIn), not a lifetime in seconds"
            )
        }
    }

    /// Reads `/oauth/renew_refresh_token/`: the new refresh token and its lifetime.
    init(renewal response: JSONReader) throws(AdapterError) {
        do throws(JSONFieldError) {
            refreshToken = Secret(try response.string("data.refresh_token"))
            expiresIn = try Self.lifetime(response, "data.expires_in")
        } catch {
            throw error.adapterError
        }
        accessToken = nil
        refreshExpiresIn = expiresIn
        openID = nil
        scope = nil
    }

    /// A positive number of seconds.
    private static func lifetime(_ response: JSONReader, _ path: String) throws(JSONFieldError) -> Int64 {
        let seconds = try response.int64(path)
        guard seconds > 0 else {
            throw JSONFieldError(
                kind: .outOfRange,
                path: path,
                origin: response.origin,
                problem: "is \(seconds), expected a lifetime in seconds"
            )
        }
        return seconds
    }
}
