import Collector
import Logging

/// `collector run` without `--once`: the ``ServiceScheduler`` over the configured instances
/// until SIGINT/SIGTERM; then in-flight accounts get `stop_grace` to finish, and the loop
/// returns the summary of everything it did.
///
/// SIGHUP reloads the configuration. The new file is read and validated while the running
/// configuration goes on; if it has errors, each is logged and the running configuration
/// stays. If it is valid, the running accounts finish, and the new instances take over with the
/// same schedule table (due times carry over by instance name and account). Settings that
/// belong to the open store and lock (`data_dir`, `state_dir`, `instance`, `formats`,
/// `timezone`, `concurrency`, `stop_grace`) take effect at the next start; a warning names them.
struct ServiceLoop: Sendable {
    let instances: [any Adapter]
    /// The settings as configured (the instance without the shard suffix).
    let settings: CollectorSettings
    /// The schedule, which a reload tells the sections and accounts it now configures.
    let schedule: ScheduleTable
    let only: [String]
    let options: ConfigOptions
    let stop: StopFlag
    let logger: Logger
    /// The self-metrics, from which a reload drops the sections it removes.
    let metrics: SelfMetrics
    let makeScheduler: @Sendable ([any Adapter], @escaping @Sendable () -> Bool) -> ServiceScheduler

    /// A valid configuration read on SIGHUP.
    private struct Reload: Sendable {
        /// The instances `--only` selects.
        var instances: [any Adapter]
        /// Every configured section with its platform.
        var configured: [String: Platform]
        /// Every configured section with its accounts.
        var accounts: [String: [String]]
    }

    private enum Event {
        case finished(RunSummary)
        /// The selected instances of the new configuration, and every section it configures.
        case reloaded(Reload)
        case stopped
    }

    func run() async throws -> RunSummary {
        var current = instances
        var total = RunSummary()
        var handled = stop.reloadRequests
        while !stop.isSet {
            let generation = StopFlag()
            let stop = self.stop
            let scheduler = makeScheduler(current, { stop.isSet || generation.isSet })
            let seen = handled
            var next: Reload?
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask { .finished(try await scheduler.run()) }
                group.addTask {
                    guard let reloaded = await watchReloads(after: seen) else { return .stopped }
                    generation.set()
                    return .reloaded(reloaded)
                }
                for try await event in group {
                    switch event {
                    case .finished(let summary): total.merge(summary)
                    case .reloaded(let reload): next = reload
                    case .stopped: break
                    }
                }
            }
            handled = stop.reloadRequests
            if let next {
                current = next.instances
                // A removed or renamed section is never collected again: its series would stay
                // frozen in the metrics file (and a staleness alert fire) until a restart.
                metrics.forgetSections(notIn: next.configured)
                // Their due times too, at the schedule's next checkpoint.
                schedule.keepOnly(next.accounts)
                logger.info("configuration reloaded", metadata: ["instances": "\(current.count)"])
            }
        }
        return total
    }

    /// Waits for a reload request after `seen`, and returns the new instances once a valid
    /// configuration is read; nil when a stop comes first. Refused configurations are logged.
    private func watchReloads(after seen: Int) async -> Reload? {
        var seen = seen
        // Cancelled when the scheduler ends on a storage error: `stop.sleep` then returns at
        // once, and without the check this loop would spin and the service never exit.
        while !stop.isSet && !Task.isCancelled {
            let requested = stop.reloadRequests
            guard requested != seen else {
                await stop.sleep(.milliseconds(250))
                continue
            }
            seen = requested
            do {
                let setup = try Setup.load(options)
                let selected = try setup.selected(only: only)
                warnAboutFixedSettings(setup.settings)
                return Reload(
                    instances: selected,
                    configured: setup.configuredSections,
                    accounts: setup.configuredAccounts
                )
            } catch let errors as ConfigurationErrors {
                for error in errors.errors {
                    logger.error("configuration reload refused: \(error)")
                }
                logger.error(
                    "configuration reload refused: \(errors.errors.count) problem(s); the running configuration stays"
                )
            } catch {
                logger.error("configuration reload refused: \(error); the running configuration stays")
            }
        }
        return nil
    }

    private func warnAboutFixedSettings(_ new: CollectorSettings) {
        var changed: [String] = []
        if new.dataDirectory != settings.dataDirectory { changed.append("data_dir") }
        if new.stateDirectory != settings.stateDirectory { changed.append("state_dir") }
        if new.instance != settings.instance { changed.append("instance") }
        if new.formats != settings.formats { changed.append("formats") }
        if new.calendar.identifier != settings.calendar.identifier { changed.append("timezone") }
        if new.concurrency != settings.concurrency { changed.append("concurrency") }
        if new.stopGrace != settings.stopGrace { changed.append("stop_grace") }
        guard !changed.isEmpty else { return }
        logger.warning(
            "[collector] \(changed.joined(separator: ", ")) changed: restart the collector to apply; the adapters' changes apply now"
        )
    }
}
