#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("PlatformSimulator needs Glibc or Musl")
#endif

/// The few POSIX calls the simulator makes, with `EINTR` handled once.
enum POSIX {
    /// The contents of the regular file at `path`, or nil.
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            // `done < count`, so the buffer is not empty and has a base address.
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            done += count
        }
        bytes.removeLast(bytes.count - done)
        return bytes
    }

    /// Whether `path` names a regular file.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes all of `bytes`; false when the peer is gone. `MSG_NOSIGNAL`: a closed peer must
    /// not raise `SIGPIPE` in the test process.
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // `offset < count`, so the buffer is not empty and has a base address.
            let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// What ``wait(for:stop:milliseconds:)`` saw.
    enum Readiness {
        case readable, stopped, timedOut
    }

    /// Waits until `fd` is readable (data or end of file), the stop pipe is, or the time is up
    /// (`milliseconds` < 0: no limit).
    static func wait(for fd: Int32, stop: Int32, milliseconds: Int32) -> Readiness {
        var fds = [
            pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&fds, nfds_t(fd < 0 ? 1 : 2), milliseconds)
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { return ready == 0 ? .timedOut : .stopped }
            if fds[0].revents != 0 { return .stopped }
            return .readable
        }
    }

    /// Starts a thread running `body`; detached threads clean up after themselves.
    static func startThread(detached: Bool, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                // Balanced by `passRetained` below; the context is always the box.
                guard let context else { return nil }
                Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
                return nil
            },
            context
        )
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        if detached { pthread_detach(thread) }
        return thread
    }

    /// `strerror` as a Swift string.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
