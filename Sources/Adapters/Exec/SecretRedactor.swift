import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Writes the values of an exec section's `env` table as `<redacted>` in the text the collector
/// shows of a command: its stderr lines, and the messages about its invalid stdout lines, which
/// quote what the command printed. The `env` table is how secrets (a cookie, a token) reach a
/// command, and a command may well print one by mistake.
///
/// It also finds the values of the variables named as secrets (`XHS_COOKIE`, `API_TOKEN`:
/// ``CommandLineSecrets/hasSecretWord(_:)``) in the stored fields of a stdout line
/// (``variable(in:)``): those are written to the data files as they are, where no redaction
/// can follow them. Other `env` values (`ACCOUNT_ID`) may well be ids the command prints.
package struct SecretRedactor: Sendable {
    /// The shortest value redacted: shorter ones (`1`, `zh`) would blot out ordinary text.
    static let minimumLength = 6

    /// The values to redact, longest first, so that one containing another goes whole.
    private let secrets: [String]
    /// The values of the variables named as secrets, as bytes, each with its variable's name.
    private let secretBytes: [(bytes: [UInt8], variable: String)]
    /// The length of the shortest secret: a shorter id cannot contain one.
    private let shortest: Int

    /// A redactor of the `env` values and their ``SecretParts`` (the value trimmed, each cookie
    /// pair's value: a command may print `SESSDATA`'s value alone), each of at least
    /// ``minimumLength`` bytes.
    package init(_ environment: [(name: String, value: String)]) {
        var redacted: Set<String> = []
        var stored: [(bytes: [UInt8], variable: String)] = []
        for (name, value) in environment {
            let isSecret = CommandLineSecrets.hasSecretWord(name)
            for part in SecretParts.of(value) where part.utf8.count >= Self.minimumLength {
                redacted.insert(part)
                if isSecret { stored.append((Array(part.utf8), name)) }
            }
        }
        secrets = redacted.sorted { $0.utf8.count > $1.utf8.count }
        secretBytes = stored
        shortest = stored.map(\.bytes.count).min() ?? Int.max
    }

    /// The name of the secret `env` variable whose value (or a ``SecretParts`` part of it)
    /// occurs in `bytes`, or nil. Cheap when there is no such variable or `bytes` is shorter
    /// than every value.
    package func variable(in bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= shortest, let base = bytes.baseAddress else { return nil }
        for (secret, variable) in secretBytes where secret.count <= bytes.count {
            let found = secret.withUnsafeBytes { needle -> Bool in
                guard let needleBase = needle.baseAddress else { return false }
                let first = needle[0]
                var start = 0
                let last = bytes.count - needle.count
                while start <= last {
                    // memchr to the next candidate, memcmp there (Swift does not import memmem).
                    guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return false }
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, needleBase, needle.count) == 0 { return true }
                    start = offset + 1
                }
                return false
            }
            if found { return variable }
        }
        return nil
    }

    /// `text` with every secret replaced, and every quoted excerpt (`'…'` or `"…"`, as a JSON
    /// parser quotes the token it stopped at) that is part of a secret. When the text was `cut`
    /// at a length limit, an end of it that starts a secret (4 bytes of it or more) goes too; so
    /// does such an end of a quoted excerpt cut short with `…` (`"time" = "xxxx…"`, a value of
    /// the command's line cut by ``ExecLineParser``).
    func redact(_ text: String, cut: Bool = false) -> String {
        guard !secrets.isEmpty else { return text }
        var text = text
        for secret in secrets where text.contains(secret) { text = text.replacing(secret, with: "<redacted>") }
        text = redactingQuotedParts(of: text)
        return cut ? redactingCutEnd(of: text) : text
    }

    /// `text` with an end that starts a secret (4 bytes of it or more) replaced: what is left
    /// of a secret that a length limit cut off.
    private func redactingCutEnd(of text: String) -> String {
        for secret in secrets {
            var prefix = Substring(secret.dropLast())
            while prefix.utf8.count >= 4 {
                if text.hasSuffix(prefix) { return String(text.dropLast(prefix.count)) + "<redacted>" }
                prefix = prefix.dropLast()
            }
        }
        return text
    }

    /// The names of an exec line's members (SPEC §5), which the collector's messages quote
    /// (`"metric" = "folowers" is neither …`): shown even when an `env` value holds the word
    /// (a JSON configuration with `"metrics"`), since the word gives nothing of it away.
    private static let memberNames: Set<Substring> = ["account", "object", "metric", "quality", "platform"]

    /// Replaces the content of each `'…'` or `"…"` in `text` that is at least ``minimumLength``
    /// bytes of some secret, other than a member name, and the end of one cut short with `…`
    /// that starts a secret.
    private func redactingQuotedParts(of text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "'" || $0 == "\"" }) {
            let quote = rest[open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: quote) else { break }
            let inside = rest[afterOpen..<close]
            result += rest[...open]
            let isSecret =
                inside.utf8.count >= Self.minimumLength && !Self.memberNames.contains(inside)
                && secrets.contains { $0.contains(inside) }
            if isSecret {
                result += "<redacted>"
            } else if inside.hasSuffix("…") {
                // Cut short before the whole secret could be matched: its start may end it.
                result += redactingCutEnd(of: String(inside.dropLast())) + "…"
            } else {
                result += inside
            }
            result.append(quote)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
