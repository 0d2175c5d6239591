/// An OAuth-style credential of one account, as kept in `state_dir` (PLATFORMS.md §10):
/// the tokens, when they were obtained, when each expires, and how often the refresh token
/// was renewed — so the collector can refresh before expiry and tell the operator the absolute
/// date by which they must re-authorise.
public struct Credential: Sendable, Hashable {
    /// The access token.
    public var accessToken: Secret
    /// The refresh token, when the platform issues one.
    public var refreshToken: Secret?
    /// When the access token was obtained.
    public var obtainedAt: Timestamp
    /// When the access token expires.
    public var expiresAt: Timestamp
    /// When the refresh token expires, when known.
    public var refreshExpiresAt: Timestamp?
    /// How many times the refresh token itself was renewed (Douyin allows 5).
    public var renewals: Int
    /// Platform-specific non-secret fields (`open_id`, `scope`, …).
    public var attributes: [String: String]
    /// When a run met the platform's refusal of this authorisation (revoked, invalidated), so
    /// `collector auth` lists it as needing a new authorisation whatever its dates say; nil
    /// while none was met. A new `collector auth` replaces the credential and clears it.
    public var refusedAt: Timestamp?
    /// The platform's code of that refusal (`100200109`, `21332`).
    public var refusalCode: String?

    /// Creates a credential.
    public init(
        accessToken: Secret,
        refreshToken: Secret? = nil,
        obtainedAt: Timestamp,
        expiresAt: Timestamp,
        refreshExpiresAt: Timestamp? = nil,
        renewals: Int = 0,
        attributes: [String: String] = [:],
        refusedAt: Timestamp? = nil,
        refusalCode: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.obtainedAt = obtainedAt
        self.expiresAt = expiresAt
        self.refreshExpiresAt = refreshExpiresAt
        self.renewals = renewals
        self.attributes = attributes
        self.refusedAt = refusedAt
        self.refusalCode = refusalCode
    }

    /// Whether the access token is still valid `margin` from `now`.
    public func isValid(at now: Timestamp, margin: Duration = .seconds(300)) -> Bool {
        now.secondsSinceEpoch + margin.wholeSeconds < expiresAt.secondsSinceEpoch
    }

    /// The date by which the operator must re-authorise: when the refresh token (or, without
    /// one, the access token) lapses.
    public var reauthorizeBy: Timestamp { refreshExpiresAt ?? expiresAt }
}
