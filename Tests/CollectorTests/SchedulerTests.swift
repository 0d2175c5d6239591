import Collector
import CollectorTesting
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Due times

struct ScheduleEntryTests {
    @Test(
        arguments: [
            // previous slot (nil: first sight), start, interval → next slot
            (nil, 1000, 100, 1100),  // first sight: the grid starts at the start
            (1000, 1000, 100, 1100),  // on time: one interval on
            (1000, 1030, 100, 1100),  // a little late: stays on the grid
            (1000, 1070, 100, 1200),  // more than half an interval late: the next slot after that
            (1000, 1520, 100, 1600),  // down for five intervals: the missed slots are skipped
            (1000, 960, 100, 1100),  // early (a --once run): the grid is not pushed out
            (1000, 400, 100, 500),  // much earlier (the interval was shortened): back on the grid
        ] as [(Int64?, Int64, Int64, Int64)]
    )
    func nextSlotStaysOnTheGridAndSkipsMissedSlots(previous: Int64?, start: Int64, interval: Int64, expected: Int64) {
        var generator = SplitMix64(seed: 1)
        let entry = ScheduleEntry.next(
            after: previous.map { ScheduleEntry(nominal: $0, due: $0 + 7) },
            startedAt: start,
            interval: .seconds(interval),
            jitter: .zero,
            using: &generator
        )
        #expect(entry == ScheduleEntry(nominal: expected, due: expected))
    }

    @Test func jitterDelaysTheDueTimeWithinItsBoundsWithoutMovingTheSlot() {
        var generator = SplitMix64(seed: 42)
        var previous: ScheduleEntry?
        var delays = Set<Int64>()
        var start: Int64 = 0
        for round in 1...200 {
            let entry = ScheduleEntry.next(
                after: previous,
                startedAt: start,
                interval: .seconds(3600),
                jitter: .seconds(600),
                using: &generator
            )
            #expect(entry.nominal == Int64(round) * 3600)
            #expect((0...600).contains(entry.due - entry.nominal))
            delays.insert(entry.due - entry.nominal)
            previous = entry
            start = entry.due
        }
        // Drawn anew each time, not a fixed offset.
        #expect(delays.count > 100)
    }
}

// MARK: - The persisted table

