import Collector
import CollectorTesting
import Synchronization
import Testing

struct SampleBatchTests {
    /// Records what reaches it; fails catalogue writes when asked to.
    private final class RecordingSink: SampleSink {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "No space left on device" }
        }

        private struct State {
            var samples: [Sample] = []
            var objectCalls: [Int] = []
            var syncs = 0
        }

        private let state = Mutex(State())
        private let failsObjects: Bool

        init(failsObjects: Bool = false) {
            self.failsObjects = failsObjects
        }

        var samples: [Sample] { state.withLock { $0.samples } }
        var objectCalls: [Int] { state.withLock { $0.objectCalls } }
        var syncs: Int { state.withLock { $0.syncs } }

        func write(_ samples: [Sample]) throws -> WriteCounts {
            state.withLock { $0.samples += samples }
            return WriteCounts(written: samples.count)
        }

        func writeObjects(_ objects: [ContentObject]) throws {
            if failsObjects { throw DiskFull() }
            state.withLock { $0.objectCalls.append(objects.count) }
        }

        func sync() throws { state.withLock { $0.syncs += 1 } }
    }

    private func article(_ number: Int) -> ContentObject {
        ContentObject(platform: .wechat, object: "\(number)_1", account: "gh_0123456789ab", title: "t\(number)")
    }

    @Test func handsCatalogueRowsOverInChunksBeforeTheCommit() throws {
        let sink = RecordingSink()
        let batch = SampleBatch(sink: sink)
        for number in 0..<10000 { batch.add(object: article(number)) }
        #expect(sink.objectCalls == [4096, 4096])
        try batch.commit()
        #expect(sink.objectCalls == [4096, 4096, 1808])
        #expect(sink.syncs == 1)
    }

    @Test func throwsAFailedCatalogueHandOverFromTheNextCallThatCan() throws {
        let batch = SampleBatch(sink: RecordingSink(failsObjects: true))
        for number in 0..<4096 { batch.add(object: article(number)) }
        #expect(throws: RecordingSink.DiskFull.self) { try batch.add(sample()) }
        // Thrown once: the batch goes on.
        try batch.add(sample())
        for number in 0..<4096 { batch.add(object: article(number)) }
        #expect(throws: RecordingSink.DiskFull.self) { try batch.commit() }
    }

    @Test func passesSamplesGivenAsBytesToAPlainSinkAsSamples() throws {
        let sink = RecordingSink()
        let batch = SampleBatch(sink: sink, chunkSize: 2)
        let expected = [
            sample(account: "a1", object: "", metric: .followers, value: .integer(5), source: .exec),
            sample(
                account: "a1",
                object: "o,1",
                metric: .views,
                value: .decimal(DecimalValue(mantissa: 5, scale: 1)),
                source: .exec
            ),
            sample(account: "a2", object: "o2", metric: .likes, value: .integer(-1), quality: .approx, source: .exec),
        ]
        for sample in expected {
            var account = sample.account
            var object = sample.object
            var metric = sample.metric.rawValue
            try account.withUTF8 { account in
                try object.withUTF8 { object in
                    try metric.withUTF8 { metric in
                        try batch.add(
                            time: sample.time,
                            platform: sample.platform,
                            account: UnsafeRawBufferPointer(account),
                            object: UnsafeRawBufferPointer(object),
                            metric: UnsafeRawBufferPointer(metric),
                            value: sample.value,
                            quality: sample.quality,
                            source: sample.source
                        )
                    }
                }
            }
        }
        try batch.commit()
        #expect(sink.samples == expected)
        #expect(batch.addedCount == 3)
    }

    @Test func writesEverySampleToTheStoreInChunks() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: LogRecorder().logger)
        let batch = SampleBatch(sink: store, chunkSize: 3)
        let days = (1...9).map { sample("2025-03-0\($0)T00:00:00+08:00", value: .integer(Int64($0))) }
        try batch.add(days[0])
        try batch.add(contentsOf: Array(days[1...7]))
        // Already written within the batch, and again across chunk boundaries.
        try batch.add(contentsOf: [days[8], days[0], days[4]])
        try batch.commit()
        try store.close()
        #expect(batch.counts == WriteCounts(written: 9, duplicates: 2))
        #expect(batch.addedCount == 11)
        let rows = try #require(directory.text("data/wechat/2025-03/main.csv"))
        #expect(
            rows == csvHeader
                + (1...9).map { "2025-03-0\($0)T00:00:00+08:00,wechat,gh_0123456789ab,,followers,\($0),exact,api\n" }
                .joined()
        )
    }

    // MARK: - Values a metric cannot hold

    /// One account's samples: four its metrics can hold (a net change may be negative, a rate
    /// may be 0.5) around three they cannot.
    private static let mixed: [Sample] = [
        sample(metric: .followers, value: .integer(5)),
        sample(metric: .followers, value: .integer(-1)),
        sample(metric: .posts, value: .decimal(DecimalValue(mantissa: 15, scale: 1))),
        sample(object: "2247490098_1", metric: .completionRate, value: .integer(2)),
        sample(object: "2247490098_1", metric: .completionRate, value: .decimal(DecimalValue(mantissa: 5, scale: 1))),
        sample(metric: MetricName(rawValue: "wechat_net_followers"), value: .integer(-3)),
        sample(metric: .views, value: .integer(0)),
    ]

    /// The failures the three refused samples of ``mixed`` make.
    private static let mixedRefusals = [
        "wechat-main/gh_0123456789ab: invalidValue: followers = -1 is negative, but followers is a count; only net"
            + " changes (metrics named with the word net, such as douyin_net_followers) may be negative; the value"
            + " was not written",
        "wechat-main/gh_0123456789ab: invalidValue: posts = 1.5 is not a whole number, but posts is a count; only"
            + " metrics named with the word rate, ctr or seconds take decimals; the value was not written",
        "wechat-main/gh_0123456789ab [2247490098_1]: invalidValue: completion_rate = 2 is more than 1, but"
            + " completion_rate is a fraction from 0 to 1 (SPEC §4); write a percentage such as 12.5 % as 0.125;"
            + " the value was not written",
    ]

    /// How an adapter hands its samples over.
    enum Handing: String, CaseIterable, CustomTestStringConvertible {
        case oneByOne, array, sequence
        var testDescription: String { rawValue }

        func add(_ samples: [Sample], to batch: SampleBatch) throws {
            switch self {
            case .oneByOne: for sample in samples { try batch.add(sample) }
            case .array: try batch.add(contentsOf: samples)
            case .sequence: try batch.add(contentsOf: samples.lazy.map { $0 })
            }
        }
    }

    @Test(arguments: Handing.allCases, [2, 4096])
    func refusesAValueItsMetricCannotHoldAndKeepsTheRest(_ handing: Handing, chunkSize: Int) throws {
        let sink = RecordingSink()
        let batch = SampleBatch(sink: sink, chunkSize: chunkSize, adapter: "wechat-main")
        try handing.add(Self.mixed, to: batch)
        try batch.commit()
        #expect(sink.samples == [Self.mixed[0], Self.mixed[4], Self.mixed[5], Self.mixed[6]])
        #expect(batch.addedCount == 4)
        let failures = batch.failures.map(\.description)
        #expect(failures.count == 3, "\(failures)")
        for (failure, expected) in zip(failures, Self.mixedRefusals) {
            #expect(failure.hasPrefix(expected), "\(failure)")
        }
        #expect(batch.failures.map(\.object) == [nil, nil, "2247490098_1"])
    }

    /// The store takes samples in chunks (``SampleChunkSink``), packed under the lock: the
    /// refused ones must not reach its files either.
    @Test(arguments: Handing.allCases)
    func refusesAValueItsMetricCannotHoldOnTheWayToTheStore(_ handing: Handing) throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: LogRecorder().logger)
        let batch = SampleBatch(sink: store, chunkSize: 2, adapter: "wechat-main")
        try handing.add(Self.mixed, to: batch)
        try batch.commit()
        try store.close()
        #expect(batch.counts.written == 4)
        #expect(batch.failures.count == 3)
        let rows = try #require(directory.text("data/wechat/2025-03/main.csv"))
        #expect(!rows.contains(",-1,") && !rows.contains(",1.5,") && !rows.contains(",2,exact"))
        #expect(rows.contains(",wechat_net_followers,-3,") && rows.contains(",completion_rate,0.5,"))
    }

    @Test func namesThePlatformWhenTheBatchKnowsNoAdapter() throws {
        let batch = SampleBatch(sink: RecordingSink())
        try batch.add(sample(platform: .bilibili, account: "208259", value: .integer(-1)))
        #expect(batch.failures.map(\.adapter) == ["bilibili"])
    }

    /// An adapter that gets every value wrong does not fill the summary: the first refusals
    /// are listed, the rest counted in one more failure, started over for each collection.
    @Test func listsTheFirstRefusalsAndCountsTheRest() throws {
        let batch = SampleBatch(sink: RecordingSink(), adapter: "wechat-main")
        let negative = (1...25).map { sample(object: "\($0)_1", metric: .views, value: .integer(-Int64($0))) }
        try batch.add(contentsOf: negative)
        let failures = batch.failures
        #expect(failures.count == SampleBatch.listedRefusals + 1)
        #expect(
            failures.last?.message
                == "5 more values that their metrics cannot hold, as above, were not written (the last: views = -25"
                + " of object 25_1)"
        )
        batch.beginCollection()
        try batch.add(negative[0])
        #expect(batch.failures.count == 1)
    }

    /// The exec adapter's parser checked the line already: a value it let through is not
    /// looked at again (nor refused by a second set of rules).
    @Test func leavesTheValuesOfSamplesGivenAsBytesToTheirCaller() throws {
        let sink = RecordingSink()
        let batch = SampleBatch(sink: sink)
        var account = "a1"
        var metric = "views"
        try account.withUTF8 { account in
            try metric.withUTF8 { metric in
                try batch.add(
                    time: time("2025-03-04T00:00:00+08:00"),
                    platform: .wechat,
                    account: UnsafeRawBufferPointer(account),
                    object: UnsafeRawBufferPointer(start: nil, count: 0),
                    metric: UnsafeRawBufferPointer(metric),
                    value: .integer(-1),
                    quality: .exact,
                    source: .exec
                )
            }
        }
        try batch.commit()
        #expect(batch.failures.isEmpty)
        #expect(sink.samples.count == 1)
    }
}
