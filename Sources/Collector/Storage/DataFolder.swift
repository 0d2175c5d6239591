#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps what the collector writes under `data_dir` inside it.
///
/// The collector appends to its partition files, creates them, and cuts a torn last line off
/// them; it rewrites `objects.csv`, `timezone` and, in `compact`, the partition files. Had it
/// followed a symbolic link planted in the folder, whoever can write into `data_dir` could make
/// it append to, create or cut (a one-line credential file: to nothing) any file the service
/// user may write. So below `data_dir` no link is ever followed: every file is opened with
/// `O_NOFOLLOW` and must be a regular file (``openFile(_:_:mode:)``), and the platform and
/// month folders must be real folders (``makeFolders(_:below:)``, ``requireFolder(_:)``).
/// `data_dir` itself may be a link: the configuration names it.
///
/// Unlike `state_dir`, a data folder that others may write to is not refused, only warned
/// about (``sharingProblem(_:)``): staff dropping exports into a group folder, or a Kubernetes
/// volume shared by the shards' pods, are real setups, and with links never followed those users
/// can change the collected rows, which the folder's mode lets them do anyway, but reach
/// nothing outside it.
package enum DataFolder {
    /// Opens the file `path` of the data folder without following a symbolic link, and makes
    /// sure it is a regular file (``FileSystem/openRegularFile(_:_:mode:folderKey:advice:)``).
    /// - Parameters:
    ///   - flags: `O_RDONLY`, `O_RDWR | O_APPEND | O_CREAT`, ….
    ///   - mode: The mode of a file `O_CREAT` creates.
    /// - Returns: The descriptor; nil when the file does not exist and `flags` do not create it.
    /// - Throws: ``StorageError`` naming the file; for a link, that it is never followed and is
    ///   to be removed.
    static func openFile(_ path: String, _ flags: Int32, mode: UInt32 = 0o644) throws(StorageError) -> Int32? {
        try FileSystem.openRegularFile(path, flags, mode: mode, folderKey: "data_dir")
    }

    /// The whole content of the data folder's file `path` (never read through a symbolic link),
    /// or nil when it does not exist.
    /// - Throws: ``StorageError`` as ``openFile(_:_:mode:)``, or when it cannot be read.
    static func readFileIfPresent(_ path: String) throws(StorageError) -> [UInt8]? {
        guard let fd = try openFile(path, O_RDONLY) else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        while try FileSystem.readChunk(fd, appendingTo: &result, upTo: 65536, path: path) > 0 {}
        return result
    }

    /// Creates the folders `components` one below the other under the existing `dataDirectory`
    /// (`["wechat", "2026-11"]`), each 0755 unless it exists, and makes sure none of them is a
    /// symbolic link before anything is created in it.
    /// - Returns: The deepest folder's path.
    /// - Throws: ``StorageError`` for a folder that cannot be created, is no folder, or is a
    ///   link (``requireFolder(_:)``).
    @discardableResult
    static func makeFolders(_ components: [String], below dataDirectory: String) throws(StorageError) -> String {
        var path = dataDirectory
        for component in components {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw StorageError(path: path, operation: "mkdir", errno: errno)
            }
            try requireFolder(path)
        }
        return path
    }

    /// Throws unless `path`, a platform or month folder of the data folder, is a real folder: a
    /// symbolic link there would send the files written "in" it to wherever it points.
    /// - Throws: ``StorageError`` saying what to do.
    static func requireFolder(_ path: String) throws(StorageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw StorageError(path: path, operation: "stat", errno: errno) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            return
        case S_IFLNK:
            throw StorageError(
                path: path,
                operation: "use as a data folder",
                detail: "is a symbolic link, which the collector never follows below data_dir: it would write"
                    + " where the link points; remove the link (rm \(path)) and, if it pointed at data of yours,"
                    + " move that folder into its place"
            )
        default:
            throw StorageError(path: path, operation: "mkdir", detail: "exists and is not a folder")
        }
    }

    /// Why other users could change what is in `directory` (`data_dir`, or one of its platform
    /// or month folders), or nil when only this user (and root) can: it belongs to a user other
    /// than this one and root, or other users may write to it, or its group may and the group
    /// database lists a member other than this user. A group whose only member is the service
    /// user (its own group, `useradd --user-group`; a Kubernetes `fsGroup`) is no other user.
    /// Nil as well when the folder does not exist or is no folder.
    ///
    /// `can be written by other users (mode 0777, owner root)`,
    /// `can be written by its group staff (mode 0775, owner collector), whose members include alice`.
    package static func sharingProblem(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let user = geteuid()
        let mode = "mode \(StateFolder.octal(info.st_mode & 0o7777)), owner \(StateFolder.userName(info.st_uid))"
        if info.st_uid != user && info.st_uid != 0 {
            return "is owned by \(StateFolder.userName(info.st_uid)), not by \(StateFolder.userName(user)) (the"
                + " user running this command)"
        }
        if info.st_mode & 0o002 != 0 { return "can be written by other users (\(mode))" }
        guard info.st_mode & 0o020 != 0 else { return nil }
        let me = StateFolder.userName(user)
        let others = groupMembers(info.st_gid).filter { $0 != me }
        guard let first = others.first else { return nil }
        let more = others.count > 1 ? " and \(others.count - 1) more" : ""
        return "can be written by its group \(groupName(info.st_gid)) (\(mode)), whose members include \(first)\(more)"
    }

    /// The problem of ``sharingProblem(_:)`` as a sentence for a warning: the folder, who can
    /// write to it, what that allows, and the fix.
    package static func sharingWarning(_ directory: String, problem: String) -> String {
        "the data folder \(directory) \(problem): others can change or remove the collected rows and put files"
            + " and links in it (the collector follows no link there, so they reach nothing outside it); unless"
            + " that is meant, make it the service user's and writable by it alone (chown, chmod go-w \(directory);"
            + " docs/operations.md, \"The data folder\")"
    }

    /// Every folder of `dataDirectory` that others could change (``sharingProblem(_:)``):
    /// `data_dir` itself, its platform folders and their month folders, each with its problem.
    package static func sharingProblems(dataDirectory: String) -> [(path: String, problem: String)] {
        var found: [(path: String, problem: String)] = []
        func visit(_ path: String) {
            if let problem = sharingProblem(path) { found.append((path, problem)) }
        }
        visit(dataDirectory)
        for platform in FileSystem.list(dataDirectory) where Platform.isValidName(platform) {
            let platformFolder = dataDirectory + "/" + platform
            guard isRealFolder(platformFolder) else { continue }
            visit(platformFolder)
            for month in FileSystem.list(platformFolder) where isRealFolder(platformFolder + "/" + month) {
                visit(platformFolder + "/" + month)
            }
        }
        return found
    }

    /// Whether `path` is a folder and no symbolic link.
    static func isRealFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The group's name, else `gid 1234`.
    static func groupName(_ gid: gid_t) -> String {
        withGroup(gid) { String(cString: $0.gr_name) } ?? "gid \(gid)"
    }

    /// The users in group `gid`: the members the group database lists (`getent group`), then
    /// the users whose primary group it is (`getent passwd`), which the group's entry leaves
    /// out. Empty for a group nobody is in. Called while the configuration is checked, before
    /// any task runs: the user database is walked with `getpwent`, which is not thread-safe.
    package static func groupMembers(_ gid: UInt32) -> [String] {
        var members =
            withGroup(gid) { entry -> [String] in
                var listed: [String] = []
                guard var member = entry.gr_mem else { return listed }
                while let name = member.pointee {
                    listed.append(String(cString: name))
                    member += 1
                }
                return listed
            } ?? []
        setpwent()
        defer { endpwent() }
        while let user = getpwent() {
            guard user.pointee.pw_gid == gid else { continue }
            let name = String(cString: user.pointee.pw_name)
            if !members.contains(name) { members.append(name) }
        }
        return members
    }

    /// `body` applied to the group entry of `gid` (`getgrgid_r`, thread-safe), if there is one;
    /// the entry's strings live in a buffer that goes with the call.
    private static func withGroup<T>(_ gid: gid_t, _ body: (group) -> T) -> T? {
        var size = 4096
        while size <= 1 << 20 {
            var entry = group()
            var found: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: size)
            var code: Int32 = 0
            let result = buffer.withUnsafeMutableBufferPointer { buffer -> T? in
                guard let base = buffer.baseAddress else { return nil }
                code = getgrgid_r(gid, &entry, base, buffer.count, &found)
                guard code == 0, found != nil else { return nil }
                return body(entry)
            }
            if code == ERANGE {
                size *= 4
                continue
            }
            return result
        }
        return nil
    }
}
