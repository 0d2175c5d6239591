import Synchronization

/// Every secret value this process has loaded, and the redaction of text that leaves it.
///
/// A platform may repeat a secret in its answer (`invalid appsecret S3cr3t…`), and that answer
/// becomes an error message, a log line and a line of the run summary. Rather than trust every
/// call site, the collector files each secret it knows here and the output boundary (the log
/// handler, the CLI's stdout and stderr) passes its text through ``redact(_:)``:
/// - the values of configuration keys marked secret, after `${VAR}` and `@file:` expansion
///   (kept for the life of the process, as a reload may bring new ones);
/// - every ``Secret`` created: tokens obtained at run time (WeChat `access_token`, OAuth
///   access and refresh tokens), cookies, stored credentials. Of these the most recent
///   ``runtimeCapacity`` are kept, so a service that refreshes tokens for months does not grow
///   without bound; a token that old has long expired.
///
/// Values shorter than ``SecretMatcher/minimumLength`` bytes are not redacted (see there).
package enum KnownSecrets {
    /// How many run-time values are kept (the oldest go first).
    package static let runtimeCapacity = 65_536

    private struct Registry {
        var matcher = SecretMatcher()
        /// Values that are never dropped: configuration secrets.
        var lasting: Set<String> = []
        /// Run-time values, oldest first from `oldest`.
        var recent: [String] = []
        var oldest = 0
        var recentSet: Set<String> = []
    }

    private static let registry = Mutex(Registry())

    /// Files a configuration secret, kept for the life of the process.
    package static func registerLasting(_ value: String) {
        guard value.utf8.count >= SecretMatcher.minimumLength else { return }
        registry.withLock { registry in
            guard registry.lasting.insert(value).inserted else { return }
            registry.matcher.insert(value)
        }
    }

    /// Files a secret obtained or loaded at run time (a ``Secret``); the oldest of more than
    /// ``runtimeCapacity`` are dropped unless they are also configuration secrets.
    package static func register(_ value: String) {
        guard value.utf8.count >= SecretMatcher.minimumLength else { return }
        registry.withLock { registry in
            guard !registry.lasting.contains(value), registry.recentSet.insert(value).inserted else { return }
            registry.matcher.insert(value)
            registry.recent.append(value)
            guard registry.recentSet.count > runtimeCapacity else { return }
            let dropped = registry.recent[registry.oldest]
            registry.oldest += 1
            registry.recentSet.remove(dropped)
            if !registry.lasting.contains(dropped) { registry.matcher.remove(dropped) }
            if registry.oldest >= runtimeCapacity {
                // Compact now and then rather than shift the array on every drop.
                registry.recent.removeFirst(registry.oldest)
                registry.oldest = 0
            }
        }
    }

    /// `text` with every known secret replaced by `<redacted>`.
    package static func redact(_ text: String) -> String {
        // A copy of the matcher (its storage is shared until written) so the scan runs unlocked.
        let matcher = registry.withLock { $0.matcher }
        return matcher.redact(text)
    }
}
