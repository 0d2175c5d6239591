import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `state_dir` stays private, and no state file is reached through a symbolic link: real
/// folders, files and links under a temporary directory.
@Suite(.serialized)
struct StateFolderTests {
    private static let credential = "credential-wechat~gh_0123456789ab.json"

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o7777
    }

    /// A state folder made by hand or by a deploy script with mode 0777 (or 0770): refused by
    /// every way in, with the folder, its mode and the fix, before any file in it is opened.
    @Test(arguments: [0o777, 0o770, 0o1777, 0o702])
    func refusesAStateFolderOthersCanWrite(folderMode: Int) throws {
        let directory = try TemporaryDirectory()
        let state = try directory.createDirectory("state")
        #expect(chmod(state, mode_t(folderMode)) == 0)

        let store = #expect(throws: StorageError.self) { try StateStore(directory: state) }
        let description = store?.description ?? ""
        #expect(description.hasPrefix("\(state): use as state_dir failed (can be written by "), "\(description)")
        #expect(description.contains("(mode \(String(folderMode, radix: 8).leftPadded(to: 4)), owner "))
        #expect(description.hasSuffix("make it private: chmod 700 \(state))"), "\(description)")
        #expect(throws: StorageError.self) { try StateStore(directory: state, readOnly: true) }
        let lock = #expect(throws: StorageError.self) { try RunLock.acquire(stateDirectory: state, instance: "main") }
        #expect(lock?.description == description)
        #expect(!directory.exists("state/main.lock"))
        #expect(mode(state) == mode_t(folderMode))
    }

    /// Reading is not the danger: a group (or everyone) with `r-x` or `--x` on the folder, as
    /// node_exporter's textfile collector may need, is accepted. So is a folder that does not
    /// exist yet, which is then created 0700.
    @Test(arguments: [0o700, 0o750, 0o710, 0o755])
    func acceptsAStateFolderOnlyItsOwnerCanWrite(folderMode: Int) throws {
        let directory = try TemporaryDirectory()
        let state = try directory.createDirectory("state")
        #expect(chmod(state, mode_t(folderMode)) == 0)
        _ = try StateStore(directory: state)
        try RunLock.acquire(stateDirectory: state, instance: "main").release()

        let fresh = directory.path("fresh/state")
        _ = try StateStore(directory: fresh)
        #expect(mode(fresh) == 0o700)
    }

    /// Root running a command in the service user's folder: refused, since its owner could
    /// plant links there, and what root writes would lock the owner out. (Giving a folder to
    /// another user takes root, hence the condition.)
    @Test(.enabled(if: geteuid() == 0, "only root can give the folder to another user"))
    func refusesAStateFolderOwnedByAnotherUser() throws {
        let directory = try TemporaryDirectory()
        let state = try directory.createDirectory("state")
        #expect(chmod(state, 0o700) == 0)
        #expect(chown(state, 65534, 65534) == 0)
        let owner = StateFolder.userName(65534)
        let error = #expect(throws: StorageError.self) { try StateStore(directory: state) }
        #expect(
            error?.description.contains(
                "is owned by \(owner), not by \(StateFolder.userName(0)) (the user running this command)"
            ) == true,
            "\(String(describing: error))"
        )
        #expect(error?.description.contains("sudo -u \(owner) collector") == true)
        #expect(throws: StorageError.self) { try RunLock.acquire(stateDirectory: state, instance: "main") }
        #expect(!directory.exists("state/main.lock"))
    }

    /// Links planted in a private state folder are never followed: the credential's target is
    /// neither read nor set to 0600, the lock's target does not get the pid, the journal's is
    /// not truncated; each error says to remove the link.
    @Test func neverFollowsALinkInTheStateFolder() throws {
        let directory = try TemporaryDirectory()
        let state = try directory.createDirectory("state")
        var victims: [String: String] = [:]
        for (link, victim) in [
            (Self.credential, "victims/a"), ("main.lock", "victims/b"), ("schedule-main.journal", "victims/c"),
            ("imports.ledger", "victims/d"),
        ] {
            let target = try directory.write("precious \(victim)\n", to: victim)
            #expect(chmod(target, 0o644) == 0)
            #expect(symlink(target, state + "/" + link) == 0)
            victims[victim] = target
        }
        let store = try StateStore(directory: state)

        let credential = #expect(throws: UnreadableCredentialError.self) {
            try CredentialStore(state: store).load(instance: "wechat", account: "gh_0123456789ab")
        }
        #expect(
            credential?.description
                == "cannot read the credential file \(state)/\(Self.credential): open failed: Too many levels of"
                + " symbolic links (is a symbolic link, which the collector never follows in state_dir: remove it"
                + " (rm \(state)/\(Self.credential)); the collector writes the file itself)"
        )
        let lock = #expect(throws: StorageError.self) { try RunLock.acquire(stateDirectory: state, instance: "main") }
        #expect(lock?.description.contains("is a symbolic link") == true)
        let schedule = #expect(throws: StorageError.self) { try ScheduleTable(state: store, instance: "main") }
        #expect(schedule?.path == state + "/schedule-main.journal")
        #expect(throws: StorageError.self) { try ImportLedger(state: store) }

        for (victim, target) in victims {
            #expect(mode(target) == 0o644, "\(victim)")
            #expect(try directory.read(victim) == Array("precious \(victim)\n".utf8), "\(victim)")
        }
    }

    /// A file where a state file belongs but which is a folder (a mistaken `mkdir`, or what a
    /// root-owned file looks like to root): the credential fails its account, naming it.
    @Test func aFolderInPlaceOfACredentialIsUnreadable() throws {
        let directory = try TemporaryDirectory()
        let state = try directory.createDirectory("state")
        try directory.createDirectory("state/" + Self.credential)
        let error = #expect(throws: UnreadableCredentialError.self) {
            try CredentialStore(state: try StateStore(directory: state)).load(
                instance: "wechat",
                account: "gh_0123456789ab"
            )
        }
        #expect(
            error?.description
                == "cannot read the credential file \(state)/\(Self.credential): open failed (is a folder, where the"
                + " collector keeps a file: remove it; the collector writes the file itself)"
        )
    }

    /// A state file another user owns (root, after `collector auth` as root): the advice names
    /// the owner and how to give it back; a file of this user's that its mode keeps out, chmod.
    @Test(.enabled(if: geteuid() == 0, "only root can give the file to another user"))
    func namesTheOwnerOfAStateFileThisUserCannotOpen() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("{}", to: "state/" + Self.credential)
        let me = StateFolder.userName(0)
        #expect(chmod(path, 0o000) == 0)
        #expect(
            StateFolder.accessAdvice(path, errno: EACCES)
                == "its mode 0000 keeps its owner \(me) out: chmod 600 \(path)"
        )
        #expect(chown(path, 65534, 65534) == 0)
        let owner = StateFolder.userName(65534)
        #expect(
            StateFolder.accessAdvice(path, errno: EACCES)
                == "owned by \(owner), not by \(me) (the user running this command): give it back with chown"
                + " \(me): \(path), and run collector auth and trial runs as \(me) (e.g. sudo -u \(me) collector auth …)"
        )
        #expect(StateFolder.accessAdvice(path, errno: EIO) == nil)
    }

    /// A token file copied in with mode 0644 is set to 0600 through the opened file; through a
    /// link it is not touched at all (the link is an error, above).
    @Test func restrictsALooseTokenFileThroughItsDescriptor() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            #"{"access_token":"t","obtained_at":1,"expires_at":2}"#,
            to: "state/" + Self.credential
        )
        #expect(chmod(path, 0o644) == 0)
        let store = try StateStore(directory: directory.path("state"))
        #expect(try store.read(Self.credential) != nil)
        #expect(mode(path) == 0o644)
        #expect(try store.read(Self.credential, restrictToOwner: true) != nil)
        #expect(mode(path) == 0o600)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