@Suite(.serialized) struct ScheduleTableTests {
    @Test func recordsSurviveReopeningThroughTheJournal() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        try table.record(ScheduleEntry(nominal: 100, due: 105), adapter: "bili", account: "1")
        try table.record(ScheduleEntry(nominal: 200, due: 200), adapter: "bili", account: "2")
        try table.record(ScheduleEntry(nominal: 300, due: 333), adapter: "bili", account: "1")
        table.close()
        #expect(
            directory.text("state/schedule-main.journal") == "bili\t1\t100\t105\nbili\t2\t200\t200\nbili\t1\t300\t333\n"
        )

        let reopened = try ScheduleTable(state: state, instance: "main")
        #expect(reopened.entry(adapter: "bili", account: "1") == ScheduleEntry(nominal: 300, due: 333))
        #expect(reopened.entry(adapter: "bili", account: "2") == ScheduleEntry(nominal: 200, due: 200))
        #expect(reopened.count == 2)
        #expect(reopened.journalLines == 3)
    }

    @Test func checkpointWritesTheSnapshotAndEmptiesTheJournal() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main-shard-1")
        try table.record(ScheduleEntry(nominal: 10, due: 12), adapter: "b", account: "x")
        try table.record(ScheduleEntry(nominal: 20, due: 20), adapter: "a", account: "y")
        try table.checkpoint()
        #expect(table.journalLines == 0)
        #expect(directory.text("state/schedule-main-shard-1.journal") == "")
        let snapshot = try #require(directory.text("state/schedule-main-shard-1.tsv"))
        #expect(snapshot.hasPrefix("# collector schedule v1"))
        #expect(snapshot.hasSuffix("a\ty\t20\t20\nb\tx\t10\t12\n"))

        try table.record(ScheduleEntry(nominal: 30, due: 31), adapter: "a", account: "y")
        table.close()
        let reopened = try ScheduleTable(state: state, instance: "main-shard-1")
        #expect(reopened.entry(adapter: "a", account: "y") == ScheduleEntry(nominal: 30, due: 31))
        #expect(reopened.entry(adapter: "b", account: "x") == ScheduleEntry(nominal: 10, due: 12))
    }

    /// Given the configured sections, a checkpoint drops the entries of a section renamed or
    /// removed and of an account no longer listed, in memory and in the snapshot; without them
    /// (a table nobody told), it keeps every entry.
    @Test func aCheckpointDropsTheEntriesOfSectionsAndAccountsNoLongerConfigured() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        for (adapter, account) in [("old", "1"), ("old", "2"), ("kept", "1"), ("kept", "gone"), ("other", "3")] {
            try table.record(ScheduleEntry(nominal: 100, due: 100), adapter: adapter, account: account)
        }
        try table.checkpoint()
        #expect(table.count == 5)

        table.keepOnly(["kept": ["1", "never-collected"], "other": ["3"], "new": ["1"]])
        try table.checkpoint()
        #expect(table.count == 2)
        #expect(table.entry(adapter: "old", account: "1") == nil)
        #expect(table.entry(adapter: "kept", account: "gone") == nil)
        #expect(table.entry(adapter: "kept", account: "1") != nil)
        table.close()
        let snapshot = try #require(directory.text("state/schedule-main.tsv"))
        let rows = snapshot.split(separator: "\n").filter { !$0.hasPrefix("#") }.sorted()
        #expect(rows == ["kept\t1\t100\t100", "other\t3\t100\t100"])
        let reopened = try ScheduleTable(state: state, instance: "main")
        #expect(reopened.count == 2)
    }

    @Test func aTornJournalLineIsCutAndTheNextLineStandsAlone() throws {
        let directory = try TemporaryDirectory()
        directory.write("state/schedule-main.journal", "bili\t1\t100\t100\nbili\t2\t20")
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        #expect(table.entry(adapter: "bili", account: "1") == ScheduleEntry(nominal: 100, due: 100))
        #expect(table.entry(adapter: "bili", account: "2") == nil)
        try table.record(ScheduleEntry(nominal: 5, due: 6), adapter: "bili", account: "3")
        table.close()
        #expect(directory.text("state/schedule-main.journal") == "bili\t1\t100\t100\nbili\t3\t5\t6\n")
    }

    /// Lines that cannot be read are counted per file, for the run's warning; a journal's torn
    /// last line is a crash's normal trace and is not.
    @Test func countsTheLinesItCannotRead() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "state/schedule-main.tsv",
            "# collector schedule v1\nbili\t1\t100\t100\n\u{0}\u{0}garbage\nbili\t2\tten\t100\nbili\t3\t100"
        )
        directory.write("state/schedule-main.journal", "bili\t4\t100\t100\nbili\t5\t20")
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        #expect(table.unreadableLines.map(\.path) == [state.path("schedule-main.tsv")])
        #expect(table.unreadableLines.map(\.count) == [3])
        #expect(table.entry(adapter: "bili", account: "1") == ScheduleEntry(nominal: 100, due: 100))
        #expect(table.entry(adapter: "bili", account: "4") == ScheduleEntry(nominal: 100, due: 100))
        table.close()

        directory.write("state/schedule-main.journal", "bili\t4\t100\t100\nnot a line\n")
        directory.write("state/schedule-main.tsv", "# collector schedule v1\n")
        let clean = try ScheduleTable(state: state, instance: "main")
        #expect(clean.unreadableLines.map(\.path) == [state.path("schedule-main.journal")])
        #expect(clean.unreadableLines.map(\.count) == [1])
        clean.close()
    }

    @Test func namesWithTabsAndNewlinesRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        try table.record(ScheduleEntry(nominal: 1, due: 2), adapter: "a\tb", account: "50%\nx\r")
        try table.checkpoint()
        table.close()
        #expect(directory.text("state/schedule-main.tsv")?.hasSuffix("a%09b\t50%25%0Ax%0D\t1\t2\n") == true)
        let reopened = try ScheduleTable(state: state, instance: "main")
        #expect(reopened.entry(adapter: "a\tb", account: "50%\nx\r") == ScheduleEntry(nominal: 1, due: 2))
    }

    @Test func aReadOnlyStateFolderKeepsRecordsInMemoryOnly() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state", readOnly: true)
        let table = try ScheduleTable(state: state, instance: "main")
        try table.record(ScheduleEntry(nominal: 1, due: 2), adapter: "a", account: "b")
        try table.checkpoint()
        #expect(table.entry(adapter: "a", account: "b") == ScheduleEntry(nominal: 1, due: 2))
        #expect(!directory.exists("state"))
    }
}

// MARK: - The circuit breaker

@Suite(.serialized) struct CircuitBreakerTests {
    let bilibili = CircuitBreaker.Service(platform: .bilibili)

