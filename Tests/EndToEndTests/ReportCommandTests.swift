import Foundation
import Testing

/// `collector report` over a stored data set: the same figures as the report engine's
/// hand-checked golden files, read through the store.
@Suite(.serialized) struct ReportCommandTests {
    static let golden = CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/golden"

    /// docs/reports.md "Example", run as written from the checkout's root, renders the golden
    /// data set: it used to name only the registry, so `data_dir` stayed `./data` and the
    /// report had every account without data.
    @Test func theDocumentedExampleRendersTheGoldenDataSet() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let page = try String(contentsOfFile: CLI.repositoryRoot + "/docs/reports.md", encoding: .utf8)
        let example = try #require(page.components(separatedBy: "## Example\n").last)
        let command = try #require(example.components(separatedBy: "```sh\n").dropFirst().first)
            .components(separatedBy: "\n").prefix { !$0.hasPrefix("Scripts/") }
            .map { $0.components(separatedBy: "#")[0].replacingOccurrences(of: "\\", with: "") }
            .joined(separator: " ")
        var arguments = command.split(separator: " ").map(String.init)
        #expect(arguments.first == "collector")
        arguments.removeFirst()
        // Markdown on stdout instead of the HTML file, to compare with the hand-checked file.
        let output = try #require(arguments.firstIndex(of: "-o"))
        arguments.removeSubrange(output...(output + 1))
        let format = try #require(arguments.firstIndex(of: "--format"))
        arguments[format + 1] = "md"
        let result = try CLI.run(arguments, in: CLI.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOfFile: Self.golden + "/expected.zh.md", encoding: .utf8)
        #expect(result.stdout == expected)
    }

    /// `-o -` is stdout, as for `export`: no file named `-` appears.
    @Test func reportToDashWritesToStdout() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "report.conf",
            "[collector]\ndata_dir = \"\(Self.golden)/data\"\nregistry = \"\(Self.golden)/accounts.csv\"\n"
        )
        let result = try CLI.run(
            [
                "report", "--config", "report.conf", "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
                "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00", "--format", "md", "-o", "-",
            ],
            in: workspace.path
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("#"), "\(result.stdout.prefix(200))")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/-"))
    }

    /// `--period 2023` is the calendar year, with d = 365; a month file the report cannot read
    /// (gzip'ed to archive it) is named, as its rows would change the report unseen.
    @Test func aYearReportAndAMonthFileItDoesNotRead() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let month = try #require(workspace.files(under: "data").first { $0.hasSuffix("/main.csv") })
        let archived = "data/" + month + ".gz"
        try workspace.write(archived, "\u{1F}")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv",
            "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
            "--period", "2023", "--as-of", "2024-01-02T10:00:00+08:00", "--format", "csv",
        ]
        let report = try CLI.run(arguments, in: workspace.path)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\nperiod,2023\n"), "\(report.stdout.prefix(600))")
        #expect(report.stdout.contains("\nindex_days,365\n"), "\(report.stdout.prefix(600))")
        #expect(report.stderr.contains("\(archived) is not read by report"), "\(report.stderr)")
    }

    @Test func reportFromTheStoreMatchesTheHandCheckedFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv",
            "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
            "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00",
        ]
        let csv = try CLI.run(arguments + ["--format", "csv"], in: workspace.path)
        #expect(csv.status == 0, "\(csv.stderr)")
        let expected = try String(contentsOfFile: Self.golden + "/expected.csv", encoding: .utf8)
        #expect(csv.stdout == expected)

        // `-o` a folder: one plain CSV per table, each the same table as in the single file.
        let tables = try CLI.run(arguments + ["--format", "csv", "-o", "tables/"], in: workspace.path)
        #expect(tables.status == 0, "\(tables.stderr)")
        let names = workspace.files(under: "tables")
        #expect(names.contains("units.csv") && names.contains("ranking.csv") && names.count == 8, "\(names)")
        for name in names {
            // Each file starts with a byte order mark, for Excel on a Chinese Windows.
            let bytes = try #require(FileManager.default.contents(atPath: workspace.path + "/tables/" + name))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name) has no byte order mark")
            let table = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(
                expected.contains("# \(name.dropLast(4))\n" + table),
                "\(name) differs from its table in the report"
            )
        }

        // `-o` a file: the same text as standard output, after the mark (standard output has none).
        let file = try CLI.run(arguments + ["--format", "csv", "-o", "report.csv"], in: workspace.path)
        #expect(file.status == 0, "\(file.stderr)")
        let fileBytes = try #require(FileManager.default.contents(atPath: workspace.path + "/report.csv"))
        #expect(Array(fileBytes) == [0xEF, 0xBB, 0xBF] + Array(expected.utf8))
        #expect(!csv.stdout.hasPrefix("\u{FEFF}"))

        var future = arguments
        future[future.firstIndex(of: "2023-11")!] = "2023-12-02..2023-12-31"
        let early = try CLI.run(future, in: workspace.path)
        #expect(early.status == 2)
        #expect(
            early.stderr.contains(
                "--period 2023-12-02..2023-12-31 starts on 2023-12-02, after the report's date 2023-12-01 (--as-of, or"
                    + " now): nothing can be known about it yet"
            ),
            "\(early.stderr)"
        )

        let html = try CLI.run(arguments + ["--format", "html", "-o", "report.html"], in: workspace.path)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try #require(workspace.read("report.html"))
        #expect(page.contains("<svg"))
        #expect(!page.contains("<script src") && !page.contains("<link "), "the page must be self-contained")
    }

    /// `--lang`: Chinese Markdown and HTML by default, English on request, CSV the same in both,
    /// an unknown language a usage error.
    @Test func reportLanguageWordsMarkdownAndHTMLButNotCSV() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv",
            "--rules", CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/rules.toml",
            "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00",
        ]
        let chinese = try CLI.run(arguments, in: workspace.path)
        #expect(chinese.status == 0, "\(chinese.stderr)")
        #expect(chinese.stdout == (try String(contentsOfFile: Self.golden + "/expected.zh.md", encoding: .utf8)))
        #expect(try CLI.run(arguments + ["--lang", "zh"], in: workspace.path).stdout == chinese.stdout)

        let english = try CLI.run(arguments + ["--lang", "en"], in: workspace.path)
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout == (try String(contentsOfFile: Self.golden + "/expected.md", encoding: .utf8)))

        let html = try CLI.run(arguments + ["--format", "html", "-o", "zh.html"], in: workspace.path)
        #expect(html.status == 0, "\(html.stderr)")
        let page = try #require(workspace.read("zh.html"))
        #expect(page.contains("<html lang=\"zh-CN\">") && page.contains("<h2>分类达标情况</h2>"))
        #expect(page.contains(">约数（如99.9万）</text>"))

        let csv = try CLI.run(arguments + ["--format", "csv", "--lang", "zh"], in: workspace.path)
        #expect(csv.status == 0)
        #expect(csv.stdout == (try String(contentsOfFile: Self.golden + "/expected.csv", encoding: .utf8)))
        #expect(csv.stderr.contains("--lang zh has no effect on CSV"), "\(csv.stderr)")

        let unknown = try CLI.run(arguments + ["--lang", "fr"], in: workspace.path)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--lang fr: use zh or en"), "\(unknown.stderr)")
    }

    /// Two accounts' 已通知内容 exports with the same article id (WeChat mids count per account):
    /// both catalogue rows are kept, and each account's posts are dated by its own row.
    @Test func importsOfTwoAccountsArticlesOfOneIDKeepBothAndReportEachByItsOwnDate() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        let header = "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n"
        func link(_ account: String, _ mid: Int) -> String {
            "https://mp.weixin.qq.com/s?__biz=\(account)&mid=\(mid)&idx=1&sn=0"
        }
        try workspace.write(
            "a.csv",
            header + "A 的文章,2025-03-04,100,1,0,1000,50%,\(link("A", 2_247_483_649))\n"
                + "A 的第二篇,2025-03-06,80,1,0,1000,50%,\(link("A", 2_247_483_650))\n"
        )
        try workspace.write("b.csv", header + "B 的文章,2025-03-10,200,2,0,2000,50%,\(link("B", 2_247_483_649))\n")
        for (account, file) in [("gh_aaaaaaaaaaaa", "a.csv"), ("gh_bbbbbbbbbbbb", "b.csv")] {
            let result = try CLI.run(
                ["import", "--platform", "wechat", "--account", account, file],
                in: workspace.path
            )
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(
            workspace.read("data/wechat/objects.csv")
                == "object,account,published_at,title,url\n"
                + "2247483649_1,gh_aaaaaaaaaaaa,2025-03-04T00:00:00+08:00,A 的文章,\(link("A", 2_247_483_649))\n"
                + "2247483650_1,gh_aaaaaaaaaaaa,2025-03-06T00:00:00+08:00,A 的第二篇,\(link("A", 2_247_483_650))\n"
                + "2247483649_1,gh_bbbbbbbbbbbb,2025-03-10T00:00:00+08:00,B 的文章,\(link("B", 2_247_483_649))\n"
        )

        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "甲,other,济南,,wechat,gh_aaaaaaaaaaaa,甲,yes\n" + "乙,other,济南,,wechat,gh_bbbbbbbbbbbb,乙,yes\n"
        )
        let report = try CLI.run(
            [
                "report", "--registry", "accounts.csv",
                "--rules", CLI.repositoryRoot + "/Tests/ReportsTests/Fixtures/rules.toml",
                "--period", "2025-03", "--as-of", "2025-04-01T10:00:00+08:00", "--format", "csv",
            ],
            in: workspace.path
        )
        #expect(report.status == 0, "\(report.stderr)")
        // The rows of the activity table: after its name and header, up to the blank line.
        let table = report.stdout.split(separator: "\n\n").first { $0.hasPrefix("# activity\n") } ?? ""
        let activity = table.split(separator: "\n").dropFirst(2)
        #expect(
            Array(activity) == [
                "甲,other,wechat,gh_aaaaaaaaaaaa,甲,yes,2,published_at,0,viewers,25,yes,,,2025-03,2025-03-31",
                "乙,other,wechat,gh_bbbbbbbbbbbb,乙,yes,1,published_at,0,viewers,21,yes,,,2025-03,2025-03-31",
            ],
            "\(report.stdout)"
        )
    }

    /// A post of the period's last evening has its day-7 reads and its 10万+ stamped in the next
    /// month: the report reads them (up to --as-of), while the followers rows of the next month
    /// stay out of the period's attainment and follower change.
    @Test func readsStampedAfterThePeriodCountButLaterFollowerRowsDoNot() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The defaults, from a configuration file: without one, import and auth stop.
        try workspace.write("adapters.conf", "")
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n烟台市教育局,city_bureau,烟台,,wechat,gh_yt,烟台教育,yes\n"
        )
        try workspace.write(
            "daily.toml",
            "kind = \"account_daily\"\ntime_stamp = \"time\"\n[columns]\n"
                + "\"账号\" = \"account\"\n\"日期\" = \"time\"\n\"粉丝数\" = \"metric:followers\"\n"
        )
        try workspace.write(
            "daily.csv",
            "账号,日期,粉丝数\ngh_yt,2026-10-01,850000\ngh_yt,2026-10-31,850300\ngh_yt,2026-11-20,990000\n"
        )
        try workspace.write(
            "posts.toml",
            "kind = \"posts\"\ncount_profile = \"wechat_reads\"\ntime_stamp = \"time\"\n[columns]\n"
                + "\"账号\" = \"account\"\n\"作品ID\" = \"object\"\n\"发布时间\" = \"published_at\"\n"
                + "\"日期\" = \"time\"\n\"阅读\" = \"metric:views\"\n"
        )
        try workspace.write(
            "posts.csv",
            "账号,作品ID,发布时间,日期,阅读\n"
                + "gh_yt,2247500001_1,2026-10-20 10:00:00,2026-10-27,5000\n"
                + "gh_yt,2247500002_1,2026-10-31 23:50:00,2026-10-31,60000\n"
                + "gh_yt,2247500002_1,2026-10-31 23:50:00,2026-11-03,10万+\n"
                // A post of November: its rows must not enter October's figures.
                + "gh_yt,2247500003_1,2026-11-05 09:00:00,2026-11-06,300000\n"
        )
        for (mapping, file) in [("daily.toml", "daily.csv"), ("posts.toml", "posts.csv")] {
            let result = try CLI.run(
                ["import", "--platform", "wechat", "--mapping", mapping, file],
                in: workspace.path
            )
            #expect(result.status == 0, "\(result.stderr)")
        }
        let report = try CLI.run(
            [
                "report", "--registry", "accounts.csv", "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
                "--period", "2026-10", "--as-of", "2026-11-27T09:00:00+08:00", "--format", "csv", "-o", "out/",
            ],
            in: workspace.path
        )
        #expect(report.status == 0, "\(report.stderr)")
        let activity = workspace.read("out/activity.csv") ?? ""
        #expect(activity.contains(",gh_yt,烟台教育,yes,2,published_at,1,views,"), "\(activity)")
        let influence = workspace.read("out/influence.csv") ?? ""
        // n 2, V 5000 + 100001, Vmax 100001; F 850300 and ΔF 300 from October's rows alone.
        #expect(influence.contains(",gh_yt,yes,2,105001,100001,"), "\(influence)")
        #expect(influence.contains(",850300,exact,300,exact,"), "\(influence)")
        let attainment = workspace.read("out/attainment.csv") ?? ""
        #expect(attainment.contains(",2026-10-31,850300,exact,"), "\(attainment)")
    }

    @Test func reportWithoutARegistryIsAUsageError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(["report", "--rules", "x.toml", "--period", "2023-11"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--registry"))
    }

    @Test func aReversedRangeIsAUsageErrorThatNamesBothEnds() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            ["report", "--rules", "x.toml", "--period", "2026-10-31..2026-10-01"],
            in: workspace.path
        )
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "--period 2026-10-31..2026-10-01: the range ends (2026-10-01) before it starts (2026-10-31)"
            ),
            "\(result.stderr)"
        )
    }

    /// Run from another folder than the collection's, a relative `data_dir` finds nothing and
    /// every account reads as without data: the report says where it looked and why.
    @Test func reportOfAnEmptyStoreNamesTheFolderItLookedIn() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            [
                "report", "--registry", Self.golden + "/accounts.csv",
                "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml",
                "--period", "2023-11", "--as-of", "2023-12-01T10:00:00+08:00", "--format", "csv",
            ],
            in: workspace.path
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "report: data_dir \"data\" (\(workspace.path)/data) holds no samples yet; a relative data_dir is "
                    + "taken from the working directory (\(workspace.path)): run report in the folder the collection "
                    + "runs in (the service's WorkingDirectory), or make data_dir absolute in the configuration"
            ),
            "\(result.stderr)"
        )
    }

    /// A server gets the binary, not the checkout's `rules/`: the shipped rules are built in,
    /// so `--rules shandong-2022-16` reports from any folder, the same report as the file's.
    @Test func theShippedRulesAreBuiltInByName() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try FileManager.default.copyItem(atPath: Self.golden + "/data", toPath: workspace.path + "/data")
        let arguments = [
            "report", "--registry", Self.golden + "/accounts.csv", "--period", "2023-11",
            "--as-of", "2023-12-01T10:00:00+08:00", "--format", "csv",
        ]
        let byName = try CLI.run(arguments + ["--rules", "shandong-2022-16"], in: workspace.path)
        #expect(byName.status == 0, "\(byName.stderr)")
        let expected = try String(contentsOfFile: Self.golden + "/expected.csv", encoding: .utf8)
        #expect(byName.stdout == expected)
    }

    /// A relative `--rules` path that is not there names the absolute path looked at, the
    /// working directory it was taken from, and the built-in rule sets (it used to say
    /// `the rules file does not exist; check the path` alone).
    @Test func aMissingRulesFileSaysWhereItLookedAndNamesTheBuiltInSets() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(
            [
                "report", "--registry", Self.golden + "/accounts.csv", "--rules", "rules/shandong-2022-16.toml",
                "--period", "2023-11",
            ],
            in: workspace.path
        )
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "rules/shandong-2022-16.toml: the rules file does not exist: looked for \(workspace.path)/rules/"
                    + "shandong-2022-16.toml (a relative path is taken from the working directory, \(workspace.path));"
                    + " check the path, or name a rule set built into collector: shandong-2022-16"
            ),
            "\(result.stderr)"
        )
    }
}
