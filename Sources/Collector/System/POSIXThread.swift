#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("POSIXThread needs Glibc or Musl")
#endif

/// A plain POSIX thread running one closure, for work that blocks for long (`curl_multi_poll`,
/// a child process's pipes, `waitpid`) and so must never hold one of the few threads of Swift's
/// cooperative pool, as a Dispatch queue or a task would.
package struct POSIXThread: Sendable {
    /// `pthread_create` failed, nearly always for want of resources (`EAGAIN`).
    package struct StartFailure: Error {
        /// The error number `pthread_create` returned.
        package let code: Int32
    }

    private let id: pthread_t

    /// Starts a joinable thread running `body`; ``join()`` it exactly once.
    /// - Parameter body: What the thread runs.
    /// - Returns: The thread.
    /// - Throws: ``StartFailure`` when no thread could be created.
    package static func start(_ body: @escaping @Sendable () -> Void) throws(StartFailure) -> POSIXThread {
        POSIXThread(id: try create(body))
    }

    /// Starts a detached thread running `body`: it frees its resources when `body` returns, and
    /// nobody joins it.
    /// - Parameter body: What the thread runs.
    /// - Throws: ``StartFailure`` when no thread could be created.
    package static func detach(_ body: @escaping @Sendable () -> Void) throws(StartFailure) {
        pthread_detach(try create(body))
    }

    /// Waits for the thread to end.
    package func join() {
        pthread_join(id, nil)
    }

    /// Carries the closure through `pthread_create`'s context pointer.
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private static func create(_ body: @escaping @Sendable () -> Void) throws(StartFailure) -> pthread_t {
        // The new thread takes over this +1 reference and releases it when `body` returns.
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                // The context is always the box retained above.
                guard let context else { return nil }
                Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
                return nil
            },
            context
        )
        guard status == 0 else {
            // No thread took the box over.
            Unmanaged<Box>.fromOpaque(context).release()
            throw StartFailure(code: status)
        }
        return thread
    }
}