    @Test func aTripIsPersistedAndSeenByTheNextProcessUntilItExpires() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        let trip = CircuitBreaker.Trip(
            service: CircuitBreaker.Service(platform: .bilibili),
            until: Timestamp(secondsSinceEpoch: 5000),
            adapter: "bili",
            account: "208259",
            label: "antiBot",
            platformCode: "-412"
        )
        try CircuitBreaker(state: state).trip(trip)
        #expect(
            directory.text("state/circuit-bilibili")
                == "open_until=5000\nservice=bilibili\nadapter=bili\naccount=208259\nlabel=antiBot\ncode=-412\n"
        )

        let next = CircuitBreaker(state: state)
        #expect(next.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 4999)) == trip)
        #expect(next.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 5000)) == nil)
        #expect(
            next.openTrip(for: CircuitBreaker.Service(platform: .weibo), at: Timestamp(secondsSinceEpoch: 0)) == nil
        )
        #expect(trip.cause == "antiBot (code -412) on bili/208259")
    }

    @Test func anEarlierTripDoesNotShortenAnOpenBreaker() throws {
        let directory = try TemporaryDirectory()
        let breaker = CircuitBreaker(state: try StateStore(directory: directory.path + "/state"))
        let late = CircuitBreaker.Trip(
            service: CircuitBreaker.Service(platform: .bilibili),
            until: Timestamp(secondsSinceEpoch: 9000),
            adapter: "a",
            account: "1",
            label: "antiBot"
        )
        var early = late
        early.until = Timestamp(secondsSinceEpoch: 7000)
        try breaker.trip(late)
        try breaker.trip(early)
        #expect(
            breaker.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 8000))?.until.secondsSinceEpoch == 9000
        )
    }
    /// The advice "delete state/circuit-bilibili to try earlier" works for a process that
    /// tripped the breaker itself or saw its file, such as a running service.
    @Test func deletingTheFileClosesTheBreakerForTheProcessThatKnowsIt() throws {
        let directory = try TemporaryDirectory()
        let breaker = CircuitBreaker(state: try StateStore(directory: directory.path + "/state"))
        let trip = CircuitBreaker.Trip(
            service: CircuitBreaker.Service(platform: .bilibili),
            until: Timestamp(secondsSinceEpoch: 9000),
            adapter: "a",
            account: "1",
            label: "antiBot"
        )
        try breaker.trip(trip)
        #expect(breaker.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 1000)) == trip)
        #expect(breaker.path(for: bilibili) == directory.path + "/state/circuit-bilibili")
        #expect(unlink(breaker.path(for: bilibili)) == 0)
        #expect(breaker.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 1000)) == nil)
        // A later trip opens it again.
        try breaker.trip(trip)
        #expect(breaker.openTrip(for: bilibili, at: Timestamp(secondsSinceEpoch: 1000)) == trip)
    }

    /// Two services of one platform (the official API and the web endpoints) have a breaker
    /// each: a trip of one leaves the other alone.
    @Test func eachServiceOfAPlatformHasItsOwnBreaker() throws {
        let directory = try TemporaryDirectory()
        let breaker = CircuitBreaker(state: try StateStore(directory: directory.path + "/state"))
        let api = CircuitBreaker.Service(platform: .weibo)
        let web = CircuitBreaker.Service(platform: .weibo, name: "weibo_web")
        let trip = CircuitBreaker.Trip(
            service: web,
            until: Timestamp(secondsSinceEpoch: 9000),
            adapter: "web",
            account: "1",
            label: "antiBot",
            platformCode: "http-432"
        )
        try breaker.trip(trip)
        #expect(directory.text("state/circuit-weibo_web")?.contains("\nservice=weibo_web\n") == true)
        #expect(!directory.exists("state/circuit-weibo"))
        let next = CircuitBreaker(state: try StateStore(directory: directory.path + "/state"))
        #expect(next.openTrip(for: web, at: Timestamp(secondsSinceEpoch: 1000)) == trip)
        #expect(next.openTrip(for: api, at: Timestamp(secondsSinceEpoch: 1000)) == nil)

        var official = trip
        official.service = api
        official.adapter = "api"
        try next.trip(official)
        #expect(directory.text("state/circuit-weibo")?.contains("\nservice=weibo\n") == true)
        #expect(unlink(next.path(for: web)) == 0)
        #expect(next.openTrip(for: web, at: Timestamp(secondsSinceEpoch: 1000)) == nil)
        #expect(next.openTrip(for: api, at: Timestamp(secondsSinceEpoch: 1000)) == official)
    }

    /// A `circuit-<platform>` file without `service=`, written when there was one breaker per
    /// platform, holds every service of the platform, under its own name and file (the one to
    /// delete), until it closes or is deleted.
    @Test func aPlatformWideFileOfAnEarlierVersionHoldsEveryServiceOfThePlatform() throws {
        let directory = try TemporaryDirectory()
        let state = try StateStore(directory: directory.path + "/state")
        try state.write("circuit-weibo", Array("open_until=9000\nadapter=web\naccount=1\nlabel=antiBot\n".utf8))
        let breaker = CircuitBreaker(state: state)
        let api = CircuitBreaker.Service(platform: .weibo)
        let web = CircuitBreaker.Service(platform: .weibo, name: "weibo_web")
        let held = try #require(breaker.openTrip(for: web, at: Timestamp(secondsSinceEpoch: 1000)))
        #expect(held.service == api)
        #expect(held.cause == "antiBot on web/1")
        #expect(breaker.openTrip(for: api, at: Timestamp(secondsSinceEpoch: 1000)) == held)
        #expect(breaker.openTrip(for: web, at: Timestamp(secondsSinceEpoch: 9000)) == nil)
        #expect(unlink(breaker.path(for: api)) == 0)
        #expect(breaker.openTrip(for: web, at: Timestamp(secondsSinceEpoch: 1000)) == nil)
        #expect(breaker.openTrip(for: api, at: Timestamp(secondsSinceEpoch: 1000)) == nil)
    }
}

