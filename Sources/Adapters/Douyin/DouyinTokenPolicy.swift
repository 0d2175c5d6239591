package import Collector

/// When a Douyin credential is refreshed, renewed or given up (PLATFORMS.md §3.1, §10): the
/// decisions alone, as pure functions of the credential and the time, so each can be tested.
///
/// Douyin access tokens live 15 days and refresh tokens 30. A refresh gives a new access token
/// and leaves the refresh token's expiry where it was; `renew_refresh_token` gives a new 30-day
/// refresh token, at most 5 times; after that only the account owner can extend the
/// authorisation, by scanning the authorisation page again.
package enum DouyinTokenPolicy {
    /// What to do with a credential before using it.
    package enum Action: Sendable, Hashable {
        /// The access token has more than ``refreshMargin`` left (or cannot be refreshed and is
        /// still valid): use it.
        case use
        /// Get a new access token with the refresh token.
        case refresh
        /// Get a new refresh token with the current one.
        case renewRefreshToken
        /// Nothing valid is left: the account owner must re-authorise.
        case reauthorize
    }

    /// How urgently the operator must re-authorise, once the authorisation cannot be extended.
    package enum Urgency: Sendable, Hashable {
        /// Within ``warningMargin``: a warning in the log at every run.
        case warn
        /// Within ``renewalMargin``: a reported failure at every run (the account is still collected).
        case report
    }

    /// Refresh the access token when less than this is left: one day, so a daily run never meets
    /// an expired token.
    package static let refreshMargin: Int64 = 86_400
    /// Renew the refresh token when less than this is left: three days.
    package static let renewalMargin: Int64 = 3 * 86_400
    /// Warn the operator this long before the authorisation lapses for good.
    package static let warningMargin: Int64 = 7 * 86_400
    /// How long a renewed refresh token lives: 30 days (PLATFORMS.md §3.1).
    package static let refreshTokenLifetime: Int64 = 30 * 86_400
    /// How often Douyin lets a refresh token be renewed.
    package static let maximumRenewals = 5
    /// An access token with less than this left is treated as expired (clock skew, slow requests).
    package static let expiryMargin: Int64 = 300

    /// The next step for `credential` at `now`.
    /// - Parameters:
    ///   - canRefresh: false once the token was refreshed in this run, and under `collector test`.
    ///   - canRenew: false once a renewal failed in this run, and under `collector test`.
    package static func action(
        for credential: Credential,
        at now: Timestamp,
        canRefresh: Bool = true,
        canRenew: Bool = true
    ) -> Action {
        let refreshAlive = isRefreshTokenAlive(credential, at: now)
        if canRenew, refreshAlive, credential.renewals < maximumRenewals,
            let refreshExpiry = credential.refreshExpiresAt,
            refreshExpiry.secondsSinceEpoch - now.secondsSinceEpoch < renewalMargin
        {
            return .renewRefreshToken
        }
        let accessLeft = credential.expiresAt.secondsSinceEpoch - now.secondsSinceEpoch
        if canRefresh, refreshAlive, accessLeft < refreshMargin { return .refresh }
        if accessLeft > expiryMargin { return .use }
        return .reauthorize
    }

    /// Whether the refresh token exists and has not expired (an unknown expiry counts as alive).
    package static func isRefreshTokenAlive(_ credential: Credential, at now: Timestamp) -> Bool {
        guard credential.refreshToken != nil else { return false }
        guard let expiry = credential.refreshExpiresAt else { return true }
        return now < expiry
    }

    /// Whether the access token is valid for at least ``expiryMargin``.
    package static func isAccessTokenAlive(_ credential: Credential, at now: Timestamp) -> Bool {
        credential.expiresAt.secondsSinceEpoch - now.secondsSinceEpoch > expiryMargin
    }

    /// The moment collection stops for good unless the owner re-authorises, or nil while the
    /// authorisation can still be extended (a live refresh token with renewals left).
    ///
    /// With renewals used up the deadline is the refresh token's expiry (whether an access token
    /// refreshed just before it outlives it is not documented, so the earlier date is given);
    /// without a live refresh token it is the access token's expiry.
    package static func deadline(for credential: Credential, at now: Timestamp, canRenew: Bool = true) -> Timestamp? {
        guard isRefreshTokenAlive(credential, at: now) else { return credential.expiresAt }
        guard let refreshExpiry = credential.refreshExpiresAt else { return nil }
        if canRenew && credential.renewals < maximumRenewals { return nil }
        return refreshExpiry
    }

    /// About when the authorisation ends for good if the runs use every renewal left, each
    /// made ``renewalMargin`` before the refresh token lapses and worth ``refreshTokenLifetime``
    /// (about six months after the authorisation); nil when the refresh token's expiry is unknown.
    package static func estimatedEnd(of credential: Credential) -> Timestamp? {
        guard let refreshExpiry = credential.refreshExpiresAt else { return nil }
        let left = Int64(max(0, maximumRenewals - credential.renewals))
        return refreshExpiry.adding(seconds: left * (refreshTokenLifetime - renewalMargin))
    }

    /// How urgently the operator must act, or nil when nothing needs saying yet.
    package static func urgency(for credential: Credential, at now: Timestamp, canRenew: Bool = true) -> Urgency? {
        guard let deadline = deadline(for: credential, at: now, canRenew: canRenew) else { return nil }
        let left = deadline.secondsSinceEpoch - now.secondsSinceEpoch
        if left < renewalMargin { return .report }
        if left < warningMargin { return .warn }
        return nil
    }
}
