import Adapters
import Collector
import CollectorTesting
import Foundation
import Testing

/// The `bilibili` adapter's per-video counts (`videos`) and its error table, row by row,
/// against the platform simulator.
@Suite(.serialized) struct BilibiliAdapterTests {
    static let account = "208259"
    static let bvid = "BV1Ab4y1c7Qa"

    static func configuration(_ extra: [String: ConfigValue], accounts: [String] = [account]) -> AdapterConfiguration {
        var values: [String: ConfigValue] = [
            "accounts": .array(accounts.map(ConfigValue.string)),
            "base_url": .string("http://127.0.0.1:1/bilibili"),
        ]
        values.merge(extra) { $1 }
        return AdapterConfiguration(type: "bilibili", values: values)
    }

    // MARK: - Configuration

    @Test func refusesVideosTrueBecauseListingUploadsNeedsAWBISignature() {
        #expect {
            _ = try BilibiliAdapter(configuration: Self.configuration(["videos": .bool(true)]))
        } throws: { error in
            "\(error)".contains("WBI signature") && "\(error)".contains("bilibili_open")
        }
    }

    @Test(arguments: ["av170001", "BV1Ab4y1c7Q/", "BV", "https://www.bilibili.com/video/BV1Ab4y1c7Qa"])
    func refusesSomethingThatIsNotABvid(_ text: String) {
        #expect {
            _ = try BilibiliAdapter(configuration: Self.configuration(["videos": .array([.string(text)])]))
        } throws: { error in
            "\(error)".contains("is not a bvid")
        }
    }

    @Test func refusesAListOfVideosForSeveralAccounts() {
        #expect {
            _ = try BilibiliAdapter(
                configuration: Self.configuration(
                    ["videos": .array([.string(Self.bvid)])],
                    accounts: [Self.account, "546195"]
                )
            )
        } throws: { error in
            "\(error)".contains("needs exactly one account")
        }
    }

    @Test func refusesAVideoTableNamingAnotherAccount() {
        #expect {
            _ = try BilibiliAdapter(
                configuration: Self.configuration(["videos": .table(["546195": .array([.string(Self.bvid)])])])
            )
        } throws: { error in
            "\(error)".contains("\"546195\", which is not among this section's accounts")
        }
    }

    /// A single bvid where the table wants a list is refused, as a string is wherever a list
    /// belongs, with the line to write.
    @Test func refusesAStringWhereAVideoTableWantsAList() {
        #expect {
            _ = try BilibiliAdapter(
                configuration: Self.configuration(["videos": .table([Self.account: .string(Self.bvid)])])
            )
        } throws: { error in
            "\(error)".contains(
                "\"videos\".\"\(Self.account)\" must be an array of bvids, not a string; write \"\(Self.account)\" = [\"\(Self.bvid)\"]"
            )
        }
    }

    @Test func acceptsVideosFalseAndDeclaresTheVideoMetrics() throws {
        let adapter = try BilibiliAdapter(configuration: Self.configuration(["videos": .bool(false)]))
        #expect(adapter.accounts == [Self.account])
        let content = BilibiliAdapter.metrics.filter { $0.level == .content }.map(\.name.rawValue)
        #expect(content == ["views", "danmaku", "comments", "favorites", "coins", "shares", "likes"])
    }

    // MARK: - Collection

    @Test func writesTheVideoCatalogueRowAndOneRowPerCounter() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            try Fixtures.bytes(Fixtures.adaptersTests + "/bilibili/x_web-interface_view_ok.json"),
            to: "view.json"
        )
        // The shared fixture's owner is another mid: point it at this account.
        let view = String(decoding: try root.read("view.json"), as: UTF8.self)
            .replacingOccurrences(of: "3493000000000001", with: Self.account)
        try root.write(view, to: "bilibili/x/web-interface/view.json")

        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"), "card": .bool(false),
                    "videos": .array([.string("BV1xx411c7FAKE")]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil)
        #expect(run.failures.isEmpty)
        #expect(
            run.objects == [
                ContentObject(
                    platform: .bilibili,
                    object: "BV1xx411c7FAKE",
                    account: Self.account,
                    publishedAt: Timestamp(secondsSinceEpoch: 1_751_274_000),
                    title: "2025届毕业典礼全程回放",
                    url: "https://www.bilibili.com/video/BV1xx411c7FAKE"
                )
            ]
        )
        #expect(
            run.rows == [
                ",followers,86231,exact,web", ",following,45,exact,web",
                "BV1xx411c7FAKE,views,153320,exact,web", "BV1xx411c7FAKE,danmaku,2210,exact,web",
                "BV1xx411c7FAKE,comments,815,exact,web", "BV1xx411c7FAKE,favorites,4102,exact,web",
                "BV1xx411c7FAKE,coins,3377,exact,web", "BV1xx411c7FAKE,shares,962,exact,web",
                "BV1xx411c7FAKE,likes,12093,exact,web",
            ]
        )
    }

    /// The web API answers -1 for a count the account does not show: no row (a count is never
    /// negative, and the batch would refuse it as a failure) and a notice, which leaves the
    /// exit code alone; the account's other counts are written.
    @Test func skipsANegativeCountWithANoticeAsNotPublished() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":-1}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"archive_count":612,"like_num":-1}}"#,
            to: "bilibili/x/web-interface/card.json"
        )
        let run = try await AdapterRun.collect(
            configuration: { url in Self.configuration(["base_url": .string(url + "/bilibili")]) },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil)
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.rows == [",following,45,exact,web", ",posts,612,exact,web"])
        #expect(run.notices.map(\.label) == ["notPublished", "notPublished"])
        #expect(
            run.notices.first?.message
                == "bilibili /x/relation/stat: data.follower = -1: the platform gives a negative number for a count"
                + " the account does not show; no followers row was written (nothing to fix unless the count is"
                + " public on space.bilibili.com/208259)"
        )
        #expect(run.notices.last?.message.hasPrefix("bilibili /x/web-interface/card: data.like_num = -1: ") == true)
    }

    /// `null` is a placeholder like `"--"` (docs/adapters/bilibili.md), for the account counts
    /// as for the video counters: no row, never 0, and the account's other counts are written.
    @Test func aNullCountWritesNoRowAndKeepsTheOtherCounts() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":null}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"archive_count":null,"like_num":"--"}}"#,
            to: "bilibili/x/web-interface/card.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"owner":{"mid":208259},"stat":{"view":null,"danmaku":"--","reply":1,"favorite":2,"coin":3,"share":4,"like":5}}}"#,
            to: "bilibili/x/web-interface/view.json"
        )
        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration(["base_url": .string(url + "/bilibili"), "videos": .array([.string(Self.bvid)])])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.notices.isEmpty, "\(run.notices)")
        #expect(
            run.rows.filter { !$0.hasPrefix(Self.bvid) } == [",following,45,exact,web"],
            "\(run.rows)"
        )
        #expect(run.rows.filter { $0.hasPrefix(Self.bvid) }.count == 5, "\(run.rows)")
    }

    /// The card's `like_num` may be a display count (`"31.1万"`): an approximate row, as `"1.2万"`
    /// is on /view, and the listed videos are still read.
    @Test func readsTheCardsDisplayCountsAsApproximate() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"card":{"mid":"208259"},"archive_count":"612","like_num":"31.1万"}}"#,
            to: "bilibili/x/web-interface/card.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"owner":{"mid":208259},"stat":{"view":"1.2万","like":3}}}"#,
            to: "bilibili/x/web-interface/view.json"
        )
        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration(["base_url": .string(url + "/bilibili"), "videos": .array([.string(Self.bvid)])])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(
            run.rows.prefix(4) == [
                ",followers,86231,exact,web", ",following,45,exact,web", ",posts,612,exact,web",
                ",bilibili_likes_received,311000,approx,web",
            ]
        )
        #expect(run.rows.contains("\(Self.bvid),views,12000,approx,web"))
    }

    /// A card the adapter cannot read ends the account; its failure line says the listed
    /// videos were not collected, so they do not vanish unexplained.
    @Test func aFailedCardSaysTheListedVideosWereNotCollected() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"archive_count":612,"like_num":true}}"#,
            to: "bilibili/x/web-interface/card.json"
        )
        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"),
                    "videos": .array([.string(Self.bvid), .string("BV1Cd4y1e7Rb")]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "schemaChanged")
        #expect(
            error.message.hasPrefix(#"bilibili /x/web-interface/card: field "data.like_num": "#),
            "\(error.message)"
        )
        #expect(error.message.hasSuffix("; its 2 listed videos were not collected in this run"), "\(error.message)")
        #expect(!run.requests.contains { $0.path.hasSuffix("/x/web-interface/view") })
    }

    /// Risk control on a listed video ends the account: the failure line names the listed
    /// videos after it, which were not requested either.
    @Test func riskControlOnAVideoSaysTheRemainingVideosWereNotCollected() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"archive_count":612,"like_num":3}}"#,
            to: "bilibili/x/web-interface/card.json"
        )
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"owner":{"mid":208259},"stat":{"view":1}}}"#,
            to: "bilibili/x/web-interface/view.json"
        )
        try root.write(
            #"{"code":-352,"message":"风控校验失败","ttl":1}"#,
            to: "bilibili/x/web-interface/view@bvid=BV1Cd4y1e7Rb.json"
        )
        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"),
                    "videos": .array([.string(Self.bvid), .string("BV1Cd4y1e7Rb"), .string("BV1Ef4y1g7Sc")]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == "antiBot")
        #expect(
            error.message.hasSuffix("; its remaining listed video BV1Ef4y1g7Sc was not collected in this run"),
            "\(error.message)"
        )
        #expect(run.rows.contains("\(Self.bvid),views,1,exact,web"))
    }

    /// The 620xx codes concern a video, never the account id; −404 names what was asked for.
    @Test(
        arguments: [
            (
                62012, "visible to its owner only (m); its counts come back when the owner makes it public",
                #"remove BV1Ab4y1c7Qa from "videos" if it stays so"#
            ),
            (62002, "not visible (deleted or hidden)", #"remove BV1Ab4y1c7Qa from "videos""#),
            (62004, "under review", "read again next run"),
            (-404, "video BV1Ab4y1c7Qa not found", #"check the bvid in "videos""#),
        ] as [(Int64, String, String)]
    )
    func aVideosNotFoundCodeGivesVideoAdvice(_ code: Int64, _ meaning: String, _ advice: String) async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(#"{"code":\#(code),"message":"m","ttl":1}"#, to: "bilibili/x/web-interface/view.json")
        let run = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"), "card": .bool(false),
                    "videos": .array([.string(Self.bvid)]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(run.error == nil)
        let failure = try #require(run.failures.first)
        #expect(failure.object == Self.bvid)
        #expect(failure.message.contains(meaning), "\(failure.message)")
        #expect(failure.message.contains(advice), "\(failure.message)")
        #expect(!failure.message.contains("account id"), "\(failure.message)")
    }

    @Test func anAccountNotFoundSaysCheckTheAccountID() async throws {
        let root = try TemporaryDirectory()
        try root.write(#"{"code":-404,"message":"啥都木有","ttl":1}"#, to: "bilibili/x/relation/stat.json")
        let run = try await AdapterRun.collect(
            configuration: { url in Self.configuration(["base_url": .string(url + "/bilibili")]) },
            account: Self.account,
            fixtureRoot: root.path
        )
        let error = try #require(run.error as? AdapterError)
        #expect(
            error.message
                == "bilibili /x/relation/stat: not found (啥都木有); check the account id (the mid in space.bilibili.com/<mid>)"
        )
    }

    /// −101 ("not logged in") to an adapter that sends no cookie: nothing to authorise, so no
    /// `reauthorizationRequired` (which says to run `collector auth`); the video is skipped, or
    /// the account, with what to do instead.
    @Test func aLoginOnlyVideoOrAccountSaysWhatToDoInstead() async throws {
        let root = try TemporaryDirectory()
        try root.write(
            #"{"code":0,"message":"0","ttl":1,"data":{"mid":208259,"following":45,"follower":86231}}"#,
            to: "bilibili/x/relation/stat.json"
        )
        try root.write(#"{"code":-101,"message":"账号未登录","ttl":1}"#, to: "bilibili/x/web-interface/view.json")
        try root.write(
            #"{"code":-101,"message":"账号未登录","ttl":1}"#,
            to: "bilibili/x/relation/stat@vmid=546195.json"
        )
        let video = try await AdapterRun.collect(
            configuration: { url in
                Self.configuration([
                    "base_url": .string(url + "/bilibili"), "card": .bool(false),
                    "videos": .array([.string(Self.bvid)]),
                ])
            },
            account: Self.account,
            fixtureRoot: root.path
        )
        #expect(video.error == nil)
        let failure = try #require(video.failures.first)
        #expect(failure.object == Self.bvid)
        #expect(failure.label == "badRequest")
        #expect(failure.platformCode == "-101")
        #expect(
            failure.message
                == "bilibili /x/web-interface/view: video \(Self.bvid) is shown to logged-in users only (账号未登录), and this adapter reads anonymously (no cookie, nothing to authorise); remove \(Self.bvid) from \"videos\" or read the account's videos with bilibili_open, which reads with the owner's authorisation"
        )
        let account = try await AdapterRun.collect(
            configuration: { url in Self.configuration(["base_url": .string(url + "/bilibili")], accounts: ["546195"])
            },
            account: "546195",
            fixtureRoot: root.path
        )
        let error = try #require(account.error as? AdapterError)
        #expect(error.label == "badRequest")
        #expect(
            error.message
                == "bilibili /x/relation/stat: the account's counts are shown to logged-in users only (账号未登录), and this adapter reads anonymously (no cookie, nothing to authorise); remove the account from \"accounts\" or read it with bilibili_open, which reads with the owner's authorisation"
        )
    }

    // MARK: - Error table (PLATFORMS.md §5.3), row by row

    struct Row: Sendable, CustomTestStringConvertible {
        var code: Int64
        var label: String
        var action: AdapterError.Action
        var testDescription: String { "\(code) → \(label)" }
    }

    static let rows: [Row] = [
        Row(code: -412, label: "antiBot", action: .stopInstance),
        Row(code: -352, label: "antiBot", action: .stopInstance),
        Row(code: -799, label: "antiBot", action: .stopInstance),
        Row(code: -509, label: "rateLimited", action: .retry),
        Row(code: -101, label: "badRequest", action: .skipAccount),
        Row(code: -403, label: "permission", action: .skipAccount),
        Row(code: -404, label: "notFound", action: .skipAccount),
        Row(code: 62002, label: "notFound", action: .skipAccount),
        Row(code: 62004, label: "notFound", action: .skipAccount),
        Row(code: 62012, label: "notFound", action: .skipAccount),
        Row(code: -400, label: "badRequest", action: .skipAccount),
        Row(code: -500, label: "transient", action: .retry),
        Row(code: -503, label: "transient", action: .retry),
        Row(code: 12345, label: "badRequest", action: .skipAccount),
    ]

    @Test(arguments: rows)
    func mapsEachErrorCodeToOneAction(_ row: Row) async throws {
        let root = try TemporaryDirectory()
        try root.write(#"{"code":\#(row.code),"message":"m","ttl":1}"#, to: "bilibili/x/relation/stat.json")
        let run = try await AdapterRun.collect(
            configuration: { url in Self.configuration(["base_url": .string(url + "/bilibili")]) },
            account: Self.account,
            fixtureRoot: root.path
        )
        let error = try #require(run.error as? AdapterError)
        #expect(error.label == row.label)
        #expect(error.action == row.action)
        #expect(error.platformCode == String(row.code))
        #expect(error.message.hasPrefix("bilibili /x/relation/stat: "))
    }
}
