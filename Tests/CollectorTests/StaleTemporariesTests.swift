import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The temporaries of killed writes go at the next run, compact or import, under the run lock;
/// a temporary another instance may still be writing is left alone until it is old.
@Suite struct StaleTemporariesTests {
    private static let suffix = ".tmp-0123456789abcdef"

    private static func settings(_ directory: TemporaryDirectory, instance: String = "main") -> CollectorSettings {
        var settings = CollectorSettings()
        settings.dataDirectory = directory.path("data")
        settings.stateDirectory = directory.path("state")
        settings.instance = instance
        return settings
    }

    @Test func recognisesOnlyTheCollectorsOwnNaming() {
        #expect(StaleTemporaries.target(of: "main.csv" + Self.suffix) == "main.csv")
        #expect(StaleTemporaries.target(of: "exec-gen.state.tmp-403248432fb5a1d4") == "exec-gen.state")
        #expect(StaleTemporaries.target(of: "main.csv.tmp-0123") == nil)
        #expect(StaleTemporaries.target(of: "main.csv.tmp-0123456789ABCDEF") == nil)
        #expect(StaleTemporaries.target(of: "main.csv.tmp-0123456789abcdeg") == nil)
        #expect(StaleTemporaries.target(of: "main.csv") == nil)
        #expect(StaleTemporaries.target(of: ".tmp-0123456789abcdef") == nil)
    }

    @Test func aLoneInstanceRemovesEveryTemporaryAndNothingElse() throws {
        let directory = try TemporaryDirectory()
        let leftovers = [
            "data/xiaohongshu/2026-02/main.csv" + Self.suffix,
            "data/xiaohongshu/2026-02/main.lp" + Self.suffix,
            "data/xiaohongshu/objects.csv" + Self.suffix,
            "state/exec-gen.state" + Self.suffix,
            "state/schedule-main.tsv" + Self.suffix,
        ]
        let kept = [
            "data/xiaohongshu/2026-02/main.csv",
            "data/xiaohongshu/2026-02/main.csv.tmp-notours",
            "data/xiaohongshu/2026-02/notes" + Self.suffix + ".txt",
            "state/exec-gen.state",
            "state/main.lock",
            "elsewhere/main.csv" + Self.suffix,
        ]
        for file in leftovers + kept { try directory.write("", to: file) }
        try directory.write("", to: "data/xiaohongshu/2026-02/folder" + Self.suffix + "/x")

        let removed = StaleTemporaries.remove(settings: Self.settings(directory))

        #expect(Set(removed) == Set(leftovers.map { directory.path($0) }))
        for file in leftovers { #expect(access(directory.path(file), F_OK) != 0, "\(file) is still there") }
        for file in kept { #expect(access(directory.path(file), F_OK) == 0, "\(file) was removed") }
        #expect(access(directory.path("data/xiaohongshu/2026-02/folder" + Self.suffix), F_OK) == 0)
    }

    /// With a shard's lock file in `state_dir`, a fresh temporary of a file the shard may write
    /// (a cursor, the catalogue, its part files) stays; this instance's own go at once, and the
    /// others once they are ten minutes old.
    @Test func withAnotherInstanceAFreshTemporaryOfASharedFileStays() throws {
        let directory = try TemporaryDirectory()
        try directory.write("", to: "state/main.lock")
        try directory.write("", to: "state/main-shard-2.lock")
        let own = [
            "data/xiaohongshu/2026-02/main.csv" + Self.suffix,
            "state/schedule-main.tsv" + Self.suffix,
            "state/collector-main.prom" + Self.suffix,
        ]
        let sharedFresh = [
            "data/xiaohongshu/2026-02/main-shard-2.csv" + Self.suffix,
            "data/xiaohongshu/objects.csv" + Self.suffix,
            "state/exec-gen.state" + Self.suffix,
        ]
        let sharedOld = [
            "state/exec-old.state" + Self.suffix, "data/xiaohongshu/2026-01/main-shard-2.csv" + Self.suffix,
        ]
        for file in own + sharedFresh + sharedOld { try directory.write("", to: file) }
        for file in sharedOld {
            let old = time(nil) - time_t(StaleTemporaries.sharedAge) - 5
            var times = [timespec(tv_sec: old, tv_nsec: 0), timespec(tv_sec: old, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, directory.path(file), &times, 0) == 0)
        }

        let removed = StaleTemporaries.remove(settings: Self.settings(directory))

        #expect(Set(removed) == Set((own + sharedOld).map { directory.path($0) }))
        for file in sharedFresh { #expect(access(directory.path(file), F_OK) == 0, "\(file) was removed") }
    }

    /// A killed compact's temporaries that its `.<instance>.compacting` marker names wait for
    /// their rename (``CompactionMarker``): they are not stale, whoever's marker it is. A marker
    /// cut short (no `end` line) names nothing: no file was renamed, its temporaries go.
    @Test func theTemporariesOfACompactionMarkerStay() throws {
        let directory = try TemporaryDirectory()
        let partition = "data/xiaohongshu/2026-02/"
        let named = ["main.csv" + Self.suffix, "main.lp" + Self.suffix, "shard1.csv" + Self.suffix]
        let stale = ["main.jsonl.tmp-fedcba9876543210", "shard2.csv" + Self.suffix]
        for file in named + stale { try directory.write("", to: partition + file) }
        try directory.write("main.csv\(Self.suffix)\nmain.lp\(Self.suffix)\nend\n", to: partition + ".main.compacting")
        try directory.write("shard1.csv\(Self.suffix)\nend\n", to: partition + ".shard1.compacting")
        try directory.write("shard2.csv\(Self.suffix)\n", to: partition + ".shard2.compacting")

        let removed = StaleTemporaries.remove(settings: Self.settings(directory))

        #expect(Set(removed) == Set(stale.map { directory.path(partition + $0) }))
        for file in named { #expect(access(directory.path(partition + file), F_OK) == 0, "\(file) was removed") }
    }
}