// MARK: - Sleeping on the wall clock

@Suite struct WallClockTests {
    /// A clock stepped back ends the sleep at once: the deadline was computed on the old clock
    /// and may now lie a day ahead.
    @Test func aSleepEndsWhenTheWallClockGoesBack() async {
        let readings = Mutex<[Int64]>([1000, 1001, 900, 2000])
        let reads = Atomic<Int>(0)
        await WallClock.sleep(
            until: Timestamp(secondsSinceEpoch: 1500),
            step: .zero,
            read: {
                reads.add(1, ordering: .relaxed)
                return Timestamp(secondsSinceEpoch: readings.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] })
            }
        )
        // 1000, 1001, then 900: back, so no fourth reading (which would have reached the deadline).
        #expect(reads.load(ordering: .relaxed) == 3)
    }

    @Test func aSleepEndsAtTheDeadlineOrWhenWoken() async {
        let now = Mutex<Int64>(1000)
        await WallClock.sleep(
            until: Timestamp(secondsSinceEpoch: 1003),
            step: .zero,
            read: {
                Timestamp(
                    secondsSinceEpoch: now.withLock {
                        $0 += 1
                        return $0
                    }
                )
            }
        )
        #expect(now.withLock { $0 } == 1003)
        let woken = Atomic<Int>(0)
        await WallClock.sleep(
            until: Timestamp(secondsSinceEpoch: 5000),
            step: .zero,
            read: { Timestamp(secondsSinceEpoch: 1000) },
            wake: { woken.add(1, ordering: .relaxed).newValue > 2 }
        )
        #expect(woken.load(ordering: .relaxed) == 3)
    }
}

// MARK: - The service loop

