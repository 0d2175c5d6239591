import Collector
import Reports
import Testing

/// A broken rules file and the first problem it must report.
struct BrokenRules: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var expected: String

    var testDescription: String { name }
}

/// Three lines, so the first `[[rules]]` after it is on line 4.
private let header = """
    source = "test"
    deadline = 2023-12-31T23:59:59+08:00
    # rules

    """

let brokenRules: [BrokenRules] = [
    BrokenRules(
        name: "unknown key with the nearest one",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"city_bureau\"\nkind = \"target\"\nop = \">=\"\nthreshold = 1\ntreshold = 2\n",
        expected: "t.toml:10: unknown key \"treshold\" in [[rules]] #1 (A); did you mean \"threshold\"?"
    ),
    BrokenRules(
        name: "wrong type",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"city_bureau\"\nkind = \"target\"\nop = \">=\"\nthreshold = \"100万\"\n",
        expected: "t.toml:9: \"threshold\" must be an integer, found string"
    ),
    BrokenRules(
        name: "unknown category",
        text: header + "[[rules]]\nid = \"A\"\ncategory = \"city_burau\"\nkind = \"info\"\n",
        expected:
            "t.toml:6: unknown category \"city_burau\" in [[rules]] #1 (A); did you mean \"city_bureau\"? (one of any, "
            + "city_bureau, county_bureau, high_school, middle_school, other, primary_school, undergraduate, vocational)"
    ),
    BrokenRules(
        name: "missing id",
        text: header + "[[rules]]\ncategory = \"any\"\nkind = \"info\"\n",
        expected: "t.toml:4: [[rules]] #1 has no \"id\"; add one such as id = \"SD16-BUR-A\""
    ),
    BrokenRules(
        name: "target without a threshold",
        text: header + "[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"target\"\nop = \">=\"\n",
        expected: "t.toml:4: [[rules]] #1 (A) is a target but has no \"threshold\""
    ),
    BrokenRules(
        name: "unknown operator",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"undergraduate\"\nstudents = { op = \"=>\", value = 20000 }\nkind = \"info\"\n",
        expected: "t.toml:7: unknown op \"=>\" in \"students\" (one of >=, >, <=, <, ==, ≥, ≤)"
    ),
    BrokenRules(
        name: "duplicate id",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
        expected: "t.toml:10: rule id \"A\" is used twice (first at line 5); give each rule its own id"
    ),
    BrokenRules(
        name: "unknown wci variant",
        text: header
            + "[index]\nwci_variant = \"clasic\"\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
        expected:
            "t.toml:5: unknown wci_variant \"clasic\"; did you mean \"classic\"? (one of classic, shares, v2, oap)"
    ),
    BrokenRules(
        name: "weight of the wrong type",
        text: header
            + "[index.platform_weights]\nwechat = \"0.3\"\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
        expected: "t.toml:5: \"wechat\" must be a number, found string"
    ),
    BrokenRules(
        name: "effective dates backwards",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\neffective_from = 2024-01-01\neffective_to = 2023-01-01\n",
        expected: "t.toml:9: [[rules]] #1 (A) ends (2023-01-01) before it starts (2024-01-01)"
    ),
    BrokenRules(
        name: "deadline without offset",
        text:
            "source = \"x\"\ndeadline = 2023-12-31T23:59:59\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
        expected: "t.toml:2: deadline has no offset; write 2023-12-31T23:59:59+08:00, or a plain date"
    ),
    BrokenRules(
        name: "unknown top-level key",
        text: header + "regoin = \"山东\"\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
        expected: "t.toml:4: unknown key \"regoin\" in the top level; did you mean \"region\"?"
    ),
    BrokenRules(
        name: "key inside a students sub-table",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"vocational\"\nkind = \"info\"\n[rules.students]\nop = \">=\"\nvalu = 3\n",
        expected: "t.toml:10: unknown key \"valu\" in \"students\"; did you mean \"value\"?"
    ),
    BrokenRules(
        name: "key after a multi-line array",
        text: header
            + "[[rules]]\nid = \"A\"\ncategory = \"city_bureau\"\ncity_in = [\n  \"临沂\",\n  \"a = b\",\n]\nkind = \"info\"\nlable = \"x\"\n",
        expected: "t.toml:12: unknown key \"lable\" in [[rules]] #1 (A); did you mean \"label\"?"
    ),
    BrokenRules(
        name: "syntax error",
        text: header + "[[rules]]\nid = \"A\nkind = \"info\"\n",
        expected: "t.toml:5:"
    ),
    BrokenRules(
        name: "no rules",
        text: header,
        expected: "t.toml: the rules file has no [[rules]]; add at least one"
    ),
]

