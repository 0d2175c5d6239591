import Collector

/// `collector run` without `--once`: each instance on its own loop (so a slow platform never
/// delays another), every `interval` plus a random share of `jitter`, until SIGINT/SIGTERM;
/// then in-flight accounts finish and the loop returns the summary of everything it did.
struct ServiceLoop {
    let instances: [any Adapter]
    let stop: StopFlag
    let makeRunner: ([any Adapter]) -> CollectionRunner

    func run() async throws -> RunSummary {
        let stop = self.stop
        return try await withThrowingTaskGroup(of: RunSummary.self) { group in
            for instance in instances {
                let runner = makeRunner([instance])
                let schedule = instance.schedule
                group.addTask {
                    var total = RunSummary()
                    while !stop.isSet {
                        total.merge(try await runner.runOnce())
                        let jitter = schedule.jitter * Double.random(in: 0...1)
                        await stop.sleep(schedule.interval + jitter)
                    }
                    return total
                }
            }
            var total = RunSummary()
            for try await summary in group { total.merge(summary) }
            return total
        }
    }
}
