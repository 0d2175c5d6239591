import Collector
import CollectorTesting
import Testing

struct AccountRegistryTests {
    private static func fixture(_ name: String) -> String {
        let folder = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/Fixtures/registry/" + name
    }

    private static func errors(_ name: String) -> [String] {
        do {
            _ = try AccountRegistry.load(path: fixture(name))
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
