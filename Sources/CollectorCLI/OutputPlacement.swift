import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps `export -o` and `report -o` out of the folders the collector owns.
///
/// A file written into the data folder either replaces a stored partition file (an export of
/// a narrower range then loses the rows it left out, and a running service stops on a file it
/// no longer recognises) or doubles every row of a month for anyone who reads
/// `data/*/*/*.csv`; one written into the state folder may replace a schedule or a token file.
/// Both are refused before anything is written, whatever path leads there (`..`, a symbolic
/// link, a link that does not lead to a file yet).
enum OutputPlacement {
    /// Throws when `path`, the `-o` of `command`, lies in the data or the state folder.
    static func check(_ path: String, command: String, settings: CollectorSettings) throws(UsageError) {
        guard let location = location(of: path) else { return }
        let folders = [
            ("data folder", settings.dataDirectory, "where it would replace or double the stored rows"),
            ("state folder", settings.stateDirectory, "where it could replace the collector's own state"),
        ]
        for (kind, folder, risk) in folders {
            guard let root = resolved(folder), location == root || location.hasPrefix(root + "/") else { continue }
            throw UsageError(
                "\(command) -o \(path): that is inside the \(kind) \(folder), \(risk); write the output elsewhere"
            )
        }
    }

    /// Where `path` really is: links followed, `..` resolved; for a file not created yet, its
    /// resolved folder and its name. Nil when even its folder does not exist (the write then
    /// fails with its own message).
    static func location(of path: String) -> String? {
        if let existing = resolved(path) { return existing }
        let target = (try? ExportOutput.danglingTarget(of: path)) ?? path
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        guard let parent = resolved(folder.isEmpty ? "/" : folder) else { return nil }
        return parent == "/" ? "/" + name : parent + "/" + name
    }

    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
