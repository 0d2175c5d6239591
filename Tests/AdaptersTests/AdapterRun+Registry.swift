import Adapters
import Collector
import CollectorTesting

extension AdapterRun {
    /// ``AdapterRun/collect(adapter:account:fixtureRoot:state:dryRun:script:observe:)`` with the
    /// adapter the registry makes from `configuration(baseURL)`, as `collector` itself would.
    static func collect(
        configuration: (_ baseURL: String) -> AdapterConfiguration,
        account: String,
        fixtureRoot: String,
        state: StateStore? = nil,
        dryRun: Bool = false,
        script: (PlatformSimulator) -> Void = { _ in },
        observe: @escaping @Sendable (HTTPRequest) -> Void = { _ in }
    ) async throws -> AdapterRun {
        try await collect(
            adapter: { try AdapterRegistry.instantiate(configuration($0)) },
            account: account,
            fixtureRoot: fixtureRoot,
            state: state,
            dryRun: dryRun,
            script: script,
            observe: observe
        )
    }
}
