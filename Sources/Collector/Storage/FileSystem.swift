#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The few file operations the store and the state folder need, on plain POSIX calls.
package enum FileSystem {
    /// Creates `path` and its missing parents with `mode`.
    package static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(StorageError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode_t(mode)) != 0 && errno != EEXIST {
                throw StorageError(path: current, operation: "mkdir", errno: errno)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StorageError(path: path, operation: "mkdir", detail: "exists and is not a folder")
        }
    }

    /// Whether `path` exists.
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The working directory, or `.` when it cannot be read (removed under the process): for
    /// messages that say where a relative path was looked for.
    package static func currentDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "." }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// `path` made absolute against the working directory, for messages; an absolute path as it is.
    package static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let directory = currentDirectory()
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// Why a run could not write into the folder `path`, or nil when it can: the folder exists
    /// and this user may create files in it, or it does not exist and its nearest existing
    /// ancestor is a folder this user may create folders in. Asks `access(2)`, creates and
    /// changes nothing. (As root, `access` grants everything except on a read-only file system.)
    ///
    /// `is not a folder`, `cannot be created: "data/file" is not a folder`, `is not writable:
    /// Permission denied`, `cannot be created in "/srv": Permission denied`.
    package static func folderWriteProblem(_ path: String) -> String? {
        var current = path
        while true {
            var info = stat()
            if stat(current, &info) == 0 {
                let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
                if current == path {
                    guard isFolder else { return "is not a folder" }
                    guard access(current, W_OK | X_OK) == 0 else {
                        return "is not writable: " + String(cString: strerror(errno))
                    }
                    return nil
                }
                guard isFolder else { return "cannot be created: \"\(current)\" is not a folder" }
                guard access(current, W_OK | X_OK) == 0 else {
                    return "cannot be created in \"\(current)\": " + String(cString: strerror(errno))
                }
                return nil
            }
            // ENOTDIR: a component on the way is a file; going up finds it.
            guard errno == ENOENT || errno == ENOTDIR else {
                return "cannot be checked: " + String(cString: strerror(errno))
            }
            guard let parent = parentFolder(of: current) else {
                return "cannot be checked: no existing folder above it"
            }
            current = parent
        }
    }

    /// `a/b` → `a`, `a` → `.`, `/a` → `/`; nil for `/` and `.`, which have none to go to.
    private static func parentFolder(of path: String) -> String? {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed != "/", trimmed != "." else { return nil }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The whole content of a file, or nil when it does not exist.
    package static func readFileIfPresent(_ path: String) throws(StorageError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StorageError(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var result: [UInt8] = []
        while try readChunk(fd, appendingTo: &result, upTo: 65536, path: path) > 0 {}
        return result
    }

    /// `close(2)`, for types with a method named `close` of their own, in which a bare
    /// `close(fd)` would not reach the C function. The result is ignored: on Linux the
    /// descriptor is released even when `close` fails, so there is nothing to retry.
    package static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    /// Reads the next chunk of `fd` onto the end of `buffer`, retrying `EINTR`: the buffer
    /// grows by what was read and no more, so a reader can keep one buffer for a whole file.
    /// - Parameters:
    ///   - fd: The descriptor to read.
    ///   - buffer: The buffer to append to.
    ///   - count: The most bytes to read; at least 1.
    ///   - path: Names the file in the error.
    /// - Returns: How many bytes were appended; 0 at the end of the file.
    /// - Throws: ``StorageError`` with the errno of a failed `read`.
    package static func readChunk(
        _ fd: Int32,
        appendingTo buffer: inout [UInt8],
        upTo count: Int,
        path: String
    ) throws(StorageError) -> Int {
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var failure: Int32 = 0
        let got = buffer.withUnsafeMutableBytes { bytes -> Int in
            while true {
                // Not empty: `count` ≥ 1 bytes were just appended.
                let got = read(fd, bytes.baseAddress! + oldCount, count)
                if got < 0 && errno == EINTR { continue }
                if got < 0 { failure = errno }
                return got
            }
        }
        buffer.removeLast(count - max(got, 0))
        if got < 0 { throw StorageError(path: path, operation: "read", errno: failure) }
        return got
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw StorageError(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }

    /// Writes all of `bytes` to `fd`, as the buffer overload does: the error is carried out of
    /// `withUnsafeBytes` (whose closure cannot throw a typed error) once, here.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        let failure = bytes.withUnsafeBytes { buffer -> StorageError? in
            do throws(StorageError) {
                try writeAll(fd, buffer, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Replaces `path` with `bytes` atomically: temporary file in the same folder (see
    /// ``createTemporary(beside:mode:suffix:)``), fsync, rename, fsync of the folder.
    /// - Parameter suffix: Names the temporary file; random unless a test needs to know it.
    package static func writeAtomically(
        _ path: String,
        _ bytes: [UInt8],
        mode: UInt32 = 0o644,
        suffix: () -> String = randomSuffix
    ) throws(StorageError) {
        // Errors name `path`, the file the user asked for, not the temporary one beside it.
        let (fd, temporary) = try createTemporary(beside: path, mode: mode, suffix: suffix)
        do throws(StorageError) {
            let failure = bytes.withUnsafeBytes { buffer -> StorageError? in
                do throws(StorageError) {
                    try writeAll(fd, buffer, path: path)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            guard fsync(fd) == 0 else { throw StorageError(path: path, operation: "fsync", errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError(path: path, operation: "rename", errno: code)
        }
        syncDirectory(of: path)
    }

    /// Creates a new, empty temporary file next to `path` (`<path>.tmp-<16 hex digits>`) with
    /// exactly `mode`, and returns its descriptor (open for writing) and its path.
    ///
    /// In a folder other users can write to (a shared `state_dir`), nobody can guess the name
    /// ahead, and `O_CREAT | O_EXCL | O_NOFOLLOW` never opens a file or follows a symbolic link
    /// someone else put there: a name already taken is skipped for a fresh one. Errors name
    /// `path`, the file the caller asked for.
    /// - Parameter suffix: Names the candidates; random unless a test needs to know them.
    package static func createTemporary(
        beside path: String,
        mode: UInt32,
        suffix: () -> String = randomSuffix
    ) throws(StorageError) -> (descriptor: Int32, path: String) {
        var attempts = 0
        while true {
            let temporary = path + ".tmp-" + suffix()
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
            if fd < 0 {
                let code = errno
                attempts += 1
                if code == EINTR || (code == EEXIST && attempts < 100) { continue }
                throw StorageError(path: path, operation: "create", errno: code)
            }
            // The mode given to open is filtered by the umask; set it exactly, or give up
            // rather than leave a token file readable by others.
            guard fchmod(fd, mode_t(mode)) == 0 else {
                let code = errno
                close(fd)
                unlink(temporary)
                throw StorageError(path: path, operation: "chmod", errno: code)
            }
            return (fd, temporary)
        }
    }

    /// 16 random hex digits (64 bits from the system's generator) for a temporary file's name.
    package static func randomSuffix() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// fsyncs the folder holding `path`, so a rename or a new file survives a crash.
    package static func syncDirectory(of path: String) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// The names in a folder (no `.` entries), sorted; empty when it cannot be read.
    package static func list(_ path: String) -> [String] {
        (try? DirectoryListing.names(in: path))?.filter { !$0.hasPrefix(".") } ?? []
    }
}
