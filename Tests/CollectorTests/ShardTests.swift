import Collector
import Testing

@Suite struct ShardTests {
    @Test func shardsAreDisjointAndComplete() throws {
        let shards = try (0..<4).map { try #require(Shard(index: $0, count: 4)) }
        for number in 0..<1000 {
            let account = String(100_000 + number)
            let owners = shards.filter { $0.contains(platform: .bilibili, account: account) }
            #expect(owners.count == 1)
        }
    }

    @Test func shardsSpreadAccounts() throws {
        let shard = try #require(Shard(index: 0, count: 2))
        let mine = (0..<1000).filter { shard.contains(platform: .weibo, account: "u\($0)") }.count
        #expect((350...650).contains(mine))
    }

    @Test func assignmentIsStableAcrossRuns() throws {
        // FNV-1a of "bilibili/208259" is fixed; a seeded hash would change between processes.
        let shard = try #require(Shard(parsing: "0/1"))
        #expect(shard.contains(platform: .bilibili, account: "208259"))
        #expect(Shard(parsing: "3/4")?.description == "3/4")
    }

    @Test(arguments: ["4/4", "-1/4", "1", "a/b", "0/0", ""])
    func refusesBadSpecifications(text: String) {
        #expect(Shard(parsing: text) == nil)
    }
}
