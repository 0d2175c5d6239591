/// One key an adapter accepts in its section, for `collector adapters`, `collector check` and
/// the nearest-key suggestion.
public struct ConfigurationKey: Sendable, Hashable {
    /// The key.
    public var name: String
    /// The expected TOML type: `string`, `array of strings`, `duration`, `rate`, `integer`, `boolean`, `table`.
    public var type: String
    /// Whether the section must have it.
    public var required: Bool
    /// The default, as text, when there is one.
    public var defaultValue: String?
    /// One sentence on what it does.
    public var help: String
    /// Whether the value is a secret (shown as `<redacted>`, only accepted through `${VAR}` or `@file:`).
    public var isSecret: Bool
    /// Whether the value is a command line (program and arguments), which every user of the
    /// machine can read: `collector check` warns about arguments that look like secrets.
    public var isCommandLine: Bool
    /// Whether the `@file:` values inside it are secrets though the key itself is not (an exec
    /// command's `env`, the way to hand the command a secret): `collector check` warns when
    /// another user can read such a file, as it does for a secret key's.
    public var holdsSecretFiles: Bool

    /// Creates a key description.
    public init(
        _ name: String,
        type: String,
        required: Bool = false,
        default defaultValue: String? = nil,
        secret: Bool = false,
        commandLine: Bool = false,
        secretFiles: Bool = false,
        help: String
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.help = help
        self.isSecret = secret
        self.isCommandLine = commandLine
        self.holdsSecretFiles = secretFiles
    }

    /// `credential_rate`: the budget of an app credential (an app id, a client key) shared by
    /// every section that uses it; sections of a ``SharedCredentialAdapter`` list it.
    public static let credentialRate = ConfigurationKey(
        "credential_rate",
        type: "rate",
        help:
            "Request budget of the app credential, shared by every section with the same app id or client key, e.g. 600/h; a Retry-After on one section holds them all."
    )

    /// The keys every section accepts: `name`, `interval`, `jitter`, `rate`, `parallel_accounts`,
    /// `cooldown`.
    public static let common: [ConfigurationKey] = [
        ConfigurationKey("name", type: "string", help: "The instance's name in logs and summaries."),
        ConfigurationKey(
            "interval",
            type: "duration",
            default: "[collector] interval",
            help: "How often each account is collected."
        ),
        ConfigurationKey(
            "jitter",
            type: "duration",
            default: "[collector] jitter",
            help: "Random delay added to each due time, at most."
        ),
        ConfigurationKey("rate", type: "rate", help: "Request budget of this instance, e.g. 2/s."),
        ConfigurationKey(
            "parallel_accounts",
            type: "integer",
            default: "1",
            help: "Accounts collected at the same time; official APIs with many accounts may raise it."
        ),
        ConfigurationKey(
            "cooldown",
            type: "duration",
            default: "6h",
            help: "How long the service is left alone after an anti-bot answer (circuit breaker); 0s switches it off."
        ),
    ]
}
