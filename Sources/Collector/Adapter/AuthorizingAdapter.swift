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
}
