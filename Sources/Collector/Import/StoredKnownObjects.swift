import Synchronization

/// The catalogue `<data_dir>/<platform>/objects.csv` as ``KnownObjects``: read on the first
/// question for a platform and kept for the rest of the import (one platform per import).
public final class StoredKnownObjects: KnownObjects {
    private let settings: CollectorSettings
    private let loaded = Mutex<[Platform: [String: [ContentObject]]]>([:])

    /// Reads the catalogues under `settings.dataDirectory`.
    public init(settings: CollectorSettings) {
        self.settings = settings
    }

    /// The catalogue rows of `account` on `platform`; none when there is no catalogue yet.
    public func objects(platform: Platform, account: String) throws(ImportError) -> [ContentObject] {
        if let rows = loaded.withLock({ $0[platform] }) { return rows[account] ?? [] }
        let path = settings.dataDirectory + "/" + platform.rawValue + "/" + ObjectCatalogue.fileName
        var rows: [String: [ContentObject]] = [:]
        do {
            try ObjectCatalogue.forEachRow(path) { fields in
                let text = fields.map { String(decoding: $0, as: UTF8.self) }
                rows[text[1], default: []].append(
                    ContentObject(
                        platform: platform,
                        object: text[0],
                        account: text[1],
                        publishedAt: PlatformCalendar.parseRFC3339(text[2]),
                        title: text[3],
                        url: text[4]
                    )
                )
            }
        } catch {
            if let code = error.errno { throw ImportError.unreadable(path, operation: error.operation, errno: code) }
            throw ImportError.storage(path, error)
        }
        loaded.withLock { $0[platform] = rows }
        return rows[account] ?? []
    }
}
