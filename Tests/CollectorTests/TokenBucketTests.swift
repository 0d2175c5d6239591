import Collector
import Testing

struct TokenBucketTests {
    @Test(arguments: [
        // rate count, period s, burst, call times ms → expected waits ms
        (2, 1, 1, [0, 0, 0], [0, 500, 1000]),
        (2, 1, 1, [0, 2000, 2100], [0, 0, 400]),
        (1, 1, 2, [0, 0, 0, 0], [0, 0, 1000, 2000]),
        (4, 60, 1, [0, 1000], [0, 14000]),
    ])
    func reservesTokensInOrder(count: Int, period: Int64, burst: Int, calls: [Int64], waits: [Int64]) {
        let bucket = TokenBucket(rate: Rate(count: count, per: .seconds(period)), burst: burst)
        let result = calls.map { bucket.reserve(at: .milliseconds($0)) }
        #expect(result == waits.map { Duration.milliseconds($0) })
    }

    @Test func intervalIsThePeriodOverTheCount() {
        #expect(TokenBucket(rate: Rate(count: 50_000, per: .seconds(86_400))).interval == .milliseconds(1728))
    }
}
