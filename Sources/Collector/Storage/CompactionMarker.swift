// `stat` and its fields come from whichever module first loaded <sys/stat.h> (see
// StaleTemporaries): CSystem, imported here too, covers both cases.
import CSystem
package import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `<partition>/.<instance>.compacting`: the compacted files of a partition that wait to be
/// renamed into place, so that `compact` replaces every format of a partition or none.
///
/// `compact` writes each format's compacted rows to a temporary file beside it and fsyncs it.
/// Renamed one after another, a kill between two renames left formats holding different rows
/// (the superseded rows gone from some formats only). So, with more than one file, the
/// temporaries' names are written to this marker (fsynced, ending in `end`) before the first
/// rename, and the marker is removed after the last. Whoever next opens the partition (a
/// writer, `compact`), or the next `run`, `import` or `compact` at its start, completes the
/// renames the marker names, with one warning: the temporaries are durable, so the compaction
/// rolls forward. A marker without its `end` line was cut by a kill before any rename, and is
/// only removed (its temporaries are then stale, ``StaleTemporaries``).
///
/// The caller holds the instance's run lock, so no writer appends to a file between its
/// compaction and its rename, nor between a kill and the completion. Hidden, so `*.csv` globs
/// and DuckDB never meet it.
package enum CompactionMarker {
    private static let suffix = ".compacting"
    private static let endLine = "end"

    /// `<directory>/.<instance>.compacting`.
    static func path(directory: String, instance: String) -> String {
        directory + "/." + instance + suffix
    }

    /// Renames each of `temporaries` (paths in `directory`, fsynced) over the file it stands
    /// for: after a kill, either none was renamed or the rest are renamed by ``complete(directory:instance:logger:)``.
    static func commit(temporaries: [String], directory: String, instance: String) throws(StorageError) {
        let marker = path(directory: directory, instance: instance)
        // One file alone is replaced by one rename, atomic as it is.
        let needsMarker = temporaries.count > 1
        if needsMarker {
            let names = temporaries.map { name(of: $0) + "\n" }.joined() + endLine + "\n"
            do throws(StorageError) {
                try writeDurably(marker, Array(names.utf8))
            } catch {
                // Cut short, it names nothing; no file was renamed, the caller removes the temporaries.
                unlink(marker)
                throw error
            }
        }
        for temporary in temporaries { try moveIntoPlace(temporary) }
        FileSystem.syncDirectory(of: marker)
        if needsMarker { unlink(marker) }
    }

    /// Completes the renames a marker of `instance` in `directory` names, if any, with one
    /// warning naming the files put in place; then removes the marker.
    /// - Throws: ``StorageError`` when a rename fails (the marker stays, for the next attempt).
    static func complete(directory: String, instance: String, logger: Logger) throws(StorageError) {
        let marker = path(directory: directory, instance: instance)
        guard let bytes = try DataFolder.readFileIfPresent(marker) else { return }
        var completed: [String] = []
        for name in temporaries(in: bytes, instance: instance) {
            let temporary = directory + "/" + name
            // Gone: renamed before the kill.
            var info = stat()
            guard lstat(temporary, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            try moveIntoPlace(temporary)
            completed.append(StaleTemporaries.target(of: name) ?? name)
        }
        FileSystem.syncDirectory(of: marker)
        unlink(marker)
        guard !completed.isEmpty else { return }
        logger.warning(
            "completed a compact a kill interrupted, so that every format holds the same rows",
            metadata: ["partition": "\(directory)", "files": "\(completed.joined(separator: ","))"]
        )
    }

    /// Completes the pending renames of `settings`' instance in every partition; call it with
    /// the instance's run lock held, before ``StaleTemporaries/remove(settings:)``.
    package static func completeAll(settings: CollectorSettings, logger: Logger) throws(StorageError) {
        let data = settings.dataDirectory
        // The folders StaleTemporaries sweeps: a linked one is not followed (nor refused here:
        // whoever writes to it says so).
        for platform in FileSystem.list(data) where DataFolder.isRealFolder(data + "/" + platform) {
            let platformDirectory = data + "/" + platform
            for month in (try? DirectoryListing.monthFolders(platformDirectory: platformDirectory)) ?? [] {
                try complete(directory: platformDirectory + "/" + month, instance: settings.instance, logger: logger)
            }
        }
    }

    /// The names of the temporaries that a complete marker of any instance in `directory`
    /// names: not stale, they wait for their instance to complete its compaction.
    static func pendingTemporaries(in directory: String) -> Set<String> {
        var names = Set<String>()
        for name in (try? DirectoryListing.names(in: directory)) ?? []
        where name.hasPrefix(".") && name.hasSuffix(suffix) {
            let instance = String(name.dropFirst().dropLast(suffix.count))
            guard !instance.isEmpty, let bytes = try? DataFolder.readFileIfPresent(directory + "/" + name) else {
                continue
            }
            names.formUnion(temporaries(in: bytes, instance: instance))
        }
        return names
    }

    /// The temporaries a marker's text names: none unless it ends with the `end` line, and only
    /// names of the instance's own part files' temporaries, in the marker's folder.
    private static func temporaries(in bytes: [UInt8], instance: String) -> [String] {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.last == endLine else { return [] }
        let extensions = Set(OutputFormat.allCases.map(\.fileExtension))
        return lines.dropLast().filter { name in
            guard !name.contains("/"), let target = StaleTemporaries.target(of: name),
                target.hasPrefix(instance + ".")
            else { return false }
            return extensions.contains(String(target.dropFirst(instance.count + 1)))
        }
    }

    private static func name(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private static func moveIntoPlace(_ temporary: String) throws(StorageError) {
        // `<file>.tmp-<16 hex digits>` (FileSystem.createTemporary).
        let file = String(temporary.dropLast(".tmp-".count + 16))
        guard rename(temporary, file) == 0 else {
            throw StorageError(
                path: file,
                operation: "rename",
                errno: errno,
                detail: "a compacted file is not in place; run compact again, it completes the rename"
            )
        }
    }

    /// Writes the marker and makes it durable (file and folder entry) before any rename.
    private static func writeDurably(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        // O_TRUNC through a planted link would empty its target: never followed (DataFolder).
        guard let fd = try DataFolder.openFile(path, O_WRONLY | O_CREAT | O_TRUNC) else {
            throw StorageError(path: path, operation: "open", errno: ENOENT)
        }
        defer { FileSystem.closeDescriptor(fd) }
        try FileSystem.writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw StorageError(path: path, operation: "fsync", errno: errno) }
        FileSystem.syncDirectory(of: path)
    }
}
