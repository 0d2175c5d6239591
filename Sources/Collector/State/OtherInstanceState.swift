/// The files that another collector instance name keeps in `state_dir`, when its self-metrics
/// hold series of sections this configuration has: what renaming `[collector] instance` leaves
/// behind.
///
/// The instance name keys the self-metrics `collector-<instance>.prom`, the schedule
/// `schedule-<instance>.tsv` and its journal, and the lock `<instance>.lock`. After a rename
/// nothing writes the old self-metrics again, and node_exporter's textfile collector reads every
/// `*.prom` of its folder, so the old file's frozen `collector_last_success_timestamp_seconds`
/// fires the staleness alert (docs/operations.md, "Self-metrics") for good; and the old
/// schedule is not read, so each account is collected once as if new. `collector check` and
/// every run warn with the files to remove.
///
/// Another configuration may share the state folder under its own instance name (an
/// import-only one): its sections then have other names, and its file is no concern here.
/// Shards of this instance (`<instance>-shard-K`) are its own. Costs one listing of the folder
/// and a read of each other instance's self-metrics file (a few kilobytes): nothing per sample.
public struct OtherInstanceState: Sendable, Hashable {
    /// The other instance's name.
    public var instance: String
    /// The sections of this configuration its self-metrics hold series of, sorted.
    public var sections: [String]
    /// Its files in the state folder, as paths: self-metrics, schedule, journal, lock.
    public var files: [String]

    /// Creates the record.
    public init(instance: String, sections: [String], files: [String]) {
        self.instance = instance
        self.sections = sections
        self.files = files
    }

    /// The other instance names in `stateDirectory` whose self-metrics hold series of
    /// `configured` sections, sorted by name.
    /// - Parameters:
    ///   - instance: `[collector] instance`, without a shard suffix.
    ///   - configured: Every configured section, by name, with its platform.
    public static func find(
        stateDirectory: String,
        instance: String,
        configured: [String: Platform]
    ) -> [OtherInstanceState] {
        guard !configured.isEmpty else { return [] }
        let names = FileSystem.list(stateDirectory)
        let present = Set(names)
        return names.compactMap { name -> OtherInstanceState? in
            guard name.hasPrefix("collector-"), name.hasSuffix(".prom") else { return nil }
            let other = String(name.dropFirst("collector-".count).dropLast(".prom".count))
            guard CollectorSettings.isSafeInstanceName(other), !isOwn(other, instance: instance),
                let bytes = try? StateFolder.readFileIfPresent(stateDirectory + "/" + name)
            else { return nil }
            let sections = SelfMetrics.sections(in: bytes, of: configured)
            guard !sections.isEmpty else { return nil }
            let files = [
                "collector-\(other).prom", "schedule-\(other).tsv", "schedule-\(other).journal", "\(other).lock",
            ]
            .filter(present.contains).map { stateDirectory + "/" + $0 }
            return OtherInstanceState(instance: other, sections: sections, files: files)
        }
    }

    /// Whether `name` is `instance` or one of its shards (`<instance>-shard-K`).
    static func isOwn(_ name: String, instance: String) -> Bool {
        guard name != instance else { return true }
        let prefix = instance + "-shard-"
        guard name.hasPrefix(prefix) else { return false }
        let number = name.dropFirst(prefix.count)
        return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// What `check` and a run say: the file, why it matters, and the command that removes the
    /// files, or what to do when the other instance is a live configuration's.
    /// - Parameter instance: `[collector] instance` of this configuration.
    public func warning(instance current: String) -> String {
        let metrics = files.first { $0.hasSuffix(".prom") } ?? "collector-\(instance).prom"
        let schedule = files.first { $0.hasSuffix(".tsv") }
        let count = sections.count == 1 ? "section" : "sections"
        var text =
            "\(metrics) holds series of the \(count) \(sections.joined(separator: ", ")) under"
            + " collector_instance=\"\(instance)\", but [collector] instance is \"\(current)\": if the instance was"
            + " renamed, nothing writes that file any more, so node_exporter keeps exporting its frozen"
            + " collector_last_success_timestamp_seconds and the staleness alert fires for good"
        if let schedule {
            text += ", and its due times (\(schedule)) are not read, so each account is collected once as if new"
        }
        return text + "; remove the old instance's files: rm \(files.map(Self.shellQuoted).joined(separator: " "))"
            + " (or, if another configuration runs as instance \"\(instance)\" on this state folder, give its sections"
            + " names of their own: a section's name keys its state files too)"
    }

    /// `path` as one shell word: quoted unless it holds only characters a shell leaves alone.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "/._-+:,@%=".utf8.contains(byte)
        }
        return plain ? path : "'" + path.replacing("'", with: "'\\''") + "'"
    }
}
