#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Folder listings for the store, compaction and export: which platforms, months and instance
/// files exist under `data_dir`.
package enum DirectoryListing {
    /// The names in `path` (without `.` and `..`), sorted bytewise; empty when the folder does
    /// not exist.
    static func names(in path: String) throws(StorageError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw StorageError(path: path, operation: "list", errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Whether `path` is a folder.
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The platform folders under `dataDirectory`: `platforms` when given (those that exist),
    /// else every folder whose name is a valid platform name.
    /// - Throws: ``StorageError`` when one is a symbolic link (``DataFolder/requireFolder(_:)``).
    static func platformFolders(dataDirectory: String, platforms: [Platform]?) throws(StorageError) -> [Platform] {
        let candidates =
            if let platforms, !platforms.isEmpty {
                platforms.sorted()
            } else {
                try names(in: dataDirectory).filter(Platform.isValidName).map { Platform(rawValue: $0) }
            }
        var folders: [Platform] = []
        for platform in candidates where try isDataFolder(dataDirectory + "/" + platform.rawValue) {
            folders.append(platform)
        }
        return folders
    }

    /// The month folders (`YYYY-MM`) of a platform folder, in order.
    /// - Throws: ``StorageError`` when one is a symbolic link (``DataFolder/requireFolder(_:)``).
    static func monthFolders(platformDirectory: String) throws(StorageError) -> [String] {
        var months: [String] = []
        for name in try names(in: platformDirectory) {
            let bytes = Array(name.utf8)
            guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { continue }
            let digits = bytes[0..<4] + bytes[5..<7]
            guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { continue }
            if try isDataFolder(platformDirectory + "/" + name) { months.append(name) }
        }
        return months
    }

    /// Whether `path`, a platform or month folder's place, holds a folder; a symbolic link there
    /// is an error rather than a folder to follow or to pass over without a word.
    private static func isDataFolder(_ path: String) throws(StorageError) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        if info.st_mode & S_IFMT == S_IFLNK { try DataFolder.requireFolder(path) }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    /// The names in a partition folder that no reader takes, sorted: anything but an instance's
    /// `.csv`, `.jsonl` or `.lp` file (`main.csv.gz`, `main.csv.bak`, a file manager's copy
    /// `main (1).csv`, a folder), leaving out the hidden names (the flush markers,
    /// `.<instance>.flushing`) and the collector's temporaries, which are its own.
    static func unreadNames(in directory: String) throws(StorageError) -> [String] {
        try names(in: directory).filter { name in
            guard !name.hasPrefix("."), StaleTemporaries.target(of: name) == nil else { return false }
            return !OutputFormat.allCases.contains { isInstanceFile(name, fileExtension: $0.fileExtension) }
        }
    }

    /// The files of a partition folder with extension `ext` (every instance's), sorted.
    static func partitionFiles(in directory: String, fileExtension: String) throws(StorageError) -> [String] {
        try names(in: directory).filter { isInstanceFile($0, fileExtension: fileExtension) }
            .map { directory + "/" + $0 }
    }

    /// Whether `name` is `<instance>.<ext>` for a name an instance can have: a copy whose name
    /// no instance could write (`main (1).csv`) is not read as the rows of an instance "main (1)"
    /// but left out and warned about, like `main.csv.gz`.
    private static func isInstanceFile(_ name: String, fileExtension: String) -> Bool {
        let suffix = "." + fileExtension
        guard name.hasSuffix(suffix) else { return false }
        return CollectorSettings.isSafeInstanceName(String(name.dropLast(suffix.count)))
    }
}
