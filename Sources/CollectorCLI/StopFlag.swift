import Collector
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

/// Set by SIGINT or SIGTERM: the run starts no more accounts, ends retry waits, gives the
/// accounts in flight `stop_grace` to finish (then cancels them; at once on a second signal),
/// flushes, and exits (see ``CollectionRunner``). In service mode SIGHUP counts a reload request (the configuration is
/// read again).
final class StopFlag: Sendable {
    private let stops = Atomic<Int>(0)
    private let reloads = Atomic<Int>(0)

    /// Whether a stop was requested.
    var isSet: Bool { stops.load(ordering: .acquiring) > 0 }

    /// Whether a stop was requested twice (Ctrl-C pressed again): the grace period of the
    /// collections in flight ends at once.
    var isUrgent: Bool { stops.load(ordering: .acquiring) > 1 }

    /// Requests a stop; a second request makes it urgent.
    func set() { stops.add(1, ordering: .releasing) }

    /// How many reloads were requested so far (SIGHUP).
    var reloadRequests: Int { reloads.load(ordering: .acquiring) }

    /// Requests a reload.
    func requestReload() { reloads.add(1, ordering: .releasing) }

    /// A flag that SIGINT and SIGTERM set, and, with `reload`, that SIGHUP asks to reload.
    /// - Parameters:
    ///   - reload: Whether SIGHUP requests a reload.
    ///   - onFirstStop: Called once, at the first SIGINT/SIGTERM.
    static func installed(reload: Bool = false, onFirstStop: @escaping @Sendable () -> Void = {}) -> StopFlag {
        let stop = StopFlag()
        for signalNumber in [SIGINT, SIGTERM] {
            listen(signalNumber) {
                stop.set()
                if !stop.isUrgent { onFirstStop() }
            }
        }
        if reload { listen(SIGHUP) { stop.requestReload() } }
        return stop
    }

    private static func listen(_ signalNumber: Int32, _ handler: @escaping @Sendable () -> Void) {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        retainedSignalSources.append(source)
    }

    /// Sleeps for `duration`, returning early once a stop is requested.
    func sleep(_ duration: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        // A cancelled task's `Task.sleep` returns at once: without the check this would spin.
        while !isSet && !Task.isCancelled && clock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(250), deadline - clock.now))
        }
    }

    /// Sleeps until the wall clock reaches `deadline`, returning early once a stop is requested
    /// or `wake` returns true. The wall clock is read again every quarter second, so a clock
    /// step (NTP, suspend) is noticed: a step forward ends the sleep at the new time, a step
    /// back ends it at once, for the caller to look at its due times again (``WallClock``).
    func sleep(until deadline: Timestamp, wake: @Sendable () -> Bool = { false }) async {
        await WallClock.sleep(until: deadline, wake: { isSet || wake() })
    }
}
