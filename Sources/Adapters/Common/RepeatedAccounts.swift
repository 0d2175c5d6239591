package import Collector

/// Warns about an account listed more than once: twice in one section's `accounts` (a line
/// pasted twice), or in two sections of one type that collect the same for it (a section split
/// in two with the account left in both).
///
/// Warnings, not errors: the rows are the same either way and stored once (same key), and a
/// configuration that ran before must not stop every run after an upgrade for a repeat that
/// only costs requests. A repeat within a section costs nothing any more, since the section
/// takes each account once (``AdapterConfiguration/accounts(platform:)``); two sections still
/// request the account twice per interval, against the budgets docs/operations.md keeps low
/// (platforms block on volume), so the warning names both places.
///
/// Two sections that differ in what they collect (another `videos` list, `posts = false` in
/// one, another `base_url` or credential) may hold the same account on purpose: only sections
/// that set every key alike but the accounts and the ``schedulingKeys`` are warned about.
/// Checked when the configuration is loaded (``LoadedConfiguration``): O(accounts).
package enum RepeatedAccounts {
    /// The keys that change when and how fast a section collects, not what: two sections that
    /// differ only in these collect the same samples.
    static let schedulingKeys: Set<String> = [
        "name", "account", "accounts", "interval", "jitter", "rate", "parallel_accounts", "cooldown", "credential_rate",
    ]

    /// The most accounts one warning names; the rest are counted.
    static let namedAccounts = 5

    /// One warning per section whose `accounts` lists an account more than once, and one per
    /// section that holds accounts an earlier section of its type collects the same way, each at
    /// the section's `accounts` (or `account`) line.
    /// - Parameter sections: Every section of the file that became an instance, in file order.
    package static func warnings(
        _ sections: [(configuration: AdapterConfiguration, adapter: any Adapter)]
    ) -> [ConfigurationError] {
        var warnings: [ConfigurationError] = []
        // Per type, each account's first section (its index in `sections`).
        var first: [String: [String: Int]] = [:]
        // Only a type with two sections or more can share an account: the usual file has one
        // section per type, and its accounts (100,000 of them in a large one) are not indexed.
        var sectionsOfType: [String: Int] = [:]
        for (configuration, _) in sections { sectionsOfType[configuration.type, default: 0] += 1 }
        for (index, (configuration, adapter)) in sections.enumerated() {
            // An exec or import section's unit is its command or its files, not an account.
            guard ![ExecAdapter.type, ImportAdapter.type].contains(configuration.type) else { continue }
            if let warning = repeatWithin(configuration) { warnings.append(warning) }
            guard sectionsOfType[configuration.type, default: 0] > 1 else { continue }
            var shared: [Int: [String]] = [:]
            for account in adapter.accounts {
                if let earlier = first[configuration.type]?[account] {
                    shared[earlier, default: []].append(account)
                } else {
                    first[configuration.type, default: [:]][account] = index
                }
            }
            for (earlier, accounts) in shared.sorted(by: { $0.key < $1.key }) {
                let other = sections[earlier].configuration
                guard collectsTheSame(configuration, other) else { continue }
                warnings.append(alsoIn(configuration, other, accounts))
            }
        }
        return warnings
    }

    /// The warning for a section whose `accounts` lists an account more than once, or nil.
    static func repeatWithin(_ configuration: AdapterConfiguration) -> ConfigurationError? {
        guard configuration.values["accounts"] != nil,
            let listed = try? configuration.strings("accounts"), listed != ["registry"]
        else { return nil }
        // Most lists repeat nothing: one pass to find out, before the places are gathered.
        var seen = Set<String>(minimumCapacity: listed.count)
        guard listed.contains(where: { !seen.insert($0).inserted }) else { return nil }
        var places: [String: [Int]] = [:]
        var order: [String] = []
        for (index, account) in listed.enumerated() {
            if places[account] == nil { order.append(account) }
            places[account, default: []].append(index + 1)
        }
        let repeated = order.filter { places[$0, default: []].count > 1 }
        guard !repeated.isEmpty else { return nil }
        let named = repeated.prefix(namedAccounts).map { account in
            let at = places[account] ?? []
            let times = at.count == 2 ? "twice" : "\(at.count) times"
            return "\(configuration.quoted(account, from: "accounts")) \(times) (items \(listing(at)))"
        }
        let more = repeated.count > namedAccounts ? " and \(repeated.count - namedAccounts) more" : ""
        return configuration.error(
            "accounts",
            "\"accounts\" of section \"\(configuration.name)\" lists \(named.joined(separator: ", "))\(more);"
                + " each account is collected once: delete the repeats"
        )
    }

    /// The warning for `accounts` of `configuration` that `other`, an earlier section of its
    /// type, collects the same way.
    static func alsoIn(
        _ configuration: AdapterConfiguration,
        _ other: AdapterConfiguration,
        _ accounts: [String]
    ) -> ConfigurationError {
        let key = configuration.values["account"] != nil ? "account" : "accounts"
        let here = places(in: configuration)
        let there = places(in: other)
        let named = accounts.prefix(namedAccounts).map { account in
            let place = [here[account].map { "\($0) here" }, there[account].map { "\($0) there" }].compactMap { $0 }
            let shown = configuration.quoted(account, from: key)
            return place.isEmpty ? shown : "\(shown) (\(place.joined(separator: ", ")))"
        }
        let more = accounts.count > namedAccounts ? " and \(accounts.count - namedAccounts) more" : ""
        let count = accounts.count == 1 ? "1 account" : "\(accounts.count) accounts"
        let otherKey = other.values["account"] != nil ? "account" : "accounts"
        let place = "\(other.file):\(other.keyLines[otherKey] ?? other.line)"
        return configuration.error(
            key,
            "section \"\(configuration.name)\" has \(count) that section \"\(other.name)\" (\(place)) collects the same"
                + " way: \(named.joined(separator: ", "))\(more); each is requested by both, twice per interval for"
                + " the same rows (stored once): remove \(accounts.count == 1 ? "it" : "them") from one of the two"
                + " sections"
        )
    }

    /// Whether two sections of one type set every key alike but the ``schedulingKeys``.
    static func collectsTheSame(_ one: AdapterConfiguration, _ other: AdapterConfiguration) -> Bool {
        one.values.filter { !schedulingKeys.contains($0.key) }
            == other.values.filter { !schedulingKeys.contains($0.key) }
    }

    /// Where each account of a section is written: `item 2` of a list (its first place), or
    /// nothing for `account = "…"` and `accounts = "registry"`.
    static func places(in configuration: AdapterConfiguration) -> [String: String] {
        guard configuration.values["accounts"] != nil,
            let listed = try? configuration.strings("accounts"), listed != ["registry"]
        else { return [:] }
        var places: [String: String] = [:]
        for (index, account) in listed.enumerated() where places[account] == nil {
            places[account] = "item \(index + 1)"
        }
        return places
    }

    /// `1 and 3`, `2, 5 and 6`.
    static func listing(_ numbers: [Int]) -> String {
        let texts = numbers.map(String.init)
        guard let last = texts.last, texts.count > 1 else { return texts.joined() }
        return texts.dropLast().joined(separator: ", ") + " and " + last
    }
}
