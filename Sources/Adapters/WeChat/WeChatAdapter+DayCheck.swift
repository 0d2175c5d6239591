import Collector
import Logging

extension WeChatAdapter {
    /// Holds every datacube answer to the days it can describe: the window asked for (a row's
    /// `ref_date`), or an article's publish date through yesterday (its `stat_date`).
    ///
    /// The platform's answer is not trusted to hold the window: a row dated outside it is not
    /// written, since a day after yesterday (an unfinished or future day) would be "the latest
    /// value" in every report until its time came, and a day before the window is not what the
    /// cursor accounts for. The first such day of an endpoint is reported once per collection,
    /// as a changed response; the readers then advance their cursor over the days kept only, so
    /// the asked days that did not come back are asked again.
    struct DayCheck {
        /// The endpoints whose out-of-range day was reported in this collection.
        private var reported: Set<String> = []

        /// Whether a row dated `day` may be written; when not, reports it the first time for
        /// `endpoint`.
        /// - Parameters:
        ///   - day: The row's date.
        ///   - field: Where it was read (`ref_date`, `detail_list[].stat_date`), for the message.
        ///   - range: The days the row may describe.
        ///   - meaning: What `range` is, in words (`the days asked for`).
        ///   - endpoint: The datacube endpoint, reported once per collection.
        ///   - window: The window asked for, for the message.
        ///   - report: Records the failure and logs it.
        mutating func admits(
            _ day: CivilDate,
            field: String,
            in range: DateWindow,
            meaning: String,
            endpoint: String,
            asked window: DateWindow,
            report: (AdapterError) -> Void
        ) -> Bool {
            guard day < range.begin || day > range.end else { return true }
            guard reported.insert(endpoint).inserted else { return false }
            report(
                .schemaChanged(
                    "wechat /datacube/\(endpoint) \(window): the answer holds \(field) \(day), outside \(range) (\(meaning)); no row outside it is written, and the days asked for that did not come back are asked again next run (the platform may have changed its response; report it if it recurs)"
                )
            )
            return false
        }
    }

    /// Whether a row of `endpoint` dated `day` lies in `range` (the window asked for unless
    /// given); reports the first one outside it per endpoint and collection (``DayCheck``).
    func admits(
        _ day: CivilDate,
        field: String = "ref_date",
        in range: DateWindow? = nil,
        meaning: String = "the days asked for",
        endpoint: String,
        asked window: DateWindow,
        run: inout Collection
    ) -> Bool {
        let account = run.account
        let batch = run.batch
        let logger = run.context.logger
        return run.dayCheck.admits(
            day,
            field: field,
            in: range ?? window,
            meaning: meaning,
            endpoint: endpoint,
            asked: window
        ) { error in
            batch.recordFailure(
                CollectionFailure(adapter: name, account: account, label: error.label, message: error.message)
            )
            logger.warning("\(error.message)", metadata: ["endpoint": "\(endpoint)", "error": "\(error.label)"])
        }
    }
}
