import Adapters
import Collector
import Testing

/// The sections that read web endpoints with a login cookie may slow down, never speed up:
/// `rate` at most the documented `20/m`, `cooldown` at least 1h (``CookieSessionLimits``).
struct CookieSessionLimitsTests {
    /// Each cookie adapter with a section that is valid apart from the keys under test.
    static let sections: [(String, [String: ConfigValue])] = [
        ("weibo_web", ["accounts": .array([.string("5999000001")]), "cookie": .string("SUB=a")]),
        ("toutiao", ["account": .string("1600000000000001"), "cookie": .string("sessionid=a")]),
    ]

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

    @Test(arguments: ["weibo_web", "toutiao"], ["1000/s", "1/s", "21/m", "1201/h", "28801/d"])
    func refusesARateFasterThanTheDefault(type: String, rate: String) throws {
        let found = try Self.problems(type, ["rate": .string(rate)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("\"rate\" = \"\(rate)\" is faster than 20/m (one request every 3 s)") == true)
        #expect(found.first?.contains("anti-abuse controls") == true)
    }

    @Test(arguments: ["weibo_web", "toutiao"], ["20/m", "1200/h", "28800/d", "10/m", "1/h"])
    func acceptsTheDefaultRateOrASlowerOne(type: String, rate: String) throws {
        #expect(try Self.problems(type, ["rate": .string(rate)]) == [])
    }

    @Test(arguments: ["weibo_web", "toutiao"], ["0s", "30m", "59m"])
    func refusesACooldownShorterThanAnHour(type: String, cooldown: String) throws {
        let found = try Self.problems(type, ["cooldown": .string(cooldown)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("\"cooldown\" = \"\(cooldown)\" is shorter than 1h") == true)
    }

    @Test(arguments: ["weibo_web", "toutiao"], ["1h", "6h", "1d"])
    func acceptsACooldownOfAnHourOrMore(type: String, cooldown: String) throws {
        #expect(try Self.problems(type, ["cooldown": .string(cooldown)]) == [])
    }

    /// The platform simulator on a loopback `base_url` is no platform: the golden cases run it
    /// at `1000/s`. A remote root keeps the floor.
    @Test(arguments: ["weibo_web", "toutiao"])
    func aLoopbackSimulatorHasNoFloor(type: String) throws {
        let fast: [String: ConfigValue] = ["rate": .string("1000/s"), "cooldown": .string("0s")]
        for root in ["http://127.0.0.1:8080/sim", "http://[::1]:8080", "http://localhost:1"] {
            #expect(try Self.problems(type, fast.merging(["base_url": .string(root)]) { $1 }) == [], "\(root)")
        }
        let remote = try Self.problems(
            type,
            fast.merging(["base_url": .string("https://127.0.0.1.example.com")]) { $1 }
        )
        #expect(remote.count == 2)
    }

    /// The ceiling is the default the adapters' docs and samples state.
    @Test(arguments: ["weibo_web", "toutiao"])
    func theCeilingIsTheDefaultRate(type: String) throws {
        let adapter = try #require(AdapterRegistry.type(named: type))
        let base = try #require(Self.sections.first { $0.0 == type }?.1)
        let instance = try adapter.init(configuration: AdapterConfiguration(type: type, values: base))
        #expect(instance.schedule.rate == CookieSessionLimits.rateCeiling)
        #expect(CookieSessionLimits.rateCeiling.description == "20/m")
        #expect(instance.schedule.cooldown >= CookieSessionLimits.minimumCooldown)
    }
}
