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
    static func platformFolders(dataDirectory: String, platforms: [Platform]?) throws(StorageError) -> [Platform] {
        if let platforms, !platforms.isEmpty {
            return platforms.sorted().filter { isDirectory(dataDirectory + "/" + $0.rawValue) }
        }
        return try names(in: dataDirectory).filter { name in
            Platform.isValidName(name) && isDirectory(dataDirectory + "/" + name)
        }.map { Platform(rawValue: $0) }
    }

    /// The month folders (`YYYY-MM`) of a platform folder, in order.
    static func monthFolders(platformDirectory: String) throws(StorageError) -> [String] {
        try names(in: platformDirectory).filter { name in
            let bytes = Array(name.utf8)
            guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { return false }
            let digits = bytes[0..<4] + bytes[5..<7]
            return digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                && isDirectory(platformDirectory + "/" + name)
        }
    }

    /// The files of a partition folder with extension `ext` (every instance's), sorted.
    static func partitionFiles(in directory: String, fileExtension: String) throws(StorageError) -> [String] {
        let suffix = "." + fileExtension
        return try names(in: directory).filter { $0.hasSuffix(suffix) && $0.utf8.count > suffix.utf8.count }
            .map { directory + "/" + $0 }
    }
}
