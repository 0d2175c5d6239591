import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An exclusive `flock` on `credential-<instance>~<account>.lock` in the state folder, held by
/// a process while it refreshes that credential: two collector instances (shards) sharing the
/// state folder would otherwise both spend the same single-use refresh token, and the platform
/// refuses the second. The kernel drops the lock when the process dies, so a crash never
/// leaves it behind.
///
/// Waiting for it does not block a thread: the lock is tried, and tried again after a short
/// sleep, for at most ``longestWait``.
final class CredentialLock: Sendable {
    /// How long a process waits for another one's refresh: a token request with its retries.
    static let longestWait = Duration.seconds(120)
    private let descriptor: Mutex<Int32?>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock of `name` (a credential file's name) in `state`.
    /// - Throws: ``StorageError`` when the lock file cannot be opened;
    ///   ``AdapterError/transient(_:platformCode:requestID:)`` when another process has held it
    ///   for ``longestWait``.
    static func acquire(_ name: String, in state: StateStore) async throws -> CredentialLock {
        let path = state.path(name + ".lock")
        guard let fd = try StateFolder.openFile(path, O_RDWR | O_CREAT) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        let deadline = ContinuousClock.now + longestWait
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                close(fd)
                throw StorageError(path: path, operation: "lock", errno: code)
            }
            guard ContinuousClock.now < deadline else {
                close(fd)
                throw AdapterError.transient(
                    "another process (a collector instance sharing the state folder) has been refreshing this credential"
                        + " for \(longestWait.components.seconds) s and still holds \(path); the account is tried again"
                        + " in the next run"
                )
            }
            do {
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                close(fd)
                throw error
            }
        }
        return CredentialLock(descriptor: fd)
    }

    /// Releases the lock; releasing twice does nothing.
    func release() {
        descriptor.withLock { descriptor in
            guard let fd = descriptor else { return }
            descriptor = nil
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    deinit { release() }
}
