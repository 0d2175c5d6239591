import Adapters
import Collector
import CollectorTesting
import Logging
import Synchronization
import Testing

/// The WeChat adapter across runs, against the platform simulator: configuration, the cursor,
/// `is_delay` re-polling, the daily-quota stop and token renewal as seen from a collection.
@Suite(.serialized)
struct WeChatAdapterTests {
    // MARK: - Configuration

    @Test func readsItsConfigurationWithDefaults() throws {
        let adapter = try WeChatAdapter(configuration: WeChatHarness.configuration())
        #expect(adapter.accounts == ["gh_0123456789ab"])
        #expect(adapter.platform == .wechat)
        #expect(adapter.schedule.rate == Rate(count: 60, per: .seconds(60)))
        #expect(
            WeChatAdapter.configurationKeys.map(\.name) == [
                "account", "app_id", "app_secret", "backfill_days", "articles", "legacy_articles", "base_url",
                "credential_rate",
            ]
        )
        #expect(WeChatAdapter.configurationKeys.filter(\.isSecret).map(\.name) == ["app_secret"])
    }

    @Test(
        arguments: [
            (
                ["account": ConfigValue.string("教育局")],
                #"wechat account "教育局" is not an original id (gh_ followed by letters and digits)"#
            ),
            (["account": .string("gh_")], #"wechat account "gh_" is not an original id"#),
            (["app_id": .string("gh_0123456789ab")], #""app_id" = "gh_0123456789ab" is not an AppID"#),
            (["backfill_days": .integer(61)], #""backfill_days" must be between 1 and 60"#),
            (["backfill_days": .integer(0)], #""backfill_days" must be between 1 and 60"#),
            (["articles": .string("yes")], #""articles" must be true or false, not a string"#),
            (["app_secret": .string("")], #""app_secret" must not be empty"#),
        ] as [([String: ConfigValue], String)]
    )
    func rejectsInvalidConfiguration(_ change: [String: ConfigValue], _ message: String) {
        let error = #expect(throws: ConfigurationErrors.self) {
            try WeChatAdapter(configuration: WeChatHarness.configuration(change))
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    // MARK: - Cursor and windows

    @Test func aSecondRunResumesAfterTheCursorAndRepollsDelayedDays() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)  // the second run is two days later: the token expired
        harness.serve("getusercumulate", #"{"list":[{"ref_date":"2025-11-24","cumulate_user":182590}]}"#)
        harness.serve(
            "getusersummary",
            #"{"list":[{"ref_date":"2025-11-23","user_source":0,"new_user":3,"cancel_user":1}]}"#
        )
        harness.serve(
            "getbizsummary",
            #"{"list":[{"ref_date":"2025-11-24","detail":{"read_user":15230}}],"is_delay":true}"#
        )
        let adapter = try harness.adapter(["articles": .bool(false)])
        _ = try await harness.collect(adapter)
        #expect(
            try harness.cursorText()
                == #"{"biz_delayed_from":"2025-11-18","biz_through":"2025-11-24","cumulate_through":"2025-11-24","summary_through":"2025-11-23"}"#
        )

        // Two days later: followers resume after their last day, bizsummary from the delayed window.
        harness.now = harness.now.adding(seconds: 2 * 86400)
        harness.serve("getusercumulate", #"{"list":[]}"#)
        harness.serve("getusersummary", #"{"list":[]}"#)
        harness.serve(
            "getbizsummary",
            #"{"list":[{"ref_date":"2025-11-24","detail":{"read_user":15231}}],"is_delay":false}"#
        )
        harness.serve(
            "getbizsummary",
            #"{"list":[{"ref_date":"2025-11-26","detail":{"read_user":1}}],"is_delay":false}"#
        )
        let second = try await harness.collect(adapter)
        #expect(second.failures.isEmpty)
        #expect(
            second.sink.samples.map { "\($0.time) \($0.metric) \($0.value)" } == [
                "1763913600 viewers 15231", "1764086400 viewers 1",
            ]
        )
        #expect(harness.bodies("getusercumulate").last == #"{"begin_date":"2025-11-25","end_date":"2025-11-26"}"#)
        #expect(harness.bodies("getusersummary").last == #"{"begin_date":"2025-11-24","end_date":"2025-11-26"}"#)
        #expect(
            harness.bodies("getbizsummary").suffix(2) == [
                #"{"begin_date":"2025-11-18","end_date":"2025-11-24"}"#,
                #"{"begin_date":"2025-11-25","end_date":"2025-11-26"}"#,
            ]
        )
        // Empty lists did not move the follower cursors; final bizsummary data cleared the delay.
        #expect(
            try harness.cursorText()
                == #"{"biz_through":"2025-11-26","cumulate_through":"2025-11-24","summary_through":"2025-11-23"}"#
        )
    }

    /// A window answered with days it did not ask for (2019, 2030) writes none of them and
    /// leaves the cursor where it was, so the next run asks the same days again; a window whose
    /// answer holds some of its days moves the cursor over those only, never to a stray later one.
    @Test func daysOutsideTheWindowAreNotWrittenAndDoNotMoveTheCursor() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        harness.serve(
            "getusercumulate",
            #"{"list":[{"ref_date":"2019-01-01","cumulate_user":5},{"ref_date":"2030-01-01","cumulate_user":7}]}"#
        )
        harness.serve(
            "getusersummary",
            #"{"list":[{"ref_date":"2025-11-20","user_source":0,"new_user":3,"cancel_user":1},{"ref_date":"2025-11-28","user_source":0,"new_user":9,"cancel_user":9}]}"#
        )
        harness.serve("getbizsummary", #"{"list":[],"is_delay":false}"#)
        let adapter = try harness.adapter(["articles": .bool(false)])
        let first = try await harness.collect(adapter)
        #expect(
            first.sink.samples.map { "\($0.time) \($0.metric) \($0.value)" } == [
                "1763568000 followers_new 3", "1763568000 followers_lost 1",
            ]
        )
        #expect(
            first.failures.map(\.description) == [
                "wechat/gh_0123456789ab: schemaChanged: wechat /datacube/getusercumulate 2025-11-18..2025-11-24: the answer holds ref_date 2019-01-01, outside 2025-11-18..2025-11-24 (the days asked for); no row outside it is written, and the days asked for that did not come back are asked again next run (the platform may have changed its response; report it if it recurs)",
                "wechat/gh_0123456789ab: schemaChanged: wechat /datacube/getusersummary 2025-11-18..2025-11-24: the answer holds ref_date 2025-11-28, outside 2025-11-18..2025-11-24 (the days asked for); no row outside it is written, and the days asked for that did not come back are asked again next run (the platform may have changed its response; report it if it recurs)",
            ]
        )
        #expect(try harness.cursorText() == #"{"summary_through":"2025-11-20"}"#)

        // The next run asks for the days that never came back.
        harness.now = harness.now.adding(seconds: 3 * 3600)
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        _ = try await harness.collect(adapter)
        #expect(harness.bodies("getusercumulate").last == #"{"begin_date":"2025-11-18","end_date":"2025-11-24"}"#)
        #expect(harness.bodies("getusersummary").last == #"{"begin_date":"2025-11-21","end_date":"2025-11-24"}"#)
    }

    @Test func aFirstRunFetchesBackfillDaysInWindowsOfSevenDays() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        let adapter = try harness.adapter(["articles": .bool(false), "backfill_days": .integer(10)])
        _ = try await harness.collect(adapter)
        #expect(
            harness.bodies("getusercumulate") == [
                #"{"begin_date":"2025-11-15","end_date":"2025-11-21"}"#,
                #"{"begin_date":"2025-11-22","end_date":"2025-11-24"}"#,
            ]
        )
        #expect(harness.requests("getusercumulate").allSatisfy { $0.method == "POST" })
        #expect(
            harness.requests("getusercumulate").allSatisfy { $0.queryParameter("access_token") == WeChatHarness.token }
        )
        // Nothing arrived, so there is nothing to remember: no cursor file.
        #expect(
            try harness.state.read(WeChatAdapter.cursorFileName(instance: "wechat", account: "gh_0123456789ab")) == nil
        )
    }

    /// The datacube's days are Beijing days: at 00:30 in Tokyo (23:30 in Beijing) "yesterday"
    /// is still the Beijing day before, not Tokyo's, which is Beijing's today (61501).
    @Test func theWindowsEndOnBeijingsYesterdayWhateverTheTimezone() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        // 2025-11-25T00:30:00+09:00 = 2025-11-24T23:30:00+08:00.
        harness.now = WeChatHarness.start.adding(seconds: -30 * 60)
        let tokyo = try #require(PlatformCalendar(identifier: "Asia/Tokyo"))
        let adapter = try harness.adapter(["articles": .bool(false), "backfill_days": .integer(3)])
        _ = try await harness.collect(adapter, calendar: tokyo)
        #expect(harness.bodies("getusercumulate") == [#"{"begin_date":"2025-11-21","end_date":"2025-11-23"}"#])
        #expect(harness.bodies("getbizsummary") == [#"{"begin_date":"2025-11-21","end_date":"2025-11-23"}"#])
    }

    @Test func articlesAreReadOnePublishDateAtATimeOverThirtyDays() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        harness.serve(
            "getarticletotaldetail",
            #"{"list":[{"ref_date":"2025-10-26","msgid":"2247512345_1","title":"第一行\n第二行","detail_list":[{"stat_date":"2025-10-26","read_user":"8123","read_finish_rate":"41.2%"},{"stat_date":"2025-10-27","read_user":9000,"read_finish_rate":41.2}]}],"is_delay":false}"#,
            times: 1
        )
        harness.serve("getarticletotaldetail", #"{"list":[],"is_delay":false}"#, times: 29)
        let adapter = try harness.adapter()
        let result = try await harness.collect(adapter)
        let bodies = harness.bodies("getarticletotaldetail")
        #expect(bodies.count == 30)
        #expect(bodies.first == #"{"begin_date":"2025-10-26","end_date":"2025-10-26"}"#)
        #expect(bodies.last == #"{"begin_date":"2025-11-24","end_date":"2025-11-24"}"#)
        #expect(
            result.sink.samples.map { "\($0.object) \($0.metric) \($0.value)" } == [
                "2247512345_1 viewers 8123", "2247512345_1 completion_rate 0.412", "2247512345_1 viewers 9000",
            ]
        )
        let object = try #require(result.sink.objects.first)
        #expect(object.title == "第一行")
        #expect(object.publishedAt == PlatformCalendar.beijing.startOfDay(WeChatWindowTests.day("2025-10-26")))
    }

    /// One answer set that gives a key two values: publish date 2025-11-20 lists stat_date
    /// 2025-11-21 twice (9000, then 9100 without its likes), and 2025-11-21 lists the same
    /// article again (77). Each key gets one value, the later item of a repeated stat_date's
    /// and the first listing's, both reported; a second run with the same answers writes
    /// nothing (it wrote all three values again every run, 3, 6, 9 rows).
    @Test func aKeyGivenTwoValuesInOneRunIsWrittenOnceAndNotAgainOnARerun() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#, times: 2)
        }
        for _ in 0..<2 {
            // 2025-10-26 … 2025-11-19, then 2025-11-20 and 2025-11-21, then 2025-11-22 … 2025-11-24.
            harness.serve("getarticletotaldetail", #"{"list":[],"is_delay":false}"#, times: 25)
            harness.serve(
                "getarticletotaldetail",
                #"{"list":[{"ref_date":"2025-11-20","msgid":"2247500001_1","title":"开学通知","detail_list":[{"stat_date":"2025-11-20","read_user":5000,"like_user":10},{"stat_date":"2025-11-21","read_user":9000,"like_user":20},{"stat_date":"2025-11-21","read_user":9100}]}],"is_delay":false}"#
            )
            harness.serve(
                "getarticletotaldetail",
                #"{"list":[{"ref_date":"2025-11-21","msgid":"2247500001_1","title":"另一个标题","detail_list":[{"stat_date":"2025-11-21","read_user":77}]},{"ref_date":"2025-11-21","msgid":"2247500002_1","detail_list":[{"stat_date":"2025-11-21","read_user":300}]}],"is_delay":false}"#
            )
            harness.serve("getarticletotaldetail", #"{"list":[],"is_delay":false}"#, times: 3)
        }
        let adapter = try harness.adapter()
        var settings = CollectorSettings()
        settings.dataDirectory = harness.directory.path("data")
        settings.calendar = .beijing
        var counts: [WriteCounts] = []
        for _ in 0..<2 {
            let store = try SampleStore(
                settings: settings,
                logger: Logger(label: "store") { _ in SwiftLogNoOpLogHandler() }
            )
            let batch = SampleBatch(sink: store)
            try await adapter.collect(account: "gh_0123456789ab", into: batch, context: harness.context())
            try batch.commit()
            try store.close()
            #expect(batch.failures.isEmpty)
            #expect(
                batch.notices.map(\.description) == [
                    "wechat/gh_0123456789ab [2247500001_1]: statDateRepeated: wechat /datacube/getarticletotaldetail 2025-11-20: article 2247500001_1 gives stat_date 2025-11-21 twice, with viewers 9000 then 9100; the later item's values are written (nothing to do here; report it to WeChat if it recurs)",
                    "wechat/gh_0123456789ab [2247500001_1]: articleListedTwice: wechat /datacube/getarticletotaldetail lists article 2247500001_1 under publish dates 2025-11-20 and 2025-11-21; only the listing under 2025-11-20 is written, the other's figures and title are not (an article has one publish date: nothing to do here; report it to WeChat if it recurs)",
                ]
            )
            counts.append(batch.counts)
            harness.now = harness.now.adding(seconds: 3600)
        }
        #expect(counts == [WriteCounts(written: 5), WriteCounts(duplicates: 5)])
        #expect(
            String(decoding: try harness.directory.read("data/wechat/2025-11/main.csv"), as: UTF8.self)
                == "time,platform,account,object,metric,value,quality,source\n"
                + "2025-11-20T00:00:00+08:00,wechat,gh_0123456789ab,2247500001_1,viewers,5000,exact,api\n"
                + "2025-11-20T00:00:00+08:00,wechat,gh_0123456789ab,2247500001_1,likes,10,exact,api\n"
                + "2025-11-21T00:00:00+08:00,wechat,gh_0123456789ab,2247500001_1,viewers,9100,exact,api\n"
                + "2025-11-21T00:00:00+08:00,wechat,gh_0123456789ab,2247500001_1,likes,20,exact,api\n"
                + "2025-11-21T00:00:00+08:00,wechat,gh_0123456789ab,2247500002_1,viewers,300,exact,api\n"
        )
        #expect(
            String(decoding: try harness.directory.read("data/wechat/objects.csv"), as: UTF8.self)
                .contains("2247500001_1,gh_0123456789ab,2025-11-20T00:00:00+08:00,开学通知")
        )
    }

    @Test func mapsTheDocumentedResponses() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary", "getarticletotaldetail"] {
            harness.simulator.script(
                "POST",
                path: "/wechat/datacube/\(endpoint)",
                [.json(file: "datacube_\(endpoint)_ok.json")]
            )
        }
        harness.simulator.script(
            "POST",
            path: "/wechat/datacube/getarticletotaldetail",
            Array(repeating: .json(file: "datacube_getusercumulate_empty.json"), count: 29)
        )
        let result = try await harness.collect(try harness.adapter())
        #expect(result.failures.isEmpty)
        let rows = result.sink.samples.map {
            "\(PlatformCalendar.beijing.render($0.time)) \($0.object) \($0.metric) \($0.value) \($0.quality.rawValue)"
        }
        let followers: [String] = [182344, 182408, 182451, 182433, 182520, 182517, 182590].enumerated().map {
            "2025-11-\($0.offset + 18)T00:00:00+08:00  followers \($0.element) exact"
        }
        let summary: [String] = [
            "2025-11-18T00:00:00+08:00  followers_new 60 exact", "2025-11-18T00:00:00+08:00  followers_lost 3 exact",
            "2025-11-19T00:00:00+08:00  followers_new 26 exact", "2025-11-19T00:00:00+08:00  followers_lost 5 exact",
        ]
        let biz: [String] = [
            "2025-11-24T00:00:00+08:00  viewers 15230 exact", "2025-11-24T00:00:00+08:00  recommends 340 exact",
            "2025-11-24T00:00:00+08:00  likes 512 exact", "2025-11-24T00:00:00+08:00  comments 31 exact",
            "2025-11-24T00:00:00+08:00  wechat_share_users 1104 exact",
        ]
        var article: [String] = []
        for (day, values) in [("26", [8123, 212, 305, 18, 640]), ("27", [11904, 281, 419, 26, 902])] {
            for (metric, value) in zip(["viewers", "recommends", "likes", "comments", "wechat_share_users"], values) {
                article.append("2025-10-\(day)T00:00:00+08:00 2247512345_1 \(metric) \(value) exact")
            }
        }
        #expect(rows == followers + summary + biz + article)
        // No title in this response: no catalogue row.
        #expect(result.sink.objects.isEmpty)
    }

    @Test func legacyArticlesReadTheRetiredAPIs() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        // 2025-11-03: a first run reaches back over the cut-over to the current APIs (2025-11-01).
        harness.now = WeChatHarness.start.adding(seconds: -22 * 86400)
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        harness.serve(
            "getbizsummary",
            #"{"list":[{"ref_date":"2025-11-01","detail":{"read_user":1000}}],"is_delay":false}"#
        )
        harness.simulator.script(
            "POST",
            path: "/wechat/datacube/getuserread",
            [
                .json(file: "datacube_getuserread_legacy_ok.json"),
                // A day past the window asked for (and the cut-over) is not written, but reported.
                .json(
                    #"{"list":[{"ref_date":"2025-10-31","user_source":99999999,"int_page_read_user":90},{"ref_date":"2025-11-01","user_source":99999999,"int_page_read_user":100}]}"#
                ),
            ]
        )
        harness.serve(
            "getarticletotal",
            #"{"list":[{"ref_date":"2025-10-27","msgid":"2247501234_1","title":"开学通知","details":[{"stat_date":"2025-10-31","target_user":182000,"int_page_read_user":15320,"int_page_read_count":17894,"share_user":1203,"share_count":1688,"add_to_fav_user":96,"add_to_fav_count":101},{"stat_date":"2025-11-01","target_user":182000,"int_page_read_user":16000}]}]}"#
        )
        harness.serve("getarticletotal", #"{"list":[]}"#, times: 4)
        let adapter = try harness.adapter(["articles": .bool(false), "legacy_articles": .bool(true)])
        let result = try await harness.collect(adapter)
        #expect(
            result.failures.map(\.description) == [
                "wechat/gh_0123456789ab: schemaChanged: wechat /datacube/getuserread 2025-10-30..2025-10-31: the answer holds ref_date 2025-11-01, outside 2025-10-30..2025-10-31 (the days asked for); no row outside it is written, and the days asked for that did not come back are asked again next run (the platform may have changed its response; report it if it recurs)"
            ]
        )
        // The retired APIs are read through 2025-10-31 only: the current ones cover what follows,
        // and their `viewers` differ in definition (PLATFORMS.md §1.9).
        #expect(
            harness.bodies("getuserread") == [
                #"{"begin_date":"2025-10-27","end_date":"2025-10-29"}"#,
                #"{"begin_date":"2025-10-30","end_date":"2025-10-31"}"#,
            ]
        )
        #expect(
            harness.bodies("getarticletotal")
                == (27...31).map { #"{"begin_date":"2025-10-\#($0)","end_date":"2025-10-\#($0)"}"# }
        )
        #expect(
            result.sink.samples.map {
                "\(PlatformCalendar.beijing.render($0.time)) \($0.object) \($0.metric) \($0.value)"
            } == [
                "2025-11-01T00:00:00+08:00  viewers 1000",
                "2025-10-28T00:00:00+08:00  viewers 21877", "2025-10-28T00:00:00+08:00  views 26410",
                "2025-10-28T00:00:00+08:00  shares 2231", "2025-10-28T00:00:00+08:00  favorites 128",
                "2025-10-31T00:00:00+08:00  viewers 90",
                "2025-10-31T00:00:00+08:00 2247501234_1 viewers 15320",
                "2025-10-31T00:00:00+08:00 2247501234_1 views 17894",
                "2025-10-31T00:00:00+08:00 2247501234_1 shares 1688",
                "2025-10-31T00:00:00+08:00 2247501234_1 favorites 101",
                "2025-10-31T00:00:00+08:00 2247501234_1 wechat_delivered 182000",
            ]
        )
        #expect(try harness.cursorText().contains(#""legacy_read_through":"2025-10-31""#))
        #expect(result.sink.objects.map(\.title) == ["开学通知"])
        // `collector adapters` lists every metric and level the legacy APIs write.
        for sample in result.sink.samples {
            let level: MetricDescriptor.Level = sample.object.isEmpty ? .account : .content
            #expect(
                WeChatAdapter.metrics.contains { $0.name == sample.metric && $0.level == level },
                "\(sample.metric) (\(level)) is not declared"
            )
        }
        let legacy = WeChatAdapter.metrics.filter { $0.help.hasPrefix("legacy ") }.map { "\($0.name) \($0.level)" }
        #expect(
            legacy == [
                "views account", "viewers account", "shares account", "favorites account", "views content",
                "viewers content", "shares content", "favorites content", "wechat_delivered content",
            ]
        )
    }

    @Test func legacyArticlesCallNothingOnceTheCutOverIsPast() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        // 2025-11-25: every day within reach is served by the current APIs.
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        let adapter = try harness.adapter(["articles": .bool(false), "legacy_articles": .bool(true)])
        let result = try await harness.collect(adapter)
        #expect(result.failures.isEmpty)
        #expect(harness.requests("getuserread").isEmpty)
        #expect(harness.requests("getarticletotal").isEmpty)
        #expect(WeChatAdapter.legacyLastDay == WeChatWindowTests.day("2025-10-31"))
    }

    @Test func fortySevenThousandNineAdvisesByEndpoint() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.now = WeChatHarness.start.adding(seconds: -22 * 86400)
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        for endpoint in ["getbizsummary", "getuserread"] {
            harness.simulator.script(
                "POST",
                path: "/wechat/datacube/\(endpoint)",
                [.json(file: "error_47009_api_offline.json")]
            )
        }
        let adapter = try harness.adapter(["articles": .bool(false), "legacy_articles": .bool(true)])
        let result = try await harness.collect(adapter)
        let messages = result.failures.map(\.message)
        try #require(messages.count == 2, "\(messages)")
        // A current API: the operator cannot switch it off; a legacy one: legacy_articles can.
        #expect(messages[0].hasPrefix("wechat /datacube/getbizsummary "))
        #expect(!messages[0].contains("legacy_articles"), "\(messages[0])")
        #expect(messages[0].contains("the collector needs an update to its successor: please report it"))
        #expect(messages[1].hasPrefix("wechat /datacube/getuserread "))
        #expect(messages[1].contains("switch legacy_articles off"), "\(messages[1])")
        #expect(harness.requests("getarticletotal").isEmpty)
    }

    @Test func theCursorRoundTripsThroughItsJSON() throws {
        let cursor = WeChatAdapter.Cursor(
            cumulateThrough: WeChatWindowTests.day("2025-11-24"),
            summaryThrough: WeChatWindowTests.day("2025-11-23"),
            bizThrough: WeChatWindowTests.day("2025-11-24"),
            bizDelayedFrom: WeChatWindowTests.day("2025-11-18"),
            legacyReadThrough: WeChatWindowTests.day("2025-03-04"),
            stoppedUntil: WeChatHarness.start.adding(seconds: 86400)
        )
        #expect(try WeChatAdapter.Cursor(json: cursor.json) == cursor)
        #expect(cursor.json.serialized().contains(#""stopped_until":"2025-11-26T00:00:00+08:00""#))
        #expect(try WeChatAdapter.Cursor(json: JSONValue.parse("{}")) == WeChatAdapter.Cursor())
        let error = #expect(throws: WeChatAdapter.CursorError.self) {
            try WeChatAdapter.Cursor(json: JSONValue.parse(#"{"cumulate_through":"yesterday"}"#))
        }
        #expect(error?.problem == #"has "cumulate_through" that is not a date yyyy-MM-dd"#)
    }

    @Test func aDamagedCursorFileStartsOverWithAWarning() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        let file = WeChatAdapter.cursorFileName(instance: "wechat", account: "gh_0123456789ab")
        try harness.state.write(file, Array("{not json".utf8))
        harness.serveToken()
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        _ = try await harness.collect(try harness.adapter(["articles": .bool(false)]))
        #expect(harness.bodies("getusercumulate") == [#"{"begin_date":"2025-11-18","end_date":"2025-11-24"}"#])
        #expect(harness.logText.contains("the cursor file \(harness.state.path(file)) is not valid JSON"))
        #expect(harness.logText.contains("starting over with backfill_days"))
        #expect(try harness.state.read(file) == nil)
    }

    // MARK: - Quota and token

    @Test func theDailyQuotaStopsCallsUntilTheNextBeijingDay() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)  // the third run is the next day: the token expired
        harness.serve("getusercumulate", #"{"errcode":45009,"errmsg":"reach max api daily quota limit rid: q-1"}"#)
        let adapter = try harness.adapter(["articles": .bool(false)])
        let first = await #expect(throws: AdapterError.self) { try await harness.collect(adapter) }
        #expect(first?.label == "quotaExhausted")
        #expect(try harness.cursorText() == #"{"stopped_until":"2025-11-26T00:00:00+08:00"}"#)

        // Later the same day: reported again, without a single request.
        harness.now = harness.now.adding(seconds: 20 * 3600)
        let before = harness.simulator.requestCount
        let second = await #expect(throws: AdapterError.self) { try await harness.collect(adapter) }
        #expect(second?.label == "quotaExhausted")
        #expect(second?.platformCode == "45009")
        #expect(second?.message.contains("no calls until 2025-11-26T00:00:00+08:00") == true)
        #expect(harness.simulator.requestCount == before)

        // The next Beijing day: calls resume and the stop is cleared.
        harness.now = harness.now.adding(seconds: 4 * 3600)
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary"] {
            harness.serve(endpoint, #"{"list":[]}"#)
        }
        _ = try await harness.collect(adapter)
        #expect(harness.simulator.requestCount > before)
        #expect(
            try harness.state.read(WeChatAdapter.cursorFileName(instance: "wechat", account: "gh_0123456789ab")) != nil
        )
        #expect(try harness.cursorText() == "{}")
    }

    @Test func aRefusedTokenIsRefetchedThenForcedThenReported() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 3)
        harness.serve("getusercumulate", #"{"errcode":40001,"errmsg":"invalid credential rid: t-3"}"#, times: 3)
        let adapter = try harness.adapter(["articles": .bool(false)])
        let error = await #expect(throws: AdapterError.self) { try await harness.collect(adapter) }
        #expect(error?.label == "authExpired")
        #expect(error?.requestID == "t-3")
        #expect(harness.requests("getusercumulate").count == 3)
        let forced = harness.tokenRequests().map { $0.bodyText.contains(#""force_refresh":true"#) }
        #expect(forced == [false, false, true])
        // The account failed as a whole: the later endpoints were not called.
        #expect(harness.requests("getusersummary").isEmpty)
        #expect(!harness.logText.contains(WeChatHarness.token))
    }

    @Test func aTokenThatExpiredMidRunIsRenewedOnceAndTheCallRetried() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken(times: 2)
        harness.serve("getusercumulate", #"{"errcode":42001,"errmsg":"access_token expired rid: e-1"}"#, times: 1)
        harness.serve("getusercumulate", #"{"list":[{"ref_date":"2025-11-24","cumulate_user":7}]}"#)
        for endpoint in ["getusersummary", "getbizsummary"] { harness.serve(endpoint, #"{"list":[]}"#) }
        let adapter = try harness.adapter(["articles": .bool(false)])
        let result = try await harness.collect(adapter)
        #expect(result.sink.samples.map { "\($0.metric) \($0.value)" } == ["followers 7"])
        #expect(harness.tokenRequests().count == 2)
        #expect(harness.tokenRequests().allSatisfy { $0.bodyText.contains(#""force_refresh":false"#) })
    }

    @Test func aSectionFailureIsRecordedAndTheOtherSectionsRun() async throws {
        let harness = try WeChatHarness()
        defer { harness.stop() }
        harness.serveToken()
        harness.serve("getusercumulate", #"{"list":[{"ref_date":"2025-11-24"}]}"#)
        harness.serve("getusersummary", #"{"errcode":61501,"errmsg":"date range error rid: r-9"}"#)
        harness.serve("getbizsummary", #"{"list":[{"ref_date":"2025-11-24","detail":{"read_user":5}}]}"#)
        let adapter = try harness.adapter(["articles": .bool(false)])
        let result = try await harness.collect(adapter)
        #expect(result.sink.samples.map { "\($0.metric) \($0.value)" } == ["viewers 5"])
        #expect(
            result.failures.map(\.description) == [
                #"wechat/gh_0123456789ab: schemaChanged: wechat /datacube/getusercumulate 2025-11-18..2025-11-24: field "list[0].cumulate_user" is missing (the platform may have changed its response)"#,
                "wechat/gh_0123456789ab: badRequest (code 61501): wechat /datacube/getusersummary 2025-11-18..2025-11-24: the platform refused the date range (date range error): a bug in the date window: please report it with the request id [request id r-9]",
            ]
        )
        #expect(try harness.cursorText() == #"{"biz_through":"2025-11-24"}"#)
    }
}

// MARK: - Harness

/// A platform simulator serving `Fixtures/wechat/api`, a state folder, a settable clock
/// (2025-11-25T00:00:00+08:00 at first) and a log recorder, for the WeChat tests.
final class WeChatHarness: Sendable {
    /// The token of `cgi-bin_stable_token_ok.json`.
    static let token = "96_FAKEtokenFORfixtureONLYxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    /// 2025-11-25T00:00:00+08:00.
    static let start = Timestamp(secondsSinceEpoch: 1_764_000_000)

    let simulator: PlatformSimulator
    let directory: TemporaryDirectory
    let state: StateStore
    private let http: CurlHTTPClient
    private let clock = Mutex(WeChatHarness.start)
    private let logs = LogRecorder()

    init() throws {
        simulator = try PlatformSimulator(fixtureRoot: Fixtures.adaptersTests + "/wechat/api")
        directory = try TemporaryDirectory(prefix: "wechat-test")
        state = try StateStore(directory: directory.path("state"))
        http = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5)))
    }

    func stop() {
        http.shutdown()
        simulator.stop()
        directory.remove()
    }

    /// The `[[adapters.wechat]]` section of the tests, with `change` applied.
    static func configuration(
        _ change: [String: ConfigValue] = [:],
        baseURL: String = "http://127.0.0.1:1/wechat"
    )
        -> AdapterConfiguration
    {
        var values: [String: ConfigValue] = [
            "account": .string("gh_0123456789ab"),
            "app_id": .string("wx0123456789abcdef"),
            "app_secret": .string("test-secret"),
            "base_url": .string(baseURL),
        ]
        values.merge(change) { $1 }
        return AdapterConfiguration(type: "wechat", values: values)
    }

    /// The clock the context reads.
    var now: Timestamp {
        get { clock.withLock { $0 } }
        set { clock.withLock { $0 = newValue } }
    }

    /// Everything logged so far, messages and metadata, one line each.
    var logText: String { logs.text }

    /// A context over the simulator, the state folder and the clock, in `calendar` (the
    /// configured `timezone`).
    func context(calendar: PlatformCalendar = .beijing) -> AdapterContext {
        AdapterContext(
            http: http,
            state: state,
            calendar: calendar,
            now: { [self] in self.now },
            sleep: { _ in },
            logger: logs.logger(label: "wechat-test")
        )
    }

    /// Answers `stable_token` with the fixture token, `times` times.
    func serveToken(times: Int = 1) {
        simulator.script(
            "POST",
            path: "/wechat/cgi-bin/stable_token",
            Array(repeating: .json(file: "cgi-bin_stable_token_ok.json"), count: times)
        )
    }

    /// Answers `datacube/<endpoint>` with `json`, `times` times.
    func serve(_ endpoint: String, _ json: String, times: Int = 1) {
        simulator.script("POST", path: "/wechat/datacube/\(endpoint)", Array(repeating: .json(json), count: times))
    }

    /// The requests to `datacube/<endpoint>`.
    func requests(_ endpoint: String) -> [RecordedRequest] {
        simulator.requests.filter { $0.path == "/wechat/datacube/\(endpoint)" }
    }

    /// Their bodies.
    func bodies(_ endpoint: String) -> [String] { requests(endpoint).map(\.bodyText) }

    /// The requests to `stable_token`.
    func tokenRequests() -> [RecordedRequest] {
        simulator.requests.filter { $0.path == "/wechat/cgi-bin/stable_token" }
    }

    /// The stored cursor of the test account, as text.
    func cursorText() throws -> String {
        let bytes = try state.read(WeChatAdapter.cursorFileName(instance: "wechat", account: "gh_0123456789ab"))
        return String(decoding: bytes ?? [], as: UTF8.self)
    }

    /// What one collection produced.
    struct Collected {
        var sink: InMemorySink
        var failures: [CollectionFailure]
    }

    /// The test adapter, with `change` applied and `base_url` pointed at the simulator.
    func adapter(_ change: [String: ConfigValue] = [:]) throws -> WeChatAdapter {
        try WeChatAdapter(configuration: Self.configuration(change, baseURL: simulator.baseURL + "/wechat"))
    }

    /// Collects the test account once, with `calendar` as the configured timezone.
    func collect(_ adapter: WeChatAdapter, calendar: PlatformCalendar = .beijing) async throws -> Collected {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try await adapter.collect(account: "gh_0123456789ab", into: batch, context: context(calendar: calendar))
        try batch.commit()
        return Collected(sink: sink, failures: batch.failures)
    }
}
