import CSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// An external command forked by the ``SpawnThread``: stdin from `/dev/null`, stdout and
/// stderr on pipes, no other descriptor, in a process group of its own so that a timeout can
/// kill it together with every process it started, and killed by the kernel when the collector
/// dies (`PR_SET_PDEATHSIG`).
///
/// Blocking by design: it runs on the exec adapter's dedicated thread, never on the
/// cooperative pool. Not thread-safe; one thread drives it from spawn to reap.
///
/// If the owner lets go of it before ``waitForExit(deadline:interrupt:)`` has reaped the child,
/// `deinit` kills the process group and reaps it, so no child outlives an error path.
final class ChildProcess {
    /// How the child ended.
    enum Termination: Equatable, CustomStringConvertible {
        /// It called `exit` with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        /// `exited with status 3`, `was killed by signal 9 (Killed)`.
        var description: String {
            switch self {
            case .exited(let status): return "exited with status \(status)"
            case .signaled(let signal):
                guard let name = strsignal(signal) else { return "was killed by signal \(signal)" }
                return "was killed by signal \(signal) (\(String(cString: name)))"
            }
        }
    }

    /// One of the two output pipes.
    enum Stream {
        /// The child's stdout.
        case stdout
        /// The child's stderr.
        case stderr
    }

    /// What ``waitForEvents(deadline:interrupt:)`` saw.
    struct Events {
        /// stdout has data or reached its end.
        var stdoutReadable = false
        /// stderr has data or reached its end.
        var stderrReadable = false
        /// The interrupt descriptor became readable (the task was cancelled).
        var interrupted = false
        /// The deadline passed.
        var timedOut = false
    }

    /// The child's process id, which is also its process group id.
    let pid: pid_t
    private var stdoutDescriptor: Int32
    private var stderrDescriptor: Int32
    private var termination: Termination?

    /// Starts `arguments[0]` with `arguments` as its argv.
    ///
    /// A name without `/` is searched on the collector's `PATH`; anything else is used as is.
    /// - Parameters:
    ///   - arguments: The argv; not empty.
    ///   - environment: `NAME=value` strings: the child's whole environment.
    ///   - beforeExec: Called with the pid once the child leads its process group, before the
    ///     program runs: what it saves about the group is in place before the program can start
    ///     anything.
    /// - Throws: The `errno` of the failed step (`ENOENT` for a missing executable, `EACCES`…).
    init(arguments: [String], environment: [String], beforeExec: (pid_t) -> Void = { _ in }) throws(Errno) {
        precondition(!arguments.isEmpty, "ChildProcess needs an executable")
        let (pid, stdoutRead, stderrRead) = try Self.spawn(
            arguments: arguments,
            environment: environment,
            beforeExec: beforeExec
        )
        self.pid = pid
        self.stdoutDescriptor = stdoutRead
        self.stderrDescriptor = stderrRead
    }

    /// Creates the pipes, spawns, closes the child's ends.
    private static func spawn(
        arguments: [String],
        environment: [String],
        beforeExec: (pid_t) -> Void
    ) throws(Errno) -> (pid: pid_t, stdout: Int32, stderr: Int32) {
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        // Close-on-exec from the start (pipe2): the child gets only the dup2'd copies of the
        // write ends, and no other child of the process inherits them and delays our EOF.
        guard pipe2(&stdoutPipe, O_CLOEXEC) == 0 else { throw Errno(errno) }
        guard pipe2(&stderrPipe, O_CLOEXEC) == 0 else {
            let failure = errno
            close(stdoutPipe[0])
            close(stdoutPipe[1])
            throw Errno(failure)
        }
        // A 1 MiB stdout pipe (Linux F_SETPIPE_SZ, 1031; the unprivileged maximum by default) lets
        // a fast command run ahead while lines are parsed, instead of waking up every 64 KiB.
        // Best effort: a smaller system limit leaves the default size.
        _ = fcntl(stdoutPipe[1], 1031, Int32(1 << 20))
        let closeAll = {
            for descriptor in stdoutPipe + stderrPipe { close(descriptor) }
        }

        // A bare name is searched on the collector's PATH here, in the parent, as posix_spawnp
        // would: the forked child may only call async-signal-safe functions, and execvp is none.
        guard let path = arguments[0].utf8.contains(UInt8(ascii: "/")) ? arguments[0] : searchPath(for: arguments[0])
        else {
            closeAll()
            throw Errno(ENOENT)
        }
        let held: csystem_spawned
        do {
            held = try SpawnThread.spawn(
                path: path,
                arguments: arguments,
                environment: environment,
                stdout: stdoutPipe[1],
                stderr: stderrPipe[1]
            )
        } catch {
            closeAll()
            throw error
        }
        beforeExec(held.pid)
        let failure = csystem_spawn_release(held, 1)
        guard failure == 0 else {
            closeAll()
            throw Errno(failure)
        }
        let pid = held.pid
        // The child holds its own copies of the write ends; ours must go, or EOF never comes.
        close(stdoutPipe[1])
        close(stderrPipe[1])
        return (pid, stdoutPipe[0], stderrPipe[0])
    }

    deinit {
        if termination == nil {
            killGroup()
            reapBlocking()
        }
        closeDescriptors()
    }

    /// Whether the stream has reached its end (or was closed after an error).
    func isClosed(_ stream: Stream) -> Bool { descriptor(stream) < 0 }

    /// Whether both output streams have reached their end.
    var outputClosed: Bool { stdoutDescriptor < 0 && stderrDescriptor < 0 }

