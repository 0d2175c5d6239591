#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps `state_dir` private and its files out of reach of symbolic links.
///
/// The state folder holds tokens, the run lock, the schedule and the process groups a run may
/// kill: whoever can write to it can make the collector trust a forged file, or, through a
/// planted symbolic link, make it write to (or `chmod`) a file outside it, with the rights of
/// the user it runs as. So the folder must belong to the user running the command and be
/// writable by nobody else (``privacyProblem(_:)``): reading is allowed, writing is not (a
/// group with `r-x` or `--x` on it lets node_exporter read the self-metrics file). Every state
/// file is opened with `O_NOFOLLOW` (``openFile(_:_:mode:)``), and modes are fixed with
/// `fchmod` on the opened descriptor, never with `chmod` on a path.
package enum StateFolder {
    /// Why `directory` must not be used as the state folder, or nil when it may: it is owned by
    /// another user than the effective one, or its group or other users may write to it.
    /// Nil as well when it does not exist (the collector creates it 0700) or is no folder (the
    /// callers report that themselves).
    ///
    /// `is owned by collector, not by root (the user running this command): …`,
    /// `can be written by other users (mode 0777, owner root): …; make it private: chmod 700 state`.
    package static func privacyProblem(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let user = geteuid()
        if info.st_uid != user {
            let owner = userName(info.st_uid)
            let me = userName(user)
            return "is owned by \(owner), not by \(me) (the user running this command): its owner could plant"
                + " files and links in it that this user would trust, and what this user writes there would lock"
                + " \(owner) out; run the command as \(owner) (e.g. sudo -u \(owner) collector …), or, if the"
                + " folder is meant to be \(me)'s, chown -R \(chownTarget(user)) \(directory)"
        }
        let writable = info.st_mode & 0o022
        guard writable != 0 else { return nil }
        let who =
            writable == 0o022 ? "its group and other users" : writable == 0o020 ? "its group" : "other users"
        return "can be written by \(who) (mode \(octal(info.st_mode & 0o7777)), owner \(userName(info.st_uid))):"
            + " they could plant files and links in it (tokens, the lock, process groups to kill) that the"
            + " collector would trust; make it private: chmod 700 \(directory)"
    }

    /// Throws when `directory` must not be used as the state folder (``privacyProblem(_:)``).
    /// - Throws: ``StorageError`` naming the folder, its mode or owner, and the fix (exit 3).
    package static func requirePrivate(_ directory: String) throws(StorageError) {
        guard let problem = privacyProblem(directory) else { return }
        throw StorageError(path: directory, operation: "use as state_dir", detail: problem)
    }

    /// Opens the state file `path` without following a symbolic link (`O_NOFOLLOW`, with
    /// `O_CLOEXEC`, and `O_NONBLOCK` so that a FIFO put in its place cannot hang the run), and
    /// makes sure it is a regular file.
    /// - Parameters:
    ///   - flags: `O_RDONLY`, `O_RDWR | O_CREAT`, ….
    ///   - mode: The mode of a file `O_CREAT` creates.
    /// - Returns: The descriptor; nil when the file does not exist and `flags` do not create it.
    /// - Throws: ``StorageError`` whose detail says what to do (``accessAdvice(_:errno:)``).
    package static func openFile(_ path: String, _ flags: Int32, mode: UInt32 = 0o600) throws(StorageError) -> Int32? {
        try FileSystem.openRegularFile(path, flags, mode: mode, folderKey: "state_dir", advice: accessAdvice)
    }

    /// The whole content of the state file `path` (never read through a symbolic link), or nil
    /// when it does not exist.
    /// - Parameter restrictToOwner: Set the file to 0600 (with `fchmod` on the descriptor) when
    ///   other users have access to it and it belongs to this user.
    /// - Throws: ``StorageError`` as ``openFile(_:_:mode:)``, or when it cannot be read.
    package static func readFileIfPresent(
        _ path: String,
        restrictToOwner: Bool = false
    ) throws(StorageError) -> [UInt8]? {
        guard let fd = try openFile(path, O_RDONLY) else { return nil }
        defer { close(fd) }
        if restrictToOwner {
            var info = stat()
            if fstat(fd, &info) == 0, info.st_mode & 0o077 != 0, info.st_uid == geteuid() { fchmod(fd, 0o600) }
        }
        var result: [UInt8] = []
        while try FileSystem.readChunk(fd, appendingTo: &result, upTo: 65536, path: path) > 0 {}
        return result
    }

    /// The entries of the state folder `directory` that a run could not use, each with why and
    /// what to do: a symbolic link, something other than a regular file under a name the
    /// collector uses, a file this user cannot both read and write (another user's, or its mode
    /// keeps this user out). `collector check` reports them; hidden files and the temporaries
    /// of a killed write (removed by the next run) are left out. Asks `access(2)`, so root meets
    /// no unreadable file.
    package static func fileProblems(in directory: String) -> [(path: String, problem: String)] {
        FileSystem.list(directory).compactMap { name -> (path: String, problem: String)? in
            guard !name.contains(".tmp-") else { return nil }
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                // Every state file is read; the lock, the journal and the ledger are written in
                // place (the others are replaced, which the folder's permissions allow).
                guard access(path, R_OK | W_OK) != 0 else { return nil }
                let code = errno
                let advice = accessAdvice(path, errno: code) ?? String(cString: strerror(code))
                return (path, "cannot be read and written by \(userName(geteuid())): \(advice)")
            case S_IFDIR:
                return isCollectorFileName(name) ? (path, notRegularAdvice(info.st_mode, path: path)) : nil
            default:
                return (path, notRegularAdvice(info.st_mode, path: path))
            }
        }
    }

    /// Whether the collector keeps a file named `name` in the state folder.
    private static func isCollectorFileName(_ name: String) -> Bool {
        let suffixes = [".json", ".lock", ".journal", ".tsv", ".ledger", ".state", ".group", ".prom"]
        return suffixes.contains { name.hasSuffix($0) } || name.hasPrefix("circuit-")
    }

    /// What to do about the state file `path` that could not be opened with `code`, or nil when
    /// there is nothing to say beyond the errno: a symbolic link (never followed) is to be
    /// removed; a file owned by another user (root, after `collector auth` run as root) is to be
    /// given back to this one; a file of this user's that its mode keeps from it, to be set 0600.
    package static func accessAdvice(_ path: String, errno code: Int32) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT != S_IFREG { return notRegularAdvice(info.st_mode, path: path) }
        guard code == EACCES || code == EPERM else { return nil }
        let user = geteuid()
        let me = userName(user)
        if info.st_uid != user {
            return "owned by \(userName(info.st_uid)), not by \(me) (the user running this command): give it back"
                + " with chown \(chownTarget(user)) \(path), and run collector auth and trial runs as \(me)"
                + " (e.g. sudo -u \(me) collector auth …)"
        }
        return "its mode \(octal(info.st_mode & 0o7777)) keeps its owner \(me) out: chmod 600 \(path)"
    }

    /// The advice for a state file that is not a regular file (`lstat`'s `mode`).
    private static func notRegularAdvice(_ mode: mode_t, path: String) -> String {
        FileSystem.notRegularAdvice(mode, path: path, folderKey: "state_dir")
    }

    /// The login name of `uid`, else `uid 1234`.
    package static func userName(_ uid: UInt32) -> String {
        name(of: uid) ?? "uid \(uid)"
    }

    /// What `chown` takes to give a file to `uid`: `collector:` (its login group too), else the number.
    private static func chownTarget(_ uid: uid_t) -> String {
        name(of: uid).map { $0 + ":" } ?? "\(uid)"
    }

    /// The login name of `uid` from the password database (`getpwuid_r`, thread-safe), if any.
    private static func name(of uid: uid_t) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        return buffer.withUnsafeMutableBufferPointer { buffer -> String? in
            // `pw_name` points into `buffer`: copy it out before the buffer goes.
            guard let base = buffer.baseAddress, getpwuid_r(uid, &entry, base, buffer.count, &found) == 0,
                found != nil, let name = entry.pw_name
            else { return nil }
            return String(cString: name)
        }
    }

    /// `0777`.
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