struct RuleSetTests {
    @Test func parsesTheShippedShandongRules() throws {
        let rules = try TestData.shandong()
        #expect(rules.source == "鲁教办函〔2022〕16号 (2022-11-01)")
        #expect(rules.deadline?.date(in: TestData.calendar) == CivilDate(year: 2023, month: 12, day: 31))
        #expect(
            rules.rules.map(\.id) == [
                "SD16-BUR-A", "SD16-BUR-B", "SD16-UNI-A", "SD16-UNI-B", "SD16-VOC-A", "SD16-VOC-B", "SD16-SCH-HS",
                "SD16-SCH-MS", "SD16-SCH-PS", "SD16-HIT", "SD16-MEDIA",
            ]
        )
        #expect(
            rules.rules.map(\.threshold) == [
                1_000_000, 800_000, 100_000, 80000, 60000, 50000, 80000, 50000, 30000, nil, 2,
            ]
        )
        let burA = rules.rules[0]
        #expect(burA.cities == ["临沂", "青岛", "潍坊", "济南", "菏泽", "济宁"])
        #expect(!(burA.cities ?? []).contains("烟台"))
        #expect(rules.rules[1].cities?.contains("烟台") == true)
        #expect(rules.rules[2].students == Rule.StudentSelector(comparison: .atLeast, value: 20000))
        #expect(rules.rules[6].kind == .reportThreshold)
        #expect(rules.rules[9].kind == .info)
        #expect(rules.rules[10].input == .manual)
        #expect(rules.rules.allSatisfy { $0.effectiveFrom == CivilDate(year: 2022, month: 11, day: 1) })
        #expect(
            rules.index.platformWeights.map(\.platform) == [.wechat, .douyin, .weibo, .bilibili, .kuaishou, .toutiao]
        )
        #expect(rules.index.platformWeights.map(\.weight) == [0.30, 0.25, 0.15, 0.10, 0.10, 0.10])
        #expect(rules.index.wciVariant == .classic)
    }

    @Test func theFixtureRulesAreTheShippedRules() throws {
        var shipped = try TestData.shandong()
        var fixture = try RuleSet.load(path: FixtureReader.fixtures + "/rules.toml")
        shipped.path = ""
        fixture.path = ""
        #expect(shipped == fixture)
    }

    @Test(arguments: brokenRules)
    func reportsTheProblemWithItsLine(_ broken: BrokenRules) {
        #expect {
            _ = try RuleSet.parse(text: broken.text, path: "t.toml")
        } throws: { error in
            guard let error = error as? ReportError else { return false }
            return error.problems.contains {
                broken.expected.hasSuffix(":")
                    ? $0.description.hasPrefix(broken.expected) : $0.description == broken.expected
            }
        }
    }

    @Test func reportsEveryProblemNotJustTheFirst() throws {
        let text = header + "[[rules]]\nid = \"A\"\ncategory = \"nope\"\nkind = \"maybe\"\nfoo = 1\n"
        let error = try #require(throws: ReportError.self) { try RuleSet.parse(text: text, path: "t.toml") }
        #expect(error.problems.map(\.line) == [6, 7, 8])
        #expect(error.description.split(separator: "\n").count == 3)
    }

    @Test func aMissingFileNamesThePath() {
        #expect {
            _ = try RuleSet.load(path: "/nonexistent/rules.toml")
        } throws: { error in
            (error as? ReportError)?.description
                == "/nonexistent/rules.toml: the rules file does not exist; check the path, or name a rule set "
                + "built into collector: shandong-2022-16"
        }
    }

    /// Each built-in rule set is the checkout's `rules/` file of its name, validated: the
    /// embedded copy is a link to that file (Package.swift), not a second copy to keep in step.
    @Test func theBuiltInRuleSetsAreTheRulesFolderFiles() throws {
        let folder = FixtureReader.repository + "/rules"
        #expect(RuleSet.builtInNames == ["shandong-2022-16"])
        for name in RuleSet.builtInNames {
            var builtIn = try #require(try RuleSet.builtIn(named: name))
            let file = try RuleSet.load(path: folder + "/" + name + ".toml")
            #expect(builtIn.path == name + " (built in)")
            builtIn.path = file.path
            #expect(builtIn == file)
        }
        #expect(try RuleSet.builtIn(named: "rules/shandong-2022-16.toml") == nil)
    }

    @Test func selectorsMatchCityStudentsAndCategory() {
        let rule = Rule(
            id: "X",
            category: "undergraduate",
            cities: ["济南"],
            students: Rule.StudentSelector(comparison: .atLeast, value: 20000),
            kind: .target
        )
        #expect(rule.selects(category: "undergraduate", city: "济南市", students: 20000))
        #expect(!rule.selects(category: "undergraduate", city: "济南", students: 19999))
        #expect(!rule.selects(category: "undergraduate", city: "济南", students: nil))
        #expect(!rule.selects(category: "vocational", city: "济南", students: 30000))
        #expect(!rule.selects(category: "undergraduate", city: "青岛", students: 30000))
        #expect(Rule.normalizedCity(" 烟台市 ") == "烟台")
        #expect(Rule.normalizedCity("市") == "市")
    }

    @Test func aDateDeadlineEndsThatDay() throws {
        let rules = try RuleSet.parse(
            text: "source = \"x\"\ndeadline = 2023-12-31\n[[rules]]\nid = \"A\"\ncategory = \"any\"\nkind = \"info\"\n",
            path: "t.toml"
        )
        #expect(rules.deadline == .day(CivilDate(year: 2023, month: 12, day: 31)!))
    }
}