@Suite(.serialized) struct SchedulerTests {
    @Test func collectsEachAccountAtItsDueTimesAndRecordsThem() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1_000_000)
        let adapter = ClockedAdapter(name: "a", accounts: ["x", "y"], interval: 100, clock: clock)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([adapter], table: table, clock: clock) { adapter.collections.count >= 6 }
        let summary = try await scheduler.run()

        #expect(summary.succeeded == 6)
        #expect(adapter.collections.filter { $0.account == "x" }.map(\.time) == [1_000_000, 1_000_100, 1_000_200])
        #expect(adapter.collections.filter { $0.account == "y" }.map(\.time) == [1_000_000, 1_000_100, 1_000_200])
        #expect(table.entry(adapter: "a", account: "x") == ScheduleEntry(nominal: 1_000_300, due: 1_000_300))
    }

    @Test func startsFromThePersistedDueTimes() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1_000_000)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        try table.record(ScheduleEntry(nominal: 1_000_050, due: 1_000_060), adapter: "a", account: "x")
        let adapter = ClockedAdapter(name: "a", accounts: ["x", "y"], interval: 100, clock: clock)
        let scheduler = makeScheduler([adapter], table: table, clock: clock) { adapter.collections.count >= 2 }
        _ = try await scheduler.run()
        // y was never collected: due at once; x waits for its persisted due time.
        #expect(adapter.collections.map { "\($0.account)@\($0.time)" } == ["y@1000000", "x@1000060"])
    }

    @Test func overrunsNeverStack() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 0)
        // Each collection takes 250 s of a 100 s interval.
        let adapter = ClockedAdapter(name: "slow", accounts: ["x"], interval: 100, clock: clock, takes: 250)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([adapter], table: table, clock: clock) { adapter.collections.count >= 4 }
        _ = try await scheduler.run()
        #expect(adapter.maximumConcurrency == 1)
        // Each collection starts when the previous one has ended, never beside it, and the
        // missed slots are not made up.
        #expect(adapter.collections.map(\.time) == [0, 250, 500, 750])
    }

    @Test func aStalledPlatformDoesNotDelayTheOthers() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 0)
        let gate = Gate()
        let stalled = ClockedAdapter(name: "stalled", accounts: ["s"], interval: 10, clock: clock, gate: gate)
        let healthy = ClockedAdapter(name: "healthy", accounts: ["h"], interval: 10, clock: clock)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([stalled, healthy], table: table, clock: clock) {
            let done = healthy.collections.count >= 5
            if done { gate.open() }
            return done
        }
        let summary = try await scheduler.run()
        #expect(healthy.collections.map(\.time) == [0, 10, 20, 30, 40])
        #expect(stalled.collections.count == 1)
        #expect(summary.succeeded == 6)
    }

    @Test func anOpenBreakerHoldsThePlatformUntilItCloses() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1000)
        let state = try StateStore(directory: directory.path + "/state")
        let breaker = CircuitBreaker(state: state)
        try breaker.trip(
            CircuitBreaker.Trip(
                service: CircuitBreaker.Service(platform: .bilibili),
                until: Timestamp(secondsSinceEpoch: 1250),
                adapter: "a",
                account: "x",
                label: "antiBot"
            )
        )
        let adapter = ClockedAdapter(name: "a", accounts: ["x"], interval: 100, clock: clock)
        let table = try ScheduleTable(state: state, instance: "main")
        let capture = LogRecorder()
        let scheduler = makeScheduler([adapter], table: table, clock: clock, breaker: breaker, logger: capture.logger) {
            adapter.collections.count >= 1
        }
        let summary = try await scheduler.run()
        // Woken every minute to read the breaker's file again, collected once it closes.
        #expect(adapter.collections.map(\.time) == [1250])
        #expect(summary.failures.isEmpty)
        #expect(capture.entries.filter { $0.message.hasPrefix("circuit breaker open") }.count == 1)
    }

    /// Deleting the breaker's file closes it for the running service: the loop reads it again
    /// at least every minute, and says so; the log gives the time the breaker would close in
    /// the configured timezone.
    @Test func deletingTheBreakerFileLetsTheRunningServiceCollectWithinAMinute() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1000)
        let state = try StateStore(directory: directory.path + "/state")
        let breaker = CircuitBreaker(state: state)
        try breaker.trip(
            CircuitBreaker.Trip(
                service: CircuitBreaker.Service(platform: .bilibili),
                until: Timestamp(secondsSinceEpoch: 1000 + 6 * 3600),
                adapter: "a",
                account: "x",
                label: "antiBot",
                platformCode: "-412"
            )
        )
        let adapter = ClockedAdapter(name: "a", accounts: ["x"], interval: 100, clock: clock)
        let table = try ScheduleTable(state: state, instance: "main")
        let capture = LogRecorder()
        let file = breaker.path(for: CircuitBreaker.Service(platform: .bilibili))
        let scheduler = makeScheduler(
            [adapter],
            table: table,
            clock: clock,
            breaker: breaker,
            logger: capture.logger,
            // The operator deletes the file while the loop waits.
            beforeSleep: { _ in unlink(file) }
        ) { adapter.collections.count >= 1 }
        _ = try await scheduler.run()
        #expect(adapter.collections.map(\.time) == [1000 + ServiceScheduler.breakerRecheck])
        let opened = try #require(capture.entries.first { $0.message.hasPrefix("circuit breaker open") })
        #expect(opened.metadata["until"] == PlatformCalendar.beijing.render(Timestamp(secondsSinceEpoch: 22600)))
        #expect(
            opened.message.hasSuffix("waiting until it closes, or until \(file) is deleted")
        )
        #expect(
            capture.warnings.contains(
                "circuit breaker closed before its time (\(file) was deleted); collecting again"
            )
        )
    }

    /// A wall clock stepped back (NTP correcting a clock that was a day ahead) while the service
    /// runs: the due times it set on the old clock are pulled in, as a start would, and one
    /// warning says how far the clock went back; the account's grid follows the new clock.
    @Test func aWallClockSteppedBackPullsInTheDueTimesAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1_086_400)
        let steps = Atomic<Int>(0)
        let adapter = ClockedAdapter(name: "a", accounts: ["x", "y"], interval: 100, clock: clock) { account in
            // During the first collection of y, NTP steps the clock back a day.
            if account == "y" && steps.add(1, ordering: .relaxed).newValue == 1 { clock.advance(by: -86400) }
        }
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let capture = LogRecorder()
        let scheduler = makeScheduler([adapter], table: table, clock: clock, logger: capture.logger) {
            adapter.collections.count >= 6
        }
        _ = try await scheduler.run()
        #expect(
            adapter.collections.map { "\($0.account)@\($0.time)" } == [
                "x@1086400", "y@1086400", "x@1000000", "y@1000000", "x@1000100", "y@1000100",
            ]
        )
        let warnings = capture.warnings.filter { $0.hasPrefix("the wall clock went back") }
        #expect(warnings.count == 1, "\(capture.text)")
        #expect(
            warnings.first
                == "the wall clock went back by at least 86400 s (it read 1970-01-13T21:46:40+08:00, now "
                + "1970-01-12T21:46:40+08:00): 2 account(s) due further out than one and a half intervals plus the "
                + "jitter are due now, as at a start"
        )
    }

    /// An account that could not reach its platform is tried again after ten minutes, not an
    /// hour (its interval) later: an outage should cost minutes of data, not an interval.
    @Test func anUnreachablePlatformIsTriedAgainSoon() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1000)
        let adapter = OutageAdapter(failedAttempts: 3, interval: 3600, clock: clock)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([adapter], table: table, clock: clock) { adapter.attempts.count >= 4 }
        let summary = try await scheduler.run()
        // Three attempts in the first round (the runner's retries), then one ten minutes later.
        #expect(adapter.attempts == [1000, 1000, 1000, 1000 + ServiceScheduler.unreachableRetry])
        #expect(summary.succeeded == 1)
        #expect(summary.unreachable == 1)
        let entry = try #require(table.entry(adapter: "outage", account: "x"))
        #expect(entry.due == 1600 + 3600, "\(entry)")
    }

    /// A used-up daily request cap holds the instance until the cap resets (00:00 Beijing
    /// time), as an open breaker does: its accounts stay due, the refusal is logged once, not at
    /// every interval until midnight, and the reset is noted.
    @Test func aUsedUpDailyCapHoldsTheInstanceUntilTheCapResets() async throws {
        let directory = try TemporaryDirectory()
        // 2026-11-27 23:00:00 Beijing time; the cap resets an hour later.
        let clock = ManualClock(start: 1_795_791_600)
        let reset = Timestamp(secondsSinceEpoch: 1_795_795_200)
        let state = try StateStore(directory: directory.path + "/state")
        let table = try ScheduleTable(state: state, instance: "main")
        let capture = LogRecorder()
        try await withPlatformSimulator { (simulator: PlatformSimulator) async throws in
            let http = CurlHTTPClient()
            defer { http.shutdown() }
            let capped = DailyRequestCap(
                base: http,
                instance: "capped",
                limit: 2,
                state: state,
                advice: "lower the interval",
                now: { clock.now }
            )
            let adapter = FetchingAdapter(
                name: "capped",
                accounts: ["a", "b", "c"],
                interval: 600,
                url: simulator.url("/bilibili/x/relation/stat?vmid=1"),
                clock: clock
            )
            let scheduler = makeScheduler([adapter], table: table, clock: clock, http: capped, logger: capture.logger) {
                adapter.attempts.count >= 4
            }
            _ = try await scheduler.run()
            // a and b use up the cap, c is refused; nothing is tried again before the reset
            // (with the interval, c would be at 23:10, 23:20, …).
            #expect(
                adapter.attempts.map(\.time) == [1_795_791_600, 1_795_791_600, 1_795_791_600, reset.secondsSinceEpoch]
            )
            #expect(simulator.requestCount == 3)
        }
        let refusals = capture.entries.filter { $0.metadata["error"] == "dailyCap" }
        #expect(refusals.count == 1, "\(capture.text)")
        #expect(
            capture.entries.contains {
                $0.message == "the daily request cap was reset at 2026-11-28T00:00:00+08:00; collecting again"
            },
            "\(capture.text)"
        )
    }

    /// An instance the runner stops for the pass because its platform cannot be reached says
    /// so in the service's log, once per pass, with the accounts it did not try and when it
    /// tries them again: the service has no closing summary per pass that would list them.
    @Test func anInstanceStoppedForAnUnreachablePlatformSaysSoOncePerPass() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 1000)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let capture = LogRecorder()
        let http = CurlHTTPClient()
        defer { http.shutdown() }
        // Port 1 on the loopback: nobody listens, the connection is refused at once.
        let adapter = FetchingAdapter(
            name: "down",
            accounts: (1...8).map { "u\($0)" },
            interval: 3600,
            url: "http://127.0.0.1:1/bilibili/x/relation/stat?vmid=1",
            clock: clock
        )
        let scheduler = makeScheduler([adapter], table: table, clock: clock, http: http, logger: capture.logger) {
            adapter.attempts.count >= 4
        }
        _ = try await scheduler.run()
        // Three accounts in a row, then the pass stops; ten minutes later the first is tried again.
        #expect(adapter.attempts.map(\.time) == [1000, 1000, 1000, 1000 + ServiceScheduler.unreachableRetry])
        let stops = capture.warnings.filter { $0.hasPrefix("the instance stopped") }
        #expect(
            stops == [
                "the instance stopped for this run after 3 accounts in a row could not reach 127.0.0.1:1 "
                    + "(couldNotConnect); check the network and the host, the accounts stay due; 5 account(s) not "
                    + "tried in this pass, tried again at 1970-01-01T08:26:40+08:00"
            ],
            "\(capture.text)"
        )
    }

    @Test func stopLetsTheAccountInFlightFinishAndRecordsIt() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 0)
        let stop = Atomic<Bool>(false)
        let adapter = ClockedAdapter(name: "a", accounts: ["x", "y", "z"], interval: 100, clock: clock) { account in
            if account == "y" { stop.store(true, ordering: .relaxed) }
        }
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([adapter], table: table, clock: clock) { stop.load(ordering: .relaxed) }
        let summary = try await scheduler.run()
        #expect(adapter.collections.map(\.account) == ["x", "y"])
        #expect(summary.succeeded == 2)
        #expect(table.entry(adapter: "a", account: "y") != nil)
        #expect(table.entry(adapter: "a", account: "z") == nil)
    }

    /// A storage error (a full disk) in one instance ends the service at once with that error:
    /// the other loops stop too, instead of idling on until SIGTERM.
    @Test func aStorageErrorStopsEveryLoopAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 0)
        let full = FullDiskAdapter()
        let other = ClockedAdapter(name: "other", accounts: ["x"], interval: 100, clock: clock)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        // The stop condition only keeps a regression from hanging the suite.
        let scheduler = makeScheduler([full, other], table: table, clock: clock) {
            clock.now.secondsSinceEpoch > 100_000
        }
        let error = await #expect(throws: StorageError.self) { try await scheduler.run() }
        #expect(error?.errno == ENOSPC)
        // The other loop runs rounds in virtual time as fast as the pool lets it until the error
        // reaches it, a few or a few dozen depending on the machine's load; a loop that idled on
        // would run to the stop condition's 100,000 s.
        #expect(clock.now.secondsSinceEpoch < 50_000, "the other loop went on for \(clock.now.secondsSinceEpoch) s")
    }

    @Test func onlyTheAccountsOfItsShardAreScheduled() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(start: 0)
        let accounts = (0..<30).map { "u\($0)" }
        let shard = try #require(Shard(index: 2, count: 3))
        let expected = accounts.filter { shard.contains(platform: .bilibili, account: $0) }
        let adapter = ClockedAdapter(name: "a", accounts: accounts, interval: 100, clock: clock)
        let table = try ScheduleTable(state: try StateStore(directory: directory.path + "/state"), instance: "main")
        let scheduler = makeScheduler([adapter], table: table, clock: clock, shard: shard) {
            adapter.collections.count >= expected.count
        }
        _ = try await scheduler.run()
        #expect(adapter.collections.map(\.account) == expected)
        #expect(!expected.isEmpty && expected.count < accounts.count)
    }

    // MARK: - Helpers

    private func makeScheduler(
        _ adapters: [any Adapter],
        table: ScheduleTable,
        clock: ManualClock,
        breaker: CircuitBreaker? = nil,
        shard: Shard? = nil,
        http: any HTTPFetching = NoNetworkHTTP(),
        logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
        beforeSleep: @escaping @Sendable (Timestamp) -> Void = { _ in },
        stopWhen: @escaping @Sendable () -> Bool
    ) -> ServiceScheduler {
        let runner = CollectionRunner(
            instances: adapters,
            sink: InMemorySink(),
            shard: shard,
            logger: logger,
            shouldStop: stopWhen,
            schedule: table,
            breaker: breaker,
            clock: { clock.now },
            makeContext: { _ in
                // A read-only state store never touches the disk, so it cannot fail to open.
                AdapterContext(
                    http: http,
                    state: try! StateStore(directory: "/nonexistent-state", readOnly: true),
                    calendar: .beijing,
                    now: { clock.now },
                    sleep: { _ in },
                    logger: logger
                )
            }
        )
        return ServiceScheduler(
            runner: runner,
            schedule: table,
            clock: { clock.now },
            sleep: { deadline in
                beforeSleep(deadline)
                await clock.sleep(until: deadline)
            },
            shouldStop: stopWhen
        )
    }
}

