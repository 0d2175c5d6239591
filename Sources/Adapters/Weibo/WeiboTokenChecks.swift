import Collector
import Synchronization

/// The outcome of the last `oauth2/get_token_info` call per token, so that each token is
/// checked once per run and an expired one fails the next accounts without a request.
final class WeiboTokenChecks: Sendable {
    /// What a check found.
    struct Record: Sendable {
        /// The token it was about: a token replaced by `collector auth` is checked afresh.
        var token: Secret
        var checked: Timestamp
        /// The uid the token belongs to, when the check told.
        var uid: String?
        /// Set when the token is expired or revoked.
        var failure: AdapterError?
    }

    private let records = Mutex<[String: Record]>([:])

    /// The record for `key` when it is about `token` and younger than `window` seconds.
    func recent(_ key: String, token: Secret, now: Timestamp, window: Int64) -> Record? {
        records.withLock { records in
            guard let record = records[key], record.token == token,
                now.secondsSinceEpoch - record.checked.secondsSinceEpoch < window
            else { return nil }
            return record
        }
    }

    /// Remembers a check.
    func store(_ key: String, _ record: Record) {
        records.withLock { $0[key] = record }
    }
}
