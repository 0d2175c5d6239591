import Collector
import CollectorTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite(.serialized)
struct SampleStoreTests {
    private let logs = LogRecorder()

    @Test func writesHeaderAndRowsWithRFC4180Quoting() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let counts = try store.write([
            sample(),
            sample(
                "2025-03-04T09:30:00+08:00",
                account: "a,b",
                object: "say \"hi\"",
                metric: .views,
                value: .integer(7)
            ),
            sample(
                "2025-03-05T00:00:00+08:00",
                object: "line\nbreak\r",
                metric: .completionRate,
                value: .decimal(DecimalValue(mantissa: 4123, scale: 4)),
                quality: .approx,
                source: .import
            ),
        ])
        try store.close()
        #expect(counts == WriteCounts(written: 3))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-04T09:30:00+08:00,wechat,\"a,b\",\"say \"\"hi\"\"\",views,7,exact,api\n"
                + "2025-03-05T00:00:00+08:00,wechat,gh_0123456789ab,\"line\nbreak\r\",completion_rate,0.4123,approx,import\n"
        )
    }

    @Test func partitionsBySampleMonthInConfiguredTimezone() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        // 2025-02-28 16:30 UTC is 2025-03-01 00:30 in Shanghai: the March partition.
        _ = try store.write([sample("2025-02-28T16:30:00Z")])
        try store.close()
        #expect(!directory.exists("data/wechat/2025-02"))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-01T00:30:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
    }

    @Test func cutsTornLastLineOnOpenAndLogsTheCut() throws {
        let directory = try TemporaryDirectory()
        let good = "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        let torn = "2025-03-05T00:00:00+08:00,wech"
        directory.write("data/wechat/2025-03/main.csv", csvHeader + good + torn)
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let counts = try store.write([sample("2025-03-06T00:00:00+08:00", value: .integer(182500))])
        try store.close()
        #expect(counts == WriteCounts(written: 1))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + good + "2025-03-06T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182500,exact,api\n"
        )
        let cut = try #require(logs.entries.first { $0.message == "cut a torn last line" })
        #expect(cut.level == .warning)
        #expect(cut.metadata["file"] == directory.path + "/data/wechat/2025-03/main.csv")
        #expect(cut.metadata["bytes"] == String(torn.utf8.count))
    }

    @Test func cutsTornRecordWithUnclosedQuote() throws {
        let directory = try TemporaryDirectory()
        let good = "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        // Torn inside a quoted field holding a line break: the LF cut alone leaves a quote open.
        let torn = "2025-03-05T00:00:00+08:00,wechat,gh_0123456789ab,\"a\n"
        directory.write("data/wechat/2025-03/main.csv", csvHeader + good + torn + "b")
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        _ = try store.write([sample("2025-03-06T00:00:00+08:00")])
        try store.close()
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + good + "2025-03-06T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
        #expect(
            logs.entries.filter { $0.message == "cut a torn last line" }.map { $0.metadata["bytes"] } == [
                "1", String(torn.utf8.count),
            ]
        )
    }

    @Test func skipsRowsAlreadyInAnotherInstanceFile() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-03/shard2.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,following,12,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,following,13,exact,api\n"
        )
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let counts = try store.write([
            sample(), sample(metric: .following, value: .integer(13)), sample(metric: .following, value: .integer(12)),
        ])
        try store.close()
        // 13 is the last row of `following`: 12 is a change back, so it is appended.
        #expect(counts == WriteCounts(written: 1, duplicates: 2))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,following,12,exact,api\n"
        )
        #expect(directory.text("data/wechat/2025-03/shard2.csv")?.hasSuffix(",following,13,exact,api\n") == true)
    }

    @Test func appendsChangedValueAndSkipsRepeatsWithinOneCall() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let first = try store.write([sample(), sample()])
        let second = try store.write([sample(value: .integer(182409)), sample()])
        try store.close()
        #expect(first == WriteCounts(written: 1, duplicates: 1))
        #expect(second == WriteCounts(written: 2))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182409,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
    }

    @Test func neverLetsAnAgreeingApproxOrLowerBoundSupersedeExact() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let exact = try store.write([sample(metric: .views, value: .integer(12345))])
        // 1.2万 and 1.23万 are 12345 rounded (their intervals reach below it), 10万+'s bound is
        // below it: none of them disproves the exact value.
        let rounded = try store.write([
            sample(metric: .views, value: .integer(12000), quality: .approx),
            sample(metric: .views, value: .integer(12300), quality: .approx),
            sample(metric: .views, value: .integer(10000), quality: .lowerBound),
            sample(metric: .views, value: .integer(12345), quality: .approx),
        ])
        // The other way round: an exact value supersedes an approx one, even an equal one.
        let upgrade = try store.write([
            sample(metric: .likes, value: .integer(12000), quality: .approx),
            sample(metric: .likes, value: .integer(12000)),
        ])
        try store.close()
        #expect(exact == WriteCounts(written: 1))
        #expect(rounded == WriteCounts(written: 0, duplicates: 1, outranked: 3))
        #expect(upgrade == WriteCounts(written: 2))
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,views,12345,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,likes,12000,approx,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,likes,12000,exact,api\n"
        )
    }

    /// An article's reads stamped on its publishing day: 95000 exact in one export, `10万+` in
    /// a later one. The bound disproves the stored value, so it supersedes it, in the writer,
    /// after a reopen (the index rebuilt from the file) and in compaction.
    @Test func letsALowerBoundAboveAnExactValueSupersedeIt() throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings()
        let store = try SampleStore(settings: settings, logger: logs.logger)
        let first = try store.write([sample(metric: .views, value: .integer(95000))])
        let second = try store.write([sample(metric: .views, value: .integer(100000), quality: .lowerBound)])
        try store.close()
        #expect(first == WriteCounts(written: 1))
        #expect(second == WriteCounts(written: 1))
        let expected =
            csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,views,95000,exact,api\n"
            + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,views,100000,lower_bound,api\n"
        #expect(directory.text("data/wechat/2025-03/main.csv") == expected)

        // Reopened: the index, rebuilt from the file, holds the bound, so the same bound again
        // is a duplicate.
        let reopened = try SampleStore(settings: settings, logger: logs.logger)
        let again = try reopened.write([sample(metric: .views, value: .integer(100000), quality: .lowerBound)])
        try reopened.close()
        #expect(again == WriteCounts(duplicates: 1))

        // Compaction keeps the bound, the last word on the key.
        _ = try Compactor.compact(settings: settings, platforms: nil, logger: logs.logger)
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,views,100000,lower_bound,api\n"
        )
    }

    /// A work's plays stamped on its publishing day: 9876 exact in one export, `3.5w` in a
    /// later one. 3.5w is at least 34500 however it was rounded (COUNTS_AND_TARGETS.md §1.3), so
    /// it disproves 9876 and supersedes it, in the writer, after a reopen and in compaction; an
    /// approx value whose interval reaches the exact one does not (review r12-exports, F4).
    @Test func letsAnApproxValueAboveAnExactValueSupersedeIt() throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings()
        let store = try SampleStore(settings: settings, logger: logs.logger)
        let exact = try store.write([
            sample(metric: .views, value: .integer(9876)),
            sample(metric: .likes, value: .integer(34500)),
            sample(metric: .shares, value: .integer(34499)),
        ])
        let later = try store.write([
            sample(metric: .views, value: .integer(35000), quality: .approx),
            sample(metric: .likes, value: .integer(35000), quality: .approx),
            sample(metric: .shares, value: .integer(35000), quality: .approx),
        ])
        try store.close()
        #expect(exact == WriteCounts(written: 3))
        // 34500 is the lower end of 3.5w's interval: it may be the same count rounded.
        #expect(later == WriteCounts(written: 2, outranked: 1))

        let reopened = try SampleStore(settings: settings, logger: logs.logger)
        let again = try reopened.write([
            sample(metric: .views, value: .integer(35000), quality: .approx),
            sample(metric: .likes, value: .integer(35000), quality: .approx),
        ])
        try reopened.close()
        #expect(again == WriteCounts(duplicates: 1, outranked: 1))

        _ = try Compactor.compact(settings: settings, platforms: nil, logger: logs.logger)
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,views,35000,approx,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,likes,34500,exact,api\n"
                + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,shares,35000,approx,api\n"
        )
    }

    @Test func rebuildsIndexFromFilesAfterReopen() throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings()
        let batch = [
            sample(), sample("2025-04-01T08:00:00+08:00", metric: .posts, value: .integer(9)),
            sample(
                object: "2247490098_1",
                metric: .completionRate,
                value: .decimal(DecimalValue(mantissa: 5, scale: 1))
            ),
        ]
        let store = try SampleStore(settings: settings, logger: logs.logger)
        #expect(try store.write(batch) == WriteCounts(written: 3))
        try store.close()
        let reopened = try SampleStore(settings: settings, logger: logs.logger)
        #expect(try reopened.write(batch) == WriteCounts(duplicates: 3))
        try reopened.close()
    }

    @Test(arguments: [OutputFormat.jsonl, .influx])
    func readsIndexBackFromOtherFormats(format: OutputFormat) throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings(formats: [format])
        let batch = [
            sample(account: "a b,c=d\"e\\", object: "x y", value: .integer(-3)),
            sample(metric: .completionRate, value: .decimal(DecimalValue(mantissa: 6984, scale: 4)), quality: .approx),
            sample("2025-03-04T08:00:00+08:00", platform: Platform(rawValue: "xiaohongshu"), source: .exec),
        ]
        let store = try SampleStore(settings: settings, logger: logs.logger)
        #expect(try store.write(batch) == WriteCounts(written: 3))
        try store.close()
        #expect(!directory.exists("data/wechat/2025-03/main.csv"))
        let reopened = try SampleStore(settings: settings, logger: logs.logger)
        #expect(try reopened.write(batch) == WriteCounts(duplicates: 3))
        try reopened.close()
        #expect(logs.entries.isEmpty)
    }

    @Test func writesEveryConfiguredFormat() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(
            settings: directory.settings(formats: [.influx, .csv, .jsonl]),
            logger: logs.logger
        )
        _ = try store.write([sample()])
        try store.close()
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
        #expect(
            directory.text("data/wechat/2025-03/main.jsonl")
                == "{\"time\":\"2025-03-04T00:00:00+08:00\",\"platform\":\"wechat\",\"account\":\"gh_0123456789ab\","
                + "\"object\":\"\",\"metric\":\"followers\",\"value\":182408,\"quality\":\"exact\",\"source\":\"api\"}\n"
        )
        #expect(
            directory.text("data/wechat/2025-03/main.lp")
                == "social,platform=wechat,account=gh_0123456789ab,quality=exact,source=api followers=182408i 1741017600\n"
        )
    }

    /// A shard (or any instance) whose rows were all in another instance's file already leaves
    /// no header-only file behind; a file it did write to stays.
    @Test func removesTheFilesItCreatedButWroteNoRowTo() throws {
        let directory = try TemporaryDirectory()
        directory.write(
            "data/wechat/2025-03/main.csv",
            csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
        let shard = directory.settings(instance: "main-shard-1", formats: [.csv, .jsonl, .influx])
        let store = try SampleStore(settings: shard, logger: logs.logger)
        #expect(
            try store.write([sample(), sample("2025-04-04T00:00:00+08:00")]) == WriteCounts(written: 1, duplicates: 1)
        )
        try store.close()
        for format in ["csv", "jsonl", "lp"] {
            #expect(!directory.exists("data/wechat/2025-03/main-shard-1.\(format)"), "\(format)")
            #expect(directory.exists("data/wechat/2025-04/main-shard-1.\(format)"), "\(format)")
        }
    }

    @Test func reopensEvictedPartitionsWithTheirIndex() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(
            settings: directory.settings(),
            logger: logs.logger,
            maximumOpenPartitions: 1,
            indexBudgetBytes: 1 << 30
        )
        let months = ["2025-01-15T00:00:00+08:00", "2025-02-15T00:00:00+08:00", "2025-03-15T00:00:00+08:00"]
        #expect(try store.write(months.map { sample($0) }) == WriteCounts(written: 3))
        #expect(try store.write(months.reversed().map { sample($0) }) == WriteCounts(duplicates: 3))
        try store.close()
        for month in ["2025-01", "2025-02", "2025-03"] {
            #expect(directory.text("data/wechat/\(month)/main.csv")?.split(separator: "\n").count == 2)
        }
    }

    /// Four sections writing at the same time, each into a partition of its own whose key index
    /// (200,000 keys, 6.8 MB) is over a quarter of the one-writer budget: with a share each, every
    /// partition is opened (its files read) once; with one budget for all, they evict each other.
    @Test(arguments: [(4, true), (1, false)] as [(Int, Bool)])
    func eachWriterKeepsItsPartitionOpenBetweenTurns(writers: Int, opensOnce: Bool) throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger, writers: writers)
        let platforms: [Platform] = [.wechat, .weibo, .douyin, .kuaishou]
        let perTurn = 25_000
        for turn in 0..<8 {
            for platform in platforms {
                let batch = (0..<perTurn).map { number in
                    sample(platform: platform, account: "a\(turn * perTurn + number)")
                }
                #expect(try store.write(batch) == WriteCounts(written: perTurn))
            }
        }
        try store.close()
        #expect((store.partitionsOpened == platforms.count) == opensOnce, "\(store.partitionsOpened) opens")
    }

    @Test func mergesObjectCatalogue() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        try store.writeObjects([
            ContentObject(platform: .wechat, object: "2247490098_1", account: "gh_0123456789ab", title: "开学, \"通知\""),
            ContentObject(platform: .bilibili, object: "BV1xx411c7mD", account: "208259", url: "https://b23.tv/x"),
        ])
        try store.writeObjects([
            ContentObject(
                platform: .wechat,
                object: "2247490098_1",
                account: "gh_0123456789ab",
                publishedAt: time("2025-03-04T20:15:00+08:00"),
                url: "https://mp.weixin.qq.com/s/abc"
            ),
            ContentObject(platform: .wechat, object: "2247490099_1", account: "gh_0123456789ab", title: "second"),
        ])
        try store.close()
        #expect(
            directory.text("data/wechat/objects.csv")
                == "object,account,published_at,title,url\n"
                + "2247490098_1,gh_0123456789ab,2025-03-04T20:15:00+08:00,\"开学, \"\"通知\"\"\",https://mp.weixin.qq.com/s/abc\n"
                + "2247490099_1,gh_0123456789ab,,second,\n"
        )
        #expect(
            directory.text("data/bilibili/objects.csv")
                == "object,account,published_at,title,url\nBV1xx411c7mD,208259,,,https://b23.tv/x\n"
        )
    }

    @Test func failsOnUnwritableDataDirectory() throws {
        let directory = try TemporaryDirectory()
        directory.write("file", "not a folder")
        var settings = directory.settings()
        settings.dataDirectory = directory.path + "/file/data"
        let error = #expect(throws: StorageError.self) {
            try SampleStore(settings: settings, logger: logs.logger)
        }
        #expect(error?.path == directory.path + "/file/data")
        #expect(error?.description.contains("Not a directory") == true)
    }

    @Test func cutsBackEveryFormatWhenAWriteFails() throws {
        let directory = try TemporaryDirectory()
        let settings = directory.settings(formats: [.csv, .jsonl, .influx])
        let store = try SampleStore(settings: settings, logger: logs.logger)
        _ = try store.write([sample()])
        try store.close()
        let jsonl = directory.text("data/wechat/2025-03/main.jsonl")
        // The line-protocol file becomes a full disk; the JSON Lines file is written before it.
        // (It is opened first: the store opens no link, nor anything that is not a regular file.)
        let failing = try SampleStore(settings: settings, logger: logs.logger)
        _ = try failing.write([sample()])
        try replaceDescriptor(of: directory.path + "/data/wechat/2025-03/main.lp", with: "/dev/full")
        // The rows wait in the partition's buffers; the sync writes them and meets the full disk.
        let buffered = try failing.write([sample(value: .integer(1)), sample(metric: .posts)])
        #expect(buffered.written == 2)
        let error = #expect(throws: StorageError.self) { try failing.sync() }
        #expect(error?.errno == ENOSPC)
        #expect(error?.description.contains("free disk space, then re-run") == true)
        #expect(directory.text("data/wechat/2025-03/main.jsonl") == jsonl)
        #expect(
            directory.text("data/wechat/2025-03/main.csv")
                == csvHeader + "2025-03-04T00:00:00+08:00,wechat,gh_0123456789ab,,followers,182408,exact,api\n"
        )
        // Space is back: the rows that were cut are not taken for duplicates, they are written.
        unlink(directory.path + "/data/wechat/2025-03/main.lp")
        let again = try failing.write([sample(value: .integer(1)), sample(metric: .posts)])
        try failing.close()
        #expect(again.written == 2)
        #expect(directory.text("data/wechat/2025-03/main.csv")?.split(separator: "\n").count == 4)
    }

    /// A part file deleted, or its data folder moved (and perhaps made again), while the
    /// collector runs: the next sync fails with a storage error naming the file (the runner
    /// then records no due time), instead of counting rows written to a file in no folder.
    @Test(arguments: ["deleted", "moved", "replaced"])
    func aSyncFailsWhenThePartFileIsNoLongerAtItsPath(change: String) throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        let file = "data/wechat/2025-03/main.csv"
        _ = try store.write([sample()])
        try store.sync()
        if change == "deleted" {
            #expect(unlink(directory.path(file)) == 0)
        } else {
            #expect(rename(directory.path("data"), directory.path("archived")) == 0)
            if change == "replaced" { directory.write(file, "someone else's\n") }
        }
        _ = try store.write([sample(metric: .posts)])
        let error = #expect(throws: StorageError.self) { try store.sync() }
        #expect(error?.path == directory.path(file))
        #expect(
            error?.description.contains(
                "write failed (the file was deleted or moved away while the collector ran, so the rows written"
            ) == true,
            "\(String(describing: error))"
        )
        #expect(error?.description.contains("the accounts of this collection stay due") == true)
        try? store.close()
        switch change {
        case "moved": #expect(!directory.exists(file))
        case "replaced": #expect(directory.text(file) == "someone else's\n")
        default: break
        }
        if change != "deleted" {
            #expect(directory.text("archived/wechat/2025-03/main.csv")?.contains(",posts,") == true)
        }
    }

    @Test func refusesPlatformNamesThatAreNotFolderNames() throws {
        let directory = try TemporaryDirectory()
        let store = try SampleStore(settings: directory.settings(), logger: logs.logger)
        #expect(throws: StorageError.self) {
            try store.write([sample(platform: Platform(rawValue: "../x"))])
        }
        try store.close()
    }

    /// Makes the descriptor this process holds open on `path` refer to `replacement` instead
    /// (`dup2`), the way a test makes an open file fail its next write.
    private func replaceDescriptor(of path: String, with replacement: String) throws {
        let open = FileSystem.list("/proc/self/fd").compactMap(Int32.init).filter { fd in
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
            return count > 0 && String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == path
        }
        let fd = try #require(open.first)
        let other = Glibc.open(replacement, O_WRONLY | O_CLOEXEC)
        try #require(other >= 0)
        defer { close(other) }
        #expect(dup2(other, fd) == fd)
    }
}