// MARK: - Test doubles

/// A wall clock that only moves when a sleeper asks it to: sleeping until a time sets the
/// clock to it (never backwards), then yields, so the other tasks see the new time.
final class ManualClock: Sendable {
    private let seconds: Mutex<Int64>

    init(start: Int64) {
        seconds = Mutex(start)
    }

    var now: Timestamp { Timestamp(secondsSinceEpoch: seconds.withLock { $0 }) }

    func advance(by delta: Int64) {
        seconds.withLock { $0 += delta }
    }

    func sleep(until deadline: Timestamp) async {
        seconds.withLock { $0 = max($0, deadline.secondsSinceEpoch) }
        await Task.yield()
    }
}

/// An adapter whose store is full: its one account fails with ENOSPC.
final class FullDiskAdapter: Adapter, Sendable {
    static let type = "full"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name = "full"
    let platform = Platform.weibo
    let accounts = ["command"]
    let schedule = AdapterSchedule(interval: .seconds(100), jitter: .zero, rate: nil)

    init() {}

    init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        preconditionFailure("not configured from a file")
    }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        throw StorageError(path: "data/weibo/2025-03/main.csv", operation: "write", errno: ENOSPC)
    }
}

/// A gate a task waits at until the test opens it (polling with yields: no timing involved).
final class Gate: Sendable {
    private let isOpen = Atomic<Bool>(false)

