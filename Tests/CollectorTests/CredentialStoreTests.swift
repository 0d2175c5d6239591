import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct CredentialStoreTests {
    private static let file = "credential-wechat~gh_x.json"
    private static let json = #"{"access_token":"t","obtained_at":1,"expires_at":2}"#

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    /// Credentials follow the instance name: after a rename, the message about the missing one
    /// points at the file left under the old name.
    @Test func pointsAtACredentialLeftUnderAnotherInstanceName() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write(Self.json, to: "state/" + Self.file)
        let store = CredentialStore(state: try StateStore(directory: directory.path + "/state"))
        #expect(
            store.elsewhereHint(instance: "wx", account: "gh_x")
                == "; a credential of this account is stored for instance \"wechat\" (credentials follow the instance"
                + " name): if this is the same instance renamed, rename \(directory.path)/state/\(Self.file) to"
                + " credential-wx~gh_x.json instead of authorising again"
        )
        #expect(store.elsewhereHint(instance: "wechat", account: "gh_x") == "")
        #expect(store.elsewhereHint(instance: "wx", account: "gh_y") == "")
    }

    /// A token file copied into place by hand with mode 0644 is set to 0600 when it is loaded
    /// for a run; a read-only store (the `auth` listing) only reports it.
    @Test func restrictsATokenFileOthersCanReadToItsOwner() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Self.json, to: "state/" + Self.file)
        chmod(path, 0o644)

        let listing = CredentialStore(state: try StateStore(directory: directory.path + "/state", readOnly: true))
        #expect(listing.isOpenToOthers(instance: "wechat", account: "gh_x"))
        #expect(try listing.load(instance: "wechat", account: "gh_x")?.expiresAt.secondsSinceEpoch == 2)
        #expect(mode(path) == 0o644)

        let run = CredentialStore(state: try StateStore(directory: directory.path + "/state"))
        #expect(try run.load(instance: "wechat", account: "gh_x") != nil)
        #expect(mode(path) == 0o600)
        #expect(!run.isOpenToOthers(instance: "wechat", account: "gh_x"))
    }
}
