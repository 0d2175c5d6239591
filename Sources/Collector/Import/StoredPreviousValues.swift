import Synchronization

/// The values already in the store, for the self-report checks (``PreviousValues``): the
/// account-level `followers`, `posts` and `views` rows, read on the first question one partition at a
/// time, as readers see them (SPEC §3: the last row of a key wins, an estimate replaces an
/// exact value only when it disproves it). Only those rows are kept, so a store of millions of content rows costs
/// no more memory than its account totals.
public final class StoredPreviousValues: PreviousValues {
    private let settings: CollectorSettings
    private let platforms: [Platform]
    private let series = Mutex<[String: [Stored]]?>(nil)

    /// A value, and whether it is stamped at 00:00 of its day: where the self-report sheet
    /// stamps its own, so that only such a value is one a sheet's value replaces.
    private struct Stored {
        var value: PreviousValue
        var atStartOfDay: Bool
    }

    /// The metrics whose values are kept.
    static let metrics: [MetricName] = [.followers, .posts, .views]

    /// Reads the store under `settings.dataDirectory`, for `platforms` (every platform when empty).
    public init(settings: CollectorSettings, platforms: [Platform] = []) {
        self.settings = settings
        self.platforms = platforms
    }

    /// The last stored value of `metric` for `account` on a day before `date`.
    public func lastValue(
        platform: Platform,
        account: String,
        metric: MetricName,
        before date: CivilDate
    ) throws(ImportError) -> PreviousValue? {
        let loaded = try load()
        return (loaded[StoredPreviousValues.key(platform.rawValue, account, metric.rawValue)] ?? []).last {
            $0.value.date < date
        }?.value
    }

    /// The stored value of `metric` for `account` stamped at 00:00 of `date`, where the
    /// self-report sheet stamps its values: the one a sheet's value for that day replaces.
    public func value(
        platform: Platform,
        account: String,
        metric: MetricName,
        on date: CivilDate
    ) throws(ImportError) -> PreviousValue? {
        let loaded = try load()
        return (loaded[StoredPreviousValues.key(platform.rawValue, account, metric.rawValue)] ?? []).last {
            $0.atStartOfDay && $0.value.date == date
        }?.value
    }

    private func load() throws(ImportError) -> [String: [Stored]] {
        if let loaded = series.withLock({ $0 }) { return loaded }
        var loaded: [String: [Stored]] = [:]
        do {
            try read(into: &loaded)
        } catch {
            throw ImportError.storage(settings.dataDirectory, error)
        }
        for key in loaded.keys { loaded[key]?.sort { $0.value.date < $1.value.date } }
        series.withLock { $0 = loaded }
        return loaded
    }

    private func read(into loaded: inout [String: [Stored]]) throws(StorageError) {
        let wanted = StoredPreviousValues.metrics.map { Array($0.rawValue.utf8) }
        let data = settings.dataDirectory
        let tables = PartitionMerger.Tables()
        for platform in try DirectoryListing.platformFolders(
            dataDirectory: data,
            platforms: platforms.isEmpty ? nil : platforms
        ) {
            let platformDirectory = data + "/" + platform.rawValue
            for month in try DirectoryListing.monthFolders(platformDirectory: platformDirectory) {
                let directory = platformDirectory + "/" + month
                let merger = PartitionMerger(tables: tables)
                // One file per instance, of a format that is current, as export reads them.
                for (path, format) in try Exporter.currentFiles(in: directory, formats: settings.formats) {
                    _ = try PartitionScanner.scan(path: path, format: format) { row, _ in
                        guard row.object.isEmpty, wanted.contains(where: { $0.elementsEqual(row.metric) }) else {
                            return
                        }
                        merger.add(row)
                    }
                }
                for row in merger.rows where row.scale == 0 {
                    tables.withRowParts(of: row) { parts in
                        let key = StoredPreviousValues.key(
                            String(decoding: parts.platform, as: UTF8.self),
                            String(decoding: parts.account, as: UTF8.self),
                            String(decoding: parts.metric, as: UTF8.self)
                        )
                        let date = settings.calendar.civilDate(of: parts.time)
                        loaded[key, default: []].append(
                            Stored(
                                value: PreviousValue(date: date, value: row.mantissa, quality: row.quality),
                                atStartOfDay: parts.time == settings.calendar.startOfDay(date)
                            )
                        )
                    }
                }
            }
        }
    }

    private static func key(_ platform: String, _ account: String, _ metric: String) -> String {
        platform + "\u{0}" + account + "\u{0}" + metric
    }
}
