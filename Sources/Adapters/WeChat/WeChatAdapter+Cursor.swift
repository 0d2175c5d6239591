package import Collector
import Logging

extension WeChatAdapter {
    /// What an account's earlier runs achieved, kept in `state_dir` as
    /// `wechat-<instance>-<account>.cursor` (JSON), saved only after the samples it accounts for
    /// were committed, so a crash makes a run repeat work rather than skip it.
    ///
    /// ```json
    /// {"biz_delayed_from":"2025-11-18","biz_through":"2025-11-24","cumulate_through":"2025-11-24",
    ///  "stopped_until":"2025-11-26T00:00:00+08:00","summary_through":"2025-11-24"}
    /// ```
    package struct Cursor: Sendable, Hashable {
        /// The last day of `getusercumulate` stored.
        package var cumulateThrough: CivilDate?
        /// The last day of `getusersummary` stored.
        package var summaryThrough: CivilDate?
        /// The last day of `getbizsummary` stored.
        package var bizThrough: CivilDate?
        /// The earliest `getbizsummary` day served while `is_delay` was true: re-polled from
        /// there until the platform calls the data final.
        package var bizDelayedFrom: CivilDate?
        /// The last day of the legacy `getuserread` stored.
        package var legacyReadThrough: CivilDate?
        /// After 45009 (daily quota): no call before this instant, the next 00:00 Beijing time.
        package var stoppedUntil: Timestamp?

        /// A cursor; all empty is the first run's.
        package init(
            cumulateThrough: CivilDate? = nil,
            summaryThrough: CivilDate? = nil,
            bizThrough: CivilDate? = nil,
            bizDelayedFrom: CivilDate? = nil,
            legacyReadThrough: CivilDate? = nil,
            stoppedUntil: Timestamp? = nil
        ) {
            self.cumulateThrough = cumulateThrough
            self.summaryThrough = summaryThrough
            self.bizThrough = bizThrough
            self.bizDelayedFrom = bizDelayedFrom
            self.legacyReadThrough = legacyReadThrough
            self.stoppedUntil = stoppedUntil
        }

        /// Reads the stored form; unknown members are ignored, so older and newer versions can read it.
        /// - Throws: A message naming the member that is not what it should be.
        package init(json: JSONValue) throws(CursorError) {
            guard json.objectMembers != nil else { throw CursorError(problem: "is not a JSON object") }
            func day(_ key: String) throws(CursorError) -> CivilDate? {
                guard let value = json[key], !value.isNull else { return nil }
                guard let text = value.stringValue, let date = CivilDate(parsing: text) else {
                    throw CursorError(problem: "has \"\(key)\" that is not a date yyyy-MM-dd")
                }
                return date
            }
            cumulateThrough = try day("cumulate_through")
            summaryThrough = try day("summary_through")
            bizThrough = try day("biz_through")
            bizDelayedFrom = try day("biz_delayed_from")
            legacyReadThrough = try day("legacy_read_through")
            if let value = json["stopped_until"], !value.isNull {
                guard let text = value.stringValue, let time = PlatformCalendar.parseRFC3339(text) else {
                    throw CursorError(problem: "has \"stopped_until\" that is not an RFC 3339 time")
                }
                stoppedUntil = time
            }
        }

        /// The stored form: only the members that are set.
        package var json: JSONValue {
            var members: [JSONMember] = []
            func add(_ key: String, _ date: CivilDate?) {
                if let date { members.append(JSONMember(key, .string(date.description))) }
            }
            add("cumulate_through", cumulateThrough)
            add("summary_through", summaryThrough)
            add("biz_through", bizThrough)
            add("biz_delayed_from", bizDelayedFrom)
            add("legacy_read_through", legacyReadThrough)
            if let stoppedUntil {
                members.append(JSONMember("stopped_until", .string(PlatformCalendar.beijing.render(stoppedUntil))))
            }
            return .object(members)
        }
    }

    /// A cursor file that cannot be read as a cursor.
    package struct CursorError: Error, Sendable, Hashable {
        /// What is wrong, completing "the cursor file …".
        package var problem: String
    }

    /// `wechat-<instance>-<account>.cursor`.
    package static func cursorFileName(instance: String, account: String) -> String {
        "wechat-\(instance)-\(account).cursor"
    }

    /// The account's cursor; a missing file is a first run, and so is a damaged one (with a
    /// warning, and the file removed): refetching is harmless, since stored rows are not
    /// written twice.
    func loadCursor(account: String, context: AdapterContext) throws -> Cursor {
        let file = Self.cursorFileName(instance: name, account: account)
        guard let bytes = try context.state.read(file) else { return Cursor() }
        do {
            return try Cursor(json: try JSONValue.parse(bytes))
        } catch {
            let problem = (error as? CursorError)?.problem ?? "is not valid JSON (\(error))"
            context.logger.warning(
                "the cursor file \(context.state.path(file)) \(problem); starting over with backfill_days"
            )
            // Said once: the next run starts from no file rather than warning again.
            try context.state.remove(file)
            return Cursor()
        }
    }

    /// Saves the cursor (dropped under `collector test`, whose state store is read-only).
    func saveCursor(_ cursor: Cursor, account: String, context: AdapterContext) throws {
        let file = Self.cursorFileName(instance: name, account: account)
        try context.state.write(file, Array(cursor.json.serialized().utf8))
    }
}
