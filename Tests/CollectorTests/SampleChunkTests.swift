import Collector
import CollectorTesting
import Testing

struct SampleChunkTests {
    /// Samples whose strings repeat, alternate, come back after more than a memo holds, and
    /// need CSV quoting.
    private static let samples: [Sample] = {
        var samples: [Sample] = []
        let metrics: [MetricName] = [
            .views, .viewers, .shares, .completionRate, MetricName(rawValue: "wechat_share_users"),
            MetricName(rawValue: "wechat_delivered"), MetricName(rawValue: "wechat_follows_after_read"),
        ]
        for article in 0..<40 {
            for (position, metric) in metrics.enumerated() where (article + position) % 5 != 0 {
                samples.append(
                    sample(
                        article % 2 == 0 ? "2025-03-04T00:00:00+08:00" : "2025-03-05T09:30:00+08:00",
                        platform: article % 3 == 0 ? .wechat : .bilibili,
                        account: "account-\(article % 11)",
                        object: article % 7 == 0 ? "" : "2247\(article)_1 \"quoted\", long enough to live on the heap",
                        metric: metric,
                        value: metric == .completionRate
                            ? .decimal(DecimalValue(mantissa: -Int64(article) * 1000 - 7, scale: 4))
                            : .integer(Int64(article) * 1_000_003 - 5),
                        quality: [Quality.exact, .approx, .lowerBound][article % 3],
                        source: [Source.api, .import, .exec, .web][article % 4]
                    )
                )
            }
        }
        return samples
    }()

    @Test func givesBackEverySampleItWasGiven() {
        var chunk = SampleChunk()
        chunk.append(contentsOf: Self.samples)
        #expect(chunk.count == Self.samples.count)
        #expect(chunk.samples == Self.samples)
    }

    @Test func givesBackSamplesGivenAsBytes() {
        var chunk = SampleChunk()
        for sample in Self.samples {
            var account = sample.account
            var object = sample.object
            var metric = sample.metric.rawValue
            account.withUTF8 { account in
                object.withUTF8 { object in
                    metric.withUTF8 { metric in
                        chunk.append(
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
        #expect(chunk.samples == Self.samples)
    }

    @Test func startsAfreshOnceEmptied() {
        var chunk = SampleChunk()
        chunk.append(contentsOf: Self.samples)
        chunk.removeAll()
        #expect(chunk.isEmpty)
        let next = [sample(account: "other", object: "x"), sample(account: "other", object: "y")]
        chunk.append(contentsOf: next)
        #expect(chunk.samples == next)
    }

    @Test func readsAWholeNumberDecimalBackAsAnInteger() {
        // The store compares and writes 12 and 12.0 alike; a chunk keeps the digits only.
        var chunk = SampleChunk()
        chunk.append(sample(value: .decimal(DecimalValue(mantissa: 120, scale: 1))))
        #expect(chunk.samples.map(\.value) == [.integer(12)])
    }

    @Test func writesTheSameFilesAsSamplesOneByOne() throws {
        let directory = try TemporaryDirectory()
        let logs = LogRecorder()
        var settings = directory.settings()
        settings.dataDirectory = directory.path + "/chunked"
        let chunked = try SampleStore(settings: settings, logger: logs.logger)
        var chunk = SampleChunk()
        chunk.append(contentsOf: Self.samples + Self.samples)
        let chunkCounts = try chunked.write(chunk: chunk)
        try chunked.close()

        settings.dataDirectory = directory.path + "/single"
        let single = try SampleStore(settings: settings, logger: logs.logger)
        var singleCounts = WriteCounts()
        for sample in Self.samples + Self.samples { singleCounts += try single.write([sample]) }
        try single.close()

        #expect(chunkCounts == singleCounts)
        #expect(chunkCounts.written == Self.samples.count)
        #expect(chunkCounts.duplicates == Self.samples.count)
        for file in ["wechat/2025-03/main.csv", "bilibili/2025-03/main.csv"] {
            let written = try #require(directory.text("chunked/" + file))
            #expect(written == directory.text("single/" + file))
            #expect(written.hasPrefix(csvHeader))
        }
    }
}
