/// The content objects the catalogue already holds, for an export without ids to find the
/// platform's own id of a work (PLATFORMS.md §3.5: match the Douyin 作品名称 and 发布时间
/// against objects.csv), so that an account fed by the API and by exports counts each work once.
///
/// ## Implementation requirements
/// ``objects(platform:account:)`` returns every catalogue row of `account` on `platform`, as
/// readers see the catalogue; the importer does the matching.
public protocol KnownObjects: Sendable {
    /// The catalogue rows of `account` on `platform`.
    func objects(platform: Platform, account: String) throws(ImportError) -> [ContentObject]
}
