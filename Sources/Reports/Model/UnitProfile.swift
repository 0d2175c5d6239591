public import Collector

/// A unit of the registry with the values rules select on, and its registry rows.
public struct UnitProfile: Sendable, Hashable {
    /// The unit's name (registry `unit`).
    public var name: String
    /// Its SPEC §6 category (from its first registry row).
    public var category: String
    /// Its city.
    public var city: String
    /// Its enrolment, when given.
    public var students: Int?
    /// Its registry rows, in file order.
    public var entries: [RegistryEntry]

    /// Creates a profile.
    public init(name: String, category: String, city: String, students: Int?, entries: [RegistryEntry]) {
        self.name = name
        self.category = category
        self.city = city
        self.students = students
        self.entries = entries
    }

    /// Its main accounts (`main = yes`), in file order.
    public var mainAccounts: [RegistryEntry] { entries.filter(\.main) }

    /// The units of `registry`, in order of first appearance; category, city and enrolment come
    /// from a unit's first row (the first non-empty enrolment).
    public static func units(of registry: AccountRegistry) -> [UnitProfile] {
        var order: [String] = []
        var byName: [String: UnitProfile] = [:]
        for entry in registry.entries {
            if var unit = byName[entry.unit] {
                unit.entries.append(entry)
                if unit.students == nil { unit.students = entry.students }
                byName[entry.unit] = unit
            } else {
                order.append(entry.unit)
                byName[entry.unit] = UnitProfile(
                    name: entry.unit,
                    category: entry.category,
                    city: entry.city,
                    students: entry.students,
                    entries: [entry]
                )
            }
        }
        return order.compactMap { byName[$0] }
    }
}