    func open() { isOpen.store(true, ordering: .releasing) }

    func wait() async {
        while !isOpen.load(ordering: .acquiring) { await Task.yield() }
    }
}

/// An adapter that notes when each collection started (on the manual clock), optionally
/// takes some manual time, waits at a gate, or calls a hook.
final class ClockedAdapter: Adapter, Sendable {
    static let type = "clocked"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    struct Collection: Sendable, Equatable {
        var account: String
        var time: Int64
    }

    let name: String
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule: AdapterSchedule
    private let clock: ManualClock
    private let takes: Int64
    private let gate: Gate?
    private let hook: @Sendable (String) -> Void
    private let state = Mutex<(collections: [Collection], running: Int, maximum: Int)>(([], 0, 0))

    init(
        name: String,
        accounts: [String],
        interval: Int64,
        clock: ManualClock,
        takes: Int64 = 0,
        gate: Gate? = nil,
        hook: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.name = name
        self.accounts = accounts
        self.schedule = AdapterSchedule(interval: .seconds(interval), jitter: .zero, rate: nil)
        self.clock = clock
        self.takes = takes
        self.gate = gate
        self.hook = hook
    }

    init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        preconditionFailure("not configured from a file")
    }

    var collections: [Collection] { state.withLock { $0.collections } }
    var maximumConcurrency: Int { state.withLock { $0.maximum } }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let started = clock.now
        state.withLock { state in
            state.collections.append(Collection(account: account, time: started.secondsSinceEpoch))
            state.running += 1
            state.maximum = max(state.maximum, state.running)
        }
        defer { state.withLock { $0.running -= 1 } }
        hook(account)
        if let gate { await gate.wait() }
        if takes > 0 { clock.advance(by: takes) }
        try batch.add(
            Sample.testFollowers(account, at: started)
        )
    }
}

