public import Collector

/// Every adapter type the collector knows, by its `[[adapters.<type>]]` name: the Swift
/// counterpart of telegraf's `plugins/inputs/all`. Adding a platform is a folder under
/// `Sources/Adapters/`, its fixtures and golden cases, and one line in ``all``; the conformance
/// suite then covers it.
public enum AdapterRegistry {
    /// The adapter types, one line each.
    public static let all: [any Adapter.Type] = [
        // Official APIs.
        WeChatAdapter.self,
        WeiboAdapter.self,
        DouyinAdapter.self,
        KuaishouAdapter.self,
        BilibiliOpenAdapter.self,
        // Unofficial web endpoints: opt-in, rate-limited, fail closed.
        BilibiliAdapter.self,
        WeiboWebAdapter.self,
        ToutiaoAdapter.self,
        // Any platform: external programs and export files.
        ExecAdapter.self,
        ImportAdapter.self,
    ]

    /// The type registered as `name`.
    public static func type(named name: String) -> (any Adapter.Type)? {
        all.first { $0.type == name }
    }

    /// Each type's keys, for the configuration loader (common keys are added by the loader).
    public static var configurationKeys: [String: [ConfigurationKey]] {
        Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0.configurationKeys) })
    }

    /// Creates the instance a section describes.
    /// - Throws: ``ConfigurationErrors`` when the type is unknown or the section is invalid: every
    ///   problem of the section.
    public static func instantiate(_ configuration: AdapterConfiguration) throws(ConfigurationErrors) -> any Adapter {
        guard let type = type(named: configuration.type) else {
            throw ConfigurationErrors([configuration.error(nil, "unknown adapter type \"\(configuration.type)\"")])
        }
        return try type.init(configuration: configuration)
    }
}
