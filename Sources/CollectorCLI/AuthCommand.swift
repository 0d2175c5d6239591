import ArgumentParser
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `collector auth`: authorise accounts on OAuth platforms and see when each credential lapses.
///
/// - `collector auth` (or `collector auth list`): every stored credential and its renewal date.
/// - `collector auth INSTANCE [ACCOUNT]`: the authorisation page of each account, and what to run next.
/// - `collector auth INSTANCE ACCOUNT CODE`: exchanges the code for tokens and stores them.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Authorise accounts (OAuth platforms) and list every credential with the date it must be renewed by.",
        discussion: """
            collector auth                          list every stored credential and its renewal date
            collector auth INSTANCE [ACCOUNT]       print the authorisation page of each account
            collector auth INSTANCE ACCOUNT CODE    exchange the code for tokens and store them (0600)
            """
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The adapter instance (its name or type), or \"list\".")
    var instance: String?

    @Argument(help: "The account (open_id, mid, …) to authorise.")
    var account: String?

    @Argument(help: "The authorization code from the redirect after the owner agreed.")
    var code: String?

    func run() async throws {
        guard let instance, instance != "list" else {
            try list()
            return
        }
        let setup = try Setup.load(options)
        let adapter = try Self.authorizing(setup, only: instance)
        guard let account, let code else {
            let accounts = account.map { [$0] } ?? adapter.accounts
            for account in accounts {
                let page = adapter.authorizationURL(account: account) ?? "(no authorisation page: see docs/adapters)"
                Terminal.writeOutput("\(adapter.name)/\(account): open \(page)")
            }
            // The account itself when there is one, so the line can be copied as it is.
            let named = accounts.count == 1 ? accounts[0] : "ACCOUNT"
            Terminal.writeOutput(
                "then run: collector auth \(adapter.name) \(named) CODE  (the code from the page the owner is sent back to)"
            )
            return
        }
        try Self.checkBeforeExchange(adapter, account: account, code: code)
        let settings = setup.settings
        let state = try StateStore(directory: settings.stateDirectory)
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: 2))
        defer { http.shutdown() }
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let context = Contexts.make(for: adapter, http: http, state: state, settings: settings, logger: logger)
        // A code works once: the tokens it is exchanged for must be saved, so a state folder
        // that cannot take them refuses the code before it is spent, not after.
        do throws(StorageError) {
            try CredentialStore(state: state).checkRoom(instance: adapter.name, account: account)
        } catch {
            throw Self.unsaved(error, codeSpent: false, page: "collector auth \(adapter.name) \(account)")
        }
        let credential: Credential
        do {
            credential = try await adapter.authorize(account: account, code: code, context: context)
        } catch let error as StorageError {
            // The disk filled between the check and the save: the platform has spent the code.
            throw Self.unsaved(error, codeSpent: true, page: "collector auth \(adapter.name) \(account)")
        }
        // The platform may name the account itself (Douyin's open_id for a placeholder): the
        // line names the account the credential was saved under, and says to configure it.
        let saved = adapter.savedAccount(of: credential, authorizing: account)
        let configure =
            saved == account || adapter.accounts.contains(saved)
            ? ""
            : " (saved under \"\(saved)\", not \"\(account)\": put \"\(saved)\" into accounts of \(adapter.name)"
                + " in the configuration)"
        Terminal.writeOutput(
            "\(adapter.name)/\(saved): authorised\(configure); "
                + Self.describe(credential, now: context.now(), calendar: settings.calendar, adapter: adapter)
        )
    }

    /// `error`, which kept the tokens of a code from being saved, with what to do next: whether
    /// the same command can simply be run again depends on whether the code was spent.
    /// - Parameter page: The command that prints the authorisation page, for a new code.
    static func unsaved(_ error: StorageError, codeSpent: Bool, page: String) -> StorageError {
        var error = error
        let fix = error.spaceAdvice ?? "make the state folder writable by this user"
        let next =
            codeSpent
            ? "the code was used, and a code works once: the tokens it gave are lost; \(fix), then have the"
                + " owner authorise again (\(page) prints the page) and run this command with the new code"
            : "the code was NOT used: \(fix), then run the same command again"
        error.detail = error.detail.map { $0 + "; " + next } ?? next
        return error
    }

    /// Refuses, before the single-use code is spent, an account that no run of `adapter` would
    /// use (a typo in the account) and a callback address pasted in place of the code.
    /// - Throws: ``UsageError`` (exit 2) naming the configured accounts or the `code` parameter.
    static func checkBeforeExchange(_ adapter: any AuthorizingAdapter, account: String, code: String) throws {
        if code.contains("://") || code.contains("?") || code.contains("&") || code.contains("code=") {
            // Not extracted: the address may carry other parameters, and a guess would spend the code.
            throw UsageError(
                "auth \(adapter.name) \(account): the code looks like the whole callback address; pass only the value"
                    + " of its code parameter (the text between \"code=\" and the next \"&\"), quoted; nothing was sent"
            )
        }
        guard !adapter.authorizationNamesTheAccount, !adapter.accounts.contains(account) else { return }
        let configured =
            adapter.accounts.isEmpty ? "none" : adapter.accounts.map { "\"\($0)\"" }.joined(separator: ", ")
        throw UsageError(
            "auth \(adapter.name): account \"\(account)\" is not in the accounts of \(adapter.name) (configured: \(configured));"
                + " no run would use its credential, so the code was not sent and can still be used: check the account,"
                + " or add it to accounts first"
        )
    }

    /// Every stored credential and what to do before it lapses.
    private func list() throws {
        let setup = try Setup.load(options)
        let settings = setup.settings
        let store = CredentialStore(state: try StateStore(directory: settings.stateDirectory, readOnly: true))
        let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
        let stored = store.stored()
        guard !stored.isEmpty else {
            Terminal.writeOutput("no stored credentials in \(settings.stateDirectory)")
            return
        }
        // A token an instance obtains by itself (WeChat's stable_token, from the app secret) is
        // renewed without anyone: it has no re-authorisation date to warn about.
        let renewedAutomatically = Set(
            setup.instances.filter { !($0 is any AuthorizingAdapter) }.map(\.name)
        )
        var authorizing: [String: any AuthorizingAdapter] = [:]
        for case let adapter as any AuthorizingAdapter in setup.instances { authorizing[adapter.name] = adapter }
        for (instance, account) in stored {
            do {
                guard let credential = try store.load(instance: instance, account: account) else { continue }
                let state =
                    renewedAutomatically.contains(instance)
                    ? Self.accessToken(credential, now: now, calendar: settings.calendar) + "; renewed"
                        + " automatically from the app secret, nothing to do"
                    : Self.describe(credential, now: now, calendar: settings.calendar, adapter: authorizing[instance])
                let exposed =
                    store.isOpenToOthers(instance: instance, account: account)
                    ? "; WARNING: other users can read the token file: chmod 600 it (a run does so by itself)" : ""
                // The names come from file names in the state folder: their control characters
                // (a line break, a terminal escape) are escaped as the log's are.
                Terminal.writeOutput(LogText.escapingControls("\(instance)/\(account): " + state + exposed))
            } catch {
                Terminal.writeOutput(LogText.escapingControls("\(instance)/\(account): unusable: \(error)"))
            }
        }
    }

    /// The instance named `only`, which must be an ``AuthorizingAdapter``.
    static func authorizing(_ setup: Setup, only: String) throws -> any AuthorizingAdapter {
        let selected = try setup.selected(only: [only], argument: "auth")
        guard selected.count == 1, let adapter = selected.first else {
            let names = selected.map(\.name).joined(separator: ", ")
            throw UsageError("auth \(only) matches \(selected.count) instances (\(names)); name one of them")
        }
        guard let authorizing = adapter as? any AuthorizingAdapter else {
            throw UsageError("\(adapter.name) (\(type(of: adapter).type)) needs no authorisation")
        }
        return authorizing
    }

    /// `access token valid until …`, or `access token expired on …` once that is past (a run
    /// refreshes it, where the platform allows, or the rest of the line says what to do).
    static func accessToken(_ credential: Credential, now: Timestamp, calendar: PlatformCalendar) -> String {
        let expiry = calendar.render(credential.expiresAt)
        return credential.expiresAt <= now ? "access token expired on \(expiry)" : "access token valid until \(expiry)"
    }

    /// `access token valid until …; refresh token until …; re-authorise before 2026-12-03 (7 days)`.
    /// A refusal a run met comes first; `adapter` (the configured instance, when there is one)
    /// may replace the date by its own note when it extends the authorisation by itself.
    static func describe(
        _ credential: Credential,
        now: Timestamp,
        calendar: PlatformCalendar,
        adapter: (any AuthorizingAdapter)? = nil
    ) -> String {
        var parts = [accessToken(credential, now: now, calendar: calendar)]
        if let refresh = credential.refreshExpiresAt {
            parts.append("refresh token until \(calendar.render(refresh))")
        }
        if let refusedAt = credential.refusedAt {
            let code = credential.refusalCode.map { " (code \($0))" } ?? ""
            parts.append(
                "NEEDS AUTHORISING: refused by the platform on \(calendar.render(refusedAt))\(code); the owner must authorise again"
                    + " (collector auth INSTANCE ACCOUNT CODE)"
            )
            return parts.joined(separator: "; ")
        }
        if let note = adapter?.renewalNote(for: credential, at: now, calendar: calendar) {
            parts.append(note)
            return parts.joined(separator: "; ")
        }
        let deadline = credential.reauthorizeBy
        let days = (deadline.secondsSinceEpoch - now.secondsSinceEpoch) / 86400
        if deadline <= now {
            parts.append("EXPIRED: the owner must authorise again (collector auth INSTANCE ACCOUNT CODE)")
        } else {
            let left = days == 0 ? "less than a day" : days == 1 ? "1 day" : "\(days) days"
            parts.append("re-authorise before \(calendar.civilDate(of: deadline)) (\(left))")
        }
        return parts.joined(separator: "; ")
    }
}
