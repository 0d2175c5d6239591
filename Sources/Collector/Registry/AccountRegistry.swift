/// The account registry `accounts.csv` (SPEC §6): which unit owns which account, its category,
/// city and enrolment, and whether it is the unit's main account on that platform.
public struct AccountRegistry: Sendable {
    /// The rows, in file order.
    public var entries: [RegistryEntry]

    /// Creates a registry from rows.
    public init(entries: [RegistryEntry]) {
        self.entries = entries
    }

    /// The account ids registered for `platform`, in file order, without repeats.
    public func accounts(for platform: Platform) -> [String] {
        var seen = Set<String>()
        return entries.filter { $0.platform == platform && seen.insert($0.account).inserted }.map(\.account)
    }
}

/// One row of `accounts.csv`.
public struct RegistryEntry: Sendable, Hashable {
    /// The unit (school, bureau) that owns the account.
    public var unit: String
    /// `city_bureau`, `county_bureau`, `undergraduate`, `vocational`, `high_school`,
    /// `middle_school`, `primary_school` or `other`.
    public var category: String
    /// The city, without the 市 suffix.
    public var city: String
    /// Enrolment as the unit reports it, when given.
    public var students: Int?
    /// The platform.
    public var platform: Platform
    /// The platform's account id.
    public var account: String
    /// The account's display name.
    public var name: String
    /// Whether this is the unit's main account on the platform.
    public var main: Bool
    /// The line in the file, for errors.
    public var line: Int

    /// Creates a row.
    public init(
        unit: String,
        category: String,
        city: String,
        students: Int?,
        platform: Platform,
        account: String,
        name: String,
        main: Bool,
        line: Int
    ) {
        self.unit = unit
        self.category = category
        self.city = city
        self.students = students
        self.platform = platform
        self.account = account
        self.name = name
        self.main = main
        self.line = line
    }

    /// The categories SPEC §6 allows.
    public static let categories: Set<String> = [
        "city_bureau", "county_bureau", "undergraduate", "vocational", "high_school", "middle_school",
        "primary_school", "other",
    ]
}
