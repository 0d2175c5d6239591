/// Why an account could not be collected, normalised across platforms (PLATFORMS.md §10) so
/// the scheduler knows what to do next and summaries can count it.
public struct AdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case authExpired, reauthorizationRequired, rateLimited, quotaExhausted, permission, notFound
        case badRequest, schemaChanged, antiBot, transient, commandFailed
    }

    /// What the scheduler should do about an error.
    public enum Action: String, Sendable, Hashable {
        /// Retry with backoff within this run.
        case retry
        /// Skip this account for this run; try again at its next due time.
        case skipAccount
        /// Stop the whole adapter instance for this run (anti-bot, quotas).
        case stopInstance
    }

    private let code: Code
    /// The platform's own code as sent (`errcode`, `error_code`, `code`).
    public var platformCode: String?
    /// A request id for support tickets (`rid`, `extra.logid`).
    public var requestID: String?
    /// How long the platform asked us to wait.
    public var retryAfter: Duration?
    /// What happened and what the operator should do; never a secret.
    public var message: String
    /// The error concerns the whole app or credential, not one account (a banned app): the
    /// instance stops for the run instead of meeting it again for every account.
    private var concernsInstance = false
    /// The answer did not come from the platform's API: another server's page (a wrong
    /// `base_url`), a proxy's or a login wall's, a redirect elsewhere. Every account of the
    /// instance would meet it, so after a few accounts in a row the instance stops for the run
    /// (``CollectionRunner/RetryPolicy/unreachableLimit``), and those accounts stay due.
    public private(set) var missedTheAPI = false

    private init(_ code: Code, _ message: String, platformCode: String?, requestID: String?, retryAfter: Duration?) {
        self.code = code
        self.message = message
        self.platformCode = platformCode
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    /// The token expired; refreshing it may help.
    public static func authExpired(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self {
        Self(.authExpired, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// Only the operator can fix this: re-authorise, renew a cookie.
    public static func reauthorizationRequired(
        _ message: String,
        platformCode: String? = nil,
        requestID: String? = nil
    ) -> Self {
        Self(.reauthorizationRequired, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// Too many requests: back off.
    public static func rateLimited(
        _ message: String,
        platformCode: String? = nil,
        requestID: String? = nil,
        retryAfter: Duration? = nil
    ) -> Self {
        Self(.rateLimited, message, platformCode: platformCode, requestID: requestID, retryAfter: retryAfter)
    }
    /// A daily quota is used up.
    public static func quotaExhausted(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self
    {
        Self(.quotaExhausted, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// The credential lacks a permission, or the caller's IP is not whitelisted.
    /// - Parameter stopsInstance: The refusal holds for every account of the instance (the
    ///   platform banned the app itself): the instance stops for the run rather than skipping
    ///   one account after another.
    public static func permission(
        _ message: String,
        platformCode: String? = nil,
        requestID: String? = nil,
        stopsInstance: Bool = false
    ) -> Self {
        var error = Self(.permission, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
        error.concernsInstance = stopsInstance
        return error
    }
    /// The account or object does not exist (or is hidden).
    public static func notFound(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self {
        Self(.notFound, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// The platform rejected the request as malformed: a bug or a configuration mistake.
    public static func badRequest(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self {
        Self(.badRequest, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// An external command failed: it could not be started, exited non-zero, died of a signal
    /// or outlived its timeout.
    /// SPEC §5: that fails the instance for the run, with no retry, because the command may
    /// itself have sent requests to the platform that a retry would repeat.
    public static func commandFailed(_ message: String) -> Self {
        Self(.commandFailed, message, platformCode: nil, requestID: nil, retryAfter: nil)
    }
    /// The response did not have the expected shape: HTML instead of JSON, a missing field.
    public static func schemaChanged(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self {
        Self(.schemaChanged, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// The platform's risk control answered: stop politely.
    public static func antiBot(_ message: String, platformCode: String? = nil, requestID: String? = nil) -> Self {
        Self(.antiBot, message, platformCode: platformCode, requestID: requestID, retryAfter: nil)
    }
    /// A passing failure: a 5xx, "system busy", a reset connection.
    public static func transient(
        _ message: String,
        platformCode: String? = nil,
        requestID: String? = nil,
        retryAfter: Duration? = nil
    ) -> Self {
        Self(.transient, message, platformCode: platformCode, requestID: requestID, retryAfter: retryAfter)
    }

    /// This error, marked as an answer that did not come from the platform's API
    /// (``missedTheAPI``).
    public func fromOutsideTheAPI() -> Self {
        var error = self
        error.missedTheAPI = true
        return error
    }

    /// A bounded label for summaries and self-metrics.
    public var label: String { code.rawValue }

    /// What to do next.
    public var action: Action {
        switch code {
        case .transient: .retry
        case .rateLimited: .retry
        case .antiBot, .quotaExhausted: .stopInstance
        case .permission: concernsInstance ? .stopInstance : .skipAccount
        case .authExpired, .reauthorizationRequired, .notFound, .badRequest, .schemaChanged, .commandFailed:
            .skipAccount
        }
    }

    /// Whether the platform itself refused an authorisation (a revoked, invalidated or expired
    /// grant, with the platform's code), as opposed to a credential found missing or lapsed
    /// on this side: the refusal is worth recording with the credential.
    public var isRefusedAuthorization: Bool { code == .reauthorizationRequired && platformCode != nil && !missedTheAPI }

    /// Whether two errors are of the same kind (for tests and error tables).
    public func hasSameKind(as other: AdapterError) -> Bool { code == other.code }

    /// `rateLimited (code -799): 请求过于频繁; the instance stops for this run`.
    public var description: String {
        var text = code.rawValue
        if let platformCode { text += " (code \(platformCode))" }
        text += ": " + message
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
