import Dispatch
import Synchronization

/// The signal sources live as long as the process. Only `StopFlag.installed()` touches this,
/// once, from the command's start, before any other task runs.
nonisolated(unsafe) private var retainedSignalSources: [any DispatchSourceSignal] = []

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Set by SIGINT or SIGTERM: the run finishes the accounts in flight, flushes and exits 0.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Whether a stop was requested.
    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Requests a stop.
    func set() { flag.store(true, ordering: .releasing) }

    /// A flag that SIGINT and SIGTERM set.
    static func installed() -> StopFlag {
        let stop = StopFlag()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            retainedSignalSources.append(source)
        }
        return stop
    }

    /// Sleeps for `duration`, returning early once a stop is requested.
    func sleep(_ duration: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !isSet && clock.now < deadline {
            try? await Task.sleep(for: min(.seconds(1), deadline - clock.now))
        }
    }
}
