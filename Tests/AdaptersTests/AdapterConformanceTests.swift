import Adapters
import Collector
import Testing

/// Every registered adapter, checked the same way (telegraf's TestValidDefaultConfig,
/// swift-collections' checkBidirectionalCollection): a new adapter is covered by adding its
/// registry line.
@Suite struct AdapterConformanceTests {
    static let types: [AdapterType] = AdapterRegistry.all.map(AdapterType.init)

    /// The instance the type's sample configuration describes.
    static func sampleInstance(_ adapter: AdapterType) throws -> any Adapter {
        try AdapterRegistry.instantiate(try sampleSection(adapter))
    }

    /// The section of the type's sample configuration.
    static func sampleSection(_ adapter: AdapterType) throws -> AdapterConfiguration {
        let file = try ConfigurationFile.parse(
            text: adapter.type.sampleConfiguration,
            path: "sample.conf",
            environment: ["SIMULATOR_URL": "http://127.0.0.1:1"],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let section = try #require(file.sections.first)
        #expect(file.sections.count == 1)
        #expect(section.type == adapter.type.type)
        return section
    }

    @Test(arguments: types)
    func sampleConfigurationParsesAndConfigures(_ adapter: AdapterType) throws {
        let instance = try Self.sampleInstance(adapter)
        #expect(!instance.accounts.isEmpty)
        #expect(instance.schedule.interval > .zero)
    }

    /// The adapters with an API root: every one sends a secret, a token or a cookie there.
    static let httpTypes = types.filter { $0.type.configurationKeys.contains { $0.name == "base_url" } }

    @Test(
        arguments: httpTypes,
        [
            "http://api.weixin.qq.com", "http://api.bilibili.com:80/x", "http://127.0.0.1@api.weixin.qq.com",
            "http://127.0.0.2:8080", "http://localhost.example.com",
        ]
    )
    func refusesAPlainHTTPBaseURLOffLoopback(_ adapter: AdapterType, _ url: String) throws {
        var section = try Self.sampleSection(adapter)
        section.values["base_url"] = .string(url)
        #expect {
            _ = try AdapterRegistry.instantiate(section)
        } throws: { error in
            "\(error)".contains(
                #""base_url" must use https://: plain http:// would send the credentials unencrypted"#
                    + " (http:// is accepted only for a local simulator on 127.0.0.1, ::1 or localhost)"
            )
        }
    }

    @Test(
        arguments: httpTypes,
        [
            "http://127.0.0.1:18080/wechat", "http://localhost:1", "http://[::1]:1/x", "https://api.example.com",
        ]
    )
    func acceptsHTTPSOrAPlainHTTPLoopbackBaseURL(_ adapter: AdapterType, _ url: String) throws {
        var section = try Self.sampleSection(adapter)
        section.values["base_url"] = .string(url)
        _ = try AdapterRegistry.instantiate(section)
    }

    @Test(arguments: types)
    func typeIsSnakeCaseAndUnique(_ adapter: AdapterType) {
        let name = adapter.type.type
        #expect(Platform.isValidName(name))
        #expect(AdapterRegistry.all.filter { $0.type == name }.count == 1)
    }

    /// The rule: a declared metric is a SPEC §4 name or an extension `<platform>_<name>` of the
    /// adapter's own platform, never another platform's. An adapter type names no platform, so
    /// its own is the one its sample configuration's instance reports; `import` declares every
    /// importer's metrics, so its own platforms are the importers' (checked one by one below).
    @Test(arguments: types)
    func declaredMetricsAreSpecNamesOrPlatformExtensions(_ adapter: AdapterType) throws {
        var own = [try Self.sampleInstance(adapter).platform]
        if adapter.type is ImportAdapter.Type { own += ImportAdapter.importers.map { $0.platform } }
        for metric in adapter.type.metrics {
            let valid = own.contains { MetricName.isValid(metric.name.rawValue, for: $0) }
            #expect(
                valid,
                """
                \(metric.name) breaks the rule "a declared metric is a SPEC §4 name or <own platform>_<name>": \
                the adapter's platform is \(own.map(\.rawValue).joined(separator: " or ")); a new platform-specific \
                name also needs a row in docs/SPEC.md §4
                """
            )
        }
    }

    @Test(arguments: ImportAdapter.importers.map { ImporterType(type: $0) })
    func importerMetricsAreSpecNamesOrItsPlatformsExtensions(_ importer: ImporterType) {
        for kind in importer.type.kinds {
            for metric in kind.metrics {
                #expect(
                    MetricName.isValid(metric.name.rawValue, for: importer.type.platform),
                    """
                    \(importer.type.platform) kind \(kind.name): \(metric.name) breaks the rule "a declared metric is \
                    a SPEC §4 name or \(importer.type.platform)_<name>"
                    """
                )
            }
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
        // A key said to do nothing is a common one, with the reason `check` gives.
        let common = Set(ConfigurationKey.common.map(\.name))
        for (key, reason) in adapter.type.inertCommonKeys {
            #expect(common.contains(key), "\(key) is not a common key")
            #expect(!reason.isEmpty, "\(key) has no reason")
        }
    }
}

