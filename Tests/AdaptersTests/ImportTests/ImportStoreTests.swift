import Adapters
import Collector
import CollectorTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Imports into the real store in a temporary folder: a file imported twice adds nothing,
/// overlapping exports add only what is new (SPEC §3).
@Suite(.serialized)
struct ImportStoreTests {
    /// The folder of the stores; removed with the suite value when the test ends.
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory()
    }

    /// A store under a fresh folder of ``temporary``, and its settings.
    private func store() throws -> (SampleStore, CollectorSettings) {
        var settings = CollectorSettings()
        settings.dataDirectory = try temporary.createDirectory("store-\(UInt64.random(in: 0...UInt64.max))") + "/data"
        return (try SampleStore(settings: settings, logger: Logger(label: "test")), settings)
    }

    private func importFile(
        _ file: String,
        platform: Platform,
        account: String?,
        into store: SampleStore,
        options: ImportOptions? = nil
    ) throws -> (WriteCounts, SampleBatch) {
        let batch = SampleBatch(sink: store)
        var chosen = options ?? ImportOptions(account: account)
        chosen.today = CivilDate(year: 2025, month: 3, day: 8)
        _ = try ImportService.importFile(
            path: file.hasPrefix("/") ? file : ImportFixtures.path(file),
            platform: platform,
            options: chosen,
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        return (batch.counts, batch)
    }

    @Test(
        arguments: [
            ("wechat/exports/content_trend_v1.csv", Platform.wechat, 12),
            ("wechat/exports/article_detail_2247501234_1.xlsx", .wechat, 8),
            ("channels/exports/posts_ugly_gb18030.csv", .channels, 10),
            ("douyin/exports/works.xlsx", .douyin, 19),
        ] as [(String, Platform, Int)]
    )
    func addsNothingWhenTheSameFileIsImportedTwice(file: String, platform: Platform, rows: Int) throws {
        let (store, _) = try store()
        let (first, _) = try importFile(file, platform: platform, account: "acc", into: store)
        let (second, _) = try importFile(file, platform: platform, account: "acc", into: store)
        try store.close()
        #expect(first == WriteCounts(written: rows))
        #expect(second == WriteCounts(written: 0, duplicates: rows))
    }

    @Test func addsOnlyTheNewDaysOfAnOverlappingExport() throws {
        let (store, settings) = try store()
        let (first, _) = try importFile(
            "wechat/exports/user_growth_part1.csv",
            platform: .wechat,
            account: "gh",
            into: store
        )
        let (second, _) = try importFile(
            "wechat/exports/user_growth_part2.csv",
            platform: .wechat,
            account: "gh",
            into: store
        )
        try store.close()
        #expect(first == WriteCounts(written: 9))
        // 03-04 and 03-05 are in both files; 03-06 and 03-07 are new.
        #expect(second == WriteCounts(written: 6, duplicates: 6))
        let followers = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.wechat])
            .filter { $0.metric == .followers }.map { ImportFixtures.line($0) }
        #expect(
            followers == [
                "2025-03-03T00:00:00+08:00,wechat,gh,,followers,182344,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh,,followers,182408,exact,import",
                "2025-03-05T00:00:00+08:00,wechat,gh,,followers,182451,exact,import",
                "2025-03-06T00:00:00+08:00,wechat,gh,,followers,182433,exact,import",
                "2025-03-07T00:00:00+08:00,wechat,gh,,followers,182520,exact,import",
            ]
        )
    }

    @Test func supersedesTheTotalsAPostHasGrownInALaterExport() throws {
        let (store, settings) = try store()
        _ = try importFile("channels/exports/posts.csv", platform: .channels, account: "sph", into: store)
        let (later, _) = try importFile(
            "channels/exports/posts_later.csv",
            platform: .channels,
            account: "sph",
            into: store
        )
        try store.close()
        // The first post's views, recommends and likes grew; nothing else changed.
        #expect(later == WriteCounts(written: 3, duplicates: 13))
        let first = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.channels])
            .filter { $0.object.hasSuffix("xxxxx") && [.views, .recommends, .likes].contains($0.metric) }
            .map { "\($0.metric)=\($0.value)" }
        #expect(first.sorted() == ["likes=561", "recommends=230", "views=13544"])
    }

    @Test func checksSelfReportedTotalsAgainstTheStore() throws {
        let (store, settings) = try store()
        let batch = SampleBatch(sink: store)
        try batch.add(
            Sample(
                time: ImportFixtures.calendar.startOfDay(CivilDate(year: 2025, month: 3, day: 1)!),
                platform: .wechat,
                account: "gh_0123456789ab",
                metric: .followers,
                value: .integer(182_000),
                source: .api
            )
        )
        try batch.commit()
        let registry = try AccountRegistry.load(path: ImportFixtures.path("any/exports/accounts.csv"))
        let options = ImportOptions(registry: registry, previousValues: StoredPreviousValues(settings: settings))
        let (counts, imported) = try importFile(
            "any/exports/self_report_filled.csv",
            platform: SelfReportImporter.platform,
            account: nil,
            into: store,
            options: options
        )
        try store.close()
        #expect(counts == WriteCounts(written: 8))
        #expect(
            imported.failures.filter { $0.label == "drop" }.map(\.object) == ["line 8"]
        )
        #expect(
            try StoredPreviousValues(settings: settings).lastValue(
                platform: .wechat,
                account: "gh_0123456789ab",
                metric: .followers,
                before: CivilDate(year: 2025, month: 3, day: 9)!
            ) == PreviousValue(date: CivilDate(year: 2025, month: 3, day: 8)!, value: 182_900)
        )
    }

    /// Excel re-saves `2025-03-06 18:30:12` as `2025/3/6 18:30`: importing the re-saved file
    /// after the download adds no second work (the derived id has no seconds).
    @Test func aDouyinWorksFileResavedByExcelAddsNoSecondWork() throws {
        let (store, settings) = try store()
        _ = try importFile("douyin/exports/works.csv", platform: .douyin, account: "dyA", into: store)
        let original = String(
            decoding: try Fixtures.bytes(ImportFixtures.path("douyin/exports/works.csv")),
            as: UTF8.self
        )
        let text = original.replacing("2025-03-03 11:00:00", with: "2025/3/3 11:00")
            .replacing("2025-03-06 18:30:12", with: "2025/3/6 18:30")
        #expect(text != original)
        let resaved = try temporary.write(text, to: "作品数据_excel.csv")
        let (second, _) = try importFile(resaved, platform: .douyin, account: "dyA", into: store)
        try store.close()
        #expect(second.written == 0)
        let objects = try Exporter.objects(settings: settings, platforms: [.douyin]).map(\.object)
        #expect(objects.sorted() == ["202503031100_21959743", "202503061830_12cb81b9"])
    }

    /// A work the API catalogued (same title, same minute; the API's time has seconds) is
    /// imported under the API's `item_id`; a work with no such video keeps its derived id, and
    /// a video of another minute or another account is not taken.
    @Test func aDouyinWorkTakesTheItemIDOfTheVideoTheAPICatalogued() throws {
        let (store, settings) = try store()
        let catalogued = SampleBatch(sink: store)
        let eleven = try #require(PlatformCalendar.parseRFC3339("2025-03-03T11:00:27+08:00"))
        catalogued.add(
            object: ContentObject(
                platform: .douyin,
                object: "@api-item-1",
                account: "dyA",
                publishedAt: eleven,
                title: "开学第一课｜校长寄语 #开学季"
            )
        )
        // Same title, another minute; and the same work of another account.
        catalogued.add(
            object: ContentObject(
                platform: .douyin,
                object: "@api-item-2",
                account: "dyA",
                publishedAt: eleven.adding(seconds: 3600),
                title: "开学第一课｜校长寄语 #开学季"
            )
        )
        catalogued.add(
            object: ContentObject(
                platform: .douyin,
                object: "@api-item-3",
                account: "dyB",
                publishedAt: PlatformCalendar.parseRFC3339("2025-03-06T18:30:12+08:00"),
                title: "实验室开放日回顾"
            )
        )
        try catalogued.commit()
        let options = ImportOptions(account: "dyA", knownObjects: StoredKnownObjects(settings: settings))
        _ = try importFile("douyin/exports/works.csv", platform: .douyin, account: "dyA", into: store, options: options)
        try store.close()
        let views = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.douyin])
            .filter { $0.metric == .views }.map { "\($0.object)=\($0.value)" }
        #expect(views.sorted() == ["202503061830_12cb81b9=8804", "@api-item-1=96510"])
    }

    /// A work published at 00:00 that an `.xlsx` import before session 12 stored under a
    /// day-only id (its reader dropped the midnight time) keeps that id when a download now read
    /// as `2025-03-03 00:00:00` comes in; another work at 00:00 gets the id with the time.
    @Test func aMidnightWorkKeepsTheDayOnlyIdAnEarlierWorkbookImportGaveIt() throws {
        let (store, settings) = try store()
        let earlier = try #require(DateTimeCell("2025-03-03"))
        let legacy = DerivedObjectID.make(published: earlier, title: "零点定时发布")
        let catalogued = SampleBatch(sink: store)
        catalogued.add(
            object: ContentObject(
                platform: .douyin,
                object: legacy,
                account: "dyA",
                publishedAt: ImportFixtures.calendar.startOfDay(earlier.date),
                title: "零点定时发布"
            )
        )
        try catalogued.commit()
        let path = try temporary.write(
            "作品名称,发布时间,播放量\n零点定时发布,2025-03-03 00:00:00,5000\n新作品,2025-03-03 00:00:00,10\n",
            to: "works.csv"
        )
        let options = ImportOptions(account: "dyA", knownObjects: StoredKnownObjects(settings: settings))
        _ = try importFile(path, platform: .douyin, account: "dyA", into: store, options: options)
        try store.close()
        let views = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.douyin])
            .filter { $0.metric == .views }.map { "\($0.object)=\($0.value)" }
        let midnight = try #require(DateTimeCell("2025-03-03 00:00:00"))
        let other = DerivedObjectID.make(published: midnight, title: "新作品")
        #expect(legacy.hasPrefix("20250303_") && other.hasPrefix("202503030000_"))
        #expect(views.sorted() == ["\(legacy)=5000", "\(other)=10"].sorted())
    }

    /// Excel on a Chinese Windows saves "CSV" in code page 936 and writes `?` for each emoji
    /// of a Douyin title, so the re-saved file derives other ids; each work is found in the
    /// catalogue all the same, whichever file comes first, in two runs or one (the catalogue
    /// read again once the first file is in), and keeps its title with the emoji.
    @Test(arguments: [false, true], [false, true])
    func aWorkKeepsItsIdAcrossAnExcelResaveThatLostItsEmoji(resavedFirst: Bool, oneRun: Bool) throws {
        let (store, settings) = try store()
        var files = ["douyin/exports/works_emoji.csv", "douyin/exports/works_emoji_resaved_gbk.csv"]
        if resavedFirst { files.reverse() }
        let shared = StoredKnownObjects(settings: settings)
        for file in files {
            let options = ImportOptions(
                account: "dyA",
                knownObjects: oneRun ? shared : StoredKnownObjects(settings: settings)
            )
            _ = try importFile(file, platform: .douyin, account: "dyA", into: store, options: options)
        }
        try store.close()
        let views = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.douyin])
            .filter { $0.metric == .views }
        #expect(views.count == 3, "\(views.map { "\($0.object)=\($0.value)" })")
        #expect(Set(views.map(\.object)).count == 3)
        let titles = try StoredKnownObjects(settings: settings).objects(platform: .douyin, account: "dyA")
            .map(\.title).sorted()
        #expect(titles == ["开学啦", "期末加油🎉💪 #高考", "没有表情"])
    }

    /// A work the API catalogued with an emoji in its title is matched by the re-saved
    /// export's title with `?` in its place.
    @Test func aResavedTitleFindsTheWorkTheAPICatalogued() throws {
        let (store, settings) = try store()
        let catalogued = SampleBatch(sink: store)
        catalogued.add(
            object: ContentObject(
                platform: .douyin,
                object: "@api-item-9",
                account: "dyA",
                publishedAt: PlatformCalendar.parseRFC3339("2025-03-03T11:00:27+08:00"),
                title: "期末加油🎉💪 #高考"
            )
        )
        try catalogued.commit()
        let options = ImportOptions(account: "dyA", knownObjects: StoredKnownObjects(settings: settings))
        _ = try importFile(
            "douyin/exports/works_emoji_resaved_gbk.csv",
            platform: .douyin,
            account: "dyA",
            into: store,
            options: options
        )
        try store.close()
        let views = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.douyin])
            .filter { $0.metric == .views && $0.value == .integer(96510) }
        #expect(views.map(\.object) == ["@api-item-9"])
        let titles = try StoredKnownObjects(settings: settings).objects(platform: .douyin, account: "dyA")
            .filter { $0.object == "@api-item-9" }.map(\.title)
        #expect(titles == ["期末加油🎉💪 #高考"])
    }

    /// A mapped works export without an id column (the shipped Toutiao mapping) takes the id the
    /// API catalogued for the same title and minute, as the Douyin import does; a work the
    /// catalogue lacks keeps its derived id.
    @Test func aMappedWorkTakesTheIDOfTheWorkTheAPICatalogued() throws {
        let (store, settings) = try store()
        let catalogued = SampleBatch(sink: store)
        catalogued.add(
            object: ContentObject(
                platform: .toutiao,
                object: "7477000000000000001",
                account: "tt_test",
                publishedAt: PlatformCalendar.parseRFC3339("2025-03-03T11:00:41+08:00"),
                title: "关于做好2025年春季学期开学工作的通知"
            )
        )
        try catalogued.commit()
        let mapping = try ColumnMapping.load(
            path: ImportFixtures.mapping("toutiao_works_UNVERIFIED.toml"),
            platform: .toutiao
        )
        let options = ImportOptions(
            account: "tt_test",
            mapping: mapping,
            knownObjects: StoredKnownObjects(settings: settings)
        )
        _ = try importFile(
            "toutiao/exports/works_UNVERIFIED.csv",
            platform: .toutiao,
            account: "tt_test",
            into: store,
            options: options
        )
        // Another account's copy of the file: the catalogue has nothing of it.
        var other = options
        other.account = "tt_other"
        _ = try importFile(
            "toutiao/exports/works_UNVERIFIED.csv",
            platform: .toutiao,
            account: "tt_other",
            into: store,
            options: other
        )
        try store.close()
        let views = try Exporter.samples(settings: settings, from: nil, to: nil, platforms: [.toutiao])
            .filter { $0.metric == .views }
        #expect(views.filter { $0.account == "tt_test" }.map(\.object) == ["7477000000000000001"])
        let derived = views.filter { $0.account == "tt_other" }.map(\.object)
        #expect(derived.count == 1 && derived.allSatisfy { DerivedObjectID.isDerived($0) }, "\(derived)")
    }
}
