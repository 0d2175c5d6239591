extension Exporter {
    /// The files of the month folders between `from` and `to` (every month when nil) that
    /// `export`, `report` and `compact` do not read, as paths: a month file compressed or renamed
    /// to archive it (`data/wechat/2025-09/main.csv.gz`), a backup copy, anything else put there.
    /// Their rows are missing from every export and report, which nothing else would show.
    /// - Parameter platforms: The platforms to look at; every platform folder when empty.
    /// - Throws: ``StorageError`` when a folder cannot be listed.
    public static func unreadFiles(
        settings: CollectorSettings,
        from: CivilDate? = nil,
        to: CivilDate? = nil,
        platforms: [Platform] = []
    ) throws(StorageError) -> [String] {
        let firstMonth = from?.monthText ?? ""
        let lastMonth = to?.monthText ?? "9999-99"
        let data = settings.dataDirectory
        var found: [String] = []
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: platforms) {
            let platformDirectory = data + "/" + platform.rawValue
            // `YYYY-MM` names sort as their months do.
            for month in try DirectoryListing.monthFolders(platformDirectory: platformDirectory)
            where month >= firstMonth && month <= lastMonth {
                let directory = platformDirectory + "/" + month
                found += try DirectoryListing.unreadNames(in: directory).map { directory + "/" + $0 }
            }
        }
        return found
    }
}
