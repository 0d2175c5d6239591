#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// The processes that hold one end of a pipe open, found through `/proc/<pid>/fd`.
///
/// A command may start a helper in a session of its own (`setsid`, Node's `detached`, Python's
/// `start_new_session`: how Playwright and Puppeteer start their browser), out of reach of a
/// kill of the command's process group. When such a helper keeps the command's stdout or
/// stderr open, the run would wait for it until the timeout and leave it running; the pipe
/// tells which processes those are. Read only after a timeout, never while lines flow.
enum PipeHolders {
    /// A process holding the pipe.
    struct Holder: Equatable, CustomStringConvertible {
        /// Its process id.
        var pid: pid_t
        /// Its process group.
        var group: pid_t
        /// Its command name (`/proc/<pid>/comm`, at most 15 bytes).
        var name: String

        /// `sleep (pid 4242)`.
        var description: String { "\(name) (pid \(pid))" }
    }

    /// The processes other than the collector that hold a descriptor on the pipe `descriptor`
    /// is one end of. A process of another user (whose `fd` folder cannot be read) is not seen:
    /// a command's descendants run as the collector's user unless they changed it.
    static func of(_ descriptor: Int32) -> [Holder] {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return [] }
        let target = "pipe:[\(status.st_ino)]"
        let ownPID = getpid()
        guard let processes = opendir("/proc") else { return [] }
        defer { closedir(processes) }
        var holders: [Holder] = []
        while let entry = readdir(processes) {
            let name = entryName(entry)
            guard let pid = pid_t(name), pid != ownPID, holds(pid, target) else { continue }
            holders.append(Holder(pid: pid, group: getpgid(pid), name: commandName(of: pid)))
        }
        return holders
    }

    /// Whether one of `pid`'s descriptors is `target` (`pipe:[123]`).
    private static func holds(_ pid: pid_t, _ target: String) -> Bool {
        let folder = "/proc/\(pid)/fd"
        guard let descriptors = opendir(folder) else { return false }
        defer { closedir(descriptors) }
        var buffer = [CChar](repeating: 0, count: 64)
        while let entry = readdir(descriptors) {
            let name = entryName(entry)
            guard name.first != "." else { continue }
            let count = readlink(folder + "/" + name, &buffer, buffer.count)
            guard count > 0 else { continue }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link == target { return true }
        }
        return false
    }

    /// `/proc/<pid>/comm` without its line feed, or `?` when the process is gone.
    private static func commandName(of pid: pid_t) -> String {
        let descriptor = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "?" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return "?" }
        let end = buffer[count - 1] == UInt8(ascii: "\n") ? count - 1 : count
        return String(decoding: buffer[..<end], as: UTF8.self)
    }

    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: entry.pointee.d_name) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
