import Collector
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Runs blocking work (a child process's pipes, `poll`, `waitpid`) on a thread of its own, so
/// that it never holds one of the few threads of Swift's cooperative pool, and lets task
/// cancellation reach it through a pipe it can `poll`.
enum DedicatedThread {
    /// Runs `body` on a new thread and waits for it without blocking the caller's thread.
    ///
    /// When the calling task is cancelled, `body`'s ``Interrupt`` descriptor becomes readable;
    /// `body` should notice it (it polls it with its other descriptors) and return or throw.
    /// - Parameter body: The blocking work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or ``Errno`` when no thread or pipe could be created.
    static func run<T: Sendable>(_ body: @escaping @Sendable (Interrupt) throws -> T) async throws -> T {
        let interrupt = try Interrupt()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                do throws(POSIXThread.StartFailure) {
                    try POSIXThread.detach {
                        continuation.resume(with: Result { try body(interrupt) })
                        interrupt.shutDown()
                    }
                } catch {
                    interrupt.shutDown()
                    continuation.resume(throwing: Errno(error.code))
                }
            }
        } onCancel: {
            interrupt.signal()
        }
    }

    /// A pipe whose read end becomes readable when the task is cancelled.
    ///
    /// `Sendable`: the descriptors sit behind a `Mutex`, so a late cancellation never writes to a
    /// descriptor number that was closed and reused.
    final class Interrupt: Sendable {
        private let descriptors: Mutex<(read: Int32, write: Int32)?>
        /// The read end, to `poll` for `POLLIN`.
        let readDescriptor: Int32

        fileprivate init() throws(Errno) {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw Errno(errno) }
            // Close-on-exec so no child inherits it; the write end never blocks a cancelling task.
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
            readDescriptor = ends[0]
            descriptors = Mutex((ends[0], ends[1]))
        }

        fileprivate func signal() {
            descriptors.withLock { ends in
                guard let ends else { return }
                var byte: UInt8 = 1
                _ = write(ends.write, &byte, 1)
            }
        }

        fileprivate func shutDown() {
            descriptors.withLock { ends in
                guard let open = ends else { return }
                _ = close(open.read)
                _ = close(open.write)
                ends = nil
            }
        }

        deinit {
            shutDown()
        }
    }
}