/// The official-API adapters declare their app credential, so that sections sharing it share
/// one budget (`credential_rate`).
@Suite struct SharedCredentialTests {
    /// Weibo's sample leaves the app out (a token may be given instead); all three keys go together.
    static let weiboApp = """
        app_key = "1234567890"
        app_secret = "${WEIBO_APP_SECRET:-x}"
        redirect_uri = "https://example.org/cb"
        """

    /// The registered types that share an app credential, found in the registry: a new one is
    /// covered by its registry line, as the conformance suite's other checks are.
    static let sharedCredentialTypes = AdapterRegistry.all.filter { $0 is any SharedCredentialAdapter.Type }
        .map(AdapterType.init)

    /// Lines a type's sample section needs for its credential to be set.
    static let credentialLines = ["weibo": weiboApp]

    @Test(arguments: sharedCredentialTypes)
    func declaresItsAppCredentialAndReadsCredentialRate(_ adapterType: AdapterType) throws {
        let type = adapterType.type
        let extra = Self.credentialLines[type.type] ?? ""
        let file = try ConfigurationFile.parse(
            text: type.sampleConfiguration + "\n" + extra + "\ncredential_rate = \"5/s\"\n",
            path: "sample.conf",
            environment: ["SIMULATOR_URL": "http://127.0.0.1:1"],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let section = try #require(file.sections.first)
        let adapter = try #require(try AdapterRegistry.instantiate(section) as? any SharedCredentialAdapter)
        // The credential is a configured value (an app id, a client key), never a secret.
        let credential = ConfigValue.string(try #require(adapter.credentialID))
        let key = try #require(
            section.values.first { $0.value == credential }?.key,
            "credentialID is no configured value"
        )
        #expect(type.configurationKeys.first { $0.name == key }?.isSecret == false)
        #expect(adapter.credentialRate == Rate(count: 5, per: .seconds(1)))

        let budgets = RequestBudgets()
        let first = budgets.budgets(for: adapter)
        let second = budgets.budgets(for: adapter)
        #expect(first.count == 2)
        #expect(first[1] === second[1], "sections with one credential share its budget")
        #expect(first[1].rate == Rate(count: 5, per: .seconds(1)))
    }

    /// `credential_rate` is offered exactly by the types that share a credential.
    @Test(arguments: AdapterConformanceTests.types)
    func declaresCredentialRateWhenItSharesACredential(_ adapter: AdapterType) {
        let declares = adapter.type.configurationKeys.contains(ConfigurationKey.credentialRate)
        #expect(declares == (adapter.type is any SharedCredentialAdapter.Type))
    }

    @Test func weiboRefusesACredentialRateWithoutItsAppKey() throws {
        let adapterType = try #require(AdapterRegistry.all.first { $0.type == "weibo" })
        let file = try ConfigurationFile.parse(
            text: adapterType.sampleConfiguration + "\ncredential_rate = \"5/s\"\n",
            path: "sample.conf",
            environment: [:],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try AdapterRegistry.instantiate(try #require(file.sections.first))
        }
        #expect(error?.description.contains("set app_key") == true)
    }

    @Test func adaptersWithoutACredentialSpendOnlyTheirInstanceBudget() throws {
        let adapterType = try #require(AdapterRegistry.all.first { $0.type == "bilibili" })
        let file = try ConfigurationFile.parse(
            text: adapterType.sampleConfiguration,
            path: "sample.conf",
            environment: ["SIMULATOR_URL": "http://127.0.0.1:1"],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let adapter = try AdapterRegistry.instantiate(try #require(file.sections.first))
        #expect(RequestBudgets().budgets(for: adapter).count == 1)
    }
}

/// An adapter type as a test argument, named after its section.
struct AdapterType: CustomTestStringConvertible, Sendable {
    let type: any Adapter.Type
    var testDescription: String { type.type }
}

/// An importer type as a test argument, named after its platform.
struct ImporterType: CustomTestStringConvertible, Sendable {
    let type: any ExportImporter.Type
    var testDescription: String { type.platform.rawValue }
}
