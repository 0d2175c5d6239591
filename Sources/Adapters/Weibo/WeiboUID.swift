import Collector

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
}
