import ArgumentParser
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector auth`: authorise accounts on OAuth platforms and see when each credential lapses.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Authorise accounts (OAuth platforms) and list every credential with the date it must be renewed by.",
        subcommands: [URLCommand.self, LoginCommand.self, ListCommand.self],
        defaultSubcommand: ListCommand.self
    )

    /// `collector auth url`: where the operator authorises an account.
    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the page where the account's owner authorises this collector."
        )

        @OptionGroup var options: ConfigOptions
        @Option(name: .long, help: "The adapter instance (its name or type).") var only: String
        @Option(name: .long, help: "The account to authorise.") var account: String

        func run() async throws {
            let adapter = try AuthCommand.authorizing(options, only: only)
            guard let url = adapter.authorizationURL(account: account) else {
                throw UsageError("\(adapter.name) has no authorisation page; see docs/adapters/\(adapter.platform).md")
            }
            Terminal.writeOutput(url)
        }
    }

    /// `collector auth login`: exchanges an authorization code for tokens and stores them.
    struct LoginCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Exchange an authorization code for tokens and store them in state_dir (0600)."
        )

        @OptionGroup var options: ConfigOptions
        @Option(name: .long, help: "The adapter instance (its name or type).") var only: String
        @Option(name: .long, help: "The account being authorised.") var account: String
        @Option(name: .long, help: "The authorization code from the redirect after the owner agreed.") var code: String

        func run() async throws {
            let setup = try Setup.load(options)
            let adapter = try AuthCommand.authorizing(setup, only: only)
            let settings = setup.settings
            let state = try StateStore(directory: settings.stateDirectory)
            let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 2))
            defer { http.shutdown() }
            let logger = Setup.makeLogger(calendar: settings.calendar)
            let context = Contexts.make(for: adapter, http: http, state: state, settings: settings, logger: logger)
            let credential = try await adapter.authorize(account: account, code: code, context: context)
            Terminal.writeOutput(
                "\(adapter.name)/\(account): authorised; "
                    + AuthCommand.describe(credential, now: context.now(), calendar: settings.calendar)
            )
        }
    }

    /// `collector auth list`: every stored credential and what to do before it lapses.
    struct ListCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every stored credential with its expiry and what to do before it lapses."
        )

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let setup = try Setup.load(options, requireFile: false)
            let settings = setup.settings
            let store = CredentialStore(state: try StateStore(directory: settings.stateDirectory, readOnly: true))
            let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
            let stored = store.stored()
            guard !stored.isEmpty else {
                Terminal.writeOutput("no stored credentials in \(settings.stateDirectory)")
                return
            }
            for (instance, account) in stored {
                do {
                    guard let credential = try store.load(instance: instance, account: account) else { continue }
                    Terminal.writeOutput(
                        "\(instance)/\(account): "
                            + AuthCommand.describe(credential, now: now, calendar: settings.calendar)
                    )
                } catch {
                    Terminal.writeOutput("\(instance)/\(account): unusable: \(error)")
                }
            }
        }
    }

    /// The instance named `only`, which must be an ``AuthorizingAdapter``.
    static func authorizing(_ options: ConfigOptions, only: String) throws -> any AuthorizingAdapter {
        try authorizing(try Setup.load(options), only: only)
    }

    static func authorizing(_ setup: Setup, only: String) throws -> any AuthorizingAdapter {
        let selected = try setup.selected(only: [only])
        guard selected.count == 1, let adapter = selected.first else {
            throw UsageError("--only \(only) matches \(selected.count) instances; name one instance")
        }
        guard let authorizing = adapter as? any AuthorizingAdapter else {
            throw UsageError("\(adapter.name) (\(type(of: adapter).type)) needs no authorisation")
        }
        return authorizing
    }

    /// `access token valid until …; refresh token until …; re-authorise before 2026-12-03 (7 days)`.
    static func describe(_ credential: Credential, now: Timestamp, calendar: PlatformCalendar) -> String {
        var parts = ["access token valid until \(calendar.render(credential.expiresAt))"]
        if let refresh = credential.refreshExpiresAt {
            parts.append("refresh token until \(calendar.render(refresh))")
        }
        let deadline = credential.reauthorizeBy
        let days = (deadline.secondsSinceEpoch - now.secondsSinceEpoch) / 86400
        if deadline <= now {
            parts.append("EXPIRED: run `collector auth login` again for this account")
        } else {
            parts.append("re-authorise before \(calendar.civilDate(of: deadline)) (\(days) days)")
        }
        return parts.joined(separator: "; ")
    }
}
