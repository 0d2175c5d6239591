import Adapters
import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `adapters.conf` checked the way `collector check` and `run` load it
/// (``LoadedConfiguration``): every problem in one pass, and never a value that came from the
/// environment or a file in any message.
@Suite(.serialized) struct ConfigurationCheckTests {
    // MARK: - Values from ${VAR} and @file: stay out of messages

    /// Invalid for every check it can meet (not a number, an id, a URL, a platform name, a
    /// path that exists or a kind), so that each message that could quote it is reached.
    static let sentinel = "Leak Sentinel/7Q?x"

    /// Where the sentinel comes from.
    enum Source: String, CaseIterable, Sendable {
        case variable, file
    }

    /// Every key of every adapter that holds strings, configured from a variable (or an
    /// `@file:`) holding the sentinel, one key at a time with the rest of the section taken
    /// from the adapter's sample: the sentinel appears in no error and no warning.
    /// The registered types' names.
    static let types: [String] = AdapterRegistry.all.map { $0.type }

    @Test(arguments: types, Source.allCases)
    func noMessageShowsAValueFromOutsideTheFile(_ type: String, _ source: Source) throws {
        let adapter = try #require(AdapterRegistry.type(named: type))
        let directory = try TemporaryDirectory(prefix: "collector-leak")
        try directory.write(Self.sentinel + "\n", to: "secret.txt")
        let reference = source == .variable ? "${LEAKED}" : "@file:secret.txt"
        let environment = ["LEAKED": Self.sentinel, "SIMULATOR_URL": "http://127.0.0.1:1"]
        let keys = (ConfigurationKey.common + adapter.configurationKeys).filter {
            ["string", "path", "array of strings", "table"].contains($0.type)
        }
        #expect(!keys.isEmpty)
        for key in keys {
            let value =
                switch key.type {
                case "array of strings": "[\"\(reference)\"]"
                case "table": "{ A_KEY = \"\(reference)\" }"
                default: "\"\(reference)\""
                }
            // The sample without the key, then the key from outside the file.
            let sample = adapter.sampleConfiguration.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { line in
                    let trimmed = line.drop { $0 == " " }
                    return !(trimmed.hasPrefix(key.name + " ") || trimmed.hasPrefix(key.name + "="))
                }
                .joined(separator: "\n")
            let path = try directory.write(sample + "\n\(key.name) = \(value)\n", to: "adapters.conf")
            var messages: [String] = []
            do {
                let loaded = try LoadedConfiguration.load(path: path, environment: environment)
                messages = loaded.file.warnings.map(\.description)
            } catch {
                messages = (error.errors + error.warnings).map(\.description)
            }
            for message in messages {
                #expect(!message.contains(Self.sentinel), "\(type).\(key.name): \(message)")
                #expect(!message.contains("Leak Sentinel"), "\(type).\(key.name): \(message)")
            }
        }
    }

