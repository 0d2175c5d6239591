import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// No symbolic link below `data_dir` is followed, and a data folder that other users may write
/// to is warned about: real folders, files and links under a temporary directory.
@Suite(.serialized)
struct DataFolderTests {
    private let logs = LogRecorder()

    /// What a user who may write into the data folder plants, as it would stand in for a file
    /// the store opens: one line of JSON without a final LF, as a credential file is written,
    /// which the torn-line repair would cut to nothing.
    private static let precious = #"{"access_token":"act.SECRET","refresh_token":"rft.single-use"}"#

    /// Each file the store opens in the data folder, as a link to a file outside it.
    static let plantedLinks: [(link: String, formats: [OutputFormat])] = [
        ("wechat/2025-03/main.csv", [.csv]),
        ("wechat/2025-03/main.jsonl", [.csv, .jsonl]),
        ("wechat/2025-03/main.lp", [.influx]),
        ("wechat/2025-03/.main.flushing", [.csv, .jsonl]),
        ("wechat/2025-03/shard-2.csv", [.csv]),
        ("timezone", [.csv]),
        ("wechat/objects.csv", [.csv]),
    ]

    private func victim(in directory: TemporaryDirectory) throws -> String {
        let path = try directory.write(Self.precious, to: "outside/credential.json")
        #expect(chmod(path, 0o644) == 0)
        return path
    }

