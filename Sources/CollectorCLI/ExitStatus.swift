import Collector

/// SPEC §1's exit codes, and the message each kind of failure prints.
struct ExitStatus: Error {
    /// The process exit code.
    var code: Int32

    static let success: Int32 = 0
    static let partial: Int32 = 1
    static let usage: Int32 = 2
    static let storage: Int32 = 3

    /// The exit code an error means.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case is ConfigurationError, is ConfigurationErrors, is DataTimezoneMismatch: usage
        case is StorageError: storage
        // SPEC §1 gives "another run holds the lock" the storage code.
        case is RunLockHeld: storage
        // The same for a run of another layout of the instance (shards): it holds another lock.
        case is ShardLayoutConflict: storage
        case is UsageError: usage
        default: partial
        }
    }

    /// The message an error prints.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as ConfigurationErrors:
            let count = error.errors.count
            // Warnings found in the same pass come along, so one `check` shows everything to fix.
            let warnings = error.warnings.map { "warning: \($0)\n" }.joined()
            return error.description + "\n" + warnings
                + "configuration: \(count) problem\(count == 1 ? "" : "s"); nothing was written"
        case let error as StorageError:
            return "storage error: \(error)"
        case let error as DataTimezoneMismatch:
            return "configuration: \(error)"
        case let error as RunLockHeld:
            // Its own words (`run skipped: …`): an overlap is no storage failure.
            return error.description
        case let error as ShardLayoutConflict:
            return error.description
        default:
            return "error: \(error)"
        }
    }
}

/// A usage mistake found after parsing (a bad `--shard`, a missing config file): exit 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
