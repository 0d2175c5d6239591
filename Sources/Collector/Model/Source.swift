/// Where a sample came from (SPEC §3 `source`).
public enum Source: String, Sendable, Hashable, CaseIterable {
    /// An official, owner-authorised API.
    case api
    /// A back-office export file.
    case `import`
    /// An external adapter (SPEC §5).
    case exec
    /// An unofficial web endpoint.
    case web
}
