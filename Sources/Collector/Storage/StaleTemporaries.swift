// `stat` and its fields come from whichever module first loaded <sys/stat.h>, which depends on
// how the compiler batches the module's files: CSystem, imported here too, covers both cases.
import CSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Removes the temporary files (`<file>.tmp-<16 hex digits>`, see
/// ``FileSystem/createTemporary(beside:mode:suffix:)``) that a process killed between creating
/// and renaming one left in `state_dir`, the platform folders and the partitions, where
/// `find data -type f` or a file shipper would pick them up.
///
/// Call it with the instance's run lock held: then no live write of this instance's own files
/// (its part files `<instance>.<ext>`, `schedule-<instance>.tsv`, `collector-<instance>.prom`)
/// is in progress, and their temporaries go whatever their age. The other files (cursors and
/// tokens in `state_dir`, `objects.csv`, other instances' part files) may be written by another
/// instance sharing the folders (a shard) holding a lock of its own: while `state_dir` holds
/// another instance's lock file, their temporaries go only once they are ``sharedAge`` old (a
/// live one is written to every few seconds at most; a state file's exists for milliseconds).
/// Without another instance, every temporary is this instance's, and goes at once. The
/// temporaries a `.<instance>.compacting` marker names are never stale: a killed `compact`'s
/// files waiting for their rename (``CompactionMarker``), which their instance completes.
package enum StaleTemporaries {
    /// How long a temporary of a file another instance may write must have been untouched.
    package static let sharedAge: Int = 600

    /// Removes the stale temporaries.
    /// - Returns: The paths removed.
    @discardableResult
    package static func remove(settings: CollectorSettings) -> [String] {
        let instance = settings.instance
        let state = settings.stateDirectory
        let shared = FileSystem.list(state).contains { $0.hasSuffix(".lock") && $0 != instance + ".lock" }
        let cutoff = time(nil) - time_t(sharedAge)
        var removed: [String] = []

        func sweep(_ folder: String, keep: Set<String> = [], own: (String) -> Bool) {
            for name in FileSystem.list(folder) where !keep.contains(name) {
                guard let target = target(of: name) else { continue }
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                // `timespec`'s fields are out of reach in release builds (member import
                // visibility): its first word is the seconds, as FileDigest reads it.
                let modified = withUnsafeBytes(of: info.st_mtim) { $0.loadUnaligned(as: Int.self) }
                guard !shared || own(target) || modified < cutoff else { continue }
                if unlink(path) == 0 { removed.append(path) }
            }
        }

        let ownState: Set<String> = ["schedule-\(instance).tsv", "collector-\(instance).prom"]
        sweep(state) { ownState.contains($0) }
        let data = settings.dataDirectory
        // A linked platform folder is not swept: no link below data_dir is followed.
        for platform in FileSystem.list(data) where DataFolder.isRealFolder(data + "/" + platform) {
            let platformFolder = data + "/" + platform
            sweep(platformFolder) { _ in false }
            let months = (try? DirectoryListing.monthFolders(platformDirectory: platformFolder)) ?? []
            for month in months {
                // A compaction's temporaries waiting for their rename are not stale (CompactionMarker).
                let partition = platformFolder + "/" + month
                sweep(partition, keep: CompactionMarker.pendingTemporaries(in: partition)) {
                    $0.hasPrefix(instance + ".")
                }
            }
        }
        return removed
    }

    /// The file a temporary named `name` stands for (`main.csv` for `main.csv.tmp-0123…cdef`), or
    /// nil when `name` is not one of the collector's temporaries.
    package static func target(of name: String) -> String? {
        let bytes = Array(name.utf8)
        let marker = Array(".tmp-".utf8)
        guard bytes.count > marker.count + 16 else { return nil }
        let suffixStart = bytes.count - 16
        guard Array(bytes[(suffixStart - marker.count)..<suffixStart]) == marker,
            bytes[suffixStart...].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return String(decoding: bytes[..<(suffixStart - marker.count)], as: UTF8.self)
    }
}
