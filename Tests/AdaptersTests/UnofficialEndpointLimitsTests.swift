import Adapters
import Collector
import Testing

/// The sections that read unofficial web endpoints (`source = web`), with a login cookie or
/// without, may slow down, never speed up: `rate` at most the documented `20/m`, `cooldown` at
/// least 1h, one account at a time (``UnofficialEndpointLimits``).
struct UnofficialEndpointLimitsTests {
    /// Each `source = web` adapter with a section that is valid apart from the keys under test.
    static let sections: [(String, [String: ConfigValue])] = [
        ("weibo_web", ["accounts": .array([.string("5999000001")]), "cookie": .string("SUB=a")]),
        ("toutiao", ["account": .string("1600000000000001"), "cookie": .string("sessionid=a")]),
        ("bilibili", ["accounts": .array([.string("208259"), .string("546195")])]),
    ]

    /// Every adapter whose samples are `source = web`.
    static let types = ["weibo_web", "toutiao", "bilibili"]

    private static func problems(_ type: String, _ extra: [String: ConfigValue]) throws -> [String] {
        let base = try #require(sections.first { $0.0 == type }?.1)
        let adapter = try #require(AdapterRegistry.type(named: type))
        let configuration = AdapterConfiguration(type: type, values: base.merging(extra) { $1 })
        do {
            _ = try adapter.init(configuration: configuration)
            return []
        } catch {
            return error.errors.map(\.message)
        }
    }

