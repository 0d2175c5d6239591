import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// The process group of a running exec command, as saved in `state_dir` while it runs
/// (`exec-<name>.group`), so that the next run can kill what a collector killed with SIGKILL
/// left behind.
///
/// `PR_SET_PDEATHSIG` ends the command itself with the collector, but not what the command
/// started (`sh scraper.sh` running `python scraper.py`): those keep the command's process
/// group, and the next run kills that group before it starts the command again.
///
/// A group id is a pid, and pids are reused. The record holds the leader's start time (clock
/// ticks since boot, `/proc/<pid>/stat` field 22) and the boot id: the group counts as the
/// command's only when the boot is the same, its leader (when alive) started at that very
/// tick, and every member started no earlier; an unrelated process that got the number later
/// fails one of those.
struct ProcessGroupRecord: Equatable {
    /// The group id: the command's pid.
    var group: pid_t
    /// The command's start time, in clock ticks after boot.
    var startTime: UInt64
    /// `/proc/sys/kernel/random/boot_id`, empty where unreadable.
    var bootID: String

    /// The record of the running process `pid`, which leads its own group; nil when its
    /// `/proc` entry cannot be read.
    static func running(_ pid: pid_t) -> ProcessGroupRecord? {
        guard let status = ProcessStatus(pid) else { return nil }
        return ProcessGroupRecord(group: pid, startTime: status.startTime, bootID: Self.currentBootID())
    }

    /// Parses the file's text, `<group> <start time> <boot id>`; nil when it does not read so.
    init?(text: String) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, let group = pid_t(fields[0]), group > 1, let startTime = UInt64(fields[1]) else {
            return nil
        }
        self.init(group: group, startTime: startTime, bootID: String(fields[2]))
    }

    init(group: pid_t, startTime: UInt64, bootID: String) {
        self.group = group
        self.startTime = startTime
        self.bootID = bootID.isEmpty ? "-" : bootID
    }

    /// The file's text.
    var text: String { "\(group) \(startTime) \(bootID)\n" }

    /// The processes still in the recorded group, when it is still the command's (see the type's
    /// summary); empty otherwise.
    func survivors() -> [pid_t] {
        guard bootID == Self.currentBootID() else { return [] }
        var members: [pid_t] = []
        for name in FileSystem.list("/proc") {
            guard let pid = pid_t(name), let status = ProcessStatus(pid), status.group == group else { continue }
            if pid == group && status.startTime != startTime { return [] }  // the number was reused
            guard status.startTime >= startTime, !status.isZombie else { continue }
            members.append(pid)
        }
        return members
    }

    private static func currentBootID() -> String {
        let bytes = (try? FileSystem.readFileIfPresent("/proc/sys/kernel/random/boot_id")) ?? nil
        let text = String(decoding: bytes ?? [], as: UTF8.self).filter { !$0.isWhitespace }
        return text.isEmpty ? "-" : text
    }

    /// The fields of `/proc/<pid>/stat` the record needs.
    private struct ProcessStatus {
        var group: pid_t
        var startTime: UInt64
        var isZombie: Bool

        init?(_ pid: pid_t) {
            guard let bytes = try? FileSystem.readFileIfPresent("/proc/\(pid)/stat") else { return nil }
            // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses; the fields that
            // follow start after the last ")". Field 3 (the state) is index 0 there.
            guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
            let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count > 19,
                let group = pid_t(String(decoding: fields[2], as: UTF8.self)),
                let startTime = UInt64(String(decoding: fields[19], as: UTF8.self))
            else { return nil }
            self.group = group
            self.startTime = startTime
            self.isZombie = fields[0].first == UInt8(ascii: "Z")
        }
    }
}
