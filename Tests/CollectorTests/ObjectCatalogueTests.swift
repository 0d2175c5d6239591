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
    private let logs = LogRecorder()
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

    // MARK: - One row per account and object

    /// Two WeChat accounts whose mids run alike: the same article id for two articles.
    private static let accountA = "gh_aaaaaaaaaaaa"
    private static let accountB = "gh_bbbbbbbbbbbb"
    private static let shared = "2247483649_1"

    private func article(
        _ account: String,
        _ id: String = shared,
        title: String = "",
        url: String = "",
        published: String? = nil
    ) -> ContentObject {
        ContentObject(
            platform: .wechat,
            object: id,
            account: account,
            publishedAt: published.map { time($0) },
            title: title,
            url: url
        )
    }

    /// The bug: B's article was merged into A's stored row of the same id, A's title and URL lost.
    @Test func keepsOneRowPerAccountForTheSameObjectID() throws {
        let directory = try TemporaryDirectory()
        let a = Self.accountA
        let b = Self.accountB
        directory.write("data/wechat/objects.csv", Self.header + "\(Self.shared),\(a),,A stored,https://a/1\n")
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([
            article(b, title: "B title", url: "https://b/1", published: "2025-03-10T00:00:00+08:00"),
            // A new id for both accounts, their lines interleaved.
            article(a, "2247483650_1", title: "A two"),
            article(b, "2247483650_1", title: "B two"),
            article(a, "2247483650_1", url: "https://a/2"),
            article(b, "2247483650_1", url: "https://b/2"),
        ])
        try store.close()
        func written(titleOfA: String) -> String {
            Self.header
                + "\(Self.shared),\(a),,\(titleOfA),https://a/1\n"
                + "\(Self.shared),\(b),2025-03-10T00:00:00+08:00,B title,https://b/1\n"
                + "2247483650_1,\(a),,A two,https://a/2\n"
                + "2247483650_1,\(b),,B two,https://b/2\n"
        }
        #expect(directory.text("data/wechat/objects.csv") == written(titleOfA: "A stored"))

        // Re-opened: an update of one account's row leaves the other's alone.
        let reopened = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try reopened.writeObjects([article(a, title: "A renamed"), article(b, "2247483650_1", url: "https://b/2")])
        try reopened.close()
        #expect(directory.text("data/wechat/objects.csv") == written(titleOfA: "A renamed"))
    }

    /// Two imports, one per account, of an article with the same id: both rows, and both
    /// accounts' samples, survive a re-open, `collector compact` and the export the report reads.
    @Test func twoAccountsArticlesOfOneIDSurviveAReopenACompactAndAnExport() throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings()
        for (account, title, day) in [(Self.accountA, "A 的文章", "04"), (Self.accountB, "B 的文章", "10")] {
            let store = try SampleStore(settings: settings, logger: logs.logger)
            let published = "2025-03-\(day)T00:00:00+08:00"
            try store.writeObjects([
                article(account, title: title, url: "https://mp/\(account)", published: published)
            ])
            _ = try store.write([
                Sample(
                    time: time(published),
                    platform: .wechat,
                    account: account,
                    object: Self.shared,
                    metric: .viewers,
                    value: .integer(day == "04" ? 100 : 200),
                    quality: .exact,
                    source: .import
                )
            ])
            try store.close()
        }
        let catalogue =
            Self.header
            + "\(Self.shared),\(Self.accountA),2025-03-04T00:00:00+08:00,A 的文章,https://mp/\(Self.accountA)\n"
            + "\(Self.shared),\(Self.accountB),2025-03-10T00:00:00+08:00,B 的文章,https://mp/\(Self.accountB)\n"
        #expect(directory.text("data/wechat/objects.csv") == catalogue)

        // Re-opened and given the same rows again: nothing changes.
        let reopened = try SampleStore(settings: settings, logger: logs.logger)
        try reopened.writeObjects([article(Self.accountA, title: "A 的文章"), article(Self.accountB, title: "B 的文章")])
        try reopened.close()
        #expect(directory.text("data/wechat/objects.csv") == catalogue)

        _ = try Compactor.compact(settings: settings, platforms: nil, logger: logs.logger)
        #expect(directory.text("data/wechat/objects.csv") == catalogue)
        let samples = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [], logger: logs.logger)
        #expect(samples.map(\.account).sorted() == [Self.accountA, Self.accountB])

        let objects = try Exporter.objects(settings: settings, platforms: [])
        #expect(
            objects == [
                article(
                    Self.accountA,
                    title: "A 的文章",
                    url: "https://mp/\(Self.accountA)",
                    published: "2025-03-04T00:00:00+08:00"
                ),
                article(
                    Self.accountB,
                    title: "B 的文章",
                    url: "https://mp/\(Self.accountB)",
                    published: "2025-03-10T00:00:00+08:00"
                ),
            ]
        )
    }

    /// Through the spill file: two accounts' objects of the same ids, their lines interleaved.
    @Test func keepsBothAccountsRowsOfMoreObjectsThanItKeepsInMemory() throws {
        let directory = try TemporaryDirectory()
        let count = 6000
        let title = String(repeating: "标题", count: 30)
        func id(_ number: Int) -> String { "22477\(number)_1" }
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        for start in stride(from: 0, to: count, by: 500) {
            try store.writeObjects(
                (start..<start + 500).flatMap { number in
                    [Self.accountA, Self.accountB].map { article($0, id(number), title: title + $0 + "\(number)") }
                }
            )
        }
        // Later rows for A's early objects: their URL only.
        try store.writeObjects((0..<50).map { article(Self.accountA, id($0 * 7), url: "https://u/\($0 * 7)") })
        try store.close()

        var expected = Self.header
        for number in 0..<count {
            let url = number % 7 == 0 && number / 7 < 50 ? "https://u/\(number)" : ""
            expected += "\(id(number)),\(Self.accountA),,\(title)\(Self.accountA)\(number),\(url)\n"
            expected += "\(id(number)),\(Self.accountB),,\(title)\(Self.accountB)\(number),\n"
        }
        #expect(directory.text("data/wechat/objects.csv") == expected)
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
