import Foundation
import Testing

/// What `collector` refuses before it collects anything, with exit 2 and a message naming the
/// cause: configuration problems (`check` lists them all at once), usage errors; and help.
@Suite(.serialized) struct CheckCommandTests {
    @Test func configurationErrorExitsTwoAndNamesFileLineAndNearestKey() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("adapters.conf", "[[adapters.bilibili]]\nacounts = [\"1\"]\n")
        let result = try CLI.run(["run", "--once"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("adapters.conf:2:"))
        #expect(result.stderr.contains("did you mean \"accounts\""))
        #expect(result.stderr.contains("configuration: 2 problems; nothing was written"))
    }

    /// A Kubernetes secret volume without `fsGroup`: the file is root's, 0400, and the pod's user
    /// cannot read it. The error says whom the collector runs as and what lets it read the file.
    @Test(.enabled(if: CLI.otherUsersCanRun, "needs root, setpriv, and executables every user can run"))
    func anUnreadableSecretFileSaysWhomTheCollectorRunsAs() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            "[[adapters.wechat]]\naccount = \"gh_0123456789ab\"\napp_id = \"wx0123456789abcdef\"\n"
                + "app_secret = \"@file:app-secret\"\n"
        )
        try workspace.write("app-secret", "tok-very-secret-123\n")
        #expect(chmod(workspace.path + "/app-secret", 0o400) == 0)
        #expect(chmod(workspace.path, 0o755) == 0)
        // setpriv gives the user the group of the same number: nobody's 65534.
        let nobody: UInt32 = 65534
        let group = getgrgid(nobody).map { String(cString: $0.pointee.gr_name) } ?? "gid 65534"
        let check = try CLI.run(["check"], in: workspace.path, user: nobody)
        #expect(check.status == 2)
        #expect(
            check.stderr.hasPrefix(
                "adapters.conf:4: \"app_secret\" in [[adapters.wechat]] reads @file:app-secret, which cannot be read: "
                    + "Permission denied; the collector runs as user nobody, group \(group): let it read the file (and "
                    + "search its folders), as its owner or through a group it runs in (a Kubernetes secret volume: "
                    + "the pod's fsGroup, defaultMode: 0440)\n"
            ),
            "\(check.stderr)"
        )
    }

    @Test func missingEnvironmentVariableNamesTheKeyAndExitsTwo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            "[[adapters.bilibili]]\naccounts = [\"1\"]\nbase_url = \"${NOT_SET_ANYWHERE_42}\"\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("NOT_SET_ANYWHERE_42"))
        #expect(result.stderr.contains("base_url"))
    }

    /// One `check` shows every problem: `[collector]`'s, the adapter sections', and the
    /// warnings found with them; a value from the environment is named by its variable.
    @Test func checkPrintsEveryProblemAndTheWarningsAtOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
              jitter = 10
            [[adapters.wechat]]
              account = "gh_x"
              app_id = "wx1"
              app_secret = "literal-secret-value-123"
              backfill_days = 90
            [[adapters.bilibili]]
              accounts = ["${WECHAT_SECRET}"]

            """
        )
        let result = try CLI.run(["check"], in: workspace.path, environment: ["WECHAT_SECRET": "WXSECRET-abcdef123456"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == """
                adapters.conf:2: "jitter" must be a duration such as "6h", not an integer
                adapters.conf:7: "backfill_days" must be between 1 and 60; import the 用户增长 export for older history in [[adapters.wechat]]
                adapters.conf:9: bilibili account from ${WECHAT_SECRET} is not a numeric user id (mid); find it in the space URL space.bilibili.com/<mid> in [[adapters.bilibili]]
                warning: adapters.conf:6: "app_secret" in [[adapters.wechat]] is a secret written into the configuration file; put secrets in the environment or a file: app_secret = "${VARIABLE}" or "@file:PATH"
                configuration: 3 problems; nothing was written

                """
        )
        #expect(!result.stderr.contains("WXSECRET"))
        #expect(!result.stderr.contains("literal-secret-value-123"))
    }

    /// A registry platform that nothing collects is most likely a typo: `check` warns, naming
    /// the nearest platform, and still passes (self-reports may cover such a platform).
    @Test func checkWarnsOfRegistryPlatformsNothingCollects() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 1)
        try workspace.write(
            "adapters.conf",
            "[collector]\nregistry = \"accounts.csv\"\n\n"
                + ExecSetup.configuration().replacing("[collector]\n", with: "")
        )
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "某中学,middle_school,济南,,bilbili,1,,yes\n"
                + "某中学,middle_school,济南,,xiaohongshu,2,,yes\n"
                + "某中学,middle_school,济南,,bilbili,3,,no\n"
                + "某中学,middle_school,济南,,douban,4,,no\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK, 1 adapter instance, "))
        #expect(
            result.stderr.contains(
                "warning: accounts.csv:2: platform \"bilbili\" is neither built in nor collected by a configured adapter "
                    + "(2 rows); did you mean \"bilibili\"?"
            )
        )
        #expect(result.stderr.contains("accounts.csv:5: platform \"douban\" is neither built in"))
        #expect(!result.stderr.contains("xiaohongshu"))
    }

    /// Polling instances that may have more requests in flight together than `concurrency`
    /// allows get a warning from `check`; an exec section, which sends none, does not count,
    /// nor do slots an instance has fewer accounts for.
    @Test func checkWarnsWhenParallelAccountsOutgrowConcurrency() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let accounts = (1...10).map { "\"\($0)\"" }.joined(separator: ", ")
        let configuration = { (concurrency: Int) in
            """
            [collector]
            concurrency = \(concurrency)

            [[adapters.bilibili]]
            accounts = [\(accounts)]
            parallel_accounts = 3
            base_url = "http://127.0.0.1:1/bilibili"

            [[adapters.bilibili]]
            name = "small"
            accounts = ["11"]
            parallel_accounts = 8
            base_url = "http://127.0.0.1:1/bilibili"

            [[adapters.exec]]
            platform = "xiaohongshu"
            command = ["/bin/true"]
            parallel_accounts = 4

            """
        }
        try workspace.write("adapters.conf", configuration(3))
        let over = try CLI.run(["check"], in: workspace.path)
        #expect(over.status == 0)
        #expect(
            over.stderr.contains(
                "warning: the polling instances' parallel_accounts add up to 4, more than [collector] concurrency = 3,"
            ),
            "\(over.stderr)"
        )
        try workspace.write("adapters.conf", configuration(4))
        // Only the exec section's parallel_accounts is warned about, as a key that does nothing there.
        let fits = try CLI.run(["check"], in: workspace.path).stderr
        #expect(!fits.contains("add up to") && fits.contains("\"parallel_accounts\" has no effect"), "\(fits)")
    }

    /// An exec section's cursor is kept under its name; among several exec sections, one
    /// without `name` is named by its position, so `check` warns about it (and only about it).
    @Test func checkWarnsAboutExecSectionsWithoutAName() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let section = "[[adapters.exec]]\nplatform = \"xiaohongshu\"\ncommand = [\"/bin/true\"]\n"
        try workspace.write("adapters.conf", section)
        #expect(try CLI.run(["check"], in: workspace.path).stderr.isEmpty)

        try workspace.write("adapters.conf", section + "\n" + section + "name = \"xhs\"\n")
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 0)
        #expect(
            result.stderr
                == "warning: adapters.conf:1: this [[adapters.exec]] section has no \"name\", so it is instance"
                + " \"exec#1\" by its position among 2 exec sections, and its state (the command's cursor) is kept"
                + " under that name, in exec-exec#1.state: adding, removing or reordering exec sections would leave"
                + " the cursor behind; give it a name (and rename the state file to match)\n"
        )
    }

    /// A WeChat account whose articles the API collects and whose 已通知内容 an import section
    /// imports gets both sources' totals on one key (the publishing day): `check` warns at the
    /// import section, naming both sections; not with `articles = false`, another account, or
    /// another kind.
    @Test func checkWarnsWhenTheAPIAndANotifiedArticlesImportWriteOneAccountsArticleTotals() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        func configuration(articles: String = "", account: String = "gh_aaaaaaaaaaaa", kind: String = "") -> String {
            """
            [[adapters.wechat]]
              account    = "gh_aaaaaaaaaaaa"
              app_id     = "wx0123456789abcdef"
              app_secret = "${WECHAT_SECRET}"
            \(articles)
            [[adapters.import]]
              platform = "wechat"
              account  = "\(account)"
              paths    = ["exports/*.csv"]
            \(kind)
            """
        }
        let environment = ["WECHAT_SECRET": "fixture-secret"]
        try workspace.write("adapters.conf", configuration())
        let detected = try CLI.run(["check"], in: workspace.path, environment: environment)
        #expect(detected.status == 0)
        #expect(
            detected.stderr
                == "warning: adapters.conf:6: [[adapters.import]] \"import\" may import 已通知内容 (notified_articles: no"
                + " kind is set, so each file's kind is detected) for wechat account gh_aaaaaaaaaaaa, whose articles"
                + " [[adapters.wechat]] \"wechat\" (line 1) also collects: both write the article totals they share"
                + " (viewers, wechat_share_users, completion_rate) at 00:00 of its publishing day, the API the figure"
                + " of that day, the export the total at download, so the key holds whichever ran last and flips with"
                + " every run (reports count 10万+ hits on the largest total; export and the index's day-7 reads see"
                + " the flip); to keep one source, set articles = false in the wechat section or import only the"
                + " other kinds (kind = \"user_growth\"), see docs/imports.md, \"As-of date\"\n",
            "\(detected.stderr)"
        )
        try workspace.write("adapters.conf", configuration(kind: "kind = \"notified_articles\""))
        let named = try CLI.run(["check"], in: workspace.path, environment: environment).stderr
        #expect(named.contains("\"import\" imports 已通知内容 (notified_articles) for wechat account"), "\(named)")
        for quiet in [
            configuration(articles: "articles = false"), configuration(account: "gh_bbbbbbbbbbbb"),
            configuration(kind: "kind = \"user_growth\""),
        ] {
            try workspace.write("adapters.conf", quiet)
            let result = try CLI.run(["check"], in: workspace.path, environment: environment)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(quiet)\n\(result.stderr)")
        }
    }

    /// `check` finds what `run` would stop on with exit 3: a data or state folder that cannot
    /// be created (here under a regular file, which holds for root too), and creates nothing.
    @Test func checkReportsAFolderThatCannotBeCreated() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("blocker", "a file where a folder should be\n")
        try ExecSetup.write(in: workspace, samples: 3, dataDirectory: "blocker/data")
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == """
                adapters.conf:2: [collector] data_dir "blocker/data" cannot be created: "blocker" is not a folder; a run would stop with exit 3
                configuration: 1 problem; nothing was written

                """
        )
        #expect(result.stdout.isEmpty)
        // The state folder, which does not exist yet but can be created, was not created.
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/state"))
        #expect(try CLI.run(["run", "--once"], in: workspace.path).status == 3)

        try ExecSetup.write(in: workspace, samples: 3)
        let fixed = try CLI.run(["check"], in: workspace.path)
        #expect(fixed.status == 0)
        #expect(fixed.stdout.contains("adapters.conf: OK"))
    }

    /// A default folder that cannot be created is named as the default, at the `[collector]`
    /// header's line (there is no key line to name).
    @Test func checkNamesTheCollectorLineOfADefaultFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("data", "a file where the default data folder would be\n")
        try workspace.write(
            "adapters.conf",
            "# collector settings\n[collector]\nstate_dir = \"state\"\n\n[[adapters.exec]]\n"
                + "platform = \"xiaohongshu\"\ncommand = [\"./gen.sh\"]\n"
        )
        try workspace.write("gen.sh", ExecSetup.generator(count: 1), executable: true)
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "adapters.conf:2: [collector] data_dir \"data\" (the default) is not a folder; a run would stop "
                    + "with exit 3\n"
            ),
            "\(result.stderr)"
        )
    }

    @Test func usageErrorExitsTwo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try CLI.run(["run", "--no-such-flag"], in: workspace.path).status == 2)
        #expect(try CLI.run(["run", "--shard", "4/4"], in: workspace.path).status == 2)

        try workspace.write("adapters.conf", "[collector]\ndata_dir = \"data\"\n")
        let onlyNone = try CLI.run(["run", "--once", "--only", "bilibili"], in: workspace.path)
        #expect(onlyNone.status == 2)
        #expect(onlyNone.stderr.contains("--only bilibili: no such instance; adapters.conf configures none"))
        try ExecSetup.write(in: workspace, samples: 1)
        let auth = try CLI.run(["auth", "weibo"], in: workspace.path)
        #expect(auth.status == 2)
        #expect(auth.stderr.contains("auth weibo: no such instance; configured: exec"))

        // A kind the platform does not have is refused before any file is read.
        let kind = try CLI.run(
            ["import", "--platform", "wechat", "--kind", "growth", "absent.csv"],
            in: workspace.path
        )
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("--kind growth: not an export kind of wechat; use one of: user_growth"))
        #expect(!kind.stderr.contains("absent.csv"))
    }

    /// Every way of asking for help prints it on stdout and exits 0: `--help` and `help` parse
    /// to ArgumentParser's own help command, whose run throws the help request.
    @Test(arguments: [[], ["--help"], ["help"], ["help", "export"], ["export", "--help"], ["run", "-h"]])
    func helpPrintsUsageAndExitsZero(arguments: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try CLI.run(arguments, in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: collector"))
        #expect(result.stderr.isEmpty)
        if arguments.contains("export") {
            #expect(result.stdout.contains("--format"))
        }
    }

    /// The `rate` an adapter uses when its section sets none is shown with its keys: the
    /// WeChat page's 60/m and `collector adapters` used to disagree (it showed no default).
    @Test func adaptersShowsEachTypesDefaultRate() throws {
        let result = try CLI.run(["adapters"], in: CLI.repositoryRoot)
        #expect(result.status == 0)
        let blocks = result.stdout.split(separator: "\n\n").map(String.init)
        func rateLine(_ type: String) -> String? {
            blocks.first { $0.hasPrefix("[[adapters.\(type)]]") }?
                .split(separator: "\n").first { $0.hasPrefix("    rate (rate)") }.map(String.init)
        }
        let expected = [
            "wechat": "60/m", "weibo": "30/m", "douyin": "5/s", "kuaishou": "2/s", "bilibili": "20/m",
            "weibo_web": "20/m", "toutiao": "20/m", "bilibili_open": "30/m",
        ]
        for (type, rate) in expected {
            #expect(
                rateLine(type)?.hasPrefix("    rate (rate) default \(rate): ") == true,
                "\(type): \(rateLine(type) ?? "none")"
            )
        }
        // Import and exec sections send no requests: they are not offered `rate` at all (below).
        #expect(rateLine("import") == nil)
        #expect(rateLine("exec") == nil)
    }

    /// `rate`, `parallel_accounts` and `cooldown` do nothing in an import section either (it
    /// reads files and sends no request): `adapters` does not offer them, `check` warns at
    /// their lines and still passes.
    @Test func checkWarnsOfKeysThatDoNothingInAnImportSection() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "adapters.conf",
            "[[adapters.import]]\nplatform = \"wechat\"\npaths = [\"ex/*.csv\"]\nrate = \"1/s\"\n"
                + "parallel_accounts = 4\ncooldown = \"1h\"\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "has no effect here").count == 4, "\(result.stderr)")
        #expect(result.stderr.contains("warning: adapters.conf:4: \"rate\" has no effect here"))

        let adapters = try CLI.run(["adapters"], in: CLI.repositoryRoot)
        let section = try #require(
            adapters.stdout.split(separator: "\n\n").first { $0.hasPrefix("[[adapters.import]]") }
        )
        let keys = section.split(separator: "\n").filter { $0.hasPrefix("    ") }.map { $0.split(separator: " ")[0] }
        #expect(!keys.contains("rate") && !keys.contains("parallel_accounts") && !keys.contains("cooldown"))
        #expect(keys.contains("paths") && keys.contains("interval"))
    }

    /// Started in a folder without `./adapters.conf` (and without `--config` or
    /// `COLLECTOR_CONFIG`), every command that reads or makes the data or state folder stops
    /// with exit 2, naming the folder it looked in and `--config`: `import` used to write a new
    /// `./data` there and `compact` and `auth` to report nothing found, all with exit 0.
    @Test func aMissingDefaultConfigurationIsAnErrorNamingTheFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let export = CLI.repositoryRoot + "/samples/exports/wechat/user_growth_gh_0123456789ab.csv"
        let commands = [
            ["import", "--platform", "wechat", "--account", "gh_0123456789ab", export], ["compact"],
            ["compact", "--quiet"], ["auth"], ["check"], ["run", "--once"],
        ]
        for arguments in commands {
            let result = try CLI.run(arguments, in: workspace.path)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix(
                    "adapters.conf: cannot read the configuration file: No such file or directory; looked for it in "
                ),
                "\(arguments): \(result.stderr)"
            )
            #expect(result.stderr.contains("(\(workspace.path))"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--config PATH"), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/data"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/state"))
        // The self-report sheet needs only the registry (docs/imports.md): still no file needed.
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n一中,high_school,杭州,2000,bilibili,208259,一中B站,yes\n"
        )
        let template = try CLI.run(["template", "--registry", "accounts.csv", "-o", "t.csv"], in: workspace.path)
        #expect(template.status == 0, "\(template.stderr)")
    }

    /// A relative `registry` is taken from the configuration file's folder, like `@file:`:
    /// docs/operations.md's layout (the file in /etc/collector, commands run from the service's
    /// home) finds the registry kept beside the file.
    @Test func aRelativeRegistryIsFoundBesideTheConfigurationFromAnotherFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("etc/collector/adapters.conf", "[collector]\nregistry = \"accounts.csv\"\n")
        try workspace.write(
            "etc/collector/accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "济南市教育局,city_bureau,济南,,wechat,gh_0123456789ab,济南教育发布,yes\n"
        )
        try workspace.write("var/lib/collector/.keep", "")
        let result = try CLI.run(
            ["check"],
            in: workspace.path + "/var/lib/collector",
            environment: ["COLLECTOR_CONFIG": workspace.path + "/etc/collector/adapters.conf"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("registry with 1 rows"), "\(result.stdout)")
    }

    /// `rate`, `parallel_accounts` and `cooldown` can do nothing for an exec command (it sends
    /// no request through the collector and is one unit of work): `adapters` does not offer
    /// them for exec, `check` warns at their lines and still passes, and counts the command as
    /// a command, not an account.
    @Test func checkWarnsOfKeysThatDoNothingInAnExecSection() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try ExecSetup.write(in: workspace, samples: 3)
        try workspace.write(
            "adapters.conf",
            ExecSetup.configuration() + "\nrate = \"1/s\"\nparallel_accounts = 8\ncooldown = \"12h\"\n"
        )
        let result = try CLI.run(["check"], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix(": OK, 1 adapter instance, 1 command\n"), "\(result.stdout)")
        #expect(
            result.stderr
                == """
                warning: adapters.conf:9: "rate" has no effect here: the command sends its requests itself, not through the collector: throttle inside the command; remove it in [[adapters.exec]]
                warning: adapters.conf:10: "parallel_accounts" has no effect here: an exec section has one unit of work, the command, which never runs twice at a time; remove it in [[adapters.exec]]
                warning: adapters.conf:11: "cooldown" has no effect here: the circuit breaker acts on the answers to the collector's own requests, and the command sends none through it: a command that meets the platform's risk control should exit non-zero; remove it in [[adapters.exec]]

                """
        )

        let adapters = try CLI.run(["adapters"], in: CLI.repositoryRoot)
        let exec = try #require(adapters.stdout.split(separator: "\n\n").first { $0.hasPrefix("[[adapters.exec]]") })
        let keys = exec.split(separator: "\n").filter { $0.hasPrefix("    ") }.map { $0.split(separator: " ")[0] }
        #expect(keys == ["platform", "command", "timeout", "env", "name", "interval", "jitter"])
    }
}
