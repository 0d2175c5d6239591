import Collector
import Logging

/// Weibo account ids: the numeric uid of the profile URL `weibo.com/u/<uid>`, the one rule the
/// official and the web adapter share.
enum WeiboUID {
    /// The section's accounts, each checked to be a uid; every one that is not is reported.
    static func accounts(of configuration: AdapterConfiguration, check: inout ConfigurationCheck) -> [String] {
        let accounts = check { () throws(ConfigurationError) in try configuration.accounts(platform: .weibo) } ?? []
        let key = configuration.values["account"] != nil ? "account" : "accounts"
        for account in accounts where account.isEmpty || !account.utf8.allSatisfy({ (48...57).contains($0) }) {
            check.report(
                configuration.error(
                    "accounts",
                    "weibo account \(configuration.quoted(account, from: key)) is not a numeric uid; find it in"
                        + " the profile URL weibo.com/u/<uid>"
                )
            )
        }
        return accounts
    }

    /// The longest uid accepted from the platform: today's uids have 10 digits.
    static let longestReceived = 20

    /// A uid the platform sent (`get_token_info`, `access_token`): a JSON integer of at least 0,
    /// or a string of 1 to ``longestReceived`` ASCII digits; nil for anything else. The uid goes
    /// into the advice to run `collector auth weibo <uid>`, into a state file's name and into
    /// `collector auth`'s listing, so an answer (or whatever answers at `base_url`) must not
    /// choose its text.
    static func received(_ value: JSONValue) -> String? {
        switch value {
        case .integer(let number) where number >= 0:
            return String(number)
        case .string(let text)
        where (1...longestReceived).contains(text.utf8.count) && text.utf8.allSatisfy({ (48...57).contains($0) }):
            return text
        default:
            return nil
        }
    }

    /// The uid of the answer `reader` (its `uid` member) when it is a usable one (``received(_:)``);
    /// nil when it has none, and, with a warning saying so, when it has one that is unusable
    /// (the value itself is not logged: it is the platform's text).
    static func received(in reader: JSONReader, endpoint: String, account: String, context: AdapterContext) -> String? {
        guard let value = reader.value("uid"), value != .null else { return nil }
        if let uid = received(value) { return uid }
        context.logger.warning(
            "weibo \(endpoint) returned an unusable uid (not 1 to \(longestReceived) digits); using the configured account instead",
            metadata: ["account": "\(account)"]
        )
        return nil
    }
}