    @Test(arguments: types, ["1000/s", "1/s", "21/m", "1201/h", "28801/d"])
    func refusesARateFasterThanTheDefault(type: String, rate: String) throws {
        let found = try Self.problems(type, ["rate": .string(rate)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("\"rate\" = \"\(rate)\" is faster than 20/m (one request every 3 s)") == true)
        #expect(found.first?.contains("anti-abuse controls") == true)
        #expect(found.first?.contains(type == "bilibili" ? "read without a login" : "with a login cookie") == true)
    }

    @Test(arguments: types, ["20/m", "1200/h", "28800/d", "10/m", "1/h"])
    func acceptsTheDefaultRateOrASlowerOne(type: String, rate: String) throws {
        #expect(try Self.problems(type, ["rate": .string(rate)]) == [])
    }

    @Test(arguments: types, ["0s", "30m", "59m"])
    func refusesACooldownShorterThanAnHour(type: String, cooldown: String) throws {
        let found = try Self.problems(type, ["cooldown": .string(cooldown)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("\"cooldown\" = \"\(cooldown)\" is shorter than 1h") == true)
    }

    @Test(arguments: types, ["1h", "6h", "1d"])
    func acceptsACooldownOfAnHourOrMore(type: String, cooldown: String) throws {
        #expect(try Self.problems(type, ["cooldown": .string(cooldown)]) == [])
    }

    /// The platform simulator on a loopback `base_url` is no platform: the golden cases run it
    /// at `1000/s`. A remote root keeps the floor.
    @Test(arguments: types)
    func aLoopbackSimulatorHasNoFloor(type: String) throws {
        var fast: [String: ConfigValue] = ["rate": .string("1000/s"), "cooldown": .string("0s")]
        if type == "bilibili" { fast["parallel_accounts"] = .integer(64) }
        for root in ["http://127.0.0.1:8080/sim", "http://[::1]:8080", "http://localhost:1"] {
            #expect(try Self.problems(type, fast.merging(["base_url": .string(root)]) { $1 }) == [], "\(root)")
        }
        let remote = try Self.problems(
            type,
            fast.merging(["base_url": .string("https://127.0.0.1.example.com")]) { $1 }
        )
        #expect(remote.count == (type == "bilibili" ? 3 : 2))
    }

    /// The ceiling is the default the adapters' docs and samples state.
    @Test(arguments: types)
    func theCeilingIsTheDefaultRate(type: String) throws {
        let adapter = try #require(AdapterRegistry.type(named: type))
        let base = try #require(Self.sections.first { $0.0 == type }?.1)
        let instance = try adapter.init(configuration: AdapterConfiguration(type: type, values: base))
        #expect(instance.schedule.rate == UnofficialEndpointLimits.rateCeiling)
        #expect(UnofficialEndpointLimits.rateCeiling.description == "20/m")
        #expect(instance.schedule.cooldown >= UnofficialEndpointLimits.minimumCooldown)
    }

    /// More than one account at a time: refused for an unofficial endpoint (toutiao has one
    /// account per section, so it is refused there too rather than ignored).
    @Test(arguments: types, [2, 16])
    func refusesMoreThanOneAccountAtATime(type: String, parallel: Int) throws {
        let found = try Self.problems(type, ["parallel_accounts": .integer(parallel)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("\(type) collects one account at a time from ") == true, "\(found)")
    }

    /// The reviewer's bilibili section against the real api.bilibili.com: every one of its
    /// three settings is refused, each at its own key.
    @Test func theAnonymousBilibiliAdapterHasTheSameFloor() throws {
        let found = try Self.problems(
            "bilibili",
            ["rate": .string("100/s"), "parallel_accounts": .integer(16), "cooldown": .string("0s")]
        )
        #expect(
            found == [
                "\"rate\" = \"100/s\" is faster than 20/m (one request every 3 s), the most bilibili sends to"
                    + " api.bilibili.com, an unofficial endpoint read without a login: the platform's anti-abuse"
                    + " controls watch it and the collector does not work around them; remove \"rate\" or set a"
                    + " slower one in [[adapters.bilibili]]",
                "\"cooldown\" = \"0s\" is shorter than 1h: after api.bilibili.com answers with its anti-abuse"
                    + " controls, bilibili leaves it alone for an hour at least, and the collector does not work around"
                    + " them; remove \"cooldown\" (6h) or set 1h or more in [[adapters.bilibili]]",
                "bilibili collects one account at a time from api.bilibili.com (an unofficial endpoint); remove"
                    + " \"parallel_accounts\" in [[adapters.bilibili]]",
            ]
        )
    }

    /// The daily request cap of the section, built like ``problems(_:_:)``'s.
    private static func dailyCap(_ type: String, _ extra: [String: ConfigValue]) throws -> Int? {
        let base = try #require(sections.first { $0.0 == type }?.1)
        let adapter = try #require(AdapterRegistry.type(named: type))
        let instance = try adapter.init(
            configuration: AdapterConfiguration(type: type, values: base.merging(extra) { $1 })
        )
        return try #require(instance as? any DailyCappedSection).dailyRequestCap
    }

    /// Against the platform every `source = web` section has the documented daily cap, which
    /// `daily_requests` may lower.
    @Test(arguments: types)
    func theDailyCapIsTheDefaultAndMayBeLowered(type: String) throws {
        #expect(try Self.dailyCap(type, [:]) == 2000)
        #expect(UnofficialEndpointLimits.defaultDailyRequests == 2000)
        #expect(try Self.dailyCap(type, ["daily_requests": .integer(300)]) == 300)
        #expect(try Self.dailyCap(type, ["daily_requests": .integer(2000)]) == 2000)
    }

    @Test(arguments: types, [2001, 100_000])
    func refusesADailyCapAboveTheDefault(type: String, cap: Int) throws {
        let found = try Self.problems(type, ["daily_requests": .integer(cap)])
        #expect(found.count == 1)
        #expect(
            found.first?.hasPrefix(
                "\"daily_requests\" = \(cap) is more than 2000, the most requests \(type) sends to "
            ) == true,
            "\(found)"
        )
        #expect(found.first?.hasSuffix("remove \"daily_requests\" or set a lower one in [[adapters.\(type)]]") == true)
    }

    @Test(arguments: types, [0, -5])
    func refusesADailyCapBelowOne(type: String, cap: Int) throws {
        let found = try Self.problems(type, ["daily_requests": .integer(cap)])
        #expect(
            found == [
                "\"daily_requests\" = \(cap) must be 1 or more; remove it for the default of 2000 requests a day in [[adapters.\(type)]]"
            ]
        )
    }

    /// On the simulator (a loopback `base_url`) there is no cap unless `daily_requests` sets
    /// one, at any height: the benchmark sends no count, and the tests can reach a cap.
    @Test(arguments: types)
    func aLoopbackSimulatorHasACapOnlyWhenOneIsSet(type: String) throws {
        let loopback: [String: ConfigValue] = ["base_url": .string("http://127.0.0.1:8080/sim")]
        #expect(try Self.dailyCap(type, loopback) == nil)
        #expect(try Self.dailyCap(type, loopback.merging(["daily_requests": .integer(3)]) { $1 }) == 3)
        #expect(try Self.dailyCap(type, loopback.merging(["daily_requests": .integer(50_000)]) { $1 }) == 50_000)
    }
}
