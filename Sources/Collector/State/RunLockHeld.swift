/// Another collector process holds the run lock of the instance (``RunLock``): the command did
/// nothing, and says which process is still going, since when, and what fits.
///
/// Not a ``StorageError``: an hourly cron tick that meets a run still going (3,000 accounts at
/// polite rates can take longer than an hour) is a benign overlap, not a failing disk, and
/// "storage error" sent operators looking for one. SPEC §1 keeps exit code 3 for it.
public struct RunLockHeld: Error, Sendable, Hashable, CustomStringConvertible {
    /// The lock file.
    public var path: String
    /// The collector instance whose lock is held.
    public var instance: String
    /// The pid the holder wrote into the lock file, when it reads as one.
    public var holderPID: Int32?
    /// How long the holder has held it by now, in seconds, when known.
    public var heldFor: Int64?
    /// When the holder took the lock (the lock file's modification time), in the configured
    /// timezone, when known.
    public var holderSinceText: String?
    /// What the refused command did and what fits it: ``RunLock/Purpose``.
    public var purpose: RunLock.Purpose

    /// Creates the error.
    public init(
        path: String,
        instance: String,
        holderPID: Int32?,
        heldFor: Int64?,
        holderSinceText: String?,
        purpose: RunLock.Purpose
    ) {
        self.path = path
        self.instance = instance
        self.holderPID = holderPID
        self.heldFor = heldFor
        self.holderSinceText = holderSinceText
        self.purpose = purpose
    }

    /// `run skipped: collector pid 8266 (started at 2027-01-10T10:00:03+08:00, 52 minutes ago)
    /// is still running instance "main" (lock state/main.lock); this run collected nothing, …`.
    public var description: String {
        var holder = "collector " + (holderPID.map { "pid \($0)" } ?? "process")
        var when: [String] = []
        if let holderSinceText { when.append("started at \(holderSinceText)") }
        if let heldFor, heldFor >= 0 { when.append(Self.age(heldFor)) }
        if !when.isEmpty { holder += " (" + when.joined(separator: ", ") + ")" }
        return
            "\(purpose.refusal): \(holder) is still running instance \"\(instance)\" (lock \(path)); \(purpose.advice)"
    }

    /// `52 minutes ago`, `2 hours 5 minutes ago`, `40 seconds ago`.
    package static func age(_ seconds: Int64) -> String {
        func unit(_ count: Int64, _ name: String) -> String { "\(count) \(name)\(count == 1 ? "" : "s")" }
        if seconds < 120 { return unit(seconds, "second") + " ago" }
        let minutes = seconds / 60
        if minutes < 120 { return unit(minutes, "minute") + " ago" }
        let rest = minutes % 60
        return unit(minutes / 60, "hour") + (rest > 0 ? " " + unit(rest, "minute") : "") + " ago"
    }
}
