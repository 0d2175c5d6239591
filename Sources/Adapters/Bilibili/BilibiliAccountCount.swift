import Collector

/// One account count of either Bilibili adapter (`x/relation/stat` and the card for `bilibili`,
/// arcopen `data/user/stat` for `bilibili_open`), read by the rules the video counters follow
/// (``BilibiliVideoStats``, docs/adapters/bilibili.md): one reading of a count for both.
///
/// A number is exact, a display string such as the card's `"31.1万"` is approximate (`"10万+"`
/// a lower bound), a placeholder such as `"--"` or `null` writes no row and no failure, and the
/// account's other counts are kept. An absent field, or a value that is no count, is a
/// `schemaChanged` error of the account, naming the field.
enum BilibiliAccountCount {
    /// What a negative number means where it comes.
    enum Negative {
        /// The web API's `-1` for a figure the account does not show: no row, a notice.
        case notPublished
        /// Passed on to the batch, which refuses it as any adapter's (`invalidValue`): arcopen
        /// has no such convention known, so a negative count there is a fault to report.
        case passedOn
    }

    /// Adds the count at `path` of `reader` as `metric`; absent: an error, or nothing when
    /// `optional`.
    static func add(
        _ metric: MetricName,
        at path: String,
        of reader: JSONReader,
        time: Timestamp,
        account: String,
        adapter: String,
        source: Source,
        negative: Negative,
        into batch: SampleBatch,
        optional: Bool = false
    ) throws {
        guard let raw = reader.value(path) else {
            if optional { return }
            // The reader's own error names the missing field. A field that is there but null
            // goes on to `CountString`, which reads it as the placeholder it is.
            do {
                _ = try reader.int64(path)
            } catch {
                throw error.adapterError
            }
            return
        }
        if negative == .notPublished, let value = raw.int64Value, value < 0 {
            // A hidden figure is not zero (PLATFORMS.md §7), and the owner's choice is no fault:
            // a notice, which leaves the exit code alone.
            batch.recordNotice(
                CollectionFailure(
                    adapter: adapter,
                    account: account,
                    label: "notPublished",
                    message:
                        "\(reader.origin): \(path) = \(value): the platform gives a negative number for a count the"
                        + " account does not show; no \(metric) row was written (nothing to fix unless the count is public"
                        + " on space.bilibili.com/\(account))"
                )
            )
            return
        }
        let value: SampleValue
        let quality: Quality
        if let integer = raw.int64Value {
            // The usual answer, a JSON integer: exact, without a detour through the parser.
            (value, quality) = (.integer(integer), .exact)
        } else {
            switch CountString.parse(json: raw) {
            case .count(let count):
                (value, quality) = (count.sampleValue, count.quality)
            case .missing:
                return
            case .rejected(let reason):
                // Worded as the video counters' problems are (BilibiliVideoStats).
                throw AdapterError.schemaChanged(
                    "\(reader.origin): field \"\(reader.path(path))\": \(reason) (the platform may have changed its response)"
                )
            }
        }
        try batch.add(
            Sample(
                time: time,
                platform: .bilibili,
                account: account,
                metric: metric,
                value: value,
                quality: quality,
                source: source
            )
        )
    }
}
