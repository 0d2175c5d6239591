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
}
