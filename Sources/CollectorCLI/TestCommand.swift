import Adapters
import ArgumentParser
import Collector

/// `collector test`: collects once and prints the samples as SPEC §3 CSV; writes no file and
/// changes no state, except the count of requests of a section with a daily cap
/// (``DailyRequestCap``).
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract:
            "Collect once and print the samples to stdout as CSV; write no file and change no state but the request count of a section with a daily cap."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Only this instance (its name or adapter type); repeat for several.")
    var only: [String] = []

    @Flag(
        name: .long,
        help:
            "Ask a service even while its circuit breaker is open (state_dir/circuit-<service>, after risk control); it may extend the ban."
    )
    var ignoreCircuitBreaker = false

    func run() async throws {
        let setup = try Setup.load(options)
        let instances = try setup.selected(only: only)
        let settings = setup.settings
        let logger = Setup.makeLogger(calendar: settings.calendar)
        let sink = CSVStreamSink(fileDescriptor: 1, calendar: settings.calendar)
        let state = try StateStore(directory: settings.stateDirectory, readOnly: true)
        // The requests a test sends reach the platform as a run's do: a section with a daily
        // cap counts them in state_dir (its only write), so a test cannot pass the cap either.
        let capped = instances.contains { ($0 as? any DailyCappedSection)?.dailyRequestCap != nil }
        let requestCounts = capped ? try StateStore(directory: settings.stateDirectory) : nil
        let http = CurlHTTPClient(configuration: HTTPClientConfiguration(maxInFlight: settings.concurrency))
        defer { http.shutdown() }
        let runner = CollectionRunner(
            instances: instances,
            sink: sink,
            logger: logger,
            // As `run` does: a service whose risk control tripped the breaker is left alone for
            // the cool-down, and the summary says until when. Risk control met by a test stops
            // the service for this test only: the state folder is read-only here.
            breaker: ignoreCircuitBreaker ? nil : CircuitBreaker(state: state),
            makeContext: { adapter in
                Contexts.make(
                    for: adapter,
                    http: http,
                    state: state,
                    settings: settings,
                    logger: logger,
                    dryRun: true,
                    requestCounts: requestCounts
                )
            }
        )
        let summary = try await runner.runOnce()
        Terminal.writeError(summary.dryRunText)
        if summary.exitCode != 0 { throw ExitStatus(code: summary.exitCode) }
    }
}
