import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The keys of the adapters the SPEC §2 example uses, as their adapters would declare them.
private let adapterKeys: [String: [ConfigurationKey]] = [
    "bilibili": [
        ConfigurationKey("accounts", type: "array of strings", required: true, help: "Accounts."),
        ConfigurationKey("account", type: "string", help: "One account."),
        ConfigurationKey("base_url", type: "string", help: "API root."),
    ],
    "wechat": [
        ConfigurationKey("accounts", type: "array of strings", required: true, help: "Accounts."),
        ConfigurationKey("account", type: "string", help: "One account."),
        ConfigurationKey("app_id", type: "string", required: true, help: "AppID."),
        ConfigurationKey("app_secret", type: "string", required: true, secret: true, help: "AppSecret."),
        ConfigurationKey("base_url", type: "string", help: "API root."),
    ],
    "exec": [
        ConfigurationKey("platform", type: "string", required: true, help: "Platform."),
        ConfigurationKey("command", type: "array of strings", required: true, help: "Command."),
        ConfigurationKey("timeout", type: "duration", default: "60s", help: "Timeout."),
    ],
    "import": [
        ConfigurationKey("platform", type: "string", required: true, help: "Platform."),
        ConfigurationKey("paths", type: "array of strings", required: true, help: "Files."),
        ConfigurationKey("columns", type: "table", help: "Column aliases."),
    ],
]

/// The example of SPEC §2, verbatim.
private let specExample = """
    [collector]
    data_dir    = "data"           # time-series root
    state_dir   = "state"          # tokens, cursors, lock; created 0700, files 0600
    instance    = "main"           # names this collector's part files; one per shard
    formats     = ["csv"]          # any of csv, jsonl, influx
    timezone    = "Asia/Shanghai"  # calendar of platform dates and of partitions
    interval    = "24h"            # default schedule of each account
    jitter      = "10m"
    concurrency = 16               # HTTP requests in flight, all adapters together
    registry    = "accounts.csv"   # optional account registry (§6)

    [[adapters.bilibili]]
    accounts = ["208259", "546195"]
    interval = "6h"
    rate     = "2/s"                          # request budget of this instance
    base_url = "https://api.bilibili.com"     # every HTTP adapter has one; tests point it at 127.0.0.1

    [[adapters.wechat]]
    account    = "gh_0123456789ab"
    app_id     = "${WECHAT_APPID}"
    app_secret = "${WECHAT_SECRET}"

    [[adapters.exec]]
    platform = "xiaohongshu"
    command  = ["./adapters/xhs", "--since", "7d"]
    timeout  = "60s"

    [[adapters.import]]
    platform = "wechat"
    paths    = ["exports/wechat/*.xlsx"]

    """

private let specEnvironment = ["WECHAT_APPID": "wx0123456789", "WECHAT_SECRET": "s3cr3t-value"]

/// Parses `text` as `conf/adapters.conf`.
private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationErrors) -> ConfigurationFile
{
    try ConfigurationFile.parse(
        text: text,
        path: "conf/adapters.conf",
        environment: environment,
        adapterKeys: adapterKeys
    )
}

/// The rendered problems of `text`, or `["no error"]` when it loads.
private func problems(_ text: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try parse(text, environment: environment)
        return ["no error"]
    } catch {
        return error.errors.map(\.description)
    }
}

/// What toml++ says about an unterminated string.
private let malformedStringMessage = "Error while parsing string: encountered end-of-file"

@Suite struct ConfigurationFileTests {
    // MARK: - The SPEC example

    @Test func loadsTheSpecExample() throws {
        let file = try parse(specExample, environment: specEnvironment)
        #expect(file.path == "conf/adapters.conf")
        #expect(file.warnings.isEmpty)
        let settings = file.settings
        #expect(settings.dataDirectory == "data")
        #expect(settings.stateDirectory == "state")
        #expect(settings.instance == "main")
        #expect(settings.formats == [.csv])
        #expect(settings.calendar.identifier == "Asia/Shanghai")
        #expect(settings.interval == .seconds(86400))
        #expect(settings.jitter == .seconds(600))
        #expect(settings.concurrency == 16)
        // Beside the configuration file (conf/adapters.conf), not in the working directory.
        #expect(settings.registryPath == "conf/accounts.csv")

        #expect(file.sections.map(\.type) == ["bilibili", "wechat", "exec", "import"])
        #expect(file.sections.map(\.name) == ["bilibili", "wechat", "exec", "import"])
        #expect(file.sections.map(\.line) == [12, 18, 23, 28])
        #expect(file.sections.allSatisfy { $0.file == "conf/adapters.conf" && $0.baseDirectory == "conf" })
        #expect(file.sections.allSatisfy { $0.registry == nil && $0.settings.concurrency == 16 })

        let bilibili = file.sections[0]
        #expect(
            bilibili.values == [
                "accounts": .array([.string("208259"), .string("546195")]),
                "interval": .string("6h"),
                "rate": .string("2/s"),
                "base_url": .string("https://api.bilibili.com"),
            ]
        )
        #expect(bilibili.keyLines == ["accounts": 13, "interval": 14, "rate": 15, "base_url": 16])
        #expect(try bilibili.rate("rate") == Rate(count: 2, per: .seconds(1)))

        let wechat = file.sections[1]
        #expect(try wechat.string("app_id") == "wx0123456789")
        #expect(try wechat.string("app_secret") == "s3cr3t-value")
        #expect(try wechat.accounts(platform: .wechat) == ["gh_0123456789ab"])
        #expect(wechat.keyLines["app_secret"] == 21)

