/// The content objects the catalogue already holds, for an export without ids to find the
/// platform's own id of a work (PLATFORMS.md §3.5: match the Douyin 作品名称 and 发布时间
/// against objects.csv), so that an account fed by the API and by exports counts each work once.
///
/// ## Implementation requirements
/// ``objects(platform:account:)`` returns every catalogue row of `account` on `platform`, as
/// readers see the catalogue; the importer does the matching. ``accountsByObject(platform:)``
/// returns, for each id of the platform's catalogue, the accounts it is catalogued under; the
/// default knows none, which leaves the import's check of ids catalogued under another account
/// (docs/imports.md, "An export of another account") without evidence.
public protocol KnownObjects: Sendable {
    /// The catalogue rows of `account` on `platform`.
    func objects(platform: Platform, account: String) throws(ImportError) -> [ContentObject]

    /// The accounts each content id of `platform` is catalogued under.
    func accountsByObject(platform: Platform) throws(ImportError) -> [String: [String]]
}

extension KnownObjects {
    /// None known.
    public func accountsByObject(platform _: Platform) throws(ImportError) -> [String: [String]] { [:] }
}
