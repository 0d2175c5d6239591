import Adapters
import Collector
import Testing

/// Every registered adapter, checked the same way (telegraf's TestValidDefaultConfig,
/// swift-collections' checkBidirectionalCollection): a new adapter is covered by adding its
/// registry line.
@Suite struct AdapterConformanceTests {
    static let types: [AdapterType] = AdapterRegistry.all.map(AdapterType.init)

    @Test(arguments: types)
    func sampleConfigurationParsesAndConfigures(_ adapter: AdapterType) throws {
        let file = try ConfigurationFile.parse(
            text: adapter.type.sampleConfiguration,
            path: "sample.conf",
            environment: ["SIMULATOR_URL": "http://127.0.0.1:1"],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let section = try #require(file.sections.first)
        #expect(file.sections.count == 1)
        #expect(section.type == adapter.type.type)
        let instance = try AdapterRegistry.instantiate(section)
        #expect(!instance.accounts.isEmpty)
        #expect(instance.schedule.interval > .zero)
    }

    @Test(arguments: types)
    func typeIsSnakeCaseAndUnique(_ adapter: AdapterType) {
        let name = adapter.type.type
        #expect(Platform.isValidName(name))
        #expect(AdapterRegistry.all.filter { $0.type == name }.count == 1)
    }

    @Test(arguments: types)
    func declaredMetricsAreSpecNamesOrPlatformExtensions(_ adapter: AdapterType) {
        for metric in adapter.type.metrics {
            let valid = Platform.builtIn.contains { MetricName.isValid(metric.name.rawValue, for: $0) }
            #expect(valid, "\(metric.name) is neither a SPEC §4 name nor <platform>_<name>")
        }
    }

    @Test(arguments: types)
    func keysAreDocumentedAndUnique(_ adapter: AdapterType) {
        let keys = adapter.type.configurationKeys + ConfigurationKey.common
        #expect(Set(keys.map(\.name)).count == keys.count, "a key is declared twice")
        for key in keys {
            #expect(!key.help.isEmpty, "\(key.name) has no help text")
        }
        #expect(!adapter.type.summary.isEmpty)
    }
}

/// An adapter type as a test argument, named after its section.
struct AdapterType: CustomTestStringConvertible, Sendable {
    let type: any Adapter.Type
    var testDescription: String { type.type }
}