        let exec = file.sections[2]
        #expect(try exec.strings("command") == ["./adapters/xhs", "--since", "7d"])
        #expect(try exec.duration("timeout") == .seconds(60))
        #expect(try file.sections[3].strings("paths") == ["exports/wechat/*.xlsx"])
    }

    @Test func emptyFileGivesTheDefaults() throws {
        let file = try parse("# nothing configured yet\n")
        #expect(file.sections.isEmpty)
        #expect(file.settings.dataDirectory == "data")
        #expect(file.settings.formats == [.csv])
        #expect(file.settings.registryPath == nil)
    }

    @Test func readsEveryCollectorKey() throws {
        let file = try parse(
            """
            [collector]
            data_dir = "/srv/collector/data"
            state_dir = "${STATE:-/var/lib/collector}"
            instance = "shard-2"
            formats = ["jsonl", "influx", "jsonl"]
            timezone = "UTC"
            interval = "6h"
            jitter = "0s"
            concurrency = 1024
            registry = "registry/accounts.csv"
            """
        )
        #expect(file.settings.dataDirectory == "/srv/collector/data")
        #expect(file.settings.stateDirectory == "/var/lib/collector")
        #expect(file.settings.instance == "shard-2")
        #expect(file.settings.formats == [.jsonl, .influx])
        #expect(file.settings.calendar.identifier == "UTC")
        #expect(file.settings.interval == .seconds(21600))
        #expect(file.settings.jitter == .zero)
        #expect(file.settings.concurrency == 1024)
        // The folders stay as written: relative to the working directory, like telegraf.
        #expect(file.settings.dataDirectory == "/srv/collector/data")
        // The registry, a file the operator writes beside the configuration as `@file:`
        // secrets, is taken from the configuration file's folder (conf/).
        #expect(file.settings.registryPath == "conf/registry/accounts.csv")
    }

    /// `registry`, like `@file:`, `paths` and `command`, is relative to the configuration
    /// file's folder, not to the working directory; an absolute one stays as it is.
    @Test func aRelativeRegistryIsTakenFromTheConfigurationFilesFolder() throws {
        let relative = try ConfigurationFile.parse(
            text: "[collector]\nregistry = \"accounts.csv\"\n",
            path: "/etc/collector/adapters.conf",
            environment: [:],
            adapterKeys: adapterKeys
        )
        #expect(relative.settings.registryPath == "/etc/collector/accounts.csv")
        let absolute = try ConfigurationFile.parse(
            text: "[collector]\nregistry = \"/srv/accounts.csv\"\n",
            path: "/etc/collector/adapters.conf",
            environment: [:],
            adapterKeys: adapterKeys
        )
        #expect(absolute.settings.registryPath == "/srv/accounts.csv")
        // A file in the working directory: its folder is the working directory.
        let here = try ConfigurationFile.parse(
            text: "[collector]\nregistry = \"accounts.csv\"\n",
            path: "adapters.conf",
            environment: [:],
            adapterKeys: adapterKeys
        )
        #expect(here.settings.registryPath == "accounts.csv")
    }

    // MARK: - Section shapes and names

    @Test func namesInstancesByNameKeyTypeOrNumber() throws {
        let file = try parse(
            """
            [[adapters.bilibili]]
            accounts = ["1"]

            [[adapters.exec]]
            platform = "xiaohongshu"
            command = ["./xhs"]

            [[adapters.bilibili]]
            name = "bilibili-hourly"
            accounts = ["2"]

            [[adapters.bilibili]]
            accounts = ["3"]
            """
        )
        #expect(file.sections.map(\.name) == ["bilibili#1", "exec", "bilibili-hourly", "bilibili#3"])
        #expect(file.sections.map(\.line) == [1, 4, 8, 12])
        #expect(file.sections.map { $0.keyLines["accounts"] } == [2, nil, 10, 13])
    }

    @Test func acceptsASingleTableAsOneInstance() throws {
        let file = try parse(
            """
            [adapters.bilibili]
            accounts = ["208259"]
            """
        )
        #expect(file.sections.map(\.name) == ["bilibili"])
        #expect(file.sections.first?.keyLines == ["accounts": 2])
    }

    @Test func keepsSubTablesAndInlineTablesAsTables() throws {
        let file = try parse(
            """
            [[adapters.import]]
            platform = "wechat"
            paths = ["a.xlsx"]

            [adapters.import.columns]
            date = "日期"
            "read count" = "阅读数"

            [[adapters.import]]
            platform = "weibo"
            paths = ["b.csv"]
            columns = { date = "时间", extra = { nested = "${COLUMN:-x}" } }
            """
        )
        #expect(file.sections.count == 2)
        #expect(try file.sections[0].table("columns") == ["date": .string("日期"), "read count": .string("阅读数")])
        #expect(
            file.sections[0].keyLines == [
                "platform": 2, "paths": 3, "columns": 5, "columns.date": 6, "columns.read count": 7,
            ]
        )
        #expect(
            try file.sections[1].table("columns")
                == ["date": .string("时间"), "extra": .table(["nested": .string("x")])]
        )
        #expect(file.sections[1].keyLines["columns"] == 12)
    }

    @Test func ignoresKeyLookalikesInsideMultiLineStringsAndArrays() throws {
        let file = try parse(
            """
            [[adapters.exec]]
            platform = \"\"\"
            accounts = [
            [[adapters.bilibili]]
            \"\"\"
            command = [
              "./run",
              "timeout = 5",
            ]
            timeout = "5s"
            """
        )
        #expect(file.sections.map(\.line) == [1])
        #expect(file.sections[0].keyLines == ["platform": 2, "command": 6, "timeout": 10])
    }

    // MARK: - Each kind of problem, with its exact text

    /// A key of megabytes (a damaged or hostile file) is quoted cut, not whole (session 14).
    @Test func cutsALongKeyInItsMessage() {
        let key = String(repeating: "a", count: 100_000)
        let found = problems("[collector]\n\(key) = 1\n\(key)b = \"\(key)\"\n")
        let shown = "\"" + String(repeating: "a", count: 200) + "…\""
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.utf8.count < 1000 })
        #expect(
            found.first?.hasPrefix("conf/adapters.conf:2: unknown key \(shown) (100000 characters) in [collector]")
                == true
        )
        #expect(found.last?.contains("(100001 characters)") == true)
    }

    @Test func reportsMalformedTOMLWithLineAndColumn() {
        #expect(
            problems(
                """
                [collector]
                interval = "6h
                """
            ) == ["conf/adapters.conf:2: invalid TOML at column 15: \(malformedStringMessage)"]
        )
    }

    @Test(arguments: [
        (
            "[[adapters.bilibili]]\nacounts = [\"1\"]\n",
            [
                "conf/adapters.conf:1: missing required key \"accounts\" in [[adapters.bilibili]]",
                "conf/adapters.conf:2: unknown key \"acounts\" in [[adapters.bilibili]]; did you mean \"accounts\"?",
            ]
        ),
        (
            "[collector]\ndta_dir = \"data\"\n",
            ["conf/adapters.conf:2: unknown key \"dta_dir\" in [collector]; did you mean \"data_dir\"?"]
        ),
        (
            "[collector]\nworkers = 4\n",
            [
                "conf/adapters.conf:2: unknown key \"workers\" in [collector]; valid keys: data_dir, state_dir, "
                    + "instance, formats, timezone, interval, jitter, concurrency, stop_grace, registry"
            ]
        ),
        (
            "[[adapters.exec]]\nplatform = \"x\"\ncommand = [\"./x\"]\ntimout = \"5s\"\n",
            ["conf/adapters.conf:4: unknown key \"timout\" in [[adapters.exec]]; did you mean \"timeout\"?"]
        ),
        // Windows line ends (a file saved by Notepad): still the right line, not line 1.
        (
            "[collector]\r\ndata_dir = \"data\"\r\n\r\n[[adapters.exec]]\r\nplatform = \"x\"\r\ncommand = [\"./x\"]\r\ntimout = \"5s\"\r\n",
            ["conf/adapters.conf:7: unknown key \"timout\" in [[adapters.exec]]; did you mean \"timeout\"?"]
        ),
        (
            "[colector]\ninterval = \"1h\"\n",
            ["conf/adapters.conf:1: unknown table [colector]; did you mean [collector]?"]
        ),
        (
            "interval = \"1h\"\n",
            [
                "conf/adapters.conf:1: unknown key \"interval\" at the top of the file; "
                    + "settings belong in [collector] or an [[adapters.<type>]] section"
            ]
        ),
    ])
    func reportsUnknownKeysWithTheNearestValidKey(text: String, expected: [String]) {
        #expect(problems(text) == expected)
    }

    @Test(arguments: [
        (
            "[[collector]]\ninterval = \"1h\"\n",
            "conf/adapters.conf:1: [collector] must be a table: write [collector], not [[collector]]"
        ),
        ("adapters = \"all\"\n", "conf/adapters.conf:1: \"adapters\" must hold [[adapters.<type>]] sections"),
        (
            "[adapters]\nbilibili = \"208259\"\n",
            "conf/adapters.conf:2: adapters.bilibili must be an [[adapters.bilibili]] section"
        ),
        ("[[colector]]\n", "conf/adapters.conf:1: unknown table [colector]; did you mean [collector]?"),
        (
            "[metrics]\n",
            "conf/adapters.conf:1: unknown table [metrics]; adapters.conf has a [collector] table and "
                + "[[adapters.<type>]] sections"
        ),
    ])
    func reportsTablesOfTheWrongShape(text: String, message: String) {
        #expect(problems(text) == [message])
    }

    @Test func acceptsInlineArraysOfTablesUnderAdapters() throws {
        let file = try parse(
            """
            [adapters]
            bilibili = [{ accounts = ["1"] }, { accounts = ["2"], name = "second" }]
            """
        )
        #expect(file.sections.map(\.name) == ["bilibili#1", "second"])
        #expect(file.sections.map(\.line) == [2, 2])
    }

    @Test func reportsUnknownAdapterTypesWithTheNearestType() {
        #expect(
            problems(
                """
                [[adapters.bilbili]]
                accounts = ["1"]

                [[adapters.mastodon]]
                accounts = ["2"]

                [[adapters.bilbili]]
                accounts = ["3"]
                """
            ) == [
                "conf/adapters.conf:1: unknown adapter type \"bilbili\" in [[adapters.bilbili]]; "
                    + "did you mean \"bilibili\"?",
                "conf/adapters.conf:4: unknown adapter type \"mastodon\" in [[adapters.mastodon]]; "
                    + "\"collector adapters\" lists the types",
            ]
        )
    }

    @Test(arguments: [
        ("concurrency = \"16\"", "\"concurrency\" must be an integer, not a string"),
        ("concurrency = 0", "\"concurrency\" = 0 is out of range; write a number from 1 to 1024"),
        ("concurrency = 1025", "\"concurrency\" = 1025 is out of range; write a number from 1 to 1024"),
        ("interval = 6", "\"interval\" must be a duration such as \"6h\", not an integer"),
        ("interval = \"6 hours\"", "\"interval\" = \"6 hours\" is not a duration; write 30s, 5m, 6h or 1d"),
        ("interval = \"0s\"", "\"interval\" must be longer than 0s"),
        ("jitter = \"10min\"", "\"jitter\" = \"10min\" is not a duration; write 30s, 5m, 6h or 1d"),
        (
            "timezone = \"Asia/Shangai\"",
            "\"timezone\" = \"Asia/Shangai\" is not an IANA timezone name; write \"Asia/Shanghai\" (UTC+08:00 now)"
        ),
        // Foundation takes ICU abbreviations, and reads CST as US Central time.
        (
            "timezone = \"CST\"",
            "\"timezone\" = \"CST\" is not an IANA timezone name but an abbreviation, which is ambiguous (CST is "
                + "read as US Central time, not China Standard Time); write \"Asia/Shanghai\" (UTC+08:00 now)"
        ),
        (
            "timezone = \"EST\"",
            "\"timezone\" = \"EST\" is not an IANA timezone name but an abbreviation, which is ambiguous; write a "
                + "zone such as \"Asia/Shanghai\" or \"America/Chicago\" (the names are those of /usr/share/zoneinfo)"
        ),
        (
            "timezone = \"etc/utc\"",
            "\"timezone\" = \"etc/utc\" is not an IANA timezone name; write \"UTC\" (UTC+00:00 now)"
        ),
        // An old name of the tz database, without an area: the same zone's area/location name.
        (
            "timezone = \"Japan\"",
            "\"timezone\" = \"Japan\" is an old alias of the tz database, without an area; write \"Asia/Tokyo\" "
                + "(UTC+09:00 now)"
        ),
        // Not a zone, and no zone within one edit: Asia/Yangon (two edits from Asia/Saigon) is
        // another country, 30 minutes behind.
        (
            "timezone = \"Asia/Siagn\"",
            "\"timezone\" = \"Asia/Siagn\" is not an IANA timezone name; write a zone such as \"Asia/Shanghai\" or "
                + "\"America/Chicago\" (the names are those of /usr/share/zoneinfo)"
        ),
        // A string that is not one variable alone is still a string.
        ("concurrency = \"${CONC:-1}0\"", "\"concurrency\" must be an integer, not a string"),
        ("formats = [\"csv\", \"parquet\"]", "\"formats\" lists \"parquet\"; choose from csv, jsonl, influx"),
        ("formats = []", "\"formats\" must list at least one format"),
        (
            "formats = [1]",
            "\"formats\" must be an array of strings, not an array with an integer in it (1); write formats = "
                + "[\"1\"] (each item in double quotes)"
        ),
        ("formats = \"csv\"", "\"formats\" must be an array of strings, not a string; write formats = [\"csv\"]"),
        (
            "instance = \"../main\"",
            "\"instance\" = \"../main\" is not a safe file name; use letters, digits, \"-\", \"_\" and \".\" "
                + "(not first), at most 64 characters"
        ),
        ("data_dir = \"\"", "\"data_dir\" must not be empty"),
        ("registry = true", "\"registry\" must be a string, not a boolean"),
        ("state_dir = 1979-05-27", "\"state_dir\" is a TOML date or time; write it as a quoted string"),
    ])
    func reportsBadCollectorValues(line: String, message: String) {
        #expect(problems("[collector]\n\(line)\n") == ["conf/adapters.conf:2: \(message)"])
    }

    @Test func acceptsIANAZoneNamesAndUTC() throws {
        // Asia/Kolkata, Asia/Saigon (an alias), US/Eastern and Etc/UTC are in the system's tz
        // database but not in Foundation's list of names.
        for zone in [
            "Asia/Shanghai", "America/Chicago", "Europe/Berlin", "UTC", "Asia/Kolkata", "Asia/Saigon", "US/Eastern",
            "Etc/UTC",
        ] {
            #expect(try parse("[collector]\ntimezone = \"\(zone)\"\n").settings.calendar.identifier == zone)
        }
    }

    // MARK: - Numbers and booleans from the environment

    /// TOML cannot put a number in a variable: a value that is one `${VAR}` alone is read as
    /// the integer the key takes, from the variable or from its default.
    @Test(arguments: [
        ("${CONC:-8}", [String: String](), 8),
        ("${CONC:-8}", ["CONC": "32"], 32),
        ("${CONC}", ["CONC": " 64\n"], 64),
    ])
    func readsAnIntegerKeyFromAVariable(value: String, environment: [String: String], expected: Int) throws {
        let file = try parse("[collector]\nconcurrency = \"\(value)\"\n", environment: environment)
        #expect(file.settings.concurrency == expected)
    }

    /// A variable that holds no number: the key and the variable are named, the value (which
    /// may be a secret's) is not; a number out of range is named by its variable too.
    @Test(arguments: [
        (
            "${CONC}",
            "s3cret-VALUE",
            "\"concurrency\" from ${CONC} is not an integer; set CONC to a whole number such as 8 (its value is not shown)"
        ),
        (
            "${CONC:-8}",
            "4096",
            "\"concurrency\" from ${CONC:-8} is out of range; write a number from 1 to 1024"
        ),
    ])
    func namesTheVariableOfABadInteger(value: String, variable: String, message: String) {
        let found = problems("[collector]\nconcurrency = \"\(value)\"\n", environment: ["CONC": variable])
        #expect(found == ["conf/adapters.conf:2: \(message)"])
        #expect(!found.joined().contains("s3cret"))
    }

    /// Adapter sections too: `parallel_accounts` (a key of every section) and a boolean key
    /// from variables.
    @Test func readsAdapterIntegerAndBooleanKeysFromVariables() throws {
        let text = """
            [[adapters.bilibili]]
            accounts = ["1"]
            parallel_accounts = "${PAR}"
            card = "${CARD:-false}"
            """
        let keys = ConfigurationKey.common + (adapterKeys["bilibili"] ?? [])
        let adapters = ["bilibili": keys + [ConfigurationKey("card", type: "boolean", help: "Card.")]]
        func load(_ environment: [String: String]) throws(ConfigurationErrors) -> AdapterConfiguration? {
            try ConfigurationFile.parse(
                text: text,
                path: "conf/adapters.conf",
                environment: environment,
                adapterKeys: adapters
            ).sections.first
        }
        let defaults = try #require(try load(["PAR": "4"]))
        #expect(try defaults.integer("parallel_accounts") == 4)
        #expect(try defaults.bool("card") == false)
        #expect(try load(["PAR": "4", "CARD": "TRUE"])?.bool("card") == true)

        let error = #expect(throws: ConfigurationErrors.self) { try load(["PAR": "four", "CARD": "yes please"]) }
        #expect(
            error?.errors.map(\.description) == [
                "conf/adapters.conf:3: \"parallel_accounts\" from ${PAR} in [[adapters.bilibili]] is not an integer; "
                    + "set PAR to a whole number such as 8 (its value is not shown)",
                "conf/adapters.conf:4: \"card\" from ${CARD:-false} in [[adapters.bilibili]] is not true or false; "
                    + "set CARD to true or false (its value is not shown)",
            ]
        )
    }

    @Test(arguments: [
        (
            "rate = \"2 per second\"",
            "\"rate\" = \"2 per second\" in [[adapters.bilibili]] is not a rate; write N/s, N/m, N/h or N/d"
        ),
        ("rate = 2", "\"rate\" in [[adapters.bilibili]] must be a rate such as \"2/s\", not an integer"),
        (
            "interval = \"1w\"",
            "\"interval\" = \"1w\" in [[adapters.bilibili]] is not a duration; write 30s, 5m, 6h or 1d"
        ),
        // Ids written as numbers: the message says which item and shows the line to write.
        (
            "accounts = [208259, 546195]",
            "\"accounts\" in [[adapters.bilibili]] must be an array of strings, not an array with an integer in it "
                + "(208259); write accounts = [\"208259\", \"546195\"] (each item in double quotes)"
        ),
        (
            "accounts = [\"208259\", 546195]",
            "\"accounts\" in [[adapters.bilibili]] must be an array of strings, not an array with an integer in it "
                + "(546195); write accounts = [\"208259\", \"546195\"] (each item in double quotes)"
        ),
        (
            "accounts = 208259",
            "\"accounts\" in [[adapters.bilibili]] must be an array of strings, not an integer; write accounts = "
                + "[\"208259\"] (each item in double quotes)"
        ),
        (
            "accounts = [[\"1\"]]",
            "\"accounts\" in [[adapters.bilibili]] must be an array of strings, not an array with an array in it"
        ),
        (
            "account = 208259",
            "\"account\" in [[adapters.bilibili]] must be a string, not an integer; write account = \"208259\""
        ),
        (
            "accounts = \"208259\"",
            "\"accounts\" in [[adapters.bilibili]] must be an array of strings, not a string; write accounts = "
                + "[\"208259\"] (or account = \"208259\"); the one string \"accounts\" takes is \"registry\""
        ),
        ("base_url = [\"x\"]", "\"base_url\" in [[adapters.bilibili]] must be a string, not an array"),
        ("name = \"\"", "\"name\" in [[adapters.bilibili]] must not be empty"),
        (
            "name = \"main\\nlevel=error\"",
            "\"name\" in [[adapters.bilibili]] must not contain control characters (line breaks, tabs, escapes)"
        ),
        (
            "name = \"a\\u001B[2Jb\"",
            "\"name\" in [[adapters.bilibili]] must not contain control characters (line breaks, tabs, escapes)"
        ),
    ])
    func reportsBadAdapterValues(line: String, message: String) {
        let text = "[[adapters.bilibili]]\n" + (line.hasPrefix("accounts") ? "" : "accounts = [\"1\"]\n") + line + "\n"
        let lineNumber = line.hasPrefix("accounts") ? 2 : 3
        #expect(problems(text) == ["conf/adapters.conf:\(lineNumber): \(message)"])
    }

    /// Curly or full-width quotes from an input method, and a value without quotes, give TOML's
    /// "could not determine value type" at a column: the message names the characters, or the
    /// key to quote, and never shows the value (it may be a secret written as a literal).
    @Test(arguments: [
        (
            "app_id = \u{201C}wx0123456789abcdef\u{201D}",
            "the line has \u{201C} (U+201C) and \u{201D} (U+201D), which TOML does not read as quotes: type "
                + "straight double quotes \" instead (a Chinese input method set to full-width punctuation, or a "
                + "word processor, types the others)"
        ),
        (
            "app_id = \u{FF02}wx0123456789abcdef\u{FF02}",
            "the line has \u{FF02} (U+FF02), which TOML does not read as quotes: type straight double quotes \" "
                + "instead (a Chinese input method set to full-width punctuation, or a word processor, types the others)"
        ),
        (
            "app_id = wx0123456789abcdef",
            "a text value needs straight double quotes around it: write app_id = \"…\""
        ),
    ])
    func namesLookalikeQuotesAndMissingQuotes(line: String, hint: String) throws {
        let text = "[[adapters.wechat]]\naccount = \"gh_1\"\n\(line)\napp_secret = \"${S}\"\n"
        let reported = problems(text, environment: ["S": "x"])
        #expect(reported.count == 1)
        let message = try #require(reported.first)
        #expect(message.hasPrefix("conf/adapters.conf:3: invalid TOML at column 10: "), "\(message)")
        #expect(message.hasSuffix("; " + hint), "\(message)")
        #expect(!message.contains("wx0123456789abcdef"))
    }

    @Test func syntaxErrorsWithoutACauseToNameKeepTOMLsMessage() {
        // A full-width equals sign: TOML's own message names it, and nothing is added.
        let reported = problems("[collector]\ndata_dir \u{FF1D} \"data\"\n")
        #expect(reported.count == 1)
        #expect(reported.first?.hasSuffix("saw '\u{FF1D}'") == true, "\(reported)")
    }

    @Test func reportsMissingRequiredKeysAtTheSectionHeader() {
        #expect(
            problems(
                """
                [[adapters.exec]]
                platform = "xiaohongshu"

                [[adapters.wechat]]
                account = "gh_1"
                app_id = "wx1"
                """
            ) == [
                "conf/adapters.conf:1: missing required key \"command\" in [[adapters.exec]]",
                "conf/adapters.conf:4: missing required key \"app_secret\" in [[adapters.wechat]]",
            ]
        )
    }

    @Test func reportsAMissingVariableByKeyAndNameOnly() {
        #expect(
            problems(specExample, environment: ["WECHAT_APPID": "wx0123456789"]) == [
                "conf/adapters.conf:21: \"app_secret\" in [[adapters.wechat]] uses the environment variable "
                    + "WECHAT_SECRET, which is not set; export it or write ${WECHAT_SECRET:-default}"
            ]
        )
    }

    @Test func reportsAnUnreadableSecretFileByKeyAndPath() {
        #expect(
            problems(
                """
                [[adapters.wechat]]
                account = "gh_1"
                app_id = "wx1"
                app_secret = "@file:secrets/wechat"
                """
            ) == [
                "conf/adapters.conf:4: \"app_secret\" in [[adapters.wechat]] reads @file:conf/secrets/wechat, "
                    + "which cannot be read: No such file or directory"
            ]
        )
    }

    @Test func reportsDuplicateInstanceNames() {
        #expect(
            problems(
                """
                [[adapters.bilibili]]
                accounts = ["1"]
                name = "bili"

                [[adapters.bilibili]]
                accounts = ["2"]
                name = "bili"
                """
            ) == [
                "conf/adapters.conf:7: the instance name \"bili\" is already used by the [[adapters.bilibili]] "
                    + "section at line 1; give each section its own \"name\""
            ]
        )
    }

    /// A `/` in a name becomes `_` in the state folder's file names: two such names would share
    /// one cursor (or credential) file.
    @Test func reportsInstanceNamesThatShareStateFiles() {
        #expect(
            problems(
                """
                [[adapters.bilibili]]
                accounts = ["1"]
                name = "bili/jinan"

                [[adapters.bilibili]]
                accounts = ["2"]
                name = "bili_jinan"
                """
            ) == [
                "conf/adapters.conf:7: the instance name \"bili_jinan\" names the same files in state_dir as"
                    + " \"bili/jinan\" (a / in a name becomes _ in file names: one would get the other's cursor or"
                    + " credentials) of the [[adapters.bilibili]] section at line 1; give each section its own"
                    + " \"name\""
            ]
        )
    }

    @Test func reportsEveryProblemTogetherInLineOrder() {
        #expect(
            problems(
                """
                [[adapters.bilibili]]
                acounts = ["1"]
                rate = "fast"

                [collector]
                concurrency = "many"
                timezone = "Mars/Olympus"

                [[adapters.wechat]]
                account = "gh_1"
                app_id = "${APP_ID}"
                app_secret = "${APP_SECRET:-}"

                [[adapters.nope]]
                """
            ) == [
                "conf/adapters.conf:1: missing required key \"accounts\" in [[adapters.bilibili]]",
                "conf/adapters.conf:2: unknown key \"acounts\" in [[adapters.bilibili]]; did you mean \"accounts\"?",
                "conf/adapters.conf:3: \"rate\" = \"fast\" in [[adapters.bilibili]] is not a rate; "
                    + "write N/s, N/m, N/h or N/d",
                "conf/adapters.conf:6: \"concurrency\" must be an integer, not a string",
                "conf/adapters.conf:7: \"timezone\" = \"Mars/Olympus\" is not an IANA timezone name; "
                    + "write a zone such as \"Asia/Shanghai\" or \"America/Chicago\" (the names are those of "
                    + "/usr/share/zoneinfo)",
                "conf/adapters.conf:11: \"app_id\" in [[adapters.wechat]] uses the environment variable APP_ID, "
                    + "which is not set; export it or write ${APP_ID:-default}",
                "conf/adapters.conf:14: unknown adapter type \"nope\" in [[adapters.nope]]; "
                    + "\"collector adapters\" lists the types",
            ]
        )
    }

    // MARK: - Secrets

    @Test func warnsAboutSecretsWrittenIntoTheFile() throws {
        let file = try parse(
            """
            [[adapters.wechat]]
            account = "gh_1"
            app_id = "wx1"
            app_secret = "plain-secret"
            """
        )
        #expect(
            file.warnings.map(\.description) == [
                "conf/adapters.conf:4: \"app_secret\" in [[adapters.wechat]] is a secret written into the "
                    + "configuration file; put secrets in the environment or a file: "
                    + "app_secret = \"${VARIABLE}\" or \"@file:PATH\""
            ]
        )
        #expect(!file.warnings.contains { $0.description.contains("plain-secret") })
    }

    @Test func neverEchoesValuesFromTheEnvironmentOrSecretKeys() {
        let found = problems(
            """
            [collector]
            interval = "${INTERVAL}"

            [[adapters.wechat]]
            account = "gh_1"
            app_id = "wx1"
            app_secret = 42
            """,
            environment: ["INTERVAL": "hunter2"]
        )
        #expect(
            found == [
                "conf/adapters.conf:2: \"interval\" from ${INTERVAL} is not a duration; write 30s, 5m, 6h or 1d",
                "conf/adapters.conf:7: \"app_secret\" in [[adapters.wechat]] must be a string, not an integer",
            ]
        )
        #expect(!found.joined().contains("hunter2"))
    }

    // MARK: - Files

    @Test func loadsAFileAndReadsSecretFilesNextToIt() throws {
        let directory = try TemporaryDirectory()
        try directory.write("from-file\n", to: "wechat.secret")
        // Readable by its owner only: no warning.
        #expect(chmod(directory.path("wechat.secret"), 0o600) == 0)
        try directory.write(
            """
            [[adapters.wechat]]
            account = "gh_1"
            app_id = "${APP_ID:-wx-default}"
            app_secret = "@file:wechat.secret"
            """,
            to: "adapters.conf"
        )
        let file = try ConfigurationFile.load(
            path: directory.path("adapters.conf"),
            environment: [:],
            adapterKeys: adapterKeys
        )
        #expect(file.sections.first?.values["app_secret"] == .string("from-file"))
        #expect(file.sections.first?.values["app_id"] == .string("wx-default"))
        #expect(file.sections.first?.baseDirectory == directory.path)
        #expect(file.warnings.isEmpty)
    }

    /// Blanks around a secret are never part of it, however it is given: a file with a blank
    /// before a CRLF, a variable exported with a trailing blank, a literal. An ordinary key's
    /// value from a file keeps its blanks but one trailing newline (as before).
    @Test(arguments: [
        ("@file:wechat.secret", [String: String]()),
        ("${WX_SECRET}", ["WX_SECRET": "  s3cret-value \t"]),
        ("\\ts3cret-value  ", [:]),
    ])
    func trimsTheBlanksAroundASecret(written: String, environment: [String: String]) throws {
        let directory = try TemporaryDirectory()
        #expect(chmod(try directory.write(" s3cret-value \r\n", to: "wechat.secret"), 0o600) == 0)
        try directory.write(" gh_1 \n", to: "account.txt")
        let path = try directory.write(
            "[[adapters.wechat]]\naccount = \"@file:account.txt\"\napp_id = \"wx1\"\napp_secret = \"\(written)\"\n",
            to: "adapters.conf"
        )
        let file = try ConfigurationFile.load(path: path, environment: environment, adapterKeys: adapterKeys)
        #expect(file.sections.first?.values["app_secret"] == .string("s3cret-value"))
        #expect(file.sections.first?.values["account"] == .string(" gh_1 "))
    }

    /// A secret `@file:` that every user may read draws a warning naming the key, the file and
    /// the fix; the value is still read (a refusal would break secret volumes). A group-readable
    /// file whose group is the collector's own (no other member listed) is no other user's.
    @Test(arguments: [(0o644, true), (0o604, true), (0o640, false), (0o440, false), (0o600, false)] as [(Int, Bool)])
    func warnsAboutASecretFileOthersCanRead(mode: Int, warns: Bool) throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("from-file\n", to: "wechat.secret")
        #expect(chmod(secret, mode_t(mode)) == 0)
        // The process's own group, as a Kubernetes `fsGroup` is the pod's.
        #expect(chown(secret, uid_t.max, getegid()) == 0)
        let path = try directory.write(
            "[[adapters.wechat]]\naccount = \"gh_1\"\napp_id = \"wx1\"\napp_secret = \"@file:wechat.secret\"\n",
            to: "adapters.conf"
        )
        let file = try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys)
        #expect(file.sections.first?.values["app_secret"] == .string("from-file"))
        let octal = "0" + String(mode, radix: 8)
        #expect(
            file.warnings.map(\.description)
                == (warns
                    ? [
                        "\(path):4: \"app_secret\" in [[adapters.wechat]] reads @file:\(secret), which every user can "
                            + "read (mode \(octal)); run chmod 600 \(secret), or chmod 640 with a group only the service "
                            + "user is in (a Kubernetes secret volume: defaultMode: 0440 and the pod's fsGroup)"
                    ] : [])
        )
    }

    /// A group-readable secret whose group the collector does not run in is readable by that
    /// group's members, other users: warned, naming the group. (Root alone may give a file to
    /// a group it is not in.)
    @Test(.enabled(if: geteuid() == 0)) func warnsAboutASecretFileOfAForeignGroup() throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("from-file\n", to: "wechat.secret")
        #expect(chmod(secret, 0o440) == 0)
        // A gid no group database lists and this process is not in.
        let foreign: gid_t = 54_321
        #expect(getegid() != foreign)
        #expect(chown(secret, 0, foreign) == 0)
        let path = try directory.write(
            "[[adapters.wechat]]\naccount = \"gh_1\"\napp_id = \"wx1\"\napp_secret = \"@file:wechat.secret\"\n",
            to: "adapters.conf"
        )
        let file = try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys)
        #expect(
            file.warnings.map(\.description) == [
                "\(path):4: \"app_secret\" in [[adapters.wechat]] reads @file:\(secret), which the group gid 54321 "
                    + "can read (mode 0440), a group the collector does not run in; run chmod 600 \(secret), or chmod "
                    + "640 with a group only the service user is in (a Kubernetes secret volume: defaultMode: 0440 and "
                    + "the pod's fsGroup)"
            ]
        )
    }

    /// Kubernetes mounts a secret as `key -> ..data/key`, a link that is always 0777: the mode
    /// that counts is the final target's. With `fsGroup` the kubelet makes the target
    /// root:fsGroup 0440 (`defaultMode: 0400` too), which the pod's user alone reads: no warning.
    @Test func judgesASecretFileByTheTargetOfItsLinks() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("from-file\n", to: "..data/token")
        #expect(symlink("..data/token", directory.path("token")) == 0)
        #expect(chown(target, uid_t.max, getegid()) == 0)
        let path = try directory.write(
            "[[adapters.wechat]]\naccount = \"gh_1\"\napp_id = \"wx1\"\napp_secret = \"@file:token\"\n",
            to: "adapters.conf"
        )
        #expect(chmod(target, 0o400) == 0)
        #expect(try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys).warnings.isEmpty)
        #expect(chmod(target, 0o440) == 0)
        #expect(try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys).warnings.isEmpty)
        #expect(chmod(target, 0o644) == 0)
        let warnings = try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys).warnings
        #expect(warnings.map(\.line) == [4])
        #expect(warnings.first?.message.contains("reads @file:\(directory.path("token")), which every user") == true)
    }

    /// Only secret keys are judged: a list of accounts in a world-readable file is fine.
    @Test func aReadableFileOfAnOrdinaryKeyDrawsNoWarning() throws {
        let directory = try TemporaryDirectory()
        let accounts = try directory.write("gh_1\n", to: "account.txt")
        #expect(chmod(accounts, 0o644) == 0)
        let secret = try directory.write("s\n", to: "wechat.secret")
        #expect(chmod(secret, 0o600) == 0)
        let path = try directory.write(
            "[[adapters.wechat]]\naccount = \"@file:account.txt\"\napp_id = \"wx1\"\n"
                + "app_secret = \"@file:wechat.secret\"\n",
            to: "adapters.conf"
        )
        #expect(try ConfigurationFile.load(path: path, environment: [:], adapterKeys: adapterKeys).warnings.isEmpty)
    }

    @Test func reportsAMissingConfigurationFile() {
        #expect(throws: ConfigurationErrors.self) {
            try ConfigurationFile.load(path: "/nonexistent/adapters.conf", environment: [:], adapterKeys: adapterKeys)
        }
        do {
            _ = try ConfigurationFile.load(path: "/nonexistent/adapters.conf", environment: [:], adapterKeys: [:])
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "/nonexistent/adapters.conf: cannot read the configuration file: No such file or directory"
                ]
            )
        }
    }
}

