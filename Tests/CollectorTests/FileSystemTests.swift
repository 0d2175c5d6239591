import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The temporary file of an atomic write in a folder another user can write to (a shared
/// `state_dir`): a file or a symbolic link already standing at a would-be name is never opened,
/// followed or truncated; the write takes a fresh name instead.
@Suite(.serialized) struct FileSystemTests {
    /// The mode bits of `path` itself (not of what a link points to), or nil when it is missing.
    private static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    @Test func aSymbolicLinkAtTheTemporaryNameIsNotFollowed() throws {
        let directory = try TemporaryDirectory()
        let victim = try directory.write("the victim's content\n", to: "victim")
        let target = directory.path("token.json")
        // Planted where the write would put its first temporary file, pointing at the victim.
        #expect(symlink(victim, target + ".tmp-A") == 0)
        var names = ["A", "B"].makeIterator()
        try FileSystem.writeAtomically(target, Array("secret\n".utf8), mode: 0o600, suffix: { names.next() ?? "C" })

        #expect(String(decoding: try directory.read("victim"), as: UTF8.self) == "the victim's content\n")
        #expect(String(decoding: try directory.read("token.json"), as: UTF8.self) == "secret\n")
        let written = try #require(Self.mode(target))
        #expect(written & S_IFMT == S_IFREG)
        #expect(written & 0o777 == 0o600)
        // The planted link is left alone (not ours to remove); no temporary file is left behind.
        #expect(Self.mode(target + ".tmp-A").map { $0 & S_IFMT } == S_IFLNK)
        #expect(Self.mode(target + ".tmp-B") == nil)
    }

    @Test func aFilePlantedAtTheTemporaryNameIsNeitherTruncatedNorRenamed() throws {
        let directory = try TemporaryDirectory()
        let target = directory.path("token.json")
        _ = try directory.write("planted\n", to: "token.json.tmp-A")
        var names = ["A", "B"].makeIterator()
        try FileSystem.writeAtomically(target, Array("secret\n".utf8), mode: 0o600, suffix: { names.next() ?? "C" })

        #expect(String(decoding: try directory.read("token.json.tmp-A"), as: UTF8.self) == "planted\n")
        #expect(String(decoding: try directory.read("token.json"), as: UTF8.self) == "secret\n")
    }

    /// Every name taken: a bounded number of tries, then an error naming the file asked for.
    @Test func givesUpWhenEveryNameIsTaken() throws {
        let directory = try TemporaryDirectory()
        let victim = try directory.write("the victim's content\n", to: "victim")
        let target = directory.path("token.json")
        #expect(symlink(victim, target + ".tmp-A") == 0)
        var tries = 0
        let error = #expect(throws: StorageError.self) {
            try FileSystem.writeAtomically(target, Array("secret\n".utf8), mode: 0o600) {
                tries += 1
                return "A"
            }
        }
        #expect(error?.errno == EEXIST)
        #expect(error?.path == target)
        #expect(tries == 100)
        #expect(String(decoding: try directory.read("victim"), as: UTF8.self) == "the victim's content\n")
        #expect(Self.mode(target) == nil)
    }

    @Test func temporaryNamesAreRandom() {
        let first = FileSystem.randomSuffix()
        let second = FileSystem.randomSuffix()
        #expect(first.count == 16)
        #expect(first.allSatisfy { $0.isHexDigit })
        #expect(first != second)
    }

    // MARK: - Folders `collector check` looks at

    @Test func findsWhyAFolderCannotBeWritten() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("x\n", to: "file")
        #expect(FileSystem.folderWriteProblem(directory.path) == nil)
        // Missing, under a folder that can be written: created by the run.
        #expect(FileSystem.folderWriteProblem(directory.path("new/deeper")) == nil)
        #expect(FileSystem.folderWriteProblem(file) == "is not a folder")
        #expect(
            FileSystem.folderWriteProblem(file + "/sub/deeper")
                == "cannot be created: \"\(file)\" is not a folder"
        )
        // Nothing was created on the way.
        #expect(!FileSystem.exists(directory.path("new")))
    }
}