    @Test func anAccountFromAVariableIsNamedByTheVariable() throws {
        let directory = try TemporaryDirectory(prefix: "collector-leak")
        let path = try directory.write(
            "[[adapters.bilibili]]\n  accounts = [\"${WECHAT_SECRET}\"]\n",
            to: "v2.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: ["WECHAT_SECRET": "WXSECRET-abcdef123456"])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: bilibili account from ${WECHAT_SECRET} is not a numeric user id (mid); find it in the "
                    + "space URL space.bilibili.com/<mid> in [[adapters.bilibili]]"
            ]
        )
    }

    @Test func aWrittenAccountIsStillQuoted() throws {
        let directory = try TemporaryDirectory(prefix: "collector-leak")
        let path = try directory.write(
            "[[adapters.bilibili]]\n  accounts = [\"208259\", \"abc\", \"${MID}\"]\n",
            to: "v2.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: ["MID": "mid-from-env"])
        }
        #expect(
            error?.errors.map(\.message) == [
                "bilibili account \"abc\" is not a numeric user id (mid); find it in the space URL "
                    + "space.bilibili.com/<mid> in [[adapters.bilibili]]",
                "bilibili account from ${MID} is not a numeric user id (mid); find it in the space URL "
                    + "space.bilibili.com/<mid> in [[adapters.bilibili]]",
            ]
        )
    }

    /// The second line of defence: a message that interpolates a value from outside the file
    /// directly still shows the reference instead.
    @Test func anErrorReplacesAValueFromOutsideTheFile() throws {
        let file = ConfigurationFile.read(
            text: "[[adapters.exec]]\nplatform = \"${P}\"\ncommand = [\"@file:cmd\"]\n",
            path: "/nonexistent/adapters.conf",
            environment: ["P": "xiaohongshu"],
            adapterKeys: AdapterRegistry.configurationKeys
        )
        let section = try #require(file.sections.first)
        #expect(
            section.error("platform", "platform xiaohongshu and \"xiaohongshu\"").message
                == "platform ${P} and \"${P}\" in [[adapters.exec]]"
        )
        #expect(section.quoted("xiaohongshu", from: "platform") == "from ${P}")
        #expect(section.quoted("other", from: "name") == "\"other\"")
    }

    // MARK: - Numbers from the environment

    /// `concurrency` and an adapter's `parallel_accounts` and boolean keys from `${VAR}`, as a
    /// Kubernetes manifest or an env file sets them, reach the settings and the instance.
    @Test func integerAndBooleanKeysComeFromVariables() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [collector]
              concurrency = "${CONC:-8}"
            [[adapters.bilibili]]
              accounts = ["1", "2"]
              parallel_accounts = "${PAR}"
              card = "${CARD}"
              base_url = "http://127.0.0.1:1/bilibili"

            """,
            to: "vars.conf"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: ["PAR": "2", "CARD": "false"])
        #expect(loaded.file.settings.concurrency == 8)
        #expect(loaded.instances.map(\.schedule.parallelAccounts) == [2])
    }

    // MARK: - Every problem in one pass

    @Test func collectorProblemsDoNotHideTheAdapterSections() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [collector]
              jitter = 10
            [[adapters.wechat]]
              account = "gh_x"
              app_id = "wx1"
              app_secret = "literal-secret-value-123"
              backfill_days = 90

            """,
            to: "t5.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: \"jitter\" must be a duration such as \"6h\", not an integer",
                "\(path):7: \"backfill_days\" must be between 1 and 60; import the 用户增长 export for older history "
                    + "in [[adapters.wechat]]",
            ]
        )
        #expect(
            error?.warnings.map(\.description) == [
                "\(path):6: \"app_secret\" in [[adapters.wechat]] is a secret written into the configuration file; "
                    + "put secrets in the environment or a file: app_secret = \"${VARIABLE}\" or \"@file:PATH\""
            ]
        )
    }

    /// A secret in an exec command's arguments is readable by every user of the machine:
    /// `check` warns, naming the argument but never a literal value.
    @Test func warnsAboutASecretInAnExecCommandLine() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.exec]]
              platform = "xiaohongshu"
              command = ["sh", "xhs.sh", "--token=${XHS_TOKEN}", "--password", "hunter2-literal"]

            [[adapters.exec]]
              name = "fine"
              platform = "xiaohongshu"
              command = ["sh", "xhs.sh", "--since", "7d"]
              env = { XHS_TOKEN = "${XHS_TOKEN}" }

            """,
            to: "argv.conf"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: ["XHS_TOKEN": "tok-value-1"])
        let warnings = loaded.file.warnings.map(\.description)
        #expect(
            warnings == [
                "\(path):3: \"command\" in [[adapters.exec]] seems to pass a secret on the command line: "
                    + "argument 3 (${XHS_TOKEN}), argument 5 (the value of --password); every user of the machine "
                    + "can read a process's arguments (ps, /proc/PID/cmdline): pass it in env = { NAME = \"${NAME}\" } "
                    + "and have the command read its environment"
            ]
        )
        #expect(!warnings.joined().contains("hunter2") && !warnings.joined().contains("tok-value"))
    }

    /// `env` is the way to hand an exec command a secret, so an `@file:` in it that other users
    /// can read draws the warning a secret key's file does; one only the service user reads
    /// draws none, and the file's content is in no message.
    @Test func warnsAboutAnExecEnvFileOthersCanRead() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let exposed = try directory.write("cookie-value-1\n", to: "xhs-cookie")
        #expect(chmod(exposed, 0o644) == 0)
        let kept = try directory.write("token-value-2\n", to: "xhs-token")
        #expect(chmod(kept, 0o600) == 0)
        let path = try directory.write(
            """
            [[adapters.exec]]
              platform = "xiaohongshu"
              command = ["sh", "xhs.sh"]
              env = { XHS_COOKIE = "@file:xhs-cookie", XHS_TOKEN = "@file:xhs-token", SINCE = "7d" }

            """,
            to: "env.conf"
        )
        let warnings = try LoadedConfiguration.load(path: path, environment: [:]).file.warnings.map(\.description)
        #expect(
            warnings == [
                "\(path):4: \"env\" in [[adapters.exec]] reads @file:\(exposed), which every user can read (mode 0644);"
                    + " run chmod 600 \(exposed), or chmod 640 with a group only the service user is in (a Kubernetes"
                    + " secret volume: defaultMode: 0440 and the pod's fsGroup)"
            ]
        )
        #expect(!warnings.joined().contains("value-"))
    }

    @Test func everyKeyOfASectionIsChecked() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.exec]]
              platform = "Xiao-Hong"
              command = "exec/x.sh"
              timeout = "0s"

            """,
            to: "exec.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: platform \"Xiao-Hong\" is not a valid name: use lower-case letters, digits and _, "
                    + "starting with a letter in [[adapters.exec]]",
                "\(path):3: \"command\" in [[adapters.exec]] must be an array of strings, not a string; write "
                    + "command = [\"exec/x.sh\"]",
                "\(path):4: \"timeout\" must be more than 0s in [[adapters.exec]]",
            ]
        )
    }

    /// The reviewer's repro: several `weibo_web` sections sending one login cookie (written in
    /// another order and spacing, from the environment or the file) would each keep the 3-second
    /// limit and the login-wall stop for themselves. Every section after the first is refused at
    /// its `cookie` line, naming the first; the cookie itself is never shown. Another login, or
    /// the same text in a section of another type, is no problem.
    @Test func twoCookieSectionsMayNotShareOneLogin() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.weibo_web]]
              name = "w1"
              accounts = ["5999000001", "5999000002"]
              cookie = "${WB_COOKIE}"
            [[adapters.weibo_web]]
              name = "w2"
              accounts = ["5999000003"]
              cookie = "SUBP=CookieValueSUBP987654;SUB=CookieValueSUB0123456789 ; "
            [[adapters.weibo_web]]
              name = "other"
              accounts = ["5999000004"]
              cookie = "SUB=AnotherLoginValue0123456789"
            [[adapters.toutiao]]
              name = "t1"
              account = "1600000000000001"
              cookie = "${WB_COOKIE}"
            [[adapters.toutiao]]
              name = "t2"
              account = "1600000000000002"
              cookie = "${TT_COOKIE}"

            """,
            to: "cookies.conf"
        )
        let cookie = "SUB=CookieValueSUB0123456789; SUBP=CookieValueSUBP987654"
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: ["WB_COOKIE": cookie, "TT_COOKIE": cookie])
        }
        let descriptions = error?.errors.map(\.description) ?? []
        #expect(
            descriptions == [
                "\(path):8: \"cookie\" is the same login as the one of section \"w1\" (\(path):4): one login is one"
                    + " session; the limits of one request every 3 s and one account at a time, and the stop after a"
                    + " login wall, hold per section, so two sections would send m.weibo.cn that login's requests"
                    + " side by side and go on with it after it was rejected; put the accounts of that login into one"
                    + " section in [[adapters.weibo_web]]",
                "\(path):20: \"cookie\" is the same login as the one of section \"t1\" (\(path):16): one login is"
                    + " one session; mp.toutiao.com answers with the counts of the logged-in back-office account"
                    + " whatever \"account\" says, so a second section would write that account's counts under another"
                    + " id (and send its login's requests side by side); one login, one section in [[adapters.toutiao]]",
            ],
            "\(descriptions)"
        )
        for description in descriptions {
            #expect(!description.contains("CookieValueSUB"))
        }
    }

    /// A cookie section that would outrun the platform's anti-abuse controls is refused, each
    /// key on its line, with the reason.
    @Test func aCookieSectionMayNotRaiseItsRateOrShortenItsCooldown() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.weibo_web]]
              accounts = ["5999000001"]
              cookie = "${WEIBO_COOKIE}"
              rate = "1000/s"
              cooldown = "0s"

            """,
            to: "web.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: ["WEIBO_COOKIE": "SUB=a"])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):4: \"rate\" = \"1000/s\" is faster than 20/m (one request every 3 s), the most weibo_web "
                    + "sends to m.weibo.cn with a login cookie: the platform's anti-abuse controls watch logged-in "
                    + "sessions and the collector does not work around them; remove \"rate\" or set a slower one "
                    + "in [[adapters.weibo_web]]",
                "\(path):5: \"cooldown\" = \"0s\" is shorter than 1h: after m.weibo.cn answers with its anti-abuse "
                    + "controls, weibo_web leaves it alone for an hour at least, and the collector does not work "
                    + "around them; remove \"cooldown\" (6h) or set 1h or more in [[adapters.weibo_web]]",
            ]
        )
    }

    /// A key the loader rejected is reported once: the adapter does not call it missing.
    @Test func aRejectedKeyIsNotReportedAgain() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            "[[adapters.exec]]\n  platform = \"${NOT_SET_ANYWHERE_42}\"\n  command = [\"true\"]\n  timeout = \"0s\"\n",
            to: "exec.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: \"platform\" in [[adapters.exec]] uses the environment variable NOT_SET_ANYWHERE_42, "
                    + "which is not set; export it or write ${NOT_SET_ANYWHERE_42:-default}",
                "\(path):4: \"timeout\" must be more than 0s in [[adapters.exec]]",
            ]
        )
    }

    /// A required key the loader found missing is reported once, in the loader's words.
    @Test func aMissingKeyIsReportedOnce() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write("[[adapters.bilibili]]\nacounts = [\"1\"]\n", to: "typo.conf")
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):1: missing required key \"accounts\" in [[adapters.bilibili]]",
                "\(path):2: unknown key \"acounts\" in [[adapters.bilibili]]; did you mean \"accounts\"?",
            ]
        )
    }

    /// After a TOML syntax error nothing else is checked: the rest may not mean what it says.
    @Test func aSyntaxErrorStopsTheCheck() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            "[collector]\n  jitter = 10\n[[adapters.exec]]\n  platform = \"x\n",
            to: "broken.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(error?.errors.count == 1)
        #expect(error?.errors.first?.line == 4)
        #expect(error?.errors.first?.message.hasPrefix("invalid TOML at column") == true)
    }

    // MARK: - The account registry

    /// A registry with a bad row: its row is the one problem. `accounts = "registry"` used to
    /// add that it "needs [collector] registry", which the file sets.
    @Test func aBadRegistryRowIsTheOnlyProblem() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let registry = try directory.write(
            "unit,category,city,students,platform,account,name,main\n"
                + "一中,high_school,杭州,2000,bilibili,208259,一中B站,yes\n"
                + "二中,hs,杭州,1500,bilibili,546195,二中B站,yes\n",
            to: "accounts.csv"
        )
        let path = try directory.write(
            "[collector]\nregistry = \"\(registry)\"\n\n[[adapters.bilibili]]\naccounts = \"registry\"\n",
            to: "registry.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(error?.errors.count == 1)
        #expect(
            error?.errors.first?.description.hasPrefix("\(registry):3: unknown category \"hs\"; use one of:") == true
        )

        // Corrected, the same section takes the registry's accounts.
        _ = try directory.write(
            "unit,category,city,students,platform,account,name,main\n"
                + "一中,high_school,杭州,2000,bilibili,208259,一中B站,yes\n",
            to: "accounts.csv"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: [:])
        #expect(loaded.instances.first?.accounts == ["208259"])
    }

    /// A registry that cannot be opened is reported at the `registry` key of the configuration
    /// (the registry has no line to name), once.
    @Test func aMissingRegistryIsReportedAtItsKey() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let missing = directory.path + "/nope.csv"
        let path = try directory.write(
            "[collector]\n  data_dir = \"data\"\n  registry = \"\(missing)\"\n\n[[adapters.bilibili]]\n"
                + "  accounts = \"registry\"\n",
            to: "r.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):3: [collector] registry = \"\(missing)\": cannot open the file: No such file or directory"
            ]
        )
    }

    /// A relative registry is taken from the configuration file's folder; one that is not
    /// there is reported with the absolute path looked at and the rule.
    @Test func aMissingRelativeRegistryNamesThePathLookedAt() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            "[collector]\n  registry = \"nope.csv\"\n",
            to: "etc/r.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: [collector] registry = \"nope.csv\" (\(directory.path)/etc/nope.csv): cannot open the file: "
                    + "No such file or directory; a relative registry is taken from the configuration file's folder"
            ]
        )
        // Put there, it is found, whatever the working directory.
        _ = try directory.write(
            "unit,category,city,students,platform,account,name,main\n一中,high_school,杭州,2000,bilibili,208259,一中B站,yes\n",
            to: "etc/nope.csv"
        )
        #expect(try LoadedConfiguration.load(path: path, environment: [:]).registry?.entries.count == 1)
    }

    /// `rate`, `parallel_accounts` and `cooldown` do nothing in an import section, which sends
    /// no request: a warning at each key's line, as for exec.
    @Test func requestKeysInAnImportSectionDrawAWarning() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            "[[adapters.import]]\nplatform = \"wechat\"\npaths = [\"ex/*.csv\"]\nrate = \"1/s\"\n"
                + "parallel_accounts = 4\ncooldown = \"1h\"\n",
            to: "a.conf"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: [:])
        #expect(
            loaded.file.warnings.map(\.description) == [
                "\(path):4: \"rate\" has no effect here: an import section reads files and sends no requests, so "
                    + "there is nothing to throttle; remove it in [[adapters.import]]",
                "\(path):5: \"parallel_accounts\" has no effect here: an import section has one unit of work, its "
                    + "files, which never runs twice at a time; remove it in [[adapters.import]]",
                "\(path):6: \"cooldown\" has no effect here: the circuit breaker acts on the answers to the "
                    + "collector's requests, and an import sends none; remove it in [[adapters.import]]",
            ]
        )
    }

    // MARK: - An account listed twice

    /// An account pasted twice into one `accounts` is collected once, and the load warns at the
    /// key's line with both positions (review r15-churn, F2: it was requested twice per run).
    /// An account that a variable holds is named by the variable.
    @Test func anAccountListedTwiceInASectionIsTakenOnceWithAWarning() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.bilibili]]
              name = "bili"
              accounts = ["208259", "546195", "208259",
                          "546195", "${MID}", "3493000000000001"]

            """,
            to: "a.conf"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: ["MID": "208259"])
        #expect(loaded.instances.map(\.accounts) == [["208259", "546195", "3493000000000001"]])
        #expect(
            loaded.file.warnings.map(\.description) == [
                "\(path):3: \"accounts\" of section \"bili\" lists from ${MID} 3 times (items 1, 3 and 5), \"546195\""
                    + " twice (items 2 and 4); each account is collected once: delete the repeats in"
                    + " [[adapters.bilibili]]"
            ],
            "\(loaded.file.warnings)"
        )
    }

    /// A section split in two with an account left in both: a warning at the second section's
    /// `accounts`, naming the first section, its line and both positions. Sections that differ
    /// in what they collect (another `card`) may share an account on purpose: no warning; nor
    /// for sections of two types, or differing only in their schedule.
    @Test func anAccountInTwoSectionsOfATypeThatCollectTheSameDrawsAWarning() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [[adapters.bilibili]]
              name = "bili-jinan"
              accounts = ["208259", "546195"]
              rate = "10/m"
            [[adapters.bilibili]]
              name = "bili-county"
              accounts = ["546195", "3493000000000001", "208259"]
              interval = "6h"
            [[adapters.bilibili]]
              name = "bili-cards"
              account = "546195"
              card = false
            [[adapters.bilibili_open]]
              name = "open"
              account = "546195"
              client_id = "cid"
              client_secret = "${SECRET}"

            """,
            to: "a.conf"
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: ["SECRET": "s3cr3t-value"])
        #expect(
            loaded.file.warnings.map(\.description) == [
                "\(path):7: section \"bili-county\" has 2 accounts that section \"bili-jinan\" (\(path):3) collects"
                    + " the same way: \"546195\" (item 1 here, item 2 there), \"208259\" (item 3 here, item 1 there);"
                    + " each is requested by both, twice per interval for the same rows (stored once): remove them"
                    + " from one of the two sections in [[adapters.bilibili]]"
            ],
            "\(loaded.file.warnings)"
        )
    }

    // MARK: - A string where an array of strings belongs

    /// SPEC §2: a wrong type is an error. A single string is not read as a one-element list
    /// (it may be a list written as one); the message shows what to write. `accounts =
    /// "registry"` is the one string an array key takes.
    @Test func aStringIsRefusedWhereAnArrayOfStringsBelongs() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let path = try directory.write(
            """
            [collector]
              formats = "csv"

            [[adapters.bilibili]]
              accounts = "208259"

            [[adapters.bilibili]]
              accounts = "208259, 546195"

            [[adapters.exec]]
              platform = "xiaohongshu"
              command = "./xhs --since 7d"

            """,
            to: "strings.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: [:])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):2: \"formats\" must be an array of strings, not a string; write formats = [\"csv\"]",
                "\(path):5: \"accounts\" in [[adapters.bilibili]] must be an array of strings, not a string; write "
                    + "accounts = [\"208259\"] (or account = \"208259\"); the one string \"accounts\" takes is "
                    + "\"registry\"",
                "\(path):8: \"accounts\" in [[adapters.bilibili]] must be an array of strings, not a string; write "
                    + "accounts = [\"208259, 546195\"], or, if it lists several items, one string each: "
                    + "accounts = [\"208259\", \"546195\"]",
                "\(path):12: \"command\" in [[adapters.exec]] must be an array of strings, not a string; write "
                    + "command = [\"./xhs --since 7d\"], or, if it lists several items, one string each: "
                    + "command = [\"./xhs\", \"--since\", \"7d\"]",
            ]
        )
    }

    /// A string from `${VAR}` is refused the same way, and the advice shows the reference, not
    /// its value; a variable holding `registry` is `accounts = "registry"`.
    @Test func aStringFromAVariableIsRefusedByItsReference() throws {
        let directory = try TemporaryDirectory(prefix: "collector-check")
        let registry = try directory.write(
            "unit,category,city,students,platform,account,name,main\n一中,high_school,杭州,2000,bilibili,1,B站,yes\n",
            to: "accounts.csv"
        )
        let path = try directory.write(
            "[collector]\nregistry = \"\(registry)\"\n[[adapters.bilibili]]\naccounts = \"${ACCOUNTS}\"\n",
            to: "v.conf"
        )
        let error = #expect(throws: ConfigurationErrors.self) {
            try LoadedConfiguration.load(path: path, environment: ["ACCOUNTS": "208259"])
        }
        #expect(
            error?.errors.map(\.description) == [
                "\(path):4: \"accounts\" in [[adapters.bilibili]] must be an array of strings, not a string; write "
                    + "accounts = [\"${ACCOUNTS}\"] (or account = \"${ACCOUNTS}\"); the one string \"accounts\" "
                    + "takes is \"registry\""
            ]
        )
        let loaded = try LoadedConfiguration.load(path: path, environment: ["ACCOUNTS": "registry"])
        #expect(loaded.instances.first?.accounts == ["1"])
    }

    /// An adapter reading a configuration built in code refuses a single string as the loader
    /// does, and still takes `accounts = "registry"`.
    @Test func stringsRefusesASingleStringExceptTheRegistry() throws {
        let configuration = AdapterConfiguration(
            type: "bilibili",
            values: ["videos": .string("BV1Ab4y1c7Qa"), "accounts": .string("registry")],
            keyLines: ["videos": 3]
        )
        #expect(throws: ConfigurationError.self) { try configuration.strings("videos") }
        do {
            _ = try configuration.strings("videos")
        } catch {
            #expect(
                error.description
                    == "adapters.conf:3: \"videos\" must be an array of strings, not a string; write "
                    + "videos = [\"BV1Ab4y1c7Qa\"] in [[adapters.bilibili]]"
            )
        }
        #expect(try configuration.strings("accounts") == ["registry"])
    }
}
