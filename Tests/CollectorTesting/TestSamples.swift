public import Collector

extension Sample {
    /// What the runner's and the scheduler's test adapters emit for an account: a Bilibili
    /// `followers` sample of 1, stamped `time`.
    public static func testFollowers(_ account: String, at time: Timestamp) -> Sample {
        Sample(time: time, platform: .bilibili, account: account, metric: .followers, value: .integer(1), source: .web)
    }
}
