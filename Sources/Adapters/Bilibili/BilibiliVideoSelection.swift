import Collector

/// The videos an instance reads for each account, from its `videos` key: none, a configured
/// list of bvids, or (official API only) the uploads the platform lists for the account.
///
/// The public web API lists uploads only through `x/space/wbi/arc/search`, which needs a WBI
/// signature; the collector computes no signature (PLATFORMS.md §10), so the `bilibili`
/// adapter takes its videos from the configuration and `bilibili_open` from arcopen.
enum BilibiliVideoSelection: Sendable, Hashable {
    /// Account counts only.
    case none
    /// The bvids of each account, in the configured order, without duplicates.
    case listed([String: [String]])
    /// The uploads arcopen lists for the authorised account.
    case uploads

    /// The configured bvids of `account`; empty for ``none`` and ``uploads``.
    func bvids(of account: String) -> [String] {
        guard case .listed(let lists) = self else { return [] }
        return lists[account] ?? []
    }

    /// Reads the `videos` key.
    ///
    /// - Parameters:
    ///   - configuration: the section.
    ///   - accounts: the instance's accounts, resolved.
    ///   - uploads: what `videos = true` means, or nil when listing uploads is not possible
    ///     (then the returned error says why, with `trueProblem`).
    ///   - absent: the selection when the key is absent.
    ///   - trueProblem: the explanation given when `videos = true` is not supported.
    static func parse(
        _ configuration: AdapterConfiguration,
        accounts: [String],
        uploads: BilibiliVideoSelection?,
        absent: BilibiliVideoSelection,
        trueProblem: String = ""
    ) throws(ConfigurationError) -> BilibiliVideoSelection {
        guard let value = configuration.values["videos"] else { return absent }
        switch value {
        case .bool(false):
            return .none
        case .bool(true):
            guard let uploads else { throw configuration.error("videos", trueProblem) }
            return uploads
        case .string, .array:
            let bvids = try validated(configuration.strings("videos") ?? [], configuration)
            if bvids.isEmpty { return .none }
            guard accounts.count == 1, let account = accounts.first else {
                throw configuration.error(
                    "videos",
                    "\"videos\" as a list needs exactly one account; with several, map each mid to its videos: videos = { \"208259\" = [\"BV1Ab4y1c7Qa\"] }"
                )
            }
            return .listed([account: bvids])
        case .table(let table):
            var lists: [String: [String]] = [:]
            for (account, listed) in table {
                guard accounts.contains(account) else {
                    throw configuration.error(
                        "videos",
                        "\"videos\" lists account \"\(account)\", which is not among this section's accounts"
                    )
                }
                // A single string is refused here too, as everywhere a list belongs (SPEC §2).
                guard case .array(let items) = listed else {
                    let advice =
                        if case .string(let bvid) = listed { "; write \"\(account)\" = [\"\(bvid)\"]" } else { "" }
                    throw configuration.error(
                        "videos",
                        "\"videos\".\"\(account)\" must be an array of bvids, not a \(listed.typeName)\(advice)"
                    )
                }
                var bvids: [String] = []
                for item in items {
                    guard case .string(let bvid) = item else {
                        throw configuration.error(
                            "videos",
                            "\"videos\".\"\(account)\" must be an array of bvids, not hold a \(item.typeName)"
                        )
                    }
                    bvids.append(bvid)
                }
                lists[account] = try validated(bvids, configuration)
            }
            return lists.values.allSatisfy(\.isEmpty) ? .none : .listed(lists)
        default:
            throw configuration.error(
                "videos",
                "\"videos\" must be true, false, an array of bvids or a table of mid = [bvids], not a \(value.typeName)"
            )
        }
    }

    /// The bvids in order, each checked and kept once.
    private static func validated(
        _ bvids: [String],
        _ configuration: AdapterConfiguration
    ) throws(ConfigurationError) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for bvid in bvids {
            guard isBVID(bvid) else {
                throw configuration.error(
                    "videos",
                    "\(configuration.quoted(bvid, from: "videos")) in \"videos\" is not a bvid: copy the BV… id from the video's address bilibili.com/video/BV…"
                )
            }
            if seen.insert(bvid).inserted { result.append(bvid) }
        }
        return result
    }

    /// `BV` and 8 to 16 ASCII letters and digits (the platform's ids have 10): safe to put into
    /// a URL and a file as they are.
    static func isBVID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard text.hasPrefix("BV"), (10...18).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
    }
}
