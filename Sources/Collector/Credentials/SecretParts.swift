/// The pieces of a secret value that a platform may repeat on their own, each to be redacted
/// like the whole value (SPEC §1).
///
/// A redactor that knows only the whole value misses the near-copies platforms actually echo:
/// - the value without the blanks around it: a secret given with a trailing blank (`@file:`,
///   `${VAR}`) comes back trimmed (`hint: [S3cr3t…]`). The configuration trims secret keys
///   (``Substitution/trimmingBlanks(_:)``), but a value reaches the redactor from other places
///   too (an exec section's `env`, a stored credential);
/// - each pair's value of a cookie (`sessionid=X; sid_tt=Y` gives `X` and `Y`): a platform
///   names the one session it rejects (`invalid session X for sid_tt`), not the Cookie header.
///   The names (`sessionid`) are no secret and stay readable.
///
/// Pieces shorter than ``SecretMatcher/minimumLength`` bytes are left out by the matcher, so a
/// cookie such as `lang=zh` does not blot out every `zh` of the log.
///
/// Tokens are sent as they are (`Authorization: OAuth2 <token>` is built by the adapter), so
/// a token's value is already the whole secret and needs no splitting.
package enum SecretParts {
    /// `value` itself, then its other pieces: the value trimmed of ASCII blanks, and each
    /// cookie pair's value (trimmed, without surrounding double quotes), without repeats.
    package static func of(_ value: String) -> [String] {
        var parts = [value]
        func add(_ part: Substring) {
            let text = String(part)
            if !text.isEmpty, !parts.contains(text) { parts.append(text) }
        }
        let whole = trimmed(value[...])
        add(whole)
        // Only a value with `=` can be a cookie; an ordinary secret rarely has one (base64
        // padding, `abc==`, leaves an empty or short value that is dropped).
        guard whole.utf8.contains(UInt8(ascii: "=")) else { return parts }
        for pair in whole.split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            var cookieValue = trimmed(pair[pair.index(after: equals)...])
            // RFC 6265 allows a cookie value in double quotes; the platform echoes what is inside.
            if cookieValue.utf8.count >= 2, cookieValue.hasPrefix("\""), cookieValue.hasSuffix("\"") {
                cookieValue = cookieValue.dropFirst().dropLast()
            }
            add(cookieValue)
        }
        return parts
    }

    /// `text` without the ASCII blanks (space, tab, line feed, carriage return, vertical tab,
    /// form feed) at either end.
    package static func trimmed(_ text: Substring) -> Substring {
        // By scalars, not characters: a blank followed by a combining mark is one character,
        // and the mark belongs to the value.
        var scalars = text.unicodeScalars
        while let first = scalars.first, isBlank(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, isBlank(last) { scalars = scalars.dropLast() }
        return Substring(scalars)
    }

    /// Whether `scalar` is an ASCII blank.
    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || ("\u{09}"..."\u{0D}").contains(scalar)
    }
}
