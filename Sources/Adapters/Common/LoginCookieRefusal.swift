package import Collector
import Logging

/// Remembers in `state_dir` that the platform refused a section's login cookie (Toutiao's
/// `100004`, m.weibo.cn's login wall), so that later runs fail closed without a request until
/// the configured cookie changes: a dead session asked again every run is only more traffic
/// from a logged-out client, and says nothing new.
///
/// The file is `cookie-refused-<instance>.json` (0600, replaced atomically): the SHA-256 of the
/// cookie's `name=value` pairs, sorted as ``LoginCookieSharing`` compares them, never the cookie
/// itself, with when, on which account and with which code it was refused. A refusal recorded
/// for another cookie is no refusal of this one: replacing the cookie (a new `${VAR}` value or
/// `@file:` content) is all it takes; the stale record is ignored, and replaced by the next
/// refusal. Deleting the file makes the next run try the same cookie again.
package struct LoginCookieRefusal: Sendable {
    /// A recorded refusal of the configured cookie.
    package struct Refused: Sendable, Equatable {
        /// When the platform refused it.
        package var time: Timestamp
        /// The account whose request met the refusal.
        package var account: String
        /// The platform's code (`100004`, `ok:-100`).
        package var platformCode: String
    }

    private let state: StateStore
    private let instance: String
    private let fingerprint: String

    /// The refusals of `instance`'s cookie `cookie`, kept in `state`.
    package init(instance: String, cookie: Secret, state: StateStore) {
        self.state = state
        self.instance = instance
        fingerprint = Self.fingerprint(of: cookie)
    }

    /// `cookie-refused-<instance>.json`.
    package static func fileName(instance: String) -> String {
        "cookie-refused-\(instance).json"
    }

    /// The SHA-256, in hex, of the cookie's sorted `name=value` pairs: the same for the same
    /// login however its pairs are ordered or spaced, and no way back to the cookie.
    static func fingerprint(of cookie: Secret) -> String {
        SHA256.hex(of: Array(LoginCookieSharing.cookiePairs(cookie.exposedValue).joined(separator: "; ").utf8))
    }

    /// The recorded refusal of the configured cookie; nil when none is recorded, or the one
    /// recorded is of another cookie (the cookie was replaced since) or cannot be read, in
    /// which case the cookie is tried.
    package func current() -> Refused? {
        let name = Self.fileName(instance: instance)
        guard let bytes = try? state.read(name, restrictToOwner: true),
            let json = try? JSONValue.parse(bytes),
            json["cookie_sha256"]?.stringValue == fingerprint,
            let time = json["refused_at"]?.int64Value
        else { return nil }
        return Refused(
            time: Timestamp(secondsSinceEpoch: time),
            account: json["account"]?.stringValue ?? "",
            platformCode: json["refusal_code"]?.stringValue ?? ""
        )
    }

    /// Records that the platform refused the configured cookie on `account` at `time` with
    /// `platformCode` (dropped in dry-run mode, like every state write).
    /// - Throws: ``StorageError`` when the state folder cannot be written.
    package func record(account: String, platformCode: String, at time: Timestamp) throws(StorageError) {
        let json = JSONValue.object([
            JSONMember("cookie_sha256", .string(fingerprint)),
            JSONMember("refused_at", .integer(time.secondsSinceEpoch)),
            JSONMember("account", .string(account)),
            JSONMember("refusal_code", .string(platformCode)),
        ])
        try state.write(Self.fileName(instance: instance), Array(json.serialized().utf8))
    }

    /// Records the refusal `error` met on `account` now; a state folder that cannot be written
    /// is logged, and the refusal still reported as it is.
    package func remember(_ error: AdapterError, account: String, context: AdapterContext) {
        do {
            try record(account: account, platformCode: error.platformCode ?? "", at: context.now())
        } catch {
            context.logger.warning(
                "could not record the refused cookie; the next run will try it again: \(error)",
                metadata: ["account": "\(account)"]
            )
        }
    }

    /// The error of an account not asked because the configured cookie was refused before:
    /// `still refused: …; replace it`, naming the time (in `calendar`), the account and the
    /// code of the refusal, and what to do (`renewal`).
    package func stillRefused(_ refused: Refused, calendar: PlatformCalendar, renewal: String) -> AdapterError {
        let on = refused.account.isEmpty ? "" : " on account \(refused.account)"
        return .reauthorizationRequired(
            "still refused: the cookie was refused at \(calendar.render(refused.time))\(on) (code \(refused.platformCode)), so nothing was requested with it; \(renewal). A changed cookie is tried at the next run (or delete \(state.path(Self.fileName(instance: instance))) to try this one again)",
            platformCode: refused.platformCode
        )
    }
}
