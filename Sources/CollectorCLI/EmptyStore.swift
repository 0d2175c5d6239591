import Collector

/// What `export` and `report` say when the data folder holds no samples at all. The usual
/// cause is a relative `data_dir` read from another working directory than the collection's
/// (a bureau's admin runs `report` from the home folder), which "data holds no samples yet"
/// alone does not reveal.
enum EmptyStore {
    /// `export: data_dir "data" (/home/admin/data) holds no samples yet; …`: the folder as
    /// configured and as found, and for a relative one where it was looked for and what to do.
    static func message(_ command: String, settings: CollectorSettings) -> String {
        let configured = settings.dataDirectory
        guard !configured.hasPrefix("/") else {
            return "\(command): data_dir \"\(configured)\" holds no samples yet"
        }
        let workingDirectory = FileSystem.currentDirectory()
        let absolute = FileSystem.absolute(configured)
        return "\(command): data_dir \"\(configured)\" (\(absolute)) holds no samples yet; a relative data_dir is "
            + "taken from the working directory (\(workingDirectory)): run \(command) in the folder the collection runs "
            + "in (the service's WorkingDirectory), or make data_dir absolute in the configuration"
    }
}
