import CSystem
import Collector
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// The one thread that forks every exec command, started on first use and never ended.
///
/// Commands get `PR_SET_PDEATHSIG` (SIGKILL), so that a collector killed with SIGKILL takes its
/// command along instead of leaving it running under init. Linux sends that signal when the
/// *thread* that forked the child ends, not the process: a child forked on a thread of Swift's
/// cooperative pool or of Dispatch (whose idle threads end after a few seconds), or on a
/// per-run thread that some later change lets end first, would be killed while the collector
/// lives on. Forking only here, on a thread that lives as long as the process, rules that out
/// whatever thread drives the child afterwards (`waitpid` works from any thread of the process).
final class SpawnThread: Sendable {
    /// One spawn, handed from a caller to the thread and back.
    private final class Request: Sendable {
        let path: String
        let arguments: [String]
        let environment: [String]
        let stdout: Int32
        let stderr: Int32
        /// The held child, or the errno of the fork; set before ``done`` is posted.
        let result = Mutex<Result<csystem_spawned, Errno>>(.failure(Errno(EINVAL)))
        let done = Semaphore()

        init(path: String, arguments: [String], environment: [String], stdout: Int32, stderr: Int32) {
            self.path = path
            self.arguments = arguments
            self.environment = environment
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// A POSIX semaphore at a fixed address (a `sem_t` must not move).
    private final class Semaphore: @unchecked Sendable {
        // Unchecked: sem_t is made for use from several threads; the pointer never changes.
        private let pointer: UnsafeMutablePointer<sem_t>

        init() {
            pointer = .allocate(capacity: 1)
            sem_init(pointer, 0, 0)
        }

        func post() { sem_post(pointer) }

        func wait() {
            while sem_wait(pointer) != 0 && errno == EINTR {}
        }

        deinit {
            sem_destroy(pointer)
            pointer.deallocate()
        }
    }

    /// The thread, or why it could not start.
    static let shared: Result<SpawnThread, Errno> = {
        let thread = SpawnThread()
        do throws(POSIXThread.StartFailure) {
            // Detached and never returning: the process's end is the thread's end.
            try POSIXThread.detach { thread.serve() }
        } catch {
            return .failure(Errno(error.code))
        }
        return .success(thread)
    }()

    private let queue = Mutex<[Request]>([])
    private let pending = Semaphore()
    /// Bounds the child's descriptor-closing loop where close_range(2) is missing.
    private let closeLimit: Int32 = {
        let limit = sysconf(Int32(_SC_OPEN_MAX))
        return limit > 0 ? Int32(clamping: limit) : 65536
    }()

    private init() {}

    /// Forks a child for `path` on the spawn thread (see `csystem_spawn`): it waits, in its own
    /// process group, for `csystem_spawn_release` before it runs the program.
    /// - Parameters:
    ///   - path: The program, already resolved.
    ///   - arguments: The argv, `arguments[0]` as configured.
    ///   - environment: `NAME=value` strings.
    ///   - stdout: The descriptor that becomes the child's stdout.
    ///   - stderr: The descriptor that becomes the child's stderr.
    /// - Returns: The held child: its pid (also its process group id) and the pipes to release it.
    /// - Throws: The `errno` of the fork.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String],
        stdout: Int32,
        stderr: Int32
    ) throws(Errno) -> csystem_spawned {
        let thread = try shared.get()
        let request = Request(
            path: path,
            arguments: arguments,
            environment: environment,
            stdout: stdout,
            stderr: stderr
        )
        thread.queue.withLock { $0.append(request) }
        thread.pending.post()
        request.done.wait()
        return try request.result.withLock { $0 }.get()
    }

    /// The thread's loop: one request at a time, for ever.
    private func serve() -> Never {
        while true {
            pending.wait()
            guard let request = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            let result = Self.fork(request, closeLimit: closeLimit)
            request.result.withLock { $0 = result }
            request.done.post()
        }
    }

    private static func fork(_ request: Request, closeLimit: Int32) -> Result<csystem_spawned, Errno> {
        // Copied before the fork: the child must not allocate.
        var cArguments = request.arguments.map { strdup($0) } + [nil]
        var cEnvironment = request.environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var spawned = csystem_spawned(pid: 0, release_fd: -1, report_fd: -1)
        let code = csystem_spawn(
            request.path,
            &cArguments,
            &cEnvironment,
            request.stdout,
            request.stderr,
            closeLimit,
            &spawned
        )
        return code == 0 ? .success(spawned) : .failure(Errno(code))
    }
}
