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
        let error = #expect(throws: StorageError.self) {
            try RunLock.acquire(stateDirectory: state, instance: "main")
        }
        #expect(error?.path == state + "/main.lock")
        #expect(
            error?.description.hasSuffix(
                "the lock of instance \"main\" is held by another collector run, pid \(getpid()); \(RunLock.runHint))"
            ) == true,
            "\(String(describing: error))"
        )
        let busy = #expect(throws: StorageError.self) {
            try RunLock.acquire(stateDirectory: state, instance: "main", hint: RunLock.importHint)
        }
        #expect(busy?.description.hasSuffix("pid \(getpid()); \(RunLock.importHint))") == true)
        first.release()
        let second = try RunLock.acquire(stateDirectory: state, instance: "main")
        second.release()
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
