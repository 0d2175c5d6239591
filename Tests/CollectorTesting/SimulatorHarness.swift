// The simulator's types are part of this module's API (tests script it and read its requests),
// and the test targets reach it through this module.
@_exported public import PlatformSimulator

/// Runs `body` with a ``PlatformSimulator`` on an ephemeral 127.0.0.1 port, and stops it
/// afterwards, also when `body` throws.
///
/// - Parameters:
///   - fixtureRoot: The fixture tree to serve; ``Fixtures/simulator`` by default.
///   - body: The test, given the running simulator.
/// - Returns: What `body` returns.
/// - Throws: ``SimulatorError`` when the simulator cannot start, or what `body` throws.
public func withPlatformSimulator<Result>(
    fixtureRoot: String = Fixtures.simulator,
    _ body: (PlatformSimulator) async throws -> Result
) async throws -> Result {
    let simulator = try PlatformSimulator(fixtureRoot: fixtureRoot)
    defer { simulator.stop() }
    return try await body(simulator)
}

extension PlatformSimulator {
    /// `baseURL` + `pathAndQuery`: `simulator.url("/bilibili/x/relation/stat?vmid=1")`.
    public func url(_ pathAndQuery: String) -> String {
        "\(baseURL)\(pathAndQuery)"
    }

    /// Waits (yielding, checking every few milliseconds) until the simulator has received at
    /// least `count` requests; false if that has not happened within `limit`.
    ///
    /// For tests that must act while a request is in flight (cancellation), not for timing.
    public func waitForRequests(_ count: Int, limit: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while requestCount < count {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
