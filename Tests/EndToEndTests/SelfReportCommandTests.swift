import CollectorTesting
import Foundation
import Testing

/// The units' self-report sheets through the real commands (docs/imports.md, "The self-report
/// sheet"): one unit's sheet cannot rewrite another unit's figures, a total that leaps is
/// refused, and `collector template` writes no live formula into the CSV it sends out.
@Suite(.serialized) struct SelfReportCommandTests {
    static let configuration = """
        [collector]
        data_dir = "data"
        state_dir = "state"
        registry = "accounts.csv"

        """

    static let registry = """
        unit,category,city,students,platform,account,name,main
        A校,high_school,济南,,wechat,gh_aaaa1111,A校公众号,yes
        B校,high_school,济南,,wechat,gh_bbbb2222,B校公众号,yes

        """

    static let header =
        "单位 unit,平台 platform,账号 account,名称 name,日期 date,粉丝总数 followers,发文总数 posts,当日阅读量 views,备注 notes\n"

    /// Unit A's own figures.
    static let sheetOfA = header + "A校,wechat,gh_aaaa1111,A校公众号,2025-03-07,50000,100,10,\n"

    /// The reviewer's sheet of unit B: its own row, then rows for A's account with the unit
    /// cell left empty, a fall of just under 20 % and a day of 9,999,999 followers.
    static let sheetOfB =
        header + "B校,wechat,gh_bbbb2222,B校公众号,2025-03-07,3000,10,5,\n"
        + ",wechat,gh_aaaa1111,,2025-03-07,40001,81,1,=cmd\n"
        + ",wechat,gh_aaaa1111,,2025-03-08,9999999,100,1,\n"

