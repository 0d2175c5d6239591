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
/// With each value go its ``SecretParts``, the near-copies a platform echoes: the value
/// without surrounding blanks and each cookie pair's value. Values and parts shorter than
/// ``SecretMatcher/minimumLength`` bytes are not redacted (see there).
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

    /// Files a configuration secret and its ``SecretParts`` (the trimmed value, each cookie
    /// pair's value), kept for the life of the process.
    package static func registerLasting(_ value: String) {
        let parts = SecretParts.of(value).filter { $0.utf8.count >= SecretMatcher.minimumLength }
        guard !parts.isEmpty else { return }
        registry.withLock { registry in
            for part in parts where registry.lasting.insert(part).inserted { registry.matcher.insert(part) }
        }
    }

    /// Files a secret obtained or loaded at run time (a ``Secret``) and its ``SecretParts``;
    /// the oldest of more than ``runtimeCapacity`` values are dropped unless they are also
    /// configuration secrets.
    package static func register(_ value: String) {
        let parts = SecretParts.of(value).filter { $0.utf8.count >= SecretMatcher.minimumLength }
        guard !parts.isEmpty else { return }
        registry.withLock { registry in
            for part in parts { registerRecent(part, in: &registry) }
        }
    }

    /// Adds one run-time value to `registry`, dropping the oldest past ``runtimeCapacity``.
    private static func registerRecent(_ value: String, in registry: inout Registry) {
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

    /// `text` with every known secret replaced by `<redacted>`.
    package static func redact(_ text: String) -> String {
        // A copy of the matcher (its storage is shared until written) so the scan runs unlocked.
        let matcher = registry.withLock { $0.matcher }
        return matcher.redact(text)
    }

    /// `text` for a message, at most `limit` characters and `…`, with every known secret
    /// replaced by `<redacted>`: the way to quote platform or command text that is cut short
    /// (an error's words, a field's value).
    ///
    /// The redaction comes first. Cut first, a secret straddling the cut would keep its start,
    /// which the output boundary no longer finds (``redact(_:)`` matches whole values), and
    /// all but the last characters of a token would be printed. The cut never splits a
    /// `<redacted>` (the text runs on to its end): a reader sees that a secret was there.
    package static func excerpt(_ text: String, limit: Int) -> String {
        let redacted = redact(text)
        guard redacted.count > limit else { return redacted }
        var end = redacted.index(redacted.startIndex, offsetBy: limit)
        var searched = redacted.startIndex
        while let found = redacted[searched...].firstRange(of: SecretMatcher.replacement), found.lowerBound < end {
            if found.upperBound > end {
                end = found.upperBound
                break
            }
            searched = found.upperBound
        }
        return end == redacted.endIndex ? redacted : String(redacted[..<end]) + "…"
    }
}