/// An adapter that asks `url` through the context's client for each account (so through a
/// daily cap, or to a host that is down), noting the manual clock's time at each attempt.
final class FetchingAdapter: Adapter, Sendable {
    static let type = "fetching"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name: String
    let platform = Platform.bilibili
    let accounts: [String]
    let schedule: AdapterSchedule
    private let url: String
    private let clock: ManualClock
    private let log = Mutex<[ClockedAdapter.Collection]>([])

    init(name: String, accounts: [String], interval: Int64, url: String, clock: ManualClock) {
        self.name = name
        self.accounts = accounts
        self.schedule = AdapterSchedule(interval: .seconds(interval), jitter: .zero, rate: nil)
        self.url = url
        self.clock = clock
    }

    init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        preconditionFailure("not configured from a file")
    }

    var attempts: [ClockedAdapter.Collection] { log.withLock { $0 } }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        log.withLock { $0.append(ClockedAdapter.Collection(account: account, time: clock.now.secondsSinceEpoch)) }
        _ = try await context.http.fetch(HTTPRequest(url: url))
        try batch.add(Sample.testFollowers(account, at: clock.now))
    }
}

/// An adapter whose one account `x` cannot reach the platform for its first attempts, then
/// collects; notes the clock's time at each attempt.
final class OutageAdapter: Adapter, Sendable {
    static let type = "outage"
    static let summary = "test double"
    static let configurationKeys: [ConfigurationKey] = []
    static let metrics = [MetricDescriptor(.followers, .account, "test")]
    static let sampleConfiguration = ""

    let name = "outage"
    let platform = Platform.bilibili
    let accounts = ["x"]
    let schedule: AdapterSchedule
    private let failedAttempts: Int
    private let clock: ManualClock
    private let log = Mutex<[Int64]>([])

    init(failedAttempts: Int, interval: Int64, clock: ManualClock) {
        self.failedAttempts = failedAttempts
        self.schedule = AdapterSchedule(interval: .seconds(interval), jitter: .zero, rate: nil)
        self.clock = clock
    }

    init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        preconditionFailure("not configured from a file")
    }

    var attempts: [Int64] { log.withLock { $0 } }

    func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let attempt = log.withLock { log in
            log.append(clock.now.secondsSinceEpoch)
            return log.count
        }
        if attempt <= failedAttempts {
            throw HTTPError.couldNotConnect(HTTPRequest(url: "http://platform.invalid/x"), "Connection refused")
        }
        try batch.add(
            Sample.testFollowers(account, at: clock.now)
        )
    }
}
