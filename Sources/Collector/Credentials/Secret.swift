/// A token, secret or cookie: its description is `<redacted>`, so string interpolation, logs
/// and error messages can never show it. Read it with ``exposedValue`` only where it is sent.
///
/// Creating one files the value with ``KnownSecrets``, so that the text the collector prints
/// has it redacted even when a platform repeats it in an error message.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Use only to build the request that carries it.
    public let exposedValue: String

    /// Wraps a secret, and files it with ``KnownSecrets``.
    public init(_ value: String) {
        exposedValue = value
        KnownSecrets.register(value)
    }

    /// `<redacted>`.
    public var description: String { "<redacted>" }

    /// `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// Whether the secret is empty.
    public var isEmpty: Bool { exposedValue.isEmpty }
}