    /// Waits until an open output stream or `interrupt` is readable, or `deadline` passes.
    /// - Parameters:
    ///   - deadline: When to give up.
    ///   - interrupt: A descriptor that becomes readable on cancellation.
    /// - Returns: What happened; several flags may be set.
    func waitForEvents(deadline: ContinuousClock.Instant, interrupt: Int32) -> Events {
        var descriptors = [pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)]
        if stdoutDescriptor >= 0 { descriptors.append(pollfd(fd: stdoutDescriptor, events: Int16(POLLIN), revents: 0)) }
        if stderrDescriptor >= 0 { descriptors.append(pollfd(fd: stderrDescriptor, events: Int16(POLLIN), revents: 0)) }
        var events = Events()
        while true {
            let timeout = Self.milliseconds(until: deadline)
            if timeout == 0 {
                events.timedOut = true
                return events
            }
            let count = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if count == 0 { continue }  // poll's own timeout; the next turn sees the deadline passed
            if count < 0 {
                if errno == EINTR { continue }
                // poll itself failed: let the reads find out, fail and close the streams.
                events.stdoutReadable = stdoutDescriptor >= 0
                events.stderrReadable = stderrDescriptor >= 0
                return events
            }
            for entry in descriptors where entry.revents != 0 {
                // POLLHUP without POLLIN: the writer closed; read() will return 0.
                if entry.fd == interrupt { events.interrupted = true }
                if entry.fd == stdoutDescriptor { events.stdoutReadable = true }
                if entry.fd == stderrDescriptor { events.stderrReadable = true }
            }
            return events
        }
    }

    /// Reads what is available from `stream` into `buffer`.
    /// - Returns: The number of bytes read; 0 at the end of the stream, which is then closed.
    func readAvailable(_ stream: Stream, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let descriptor = descriptor(stream)
        guard descriptor >= 0, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = read(descriptor, base, buffer.count)
            if count > 0 { return count }
            if count < 0 && errno == EINTR { continue }
            // End of stream, or an error (EIO) that ends it just the same.
            close(descriptor)
            switch stream {
            case .stdout: stdoutDescriptor = -1
            case .stderr: stderrDescriptor = -1
            }
            return 0
        }
    }

    /// Sends SIGKILL to the child's whole process group; harmless when it already ended.
    func killGroup() {
        guard termination == nil else { return }  // after the reap, the pid may belong to someone else
        kill(-pid, SIGKILL)
    }

    /// Kills the processes outside the child's process group that still hold its stdout or
    /// stderr open: helpers it started in a session of their own (`setsid`, `detached`), which
    /// ``killGroup()`` does not reach. A holder that leads a process group of its own takes
    /// that group with it (a browser and its renderers). Call it after ``killAndReap()``.
    /// - Returns: The processes killed.
    @discardableResult
    func killDetachedHolders() -> [PipeHolders.Holder] {
        let ownGroup = getpgrp()
        var killed: [PipeHolders.Holder] = []
        for descriptor in [stdoutDescriptor, stderrDescriptor] where descriptor >= 0 {
            // A member of the child's group may not have died of its SIGKILL yet.
            for holder in PipeHolders.of(descriptor) where holder.group != pid && !killed.contains(holder) {
                let leadsItsGroup = holder.group == holder.pid && holder.group != ownGroup
                kill(leadsItsGroup ? -holder.group : holder.pid, SIGKILL)
                killed.append(holder)
            }
        }
        return killed
    }

    /// Waits for the child to end, at most until `deadline`, waking early on `interrupt`.
    /// - Returns: How it ended, or nil when the deadline passed or `interrupt` fired first.
    func waitForExit(deadline: ContinuousClock.Instant, interrupt: Int32) -> Termination? {
        if let termination { return termination }
        // No portable way to poll a pid: check with WNOHANG, sleeping on `interrupt` in between
        // with a growing pause (1 ms to 50 ms), so a quick exit costs next to nothing.
        var pause: Int32 = 1
        while true {
            if let ended = reap(options: WNOHANG) { return ended }
            let remaining = Self.milliseconds(until: deadline)
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, min(pause, remaining)) > 0 { return nil }
            pause = min(pause * 2, 50)
        }
    }

    /// Kills the group (if the child has not been reaped) and waits for the child to end.
    @discardableResult
    func killAndReap() -> Termination {
        if let termination { return termination }
        killGroup()
        return reapBlocking()
    }

    // MARK: - Private

    private func descriptor(_ stream: Stream) -> Int32 {
        switch stream {
        case .stdout: stdoutDescriptor
        case .stderr: stderrDescriptor
        }
    }

    @discardableResult
    private func reapBlocking() -> Termination {
        while true {
            if let ended = reap(options: 0) { return ended }
        }
    }

    /// One `waitpid`; nil when the child is still running (WNOHANG) or on EINTR.
    private func reap(options: Int32) -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, options)
        if result == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
            let ended: Termination =
                status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
            termination = ended
            return ended
        }
        if result < 0 && errno == ECHILD {
            // Reaped elsewhere (a SIGCHLD handler set to SIG_IGN): the status is lost.
            termination = .exited(0)
            return termination
        }
        return nil
    }

    private func closeDescriptors() {
        if stdoutDescriptor >= 0 { close(stdoutDescriptor) }
        if stderrDescriptor >= 0 { close(stderrDescriptor) }
        stdoutDescriptor = -1
        stderrDescriptor = -1
    }

    /// The first executable `program` on the collector's `PATH`, as `posix_spawnp` would find it.
    static func searchPath(for program: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Milliseconds until `deadline`, rounded up, capped for poll(2); 0 once it passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }
}

/// An `errno` value with its text, for spawn and pipe failures.
struct Errno: Error, Equatable, CustomStringConvertible {
    /// The value.
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    /// `No such file or directory`.
    var description: String { String(cString: strerror(code)) }
}
