import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite(.serialized)
struct ObjectCatalogueTests {
    private let logs = LogCapture()
    private static let header = "object,account,published_at,title,url\n"

    private func object(_ id: String, title: String = "", url: String = "", published: String? = nil) -> ContentObject {
        ContentObject(
            platform: .wechat,
            object: id,
            account: "gh_0123456789ab",
            publishedAt: published.map { time($0) },
            title: title,
            url: url
        )
    }

    @Test func mergesIntoStoredRowsAndAppendsNewOnesInTheOrderTheyCame() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/objects.csv",
            Self.header + "a,gh_0123456789ab,,old title,https://a\n" + "b,gh_0123456789ab,,b title,\n"
        )
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([object("c", title: "c1"), object("b", url: "https://b")])
        try store.writeObjects([
            object("c", url: "https://c", published: "2025-03-04T20:15:00+08:00"),
            object("d", title: "d, \"quoted\""),
            object("a", title: "new title"),
            object("c", title: ""),
            object("", title: "no id: ignored"),
        ])
        try store.sync()
        #expect(
            directory.text("data/wechat/objects.csv")
                == Self.header
                + "a,gh_0123456789ab,,new title,https://a\n"
                + "b,gh_0123456789ab,,b title,https://b\n"
                + "c,gh_0123456789ab,2025-03-04T20:15:00+08:00,c1,https://c\n"
                + "d,gh_0123456789ab,,\"d, \"\"quoted\"\"\",\n"
        )
        try store.close()
    }

    @Test func writesTheCatalogueAtSyncNotBefore() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([object("a", title: "t")])
        #expect(!directory.exists("data/wechat/objects.csv"))
        try store.sync()
        #expect(directory.text("data/wechat/objects.csv") == Self.header + "a,gh_0123456789ab,,t,\n")
        try store.close()
    }

    @Test func leavesAnUnchangedCatalogueAlone() throws {
        let directory = try TemporaryDirectory()
        // Not as the store writes it (CRLF, needless quotes, no LF at the end): kept as it is.
        let stored = "object,account,published_at,title,url\r\n\"a\",gh_0123456789ab,,t,https://a"
        directory.write("data/wechat/objects.csv", stored)
        var before = stat()
        stat(directory.path + "/data/wechat/objects.csv", &before)
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([object("a", title: "t"), object("a", url: "https://a")])
        try store.close()
        var after = stat()
        stat(directory.path + "/data/wechat/objects.csv", &after)
        #expect(directory.text("data/wechat/objects.csv") == stored)
        #expect(after.st_ino == before.st_ino)
    }

    @Test func readsAStoredLastRowWithoutLineFeed() throws {
        let directory = try TemporaryDirectory()
        directory.write("data/wechat/objects.csv", Self.header + "a,gh_0123456789ab,,t,")
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([object("a", url: "https://a"), object("b")])
        try store.close()
        #expect(
            directory.text("data/wechat/objects.csv")
                == Self.header + "a,gh_0123456789ab,,t,https://a\n" + "b,gh_0123456789ab,,,\n"
        )
    }

    /// More rows than the stage keeps in memory: most go through its spill file.
    @Test func mergesMoreRowsThanItKeepsInMemory() throws {
        let directory = try TemporaryDirectory()
        let count = 12000
        let title = String(repeating: "标题", count: 30)
        func id(_ number: Int) -> String { "22477\(number)_1" }
        // Stored: every third object, with an old title.
        var stored = Self.header
        for number in stride(from: 0, to: count, by: 3) { stored += "\(id(number)),gh_0123456789ab,,old,\n" }
        directory.write("data/wechat/objects.csv", stored)

        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        for start in stride(from: 0, to: count, by: 1000) {
            try store.writeObjects((start..<start + 1000).map { object(id($0), title: title + "\($0)") })
        }
        // Later rows for early objects: their URL only.
        try store.writeObjects((0..<50).map { object(id($0 * 7), url: "https://u/\($0 * 7)") })
        try store.close()

        var expected = Self.header
        func row(_ number: Int) -> String {
            let url = number % 7 == 0 && number / 7 < 50 ? "https://u/\(number)" : ""
            return "\(id(number)),gh_0123456789ab,,\(title)\(number),\(url)\n"
        }
        for number in stride(from: 0, to: count, by: 3) { expected += row(number) }
        for number in 0..<count where number % 3 != 0 { expected += row(number) }
        #expect(directory.text("data/wechat/objects.csv") == expected)
        // The spill file is gone with the stage.
        #expect(FileSystemListing.names(directory.path + "/data/wechat") == ["objects.csv"])
    }
}

/// The entries of a folder, sorted, without `.` and `..`.
enum FileSystemListing {
    static func names(_ path: String) -> [String] {
        guard let folder = opendir(path) else { return [] }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
