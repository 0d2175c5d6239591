import CollectorTesting
import Testing

@testable import Collector

/// The OpenMetrics export sorts through a temporary file instead of holding the range: the
/// output is byte for byte the one the in-memory grouping gives.
@Suite(.serialized)
struct OpenMetricsSpillTests {
    /// Three platforms, three months, two instances, five families (one named only in the last
    /// month), 120 accounts (runs longer than a read block), quoted and non-ASCII ids, estimates
    /// beside exact rows, a row stamped outside its month folder.
    private func populated() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (platform, prefix) in [("wechat", "gh_"), ("bilibili", "2"), ("weibo", "5")] {
            for (month, days) in [("2025-01", 31), ("2025-02", 28), ("2025-03", 31)] {
                var main = csvHeader
                var shard = csvHeader
                for day in 1...days {
                    let time = "\(month)-\(day < 10 ? "0" : "")\(day)T00:00:00+08:00"
                    for account in 0..<120 {
                        // Accounts in an order that is not their bytewise one.
                        let id = "\(prefix)\((account * 37) % 120)"
                        main += "\(time),\(platform),\(id),,followers,\(1000 + account * 10 + day),exact,api\n"
                        if account % 3 == 0 {
                            main += "\(time),\(platform),\(id),,views,\(day * account),exact,api\n"
                        }
                    }
                    main += "\(time),\(platform),账号,\"a\"\"b\\c\",views,\(day),approx,web\n"
                    main += "\(time),\(platform),账号,,likes,0.\(day),lower_bound,import\n"
                    shard += "\(time),\(platform),\(prefix)7,,followers,\(day),approx,web\n"
                    shard += "\(time),\(platform),\(prefix)7,,posts_new,1,exact,exec\n"
                    if month == "2025-03" {
                        shard += "\(time),\(platform),\(prefix)7,x,wechat_share_users,\(day),exact,import\n"
                    }
                }
                directory.write("data/\(platform)/\(month)/main.csv", main)
                directory.write("data/\(platform)/\(month)/shard2.csv", shard)
            }
        }
        directory.write(
            "data/weibo/2025-02/late.csv",
            csvHeader + "2025-03-01T09:00:00+08:00,weibo,59,,followers,5,exact,api\n"
        )
        return directory
    }

    private func export(_ directory: TemporaryDirectory, inMemory: Bool) throws -> (text: String, rows: Int) {
        var rows = 0
        let text = try directory.capture { fd in
            rows = try Exporter.export(
                settings: directory.settings(),
                format: .openmetrics,
                from: nil,
                to: nil,
                platforms: [],
                fileDescriptor: fd,
                logger: nil,
                openMetricsInMemory: inMemory
            )
        }
        return (text, rows)
    }

    @Test func spilledOutputIsTheInMemoryOutputByteForByte() throws {
        let directory = try populated()
        let spilled = try export(directory, inMemory: false)
        let held = try export(directory, inMemory: true)
        #expect(spilled.rows == held.rows)
        #expect(spilled.rows > 40_000)
        #expect(spilled.text == held.text)
        // Families once each, in name order, `# EOF` last.
        let families = spilled.text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(families.count == 5 && families == families.sorted())
        #expect(spilled.text.hasSuffix("\n# EOF\n"))
    }
}
