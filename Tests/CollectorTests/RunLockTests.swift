import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized)
struct RunLockTests {
    @Test func refusesASecondHolderUntilReleased() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let first = try RunLock.acquire(stateDirectory: state, instance: "main")
        let error = #expect(throws: RunLockHeld.self) {
            try RunLock.acquire(stateDirectory: state, instance: "main")
        }
        #expect(error?.path == state + "/main.lock")
        #expect(error?.holderPID == getpid())
        // The holder took the lock just now: the lock file's time says so.
        #expect(error?.heldFor.map { (0...5).contains($0) } == true)
        let text = error?.description ?? ""
        #expect(text.hasPrefix("run skipped: collector pid \(getpid()) (started at "), "\(text)")
        #expect(text.contains(" ago) is still running instance \"main\" (lock \(state)/main.lock); "), "\(text)")
        #expect(text.hasSuffix(RunLock.Purpose.tick.advice), "\(text)")
        // Another instance name would collect every account again into other files.
        #expect(!text.contains("instance name"), "\(text)")
        let busy = #expect(throws: RunLockHeld.self) {
            try RunLock.acquire(stateDirectory: state, instance: "main", purpose: .import)
        }
        #expect(busy?.description.hasPrefix("import not started: collector pid \(getpid())") == true)
        #expect(busy?.description.hasSuffix(RunLock.Purpose.import.advice) == true)
        first.release()
        let second = try RunLock.acquire(stateDirectory: state, instance: "main")
        second.release()
    }

    /// How long the holder has held the lock, as the message says it.
    @Test func theHoldersAgeReadsInPlainUnits() {
        #expect(RunLockHeld.age(1) == "1 second ago")
        #expect(RunLockHeld.age(119) == "119 seconds ago")
        #expect(RunLockHeld.age(3120) == "52 minutes ago")
        #expect(RunLockHeld.age(7200) == "2 hours ago")
        #expect(RunLockHeld.age(7500) == "2 hours 5 minutes ago")
    }

    @Test func letsOtherInstancesRunBesideIt() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let shard1 = try RunLock.acquire(stateDirectory: state, instance: "shard1")
        let shard2 = try RunLock.acquire(stateDirectory: state, instance: "shard2")
        #expect(directory.exists("state/shard1.lock") && directory.exists("state/shard2.lock"))
        shard1.release()
        shard2.release()
    }

    @Test func releasesWhenDropped() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        do {
            _ = try RunLock.acquire(stateDirectory: state, instance: "main")
        }
        try RunLock.acquire(stateDirectory: state, instance: "main").release()
    }

    @Test func failsWhenTheStateFolderCannotBeCreated() throws {
        let directory = try TemporaryDirectory()
        directory.write("file", "")
        #expect(throws: StorageError.self) {
            try RunLock.acquire(stateDirectory: directory.path + "/file/state", instance: "main")
        }
    }

    /// The configuration's rule for `instance` (with room for `--shard`'s suffix) holds for
    /// library callers too.
    @Test(arguments: ["", ".hidden", "a/b", "a b", "主"])
    func refusesAnInstanceNameTheConfigurationWouldRefuse(name: String) throws {
        let directory = try TemporaryDirectory()
        #expect(throws: StorageError.self) {
            try RunLock.acquire(stateDirectory: directory.path + "/state", instance: name)
        }
    }

    @Test func acceptsTheLongestConfiguredNameOfAShard() throws {
        let directory = try TemporaryDirectory()
        let name = String(repeating: "a", count: 64) + "-shard-12"
        try RunLock.acquire(stateDirectory: directory.path + "/state", instance: name).release()
    }
}