    private func workspaceWithAsFigures() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write("collector.conf", Self.configuration)
        try workspace.write("accounts.csv", Self.registry)
        try workspace.write("a.csv", Self.sheetOfA)
        try workspace.write("b.csv", Self.sheetOfB)
        let first = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "a.csv"],
            in: workspace.path
        )
        #expect(first.status == 0, "\(first.stderr)")
        return workspace
    }

    /// Imported as B's sheet (`--unit`), the sheet is refused whole, even with `-q`: every row
    /// of A's account is named with the file, the line and both units, and nothing is stored,
    /// not even B's own row.
    @Test func aUnitsSheetWithFiguresOfAnotherUnitIsRefusedWhole() throws {
        let workspace = try workspaceWithAsFigures()
        defer { workspace.remove() }
        let before = workspace.read("data/wechat/2025-03/main.csv")
        let result = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "--unit", "B校", "-q", "b.csv"],
            in: workspace.path
        )
        #expect(result.status == 1, "\(result.stderr)")
        for line in [3, 4] {
            #expect(
                result.stderr.contains(
                    "failed: import/b.csv [line \(line)]: otherUnit: wechat account \"gh_aaaa1111\" belongs to A校 in "
                        + "the account registry (line 2), not to B校, whose sheet this is (--unit); nothing of the file "
                        + "was imported"
                ),
                "\(result.stderr)"
            )
        }
        #expect(
            result.stderr.contains(
                "failed: import/b.csv: otherUnits: the sheet was imported as B校's (--unit), but 2 rows hold figures for accounts of "
                    + "other units (A校); nothing of the file was imported"
            ),
            "\(result.stderr)"
        )
        #expect(workspace.read("data/wechat/2025-03/main.csv") == before)

        // Refused whole, the file is not in the import ledger: B's corrected sheet, which still
        // lists A's account (the template lists every account) but without figures, imports.
        try workspace.write(
            "b2.csv",
            Self.header + "B校,wechat,gh_bbbb2222,B校公众号,2025-03-07,3000,10,5,\n"
                + "A校,wechat,gh_aaaa1111,A校公众号,2025-03-07,,,,\n"
        )
        let corrected = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "--unit", "B校", "-q", "b2.csv"],
            in: workspace.path
        )
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(corrected.stderr.isEmpty, "\(corrected.stderr)")
        let stored = workspace.read("data/wechat/2025-03/main.csv") ?? ""
        #expect(stored.contains("gh_bbbb2222,,followers,3000"), "\(stored)")
        #expect(!stored.contains("40001"))
    }

    /// Without `--unit` the sheet may hold several units' figures (a sheet filled centrally),
    /// and the summary says for how many; a total more than ten times the last stored one is
    /// refused (exit 1, also under `-q`), and `--max-rise` lets it through.
    @Test func aSheetOfSeveralUnitsSaysSoAndATenfoldRiseIsRefused() throws {
        let workspace = try workspaceWithAsFigures()
        defer { workspace.remove() }
        let result = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "-q", "b.csv"],
            in: workspace.path
        )
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "failed: import/b.csv [line 4]: rise: followers of wechat account \"gh_aaaa1111\" rose from 40001 on 2025-03-07 to 9999999 on "
                    + "2025-03-08, 249.9 times the earlier value, more than the 10× allowed (max_rise); the value was "
                    + "skipped: check it (a typo, another account's figure?), correct the sheet and import it again (if "
                    + "the figure is right, import with a larger --max-rise)"
            ),
            "\(result.stderr)"
        )
        #expect(
            result.stderr.contains(
                "notice: import/b.csv: severalUnits: the sheet holds figures for 2 units (B校 1 row, A校 2 rows), imported as a sheet "
                    + "filled for several units; if it came from one unit, import it with --unit UNIT"
            ),
            "\(result.stderr)"
        )
        #expect(!(workspace.read("data/wechat/2025-03/main.csv") ?? "").contains("9999999"))

        let allowed = try CLI.run(
            [
                "import", "--config", "collector.conf", "--platform", "any", "--max-rise", "300", "--again", "-q",
                "b.csv",
            ],
            in: workspace.path
        )
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect((workspace.read("data/wechat/2025-03/main.csv") ?? "").contains("gh_aaaa1111,,followers,9999999"))
    }

    @Test func aUnitTheRegistryDoesNotKnowIsAUsageError() throws {
        let workspace = try workspaceWithAsFigures()
        defer { workspace.remove() }
        let result = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "--unit", "C校", "b.csv"],
            in: workspace.path
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(
            result.stderr
                == "error: --unit C校: no account of the registry belongs to that unit; did you mean A校? write the "
                + "unit as the registry's unit column names it (2 units)\n"
        )
    }

    /// The template CSV goes out to the units and is opened in Excel: registry text that Excel
    /// would run as a formula gets a `'` in front, as in `report --format csv`; the filled
    /// sheet imports back without the `'`, so unit, account and name match the registry.
    @Test func theTemplateCSVHasNoLiveFormulaAndImportsBack() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("collector.conf", Self.configuration)
        try workspace.write(
            "accounts.csv",
            "unit,category,city,students,platform,account,name,main\n"
                + "\"=HYPERLINK(\"\"http://evil/\"\",\"\"A校\"\")\",high_school,济南,,wechat,-gh_a+1,@SUM(1+1),yes\n"
        )
        let template = try CLI.run(
            ["template", "--config", "collector.conf", "--date", "2025-03-08", "-o", "tpl.csv"],
            in: workspace.path
        )
        #expect(template.status == 0, "\(template.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.path + "/tpl.csv"))
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let row = "\"'=HYPERLINK(\"\"http://evil/\"\",\"\"A校\"\")\",微信公众号,'-gh_a+1,'@SUM(1+1),2025-03-08,,,,"
        #expect(lines.count == 4 && lines[2] == row, "\(lines)")

        try workspace.write(
            "filled.csv",
            lines.joined(separator: "\r\n").replacing(",2025-03-08,,,,", with: ",2025-03-08,1200,30,7,")
        )
        let imported = try CLI.run(
            ["import", "--config", "collector.conf", "--platform", "any", "filled.csv"],
            in: workspace.path
        )
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("notice"), "\(imported.stderr)")
        let stored = workspace.read("data/wechat/2025-03/main.csv") ?? ""
        #expect(stored.contains("wechat,-gh_a+1,,followers,1200"), "\(stored)")
    }

    /// The documented layout: the configuration and the registry in one folder, the commands
    /// run from the service's folder. Without a `registry` key, `template`, `report` and
    /// `import --platform any` advise the key, which is taken from the configuration's folder,
    /// and name the folders a relative path is looked up in; following the advice works from
    /// the service's folder, where `--registry accounts.csv` would not.
    @Test func theMissingRegistryAdviceWorksFromTheServiceFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("etc/adapters.conf", "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n")
        try workspace.write("etc/accounts.csv", Self.registry)
        try workspace.write("service/data/.keep", "")
        try workspace.write("service/filled.csv", Self.sheetOfA)
        let service = workspace.path + "/service"
        let environment = ["COLLECTOR_CONFIG": workspace.path + "/etc/adapters.conf"]
        let advice =
            "set registry = \"accounts.csv\" in [collector] of \(workspace.path)/etc/adapters.conf (a relative path is"
            + " taken from its folder, \(workspace.path)/etc), or pass --registry PATH (a relative PATH is taken from"
            + " the working directory, \(service))"
        let runs = [
            ("the template lists the registry's accounts: ", ["template", "-o", "tpl.csv"]),
            (
                "a report needs the account registry: ",
                ["report", "--rules", CLI.repositoryRoot + "/rules/shandong-2022-16.toml", "--period", "2025-03"]
            ),
            (
                "--platform any: self-report sheets are checked against the account registry; ",
                ["import", "--platform", "any", "filled.csv"]
            ),
        ]
        for (subject, arguments) in runs {
            let refused = try CLI.run(arguments, in: service, environment: environment)
            #expect(refused.status == 2)
            #expect(refused.stderr == "error: " + subject + advice + "\n")
        }
        try workspace.write(
            "etc/adapters.conf",
            "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\nregistry = \"accounts.csv\"\n"
        )
        let template = try CLI.run(["template", "-o", "tpl.csv"], in: service, environment: environment)
        #expect(template.status == 0, "\(template.stderr)")
        #expect(workspace.read("service/tpl.csv")?.contains("gh_aaaa1111") == true)
    }

    /// The documented layout with a `registry` key: README's `--registry accounts.csv`, run from
    /// the service's folder, does not read the registry beside the configuration. `template`,
    /// `report` and `import` read the option alike and say so: the absolute path looked at, the
    /// working directory it was taken from, and the configured registry that leaving the option
    /// out reads (it used to be `accounts.csv: cannot open the file: …` alone).
    @Test func aRegistryOptionThatCannotBeOpenedSaysWhereItLookedAndWhatToUse() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "etc/adapters.conf",
            "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\nregistry = \"accounts.csv\"\n"
        )
        try workspace.write("etc/accounts.csv", Self.registry)
        try workspace.write("service/data/.keep", "")
        try workspace.write("service/filled.csv", Self.sheetOfA)
        let service = workspace.path + "/service"
        let environment = ["COLLECTOR_CONFIG": workspace.path + "/etc/adapters.conf"]
        let expected =
            "\(service)/accounts.csv: cannot open the file: No such file or directory; --registry accounts.csv is"
            + " taken from the working directory (\(service)); leave --registry out to use the registry of"
            + " \(workspace.path)/etc/adapters.conf, \(workspace.path)/etc/accounts.csv"
        let rules = CLI.repositoryRoot + "/rules/shandong-2022-16.toml"
        let runs = [
            ["template", "-o", "tpl.csv"],
            ["report", "--rules", rules, "--period", "2025-03", "--as-of", "2025-04-01T10:00:00+08:00"],
            ["import", "--platform", "any", "filled.csv"],
        ]
        for arguments in runs {
            let refused = try CLI.run(
                [arguments[0], "--registry", "accounts.csv"] + arguments.dropFirst(),
                in: service,
                environment: environment
            )
            #expect(refused.status == 2)
            #expect(refused.stderr.contains(expected), "\(arguments[0]): \(refused.stderr)")
            // Without the option, the configured registry is read from the service's folder.
            let configured = try CLI.run(arguments, in: service, environment: environment)
            #expect(configured.status == 0, "\(arguments[0]): \(configured.stderr)")
        }

        // Without a `registry` key, the message advises one, which reads from any folder.
        try workspace.write("etc/adapters.conf", "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\n")
        let unconfigured = try CLI.run(
            ["template", "--registry", "accounts.csv", "-o", "tpl.csv"],
            in: service,
            environment: environment
        )
        #expect(unconfigured.status == 2)
        #expect(
            unconfigured.stderr.contains(
                "(\(service)); to read the registry from any folder, set registry = \"accounts.csv\" in [collector] of"
                    + " \(workspace.path)/etc/adapters.conf (a relative path is taken from its folder,"
                    + " \(workspace.path)/etc) and leave --registry out"
            ),
            "\(unconfigured.stderr)"
        )

        // A configured registry that cannot be opened: `report` names the key's line, as `check` does.
        try workspace.write(
            "etc/adapters.conf",
            "[collector]\ndata_dir = \"data\"\nstate_dir = \"state\"\nregistry = \"missing.csv\"\n"
        )
        let missing = try CLI.run(
            ["report", "--rules", rules, "--period", "2025-03"],
            in: service,
            environment: environment
        )
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains(
                "\(workspace.path)/etc/adapters.conf:4: [collector] registry = \"missing.csv\""
                    + " (\(workspace.path)/etc/missing.csv): cannot open the file"
            ),
            "\(missing.stderr)"
        )
    }
}
