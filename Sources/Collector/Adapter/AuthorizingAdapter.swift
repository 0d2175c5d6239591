/// An adapter whose platform needs an operator's authorisation (OAuth): `collector auth`
/// exchanges the code the operator obtained for tokens, and lists every credential with the
/// date by which it must be renewed.
///
/// ## Implementation requirements
/// - Save the credential with ``CredentialStore`` under the instance's ``Adapter/name`` and the account.
/// - Never log or return a token: ``Credential`` holds them as ``Secret``s.
public protocol AuthorizingAdapter: Adapter {
    /// The page where the operator authorises `account`, with the instance's client id filled
    /// in, or nil when the platform has no such page (tokens are then entered by hand).
    func authorizationURL(account: String) -> String?

    /// Exchanges an authorization `code` for a credential and saves it.
    /// - Returns: the saved credential, for `collector auth` to describe.
    func authorize(account: String, code: String, context: AdapterContext) async throws -> Credential

    /// The account a credential returned by ``authorize(account:code:context:)`` was saved
    /// under, when the platform names it (Douyin's and Kuaishou's `open_id`, Weibo's `uid`): it
    /// may differ from the placeholder the operator gave, and must be put into `accounts`.
    func savedAccount(of credential: Credential, authorizing account: String) -> String

    /// Whether the platform's answer to a code names the account the credential is saved under
    /// (Douyin's and Kuaishou's `open_id`), so `collector auth` may be given a placeholder the
    /// first time. Otherwise the account given must be one of ``Adapter/accounts``: `collector
    /// auth` checks that before it spends the single-use code.
    var authorizationNamesTheAccount: Bool { get }

    /// What `collector auth` says in place of the re-authorisation date (``Credential/reauthorizeBy``)
    /// when the adapter extends the authorisation by itself, so that date is not the one by which
    /// the owner must authorise again (Douyin renews its refresh token; bilibili_open refreshes a
    /// single-use refresh token of undocumented lifetime); nil to show the date.
    func renewalNote(for credential: Credential, at now: Timestamp, calendar: PlatformCalendar) -> String?
}

extension AuthorizingAdapter {
    /// The account as given: the platform's answer does not name another.
    public func savedAccount(of credential: Credential, authorizing account: String) -> String { account }

    /// False: the credential is saved under the account given.
    public var authorizationNamesTheAccount: Bool { false }

    /// Nil: the credential's own dates say when the owner must authorise again.
    public func renewalNote(for credential: Credential, at now: Timestamp, calendar: PlatformCalendar) -> String? {
        nil
    }
}
