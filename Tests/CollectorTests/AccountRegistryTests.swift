import Collector
import CollectorTesting
import Testing

struct AccountRegistryTests {
    private static func fixture(_ name: String) -> String {
        let folder = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/Fixtures/registry/" + name
    }

    private static func errors(_ name: String) -> [String] {
        errors(at: fixture(name))
    }

    private static func errors(at path: String) -> [String] {
        do {
            _ = try AccountRegistry.load(path: path)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func trimsSpacesIncludingFullWidthAndNoBreakOnesAroundCells() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "unit,category,city,students,platform,account,name,main\n"
                + "\u{3000}济南市教育局\u{3000}, city_bureau ,\t济南\u{A0},1\u{2009},bilibili, 208259 ,济南 教育,yes\n",
            to: "accounts.csv"
        )
        let entry = try #require(try AccountRegistry.load(path: file).entries.first)
        #expect(entry.unit == "济南市教育局")
        #expect(entry.category == "city_bureau")
        #expect(entry.city == "济南")
        #expect(entry.students == 1)
        #expect(entry.account == "208259")
        #expect(entry.name == "济南 教育", "inner spaces stay")
        #expect(entry.main)
    }

    @Test func loadsEveryRowWithItsLine() throws {
        let registry = try AccountRegistry.load(path: Self.fixture("accounts.csv"))
        #expect(
            registry.entries == [
                RegistryEntry(
                    unit: "济南市教育局",
                    category: "city_bureau",
                    city: "济南",
                    students: nil,
                    platform: .wechat,
                    account: "gh_0123456789ab",
                    name: "济南教育发布",
                    main: true,
                    line: 2
                ),
                RegistryEntry(
                    unit: "济南市教育局",
                    category: "city_bureau",
                    city: "济南",
                    students: nil,
                    platform: .weibo,
                    account: "1234567890",
                    name: "济南教育",
                    main: true,
                    line: 3
                ),
                RegistryEntry(
                    unit: "山东大学",
                    category: "undergraduate",
                    city: "济南",
                    students: 61000,
                    platform: .bilibili,
                    account: "208259",
                    name: "山东大学",
                    main: true,
                    line: 5
                ),
                RegistryEntry(
                    unit: "山东大学",
                    category: "undergraduate",
                    city: "济南",
                    students: 61000,
                    platform: .bilibili,
                    account: "546195",
                    name: "山大青年",
                    main: false,
                    line: 6
                ),
                RegistryEntry(
                    unit: "历城第二中学",
                    category: "high_school",
                    city: "济南",
                    students: 4200,
                    platform: .wechat,
                    account: "gh_abcdef012345",
                    name: "历城二中, 官方",
                    main: false,
                    line: 7
                ),
                RegistryEntry(
                    unit: "历城第二中学",
                    category: "high_school",
                    city: "济南",
                    students: 4200,
                    platform: Platform(rawValue: "xiaohongshu"),
                    account: "5f1e0a",
                    name: "历城二中",
                    main: true,
                    line: 8
                ),
            ]
        )
        #expect(registry.accounts(for: .wechat) == ["gh_0123456789ab", "gh_abcdef012345"])
    }

    @Test func reportsEveryBadRowWithFileAndLine() {
        let file = Self.fixture("accounts_bad.csv")
        let categories =
            "city_bureau, county_bureau, high_school, middle_school, other, primary_school, undergraduate, vocational"
        #expect(
            Self.errors("accounts_bad.csv") == [
                "\(file):3: unknown category \"university\"; use one of: \(categories)",
                "\(file):4: \"students\" is \"many\", not a whole number; leave it empty when unknown",
                "\(file):5: \"WeChat\" is not a platform name; write it in lower case: \"wechat\"",
                "\(file):6: \"main\" is \"maybe\"; write yes or no",
                "\(file):7: wechat account \"gh_1\" is already listed on line 2",
                "\(file):8: \"unit\" is empty",
                "\(file):8: \"account\" is empty",
            ]
        )
    }

    @Test func refusesIdsExcelRoundedAndSaysSoOfTwoThatBecameOne() throws {
        let folder = try TemporaryDirectory(prefix: "registry-excel")
        let header = "unit,category,city,students,platform,account,name,main\n"
        let scientific = try folder.write(
            header + "兰山区教育体育局,county_bureau,临沂,,bilibili,3.493E+15,兰山教育B站,yes\n",
            to: "sci.csv"
        )
        let advice =
            "copy the ids again from the platforms or an earlier copy of the registry, and keep them as text (in "
            + "Excel, set the account column to Text before typing or pasting: Format Cells > Text, 设置单元格格式 → 文本, "
            + "then File > Save As > CSV UTF-8, 文件 → 另存为 → CSV UTF-8; or edit the file in a text editor)"
        #expect(
            Self.errors(at: scientific) == [
                "\(scientific):2: \"account\" is \"3.493E+15\", an id Excel rounded into scientific notation (it keeps "
                    + "15 significant digits), so the account's id is lost and two accounts may share it: " + advice
            ]
        )
        let number = try folder.write(
            header + "甲,county_bureau,临沂,,bilibili,3493000000000000,甲B站,yes\n"
                + "甲,county_bureau,临沂,,bilibili,3493000000000000,甲B站二号,no\n",
            to: "num.csv"
        )
        #expect(
            Self.errors(at: number) == [
                "\(number):3: bilibili account \"3493000000000000\" is already listed on line 2 (if the registry was "
                    + "saved by Excel, it rounded both ids to 15 significant digits: " + advice + ")"
            ]
        )
    }

    /// A row typed with full-width commas (U+FF0C, a Chinese input method in full-width mode)
    /// is one cell: one error that names the commas, not three about empty columns.
    @Test func aRowWithFullWidthCommasIsNamedForThem() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "unit,category,city,students,platform,account,name,main\n"
                + "济南市教育局，city_bureau，济南，，wechat，gh_0123456789ab，济南教育发布，yes\n",
            to: "accounts.csv"
        )
        let errors = Self.errors(at: file)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("\(file):2: the row has 1 of the header's 8 columns") == true)
        #expect(errors.first?.contains("full-width commas (U+FF0C") == true)
        #expect(errors.first?.contains("replace them with ASCII commas (,)") == true)
    }

    @Test func namesTheMissingColumns() {
        let file = Self.fixture("accounts_missing_columns.csv")
        #expect(
            Self.errors("accounts_missing_columns.csv") == [
                "\(file):1: the header lacks \"students\", \"main\"; it must name the columns "
                    + "unit,category,city,students,platform,account,name,main"
            ]
        )
    }

    @Test func reportsAnUnreadableFile() {
        #expect(
            Self.errors("no_such_registry.csv") == [
                "\(Self.fixture("no_such_registry.csv")): cannot open the file: No such file or directory"
            ]
        )
    }
}
