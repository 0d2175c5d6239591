import Collector
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daily request cap of the `source = web` sections (PLATFORMS.md §8) end to end: separate
/// `run --once` invocations add up in `state_dir`, the cap stops the instance with its
/// accounts reported and left due (exit 1), the next day's run proceeds, `collector test`
/// counts its requests too, and `collector check` warns about a configuration that cannot fit.
@Suite(.serialized) struct DailyRequestCapCommandTests {
    /// Yesterday, today and tomorrow by Beijing time, the cap's day.
    static func days() -> (yesterday: String, today: String, tomorrow: String) {
        let today = PlatformCalendar.beijing.civilDate(of: Timestamp(secondsSinceEpoch: Int64(time(nil))))
        return (today.adding(days: -1).description, today.description, today.adding(days: 1).description)
    }

    /// A bilibili section on the simulator, one request per account (`card = false`).
    static func configuration(port: String, cap: Int) -> String {
        """
        [collector]
        data_dir = "data"
        state_dir = "state"

        [[adapters.bilibili]]
        accounts = ["11", "12", "13", "14"]
        base_url = "http://127.0.0.1:\(port)/bilibili"
        card = false
        rate = "1000/s"
        daily_requests = \(cap)

        """
    }

    static func startSimulator(in workspace: Workspace) throws -> (process: Process, port: String) {
        try CLI.startSimulator(
            fixtures: CLI.repositoryRoot + "/Tests/CollectorTests/Fixtures/simulator",
            in: workspace.path
        )
    }

    @Test func runsAddUpToTheCapWhichStopsTheInstanceUntilTheNextDay() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (simulator, port) = try Self.startSimulator(in: workspace)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write("adapters.conf", Self.configuration(port: port, cap: 2))
        let (yesterday, today, tomorrow) = Self.days()

        let first = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("2 ok, 2 failed"), "\(first.stderr)")
        #expect(first.stderr.contains("requests: bilibili 2\n"), "\(first.stderr)")
        #expect(
            first.stderr.contains(
                "failed: bilibili/13: dailyCap: 127.0.0.1:\(port)/bilibili/x/relation/stat: not sent: bilibili has"
                    + " sent 2 requests today (\(today), Beijing time; counted in state/daily-requests-bilibili.json),"
                    + " and its daily cap is 2, so it sends nothing more until \(tomorrow)T00:00:00+08:00; the accounts"
                    + " not collected stay due"
            ),
            "\(first.stderr)"
        )
        #expect(
            first.stderr.contains(
                "the accounts not collected stay due and are collected from then; to stay within"
                    + " the cap, collect fewer accounts or pages, or less often; \"daily_requests\" in"
                    + " [[adapters.bilibili]] lowers it (2000 at most); bilibili stops for the rest of this run\n"
                    + "  failed: bilibili/14: skipped: not collected: the instance stopped for this run after dailyCap"
                    + " on account 13\n"
            ),
            "\(first.stderr)"
        )
        #expect(workspace.read("state/daily-requests-bilibili.json") == #"{"day":"\#(today)","requests":2}"#)

        // A second run the same day: the accounts left due are refused without a request.
        let second = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("0 ok, 2 failed, 2 not due yet"), "\(second.stderr)")
        #expect(second.stderr.contains("failed: bilibili/13: dailyCap: "), "\(second.stderr)")
        #expect(!second.stderr.contains("requests: bilibili"), "\(second.stderr)")
        #expect(workspace.read("state/daily-requests-bilibili.json") == #"{"day":"\#(today)","requests":2}"#)

        // The next day (the count on file is yesterday's): the accounts still due are collected.
        try workspace.write("state/daily-requests-bilibili.json", #"{"day":"\#(yesterday)","requests":2}"#)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600],
            ofItemAtPath: workspace.path + "/state/daily-requests-bilibili.json"
        )
        let next = try CLI.run(["run", "--once", "--due"], in: workspace.path)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("2 ok, 0 failed, 2 not due yet"), "\(next.stderr)")
        let now = Self.days().today
        #expect(workspace.read("state/daily-requests-bilibili.json") == #"{"day":"\#(now)","requests":2}"#)
    }

    /// `collector test` sends requests too: they count, and a test cannot pass the cap either.
    @Test func collectorTestCountsItsRequests() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (simulator, port) = try Self.startSimulator(in: workspace)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write("adapters.conf", Self.configuration(port: port, cap: 2))
        let first = try CLI.run(["test"], in: workspace.path)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stdout.split(separator: "\n").filter { $0.contains(",followers,") }.count == 2, "\(first.stdout)")
        #expect(
            first.stderr.contains("dailyCap: 127.0.0.1:\(port)/bilibili/x/relation/stat: not sent"),
            "\(first.stderr)"
        )
        #expect(
            workspace.read("state/daily-requests-bilibili.json") == #"{"day":"\#(Self.days().today)","requests":2}"#
        )
        let second = try CLI.run(["test"], in: workspace.path)
        #expect(second.status == 1, "\(second.stderr)")
        #expect(!second.stdout.contains(",followers,"), "\(second.stdout)")
    }

    /// The reviewer's configuration: 1000 accounts × 10 pages, and 100 pages, every minute.
    /// `check` still passes (the cap holds whatever is asked) but says what cannot fit.
    @Test func checkWarnsWhenTheConfigurationCannotFitInTheCap() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let accounts = (1...1000).map { "\"\(5_999_000_000 + $0)\"" }.joined(separator: ",")
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.weibo_web]]
            accounts = [\(accounts)]
            cookie = "SUB=x"
            timeline_pages = 10
            interval = "1m"

            [[adapters.toutiao]]
            account = "1600000000000001"
            cookie = "sessionid=y"
            max_pages = 100
            interval = "1m"

            [[adapters.bilibili]]
            accounts = ["208259"]
            interval = "6h"

            """
        )
        let result = try CLI.run(["check", "--config", "adapters.conf"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: adapters.conf:5: [[adapters.weibo_web]] \"weibo_web\" may send up to 11000 requests per"
                    + " collection of its 1000 accounts (every page read), up to 1440 times a day (interval = \"1m\"):"
                    + " up to 15840000 requests a day, more than its daily cap of 2000 (daily_requests); after 2000"
                    + " requests in a day (Beijing time) it sends nothing more until 00:00 and reports the accounts it"
                    + " did not reach as not collected: collect fewer accounts or pages, or less often"
            ),
            "\(result.stderr)"
        )
        #expect(
            result.stderr.contains(
                "warning: adapters.conf:11: [[adapters.toutiao]] \"toutiao\" may send up to 101 requests per"
                    + " collection of its 1 account (every page read), up to 1440 times a day (interval = \"1m\"):"
                    + " up to 145440 requests a day, more than its daily cap of 2000"
            ),
            "\(result.stderr)"
        )
        // 2 requests 4 times a day fit.
        #expect(!result.stderr.contains("\"bilibili\" may send"), "\(result.stderr)")
    }
}
