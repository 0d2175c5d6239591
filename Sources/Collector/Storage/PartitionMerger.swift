/// The rows of one partition as a reader sees them (SPEC §3): one per key, the last one wins,
/// except that an `approx` or `lower_bound` value replaces an `exact` one only when it
/// disproves it (``KeyPrecedence``). Used by
/// compaction and export.
///
/// Rows are held as numbers into shared ``StringTable``s, 32 bytes each, plus the key index
/// (13 bytes a slot): a partition of a million rows takes about 50 MB, never its file size.
final class PartitionMerger {
    /// One surviving row, its strings interned.
    struct Row {
        var time: Int64
        var mantissa: Int64
        var account: UInt32
        var object: UInt32
        var platform: UInt16
        var metric: UInt16
        var scale: UInt8
        var quality: Quality
        var source: Source

        var value: StoredValue { StoredValue(mantissa: mantissa, scale: scale) }
    }

    /// The strings of every merger sharing them (an export's partitions share one set).
    final class Tables {
        let platforms = StringTable()
        let accounts = StringTable()
        let objects = StringTable()
        let metrics = StringTable()

        /// Creates empty tables.
        init() {}

        /// Calls `body` with `row` as ``RowParts``.
        func withRowParts<Result>(of row: Row, _ body: (RowParts) -> Result) -> Result {
            platforms.withBytes(UInt32(row.platform)) { platform in
                accounts.withBytes(row.account) { account in
                    objects.withBytes(row.object) { object in
                        metrics.withBytes(UInt32(row.metric)) { metric in
                            body(
                                RowParts(
                                    time: Timestamp(secondsSinceEpoch: row.time),
                                    platform: platform,
                                    account: account,
                                    object: object,
                                    metric: metric,
                                    value: row.value,
                                    quality: row.quality,
                                    source: row.source
                                )
                            )
                        }
                    }
                }
            }
        }
    }

    /// The strings of the rows.
    let tables: Tables
    /// The surviving rows, in the order their keys first appeared.
    private(set) var rows: [Row] = []
    private let index = KeyIndex()
    /// Rows fed in.
    private(set) var rowsRead = 0
    /// Rows a later row of their key replaced (a changed value, or a better quality).
    private(set) var superseded = 0
    /// Rows that repeated their key's value: the collector never writes them, another tool may.
    private(set) var duplicates = 0
    /// `approx` or `lower_bound` rows an `exact` value of their key outranks.
    private(set) var outranked = 0
    /// Whether the rows came in time order with no key twice: nothing to compact.
    private(set) var isCompact = true
    /// More than 65,535 platform or metric names: rows were dropped.
    private(set) var tooManyNames = false
    private var lastTime = Int64.min

    /// Creates an empty merger whose strings go to `tables`.
    init(tables: Tables = Tables()) {
        self.tables = tables
    }

    /// Feeds the next row.
    func add(_ row: RowParts) {
        rowsRead += 1
        let time = row.time.secondsSinceEpoch
        if time < lastTime { isCompact = false }
        lastTime = time
        let hash = row.keyHash
        if let slot = index.find(hash) {
            isCompact = false
            let position = Int(index.payload(at: slot))
            let stored = rows[position]
            let outcome = KeyPrecedence.outcome(
                value: row.value,
                quality: row.quality,
                storedValue: stored.value,
                storedQuality: stored.quality
            )
            switch outcome {
            case .duplicate: duplicates += 1
            case .outranked: outranked += 1
            case .supersedes: superseded += 1
            }
            guard outcome == .supersedes else { return }
            // The key is the same; only the value, quality and source change.
            rows[position].mantissa = row.value.mantissa
            rows[position].scale = row.value.scale
            rows[position].quality = row.quality
            rows[position].source = row.source
        } else {
            let platform = tables.platforms.number(of: row.platform)
            let metric = tables.metrics.number(of: row.metric)
            guard platform <= UInt16.max, metric <= UInt16.max else {
                tooManyNames = true
                return
            }
            index.insert(hash, payload: UInt32(truncatingIfNeeded: rows.count), metadata: 0)
            rows.append(
                Row(
                    time: time,
                    mantissa: row.value.mantissa,
                    account: tables.accounts.number(of: row.account),
                    object: tables.objects.number(of: row.object),
                    platform: UInt16(platform),
                    metric: UInt16(metric),
                    scale: row.value.scale,
                    quality: row.quality,
                    source: row.source
                )
            )
        }
    }

    /// The surviving rows by time, rows of the same time in the order their keys appeared.
    func sortedRows() -> [Row] {
        var order = [UInt32](0..<UInt32(rows.count))
        order.sort { (rows[Int($0)].time, $0) < (rows[Int($1)].time, $1) }
        return order.map { rows[Int($0)] }
    }

    /// The error to report when ``tooManyNames`` is set.
    static func tooManyNamesError(_ directory: String) -> StorageError {
        StorageError(
            path: directory,
            operation: "read",
            detail: "more than 65,535 distinct platform or metric names; the files are not SPEC §3 data"
        )
    }
}
