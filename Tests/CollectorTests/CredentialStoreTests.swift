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

    /// Two processes (instances sharing the state folder) refreshing the same credential: the
    /// second waits for the first one's lock, finds the pair it saved, and spends nothing; the
    /// single-use refresh token is spent once.
    @Test func aSecondRefreshWaitsForTheFirstAndUsesItsPair() async throws {
        let directory = try TemporaryDirectory()
        let store = CredentialStore(state: try StateStore(directory: directory.path + "/state"))
        let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
        let expired = Credential(
            accessToken: Secret("acc-0"),
            refreshToken: Secret("ref-0"),
            obtainedAt: Timestamp(secondsSinceEpoch: 1),
            expiresAt: Timestamp(secondsSinceEpoch: 2)
        )
        try store.save(expired, instance: "bilibili_open", account: "208259")
        var second: Task<Credential, any Error>?
        let first = try await store.refreshing(expired, instance: "bilibili_open", account: "208259", at: now) {
            spent in
            #expect(spent.refreshToken?.exposedValue == "ref-0")
            // The other process starts its refresh while this one holds the lock.
            second = Task {
                try await store.refreshing(expired, instance: "bilibili_open", account: "208259", at: now) { _ in
                    Issue.record("the refresh token was spent twice")
                    return expired
                }
            }
            let fresh = Credential(
                accessToken: Secret("acc-1"),
                refreshToken: Secret("ref-1"),
                obtainedAt: now,
                expiresAt: now.adding(seconds: 7200)
            )
            try store.save(fresh, instance: "bilibili_open", account: "208259")
            return fresh
        }
        let waited = try #require(try await second?.value)
        #expect(first.refreshToken?.exposedValue == "ref-1")
        #expect(waited.accessToken.exposedValue == "acc-1")
        #expect(waited.refreshToken?.exposedValue == "ref-1")
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
