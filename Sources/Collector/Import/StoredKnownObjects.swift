import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The catalogue `<data_dir>/<platform>/objects.csv` as ``KnownObjects``: read on the first
/// question for a platform and kept while the file is unchanged (one platform per import).
/// The files of one `collector import` or drop-folder pass are committed one by one, so the
/// catalogue is read again once the works of a file before are in it: a second file then finds
/// them (an Excel re-save of the first, ``CodePage936``).
public final class StoredKnownObjects: KnownObjects {
    private let settings: CollectorSettings
    private let loaded = Mutex<[Platform: (stamp: Stamp?, rows: [String: [ContentObject]])]>([:])

    /// The size and modification time of a catalogue read, to see that it changed since.
    private struct Stamp: Equatable {
        var size: Int64
        var modified: Int64
    }

    /// Reads the catalogues under `settings.dataDirectory`.
    public init(settings: CollectorSettings) {
        self.settings = settings
    }

    /// The catalogue rows of `account` on `platform`; none when there is no catalogue yet.
    public func objects(platform: Platform, account: String) throws(ImportError) -> [ContentObject] {
        try rows(platform: platform)[account] ?? []
    }

    /// The accounts each content id of `platform` is catalogued under; none when there is no
    /// catalogue yet.
    public func accountsByObject(platform: Platform) throws(ImportError) -> [String: [String]] {
        var accounts: [String: [String]] = [:]
        for (account, objects) in try rows(platform: platform) {
            for object in objects { accounts[object.object, default: []].append(account) }
        }
        return accounts
    }

    /// The catalogue rows of `platform` by account, read again when the file changed.
    private func rows(platform: Platform) throws(ImportError) -> [String: [ContentObject]] {
        let path = settings.dataDirectory + "/" + platform.rawValue + "/" + ObjectCatalogue.fileName
        let stamp = Self.stamp(of: path)
        if let cached = loaded.withLock({ $0[platform] }), cached.stamp == stamp { return cached.rows }
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
        loaded.withLock { $0[platform] = (stamp, rows) }
        return rows
    }

    /// `path`'s size and modification time; nil when it does not exist (yet).
    private static func stamp(of path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0, let modified = FileDigest.modificationTime(of: path) else { return nil }
        return Stamp(size: Int64(info.st_size), modified: modified)
    }
}