@Suite struct KeySuggestionTests {
    @Test(arguments: [
        ("acounts", "accounts", 1),
        ("acconuts", "accounts", 1),
        ("base_ulr", "base_url", 1),
        ("Interval", "interval", 0),
        ("timout", "timeout", 1),
        ("rate", "state_dir", 6),
        ("", "abc", 3),
    ])
    func measuresEditDistance(left: String, right: String, distance: Int) {
        #expect(KeySuggestion.editDistance(left, right) == distance)
        #expect(KeySuggestion.editDistance(right, left) == distance)
    }

    @Test func suggestsOnlyCloseCandidates() {
        #expect(KeySuggestion.nearest(to: "acounts", among: ["account", "accounts"]) == "accounts")
        #expect(KeySuggestion.nearest(to: "jiter", among: ["jitter", "filter"]) == "jitter")
        #expect(KeySuggestion.nearest(to: "ratee", among: ["rate", "name"]) == "rate")
        #expect(KeySuggestion.nearest(to: "workers", among: ["interval", "jitter"]) == nil)
        #expect(KeySuggestion.nearest(to: "ab", among: ["id"]) == nil)
        // Ties go to the earlier candidate.
        #expect(KeySuggestion.nearest(to: "rat", among: ["rant", "rate"]) == "rant")
        #expect(KeySuggestion.nearest(to: "rat", among: ["rate", "rant"]) == "rate")
    }
}
