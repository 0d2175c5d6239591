package import Collector

/// A platform's daily API quota that was used up (WeChat 45009, Douyin 28003017 / 2190001,
/// PLATFORMS.md §2, §3.3): no call before the next 00:00 Beijing time, when the platforms reset
/// it. The instant is kept in `state_dir` (WeChat in the account's cursor, Douyin in a file of
/// the instance, whose accounts share the app's quota), so the next tick of the same day, a
/// `run --once --due` or the service, fails the account without asking the platform again.
package enum DailyQuotaStop {
    /// The instant the quota used up at `now` is available again: the next 00:00 Beijing time.
    package static func until(after now: Timestamp) -> Timestamp {
        let beijing = PlatformCalendar.beijing
        return beijing.startOfDay(beijing.civilDate(of: now).adding(days: 1))
    }

    /// Whether `error` says the day's quota is used up.
    package static func isUsedUp(_ error: AdapterError) -> Bool {
        error.hasSameKind(as: .quotaExhausted(""))
    }

    /// Fails the account while a stop recorded earlier is in force.
    /// - Parameters:
    ///   - quota: what was used up, for the message (`the daily API quota (45009)`).
    /// - Throws: ``AdapterError/quotaExhausted(_:platformCode:requestID:)`` before `until`.
    package static func check(
        _ until: Timestamp?,
        now: Timestamp,
        quota: String,
        platformCode: String
    ) throws(AdapterError) {
        guard let until, now < until else { return }
        throw AdapterError.quotaExhausted(
            "\(quota) was used up earlier; no calls until \(PlatformCalendar.beijing.render(until))",
            platformCode: platformCode
        )
    }

    /// The stop kept in the state file `file` (`{"stopped_until":"2025-11-26T00:00:00+08:00"}`),
    /// or nil when there is none or it cannot be read (a damaged file costs one call at most).
    package static func load(_ file: String, state: StateStore) throws(StorageError) -> Timestamp? {
        guard let bytes = try state.read(file), let json = try? JSONValue.parse(bytes),
            let text = json["stopped_until"]?.stringValue
        else { return nil }
        return PlatformCalendar.parseRFC3339(text)
    }

    /// Keeps `until` in the state file `file`.
    package static func save(_ until: Timestamp, file: String, state: StateStore) throws(StorageError) {
        let json = JSONValue.object([JSONMember("stopped_until", .string(PlatformCalendar.beijing.render(until)))])
        try state.write(file, Array(json.serialized().utf8))
    }
}
