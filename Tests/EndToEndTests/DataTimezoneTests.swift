import Collector
import Testing

/// The data folder records the timezone it was written in, and a run or a compaction with
/// another one is refused (review r11-year, F4: after a change, 2027-01-01T00:00+08:00 was stored
/// in `2027-01/` under Asia/Shanghai and in `2026-12/` under America/New_York, and `export`
/// wrote the key twice, the stale value last).
@Suite(.serialized)
struct DataTimezoneTests {
    private func configuration(timezone: String) -> String {
        """
        [collector]
        data_dir = "data"
        state_dir = "state"
        timezone = "\(timezone)"

        [[adapters.exec]]
        platform = "xiaohongshu"
        command = ["./gen.sh"]
        """
    }

    /// One sample at the turn of the year in Beijing time, its value read from `value.txt`: a
    /// past one, since an exec line more than an hour ahead of the clock is refused.
    private let generator = """
        #!/bin/sh
        printf '{"time":"2026-01-01T00:00:00+08:00","account":"a1","metric":"followers","value":%s}\\n' "$(cat value.txt)"
        """

    @Test func aRunWithAnotherTimezoneIsRefusedAndWritesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", generator, executable: true)
        try workspace.write("value.txt", "101\n")
        try workspace.write("adapters.conf", configuration(timezone: "Asia/Shanghai"))
        let first = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(workspace.read("data/timezone") == "Asia/Shanghai\n")

        try workspace.write("value.txt", "999\n")
        try workspace.write("adapters.conf", configuration(timezone: "America/New_York"))
        let refused = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "configuration: [collector] timezone = \"America/New_York\", but the data folder data was written in"
                    + " \"Asia/Shanghai\" (data/timezone); nothing was written."
            ),
            "\(refused.stderr)"
        )
        #expect(refused.stderr.contains("Set timezone = \"Asia/Shanghai\" again, or, to change it, point data_dir"))
        // Nothing reached another month folder.
        #expect(workspace.files(under: "data") == ["timezone", "xiaohongshu/2026-01/main.csv"])
        let compact = try CLI.run(["compact"], in: workspace.path)
        #expect(compact.status == 2, "\(compact.stderr)")

        // Export has the key once; with the timezone back, the revised value supersedes it.
        try workspace.write("adapters.conf", configuration(timezone: "Asia/Shanghai"))
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        let export = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        let rows = export.stdout.split(separator: "\n").filter { $0.contains(",a1,") }
        #expect(rows == ["2026-01-01T00:00:00+08:00,xiaohongshu,a1,,followers,999,exact,exec"], "\(export.stdout)")
    }

    /// `check` reports the mismatch that `run` and the others refuse, in the same words and
    /// with the same exit code, at the `timezone` line (review r15-churn, F1: it said OK, and
    /// every following cron tick exited 2).
    @Test func checkReportsTheTimezoneARunWouldRefuse() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", generator, executable: true)
        try workspace.write("value.txt", "101\n")
        try workspace.write("adapters.conf", configuration(timezone: "Asia/Shanghai"))
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        #expect(try CLI.run(["check"], in: workspace.path).status == 0)

        try workspace.write("adapters.conf", configuration(timezone: "UTC"))
        let check = try CLI.run(["check"], in: workspace.path)
        #expect(check.status == 2, "\(check.stderr)")
        #expect(
            check.stderr.hasPrefix(
                "adapters.conf:4: [collector] timezone = \"UTC\", but the data folder data was written in"
                    + " \"Asia/Shanghai\" (data/timezone); nothing was written."
            ),
            "\(check.stderr)"
        )
        #expect(check.stderr.hasSuffix("configuration: 1 problem; nothing was written\n"), "\(check.stderr)")
        #expect(check.stdout.isEmpty)
        let run = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(run.status == check.status)
    }

    /// `export` and `report` take their days (--from/--to, the period) in the configured
    /// timezone: with another one than the folder's they are refused too, before an `-o` file
    /// is touched, and say that nothing was read.
    @Test func exportAndReportWithAnotherTimezoneAreRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", generator, executable: true)
        try workspace.write("value.txt", "101\n")
        try workspace.write("adapters.conf", configuration(timezone: "Asia/Shanghai"))
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        try workspace.write("adapters.conf", configuration(timezone: "America/New_York"))
        try workspace.write("earlier.csv", "an earlier export\n")
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n某市教育局,city_bureau,某市,,xiaohongshu,a1,某市教育,yes\n"
        )

        let export = try CLI.run(["export", "--format", "csv", "-o", "earlier.csv"], in: workspace.path)
        let report = try CLI.run(
            [
                "report", "--registry", "accounts.csv", "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
                "--period", "2026-01", "--as-of", "2026-02-01T09:00:00+08:00",
            ],
            in: workspace.path
        )
        for refused in [export, report] {
            #expect(refused.status == 2, "\(refused.stderr)")
            #expect(
                refused.stderr.contains(
                    "[collector] timezone = \"America/New_York\", but the data folder data was written in"
                        + " \"Asia/Shanghai\" (data/timezone); nothing was read."
                ),
                "\(refused.stderr)"
            )
            #expect(refused.stdout.isEmpty)
        }
        #expect(workspace.read("earlier.csv") == "an earlier export\n")

        try workspace.write("adapters.conf", configuration(timezone: "Asia/Shanghai"))
        let exported = try CLI.run(["export", "--format", "csv"], in: workspace.path)
        #expect(exported.status == 0 && exported.stdout.contains(",a1,,followers,101,exact,exec"), "\(exported.stderr)")
    }

    /// A data folder written before the timezone was recorded takes the configured one at the
    /// next run that writes; a run that writes nothing records nothing.
    @Test func aFolderWithoutTheRecordTakesTheConfiguredTimezone() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("gen.sh", generator, executable: true)
        try workspace.write("value.txt", "101\n")
        try workspace.write("adapters.conf", configuration(timezone: "UTC"))
        try workspace.write(
            "data/xiaohongshu/2025-12/main.csv",
            "time,platform,account,object,metric,value,quality,source\n"
        )
        #expect(try CLI.run(["test"], in: workspace.path).status == 0)
        #expect(workspace.read("data/timezone") == nil)
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 0)
        #expect(workspace.read("data/timezone") == "UTC\n")
        #expect(workspace.files(under: "data").contains("xiaohongshu/2025-12/main.csv"))
    }
}
