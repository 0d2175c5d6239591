import Foundation
import Testing

/// Changes to `adapters.conf` that `check` and the run used to pass in silence (review
/// r15-churn): an account listed twice, a renamed `instance`, a `data_dir` pointed at a new
/// folder with `state_dir` kept. (A changed `timezone` is in ``DataTimezoneTests``.)
@Suite(.serialized) struct ConfigurationChurnTests {
    /// One bilibili section per entry of `sections` (name, accounts as written).
    private func bilibili(_ sections: [(String, String)], port: String = "1") -> String {
        var text = "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n"
        for (name, accounts) in sections {
            text += """

                [[adapters.bilibili]]
                name = "\(name)"
                accounts = [\(accounts)]
                base_url = "http://127.0.0.1:\(port)/bilibili"
                rate = "50/s"

                """
        }
        return text
    }

    /// `text` as the log line's `msg="…"` holds it.
    private func logged(_ text: String) -> String { text.replacing("\"", with: "\\\"") }

    /// F2: `check` warns about an account listed twice, in one section or in two that collect
    /// the same, and counts it once; a run requests an account repeated in one section once.
    @Test func anAccountListedTwiceIsWarnedAboutAndCollectedOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (simulator, port) = try CLI.startSimulator(
            fixtures: CLI.repositoryRoot + "/samples/simulator",
            in: workspace.path
        )
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write("one.conf", bilibili([("bili", "\"208259\", \"546195\", \"208259\"")], port: port))
        let one = try CLI.run(["check", "--config", "one.conf"], in: workspace.path)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(
            one.stderr
                == "warning: one.conf:7: \"accounts\" of section \"bili\" lists \"208259\" twice (items 1 and 3);"
                + " each account is collected once: delete the repeats in [[adapters.bilibili]]\n"
        )
        #expect(one.stdout == "one.conf: OK, 1 adapter instance, 2 accounts\n")
        let run = try CLI.run(["run", "--once", "--config", "one.conf"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 ok, 0 failed"), "\(run.stderr)")
        #expect(run.stderr.contains("requests: bilibili 4\n"), "\(run.stderr)")

        try workspace.write(
            "two.conf",
            bilibili([("bili-jinan", "\"208259\", \"546195\""), ("bili-county", "\"546195\", \"3493000000000001\"")])
        )
        let two = try CLI.run(["check", "--config", "two.conf"], in: workspace.path)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(
            two.stderr
                == "warning: two.conf:13: section \"bili-county\" has 1 account that section \"bili-jinan\""
                + " (two.conf:7) collects the same way: \"546195\" (item 1 here, item 2 there); each is requested by"
                + " both, twice per interval for the same rows (stored once): remove it from one of the two sections"
                + " in [[adapters.bilibili]]\n"
        )
        #expect(two.stdout == "two.conf: OK, 2 adapter instances, 3 accounts\n")
    }
}