    /// A link in place of a partition file (own or another instance's), the flush marker, the
    /// timezone record or the catalogue: the write fails naming the link and saying to remove
    /// it, and the file it points at is neither cut, appended to, emptied nor read.
    @Test(arguments: plantedLinks)
    func neverFollowsALinkPlantedInTheDataFolder(link: String, formats: [OutputFormat]) throws {
        let directory = try TemporaryDirectory()
        let target = try victim(in: directory)
        try directory.createDirectory("data/wechat/2025-03")
        #expect(symlink(target, directory.path("data/" + link)) == 0)

        let error = #expect(throws: StorageError.self) {
            let store = try SampleStore(settings: directory.settings(formats: formats), logger: logs.logger)
            _ = try store.write([sample()])
            try store.writeObjects([ContentObject(platform: .wechat, object: "2247483650_1", account: "gh_1")])
            try store.close()
        }
        #expect(error?.path == directory.path("data/" + link))
        #expect(
            error?.description.contains(
                "(is a symbolic link, which the collector never follows in data_dir: remove it (rm "
                    + directory.path("data/" + link) + "); the collector writes the file itself)"
            ) == true,
            "\(String(describing: error))"
        )
        #expect(directory.text("outside/credential.json") == Self.precious)
        #expect(!logs.text.contains("cut a torn last line"))
    }

    /// A link to a file that does not exist: the store does not create it outside the folder.
    @Test func neverCreatesAFileThroughADanglingLink() throws {
        let directory = try TemporaryDirectory()
        try directory.createDirectory("data/wechat/2025-03")
        #expect(
            symlink(directory.path("outside/created-elsewhere"), directory.path("data/wechat/2025-03/main.csv")) == 0
        )
        try directory.createDirectory("outside")
        #expect(throws: StorageError.self) {
            let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
            _ = try store.write([sample()])
            try store.close()
        }
        #expect(!directory.exists("outside/created-elsewhere"))
    }

    /// A platform or month folder that is a link to a folder elsewhere: nothing is created or
    /// written where it points, by a run or by `compact`.
    @Test(arguments: ["data/wechat", "data/wechat/2025-03"])
    func neverWritesThroughALinkedFolder(link: String) throws {
        let directory = try TemporaryDirectory()
        let elsewhere = try directory.createDirectory("outside/folder")
        try directory.createDirectory(link.split(separator: "/").dropLast().joined(separator: "/"))
        #expect(symlink(elsewhere, directory.path(link)) == 0)

        let error = #expect(throws: StorageError.self) {
            let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
            _ = try store.write([sample()])
            try store.close()
        }
        #expect(error?.path == directory.path(link))
        #expect(
            error?.description.contains("is a symbolic link, which the collector never follows below data_dir") == true,
            "\(String(describing: error))"
        )
        #expect(FileSystem.list(elsewhere) == [])

        // Compaction rewrites a file with a duplicate row: one found through the link is left alone.
        let month = link.hasSuffix("2025-03") ? "outside/folder" : "outside/folder/2025-03"
        let row = "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        try directory.write(csvHeader + row + row, to: month + "/main.csv")
        #expect(throws: StorageError.self) {
            try Compactor.compact(settings: directory.settings(), platforms: nil, logger: logs.logger)
        }
        #expect(directory.text(month + "/main.csv") == csvHeader + row + row)
    }

    /// A flush marker left by a kill names a file and its inode: when the file is now a link to
    /// another file with that inode, the roll-back refuses it instead of cutting the target.
    @Test func theRollBackOfAKilledWriteNeverCutsThroughALink() throws {
        let directory = try TemporaryDirectory()
        let target = try victim(in: directory)
        var info = stat()
        #expect(stat(target, &info) == 0)
        try directory.createDirectory("data/wechat/2025-03")
        directory.write("data/wechat/2025-03/.main.flushing", "1 jsonl:\(info.st_ino):0\n")
        #expect(symlink(target, directory.path("data/wechat/2025-03/main.jsonl")) == 0)
        #expect(throws: StorageError.self) {
            let store = try SampleStore(settings: directory.settings(formats: [.csv, .jsonl]), logger: logs.logger)
            _ = try store.write([sample()])
            try store.close()
        }
        #expect(directory.text("outside/credential.json") == Self.precious)
    }

    /// A data folder, platform folder or month folder other users may write to: the run goes
    /// on, with one warning per folder naming it, its mode and the fix.
    @Test func warnsAboutFoldersOtherUsersCanWrite() throws {
        let directory = try TemporaryDirectory()
        let month = try directory.createDirectory("data/wechat/2025-03")
        for folder in ["data", "data/wechat/2025-03"] { #expect(chmod(directory.path(folder), 0o777) == 0) }
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        _ = try store.write([sample(), sample(metric: .posts)])
        _ = try store.write([sample(value: .integer(1))])
        try store.close()
        let warnings = logs.warnings.filter { $0.hasPrefix("the data folder ") }
        #expect(
            warnings
                == [directory.path("data"), month].map { folder in
                    "the data folder \(folder) can be written by other users (mode 0777, owner"
                        + " \(StateFolder.userName(geteuid()))): others can change or remove the collected rows and put"
                        + " files and links in it (the collector follows no link there, so they reach nothing outside"
                        + " it); unless that is meant, make it the service user's and writable by it alone (chown, chmod"
                        + " go-w \(folder); docs/operations.md, \"The data folder\")"
                },
            "\(warnings)"
        )
        #expect(directory.text("data/wechat/2025-03/main.csv")?.split(separator: "\n").count == 4)
        #expect(
            DataFolder.sharingProblems(dataDirectory: directory.path("data")).map(\.path) == [
                directory.path("data"), month,
            ]
        )
    }

    /// A data folder only its owner can write to draws no warning; neither does one the service
    /// user's own group may write to, when nobody else is listed in it.
    @Test(arguments: [0o755, 0o700, 0o750, 0o770])
    func aFolderOnlyItsOwnerCanWriteDrawsNoWarning(folderMode: Int) throws {
        let directory = try TemporaryDirectory()
        let data = try directory.createDirectory("data")
        #expect(chmod(data, mode_t(folderMode)) == 0)
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        _ = try store.write([sample()])
        try store.close()
        #expect(logs.warnings.filter { $0.hasPrefix("the data folder ") } == [])
        #expect(DataFolder.sharingProblem(data) == nil)
    }

    /// A user belongs to their primary group although its entry does not list them (`root:x:0:`
    /// on Debian): the sharing checks of the data folder and of secret files count them.
    @Test func aGroupsMembersIncludeTheUsersWhosePrimaryGroupItIs() {
        #expect(DataFolder.groupMembers(0).contains("root"))
    }
}
