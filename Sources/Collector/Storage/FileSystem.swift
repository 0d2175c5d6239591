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

    /// The whole content of a file, or nil when it does not exist.
    package static func readFileIfPresent(_ path: String) throws(StorageError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StorageError(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(path: path, operation: "read", errno: errno)
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
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

    /// Replaces `path` with `bytes` atomically: temporary file in the same folder, fsync,
    /// rename, fsync of the folder.
    package static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws(StorageError) {
        let temporary = path + ".tmp-\(getpid())"
        // Errors name `path`, the file the user asked for, not the temporary one beside it.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw StorageError(path: path, operation: "create", errno: errno) }
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
            // The mode given to open is filtered by the umask; set it exactly.
            fchmod(fd, mode_t(mode))
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
