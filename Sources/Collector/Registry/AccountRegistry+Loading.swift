extension AccountRegistry {
    /// The columns of `accounts.csv` (SPEC §6), in the documented order.
    package static let columns = ["unit", "category", "city", "students", "platform", "account", "name", "main"]

    /// Loads the account registry `accounts.csv` (SPEC §6):
    /// `unit,category,city,students,platform,account,name,main`.
    ///
    /// The header row names the columns (in any order; further columns are ignored). The file
    /// may be UTF-8 (with or without BOM), UTF-16 or GB18030, as spreadsheets save it. Cells are
    /// trimmed. `students` may be empty; `main` is `yes` or `no` (any case; empty means `no`).
    ///
    /// - Throws: every problem found, each with the file and line: unreadable file, missing
    ///   column, unknown category, bad platform name, `students` not a whole number, `main` not
    ///   yes/no, empty unit or account, a platform and account listed twice.
    public static func load(path: String) throws(ConfigurationErrors) -> AccountRegistry {
        var errors: [ConfigurationError] = []
        func fail(_ line: Int?, _ message: String) {
            errors.append(ConfigurationError(file: path, line: line, message: message))
        }
        var entries: [RegistryEntry] = []
        do {
            var table = try CSVTable(path: path)
            var header: TableRow?
            while let row = try table.nextRow() {
                if !row.isBlank {
                    header = row
                    break
                }
            }
            guard let header else {
                throw ConfigurationErrors([
                    ConfigurationError(
                        file: path,
                        line: nil,
                        message: "the registry is empty; its first line must be " + columns.joined(separator: ",")
                    )
                ])
            }
            let names = header.cells.map { $0.trimmingWhitespace.lowercased() }
            var index: [String: Int] = [:]
            for (position, name) in names.enumerated() where columns.contains(name) {
                if index[name] != nil {
                    fail(header.number, "column \"\(name)\" appears twice in the header")
                } else {
                    index[name] = position
                }
            }
            let missing = columns.filter { index[$0] == nil }
            guard missing.isEmpty else {
                fail(
                    header.number,
                    "the header lacks " + missing.map { "\"\($0)\"" }.joined(separator: ", ")
                        + "; it must name the columns " + columns.joined(separator: ",")
                )
                throw ConfigurationErrors(errors)
            }
            // Each column's position, in the order of `columns`: looked up once, not per cell.
            let positions = columns.map { index[$0] ?? 0 }
            var seen: [String: Int] = [:]
            while let row = try table.nextRow() {
                if row.isBlank { continue }
                if let entry = entry(from: row, positions: positions, seen: &seen, fail: fail) {
                    entries.append(entry)
                }
            }
        } catch let error as ImportError {
            errors.append(ConfigurationError(file: path, line: error.line, message: error.message))
        } catch let error as ConfigurationErrors {
            throw error
        } catch {
            fail(nil, "\(error)")
        }
        guard errors.isEmpty else { throw ConfigurationErrors(errors) }
        return AccountRegistry(entries: entries)
    }

    /// One entry, or nil after reporting what is wrong with the row.
    private static func entry(
        from row: TableRow,
        positions: [Int],
        seen: inout [String: Int],
        fail: (Int?, String) -> Void
    ) -> RegistryEntry? {
        func cell(_ name: String) -> String {
            // `columns` has eight names: a scan is cheaper than hashing the name.
            let column = columns.firstIndex(of: name) ?? 0
            return row[cell: positions[column]].trimmingWhitespace
        }
        let line = row.number
        // A row typed with a Chinese input method in full-width mode is one cell holding
        // `，` (U+FF0C): one error that says so, not three about the columns it seems to lack.
        let columnsNeeded = (positions.max() ?? 0) + 1
        if row.cells.count < columnsNeeded, row.cells.contains(where: { $0.contains("\u{FF0C}") }) {
            fail(
                line,
                "the row has \(row.cells.count) of the header's \(columnsNeeded) columns because its cells are "
                    + "separated by full-width commas (U+FF0C ，, as a Chinese input method types them in "
                    + "full-width mode); replace them with ASCII commas (,)"
            )
            return nil
        }
        var valid = true
        func problem(_ message: String) {
            fail(line, message)
            valid = false
        }

        let unit = cell("unit")
        if unit.isEmpty { problem("\"unit\" is empty") }
        let category = cell("category")
        if !RegistryEntry.categories.contains(category) {
            problem(
                "unknown category \"\(category)\"; use one of: "
                    + RegistryEntry.categories.sorted().joined(separator: ", ")
            )
        }
        var students: Int?
        let studentsText = cell("students")
        if !studentsText.isEmpty {
            if let number = Int(studentsText.filter { $0 != "," }), number >= 0 {
                students = number
            } else {
                problem("\"students\" is \"\(studentsText)\", not a whole number; leave it empty when unknown")
            }
        }
        let platformName = cell("platform")
        if !Platform.isValidName(platformName) {
            let lower = platformName.lowercased()
            let hint =
                Platform.isValidName(lower)
                ? "write it in lower case: \"\(lower)\""
                : "use lower-case letters, digits and _, e.g. "
                    + Platform.builtIn.map(\.rawValue).joined(separator: ", ")
            problem("\"\(platformName)\" is not a platform name; \(hint)")
        }
        let account = cell("account")
        if account.isEmpty { problem("\"account\" is empty") }
        // A registry kept in Excel and saved again: its long ids come back as `3.493E+15`.
        if ExcelRoundedID.matches(account) { problem(ExcelRoundedID.registryReason(account)) }
        let mainText = cell("main").lowercased()
        let main: Bool
        switch mainText {
        case "yes": main = true
        case "no", "": main = false
        default:
            main = false
            problem("\"main\" is \"\(cell("main"))\"; write yes or no")
        }
        if !account.isEmpty && Platform.isValidName(platformName) {
            let key = platformName + "\u{0}" + account
            if let first = seen[key] {
                // Two accounts Excel rounded to one number look alike: say so for a long number.
                let rounded =
                    account.utf8.count >= 16 && account.utf8.allSatisfy { (48...57).contains($0) }
                    ? " (if the registry was saved by Excel, it rounded both ids to 15 significant digits: "
                        + ExcelRoundedID.registryAdvice + ")"
                    : ""
                problem("\(platformName) account \"\(account)\" is already listed on line \(first)" + rounded)
            } else {
                seen[key] = line
            }
        }
        guard valid else { return nil }
        return RegistryEntry(
            unit: unit,
            category: category,
            city: cell("city"),
            students: students,
            platform: Platform(rawValue: platformName),
            account: account,
            name: cell("name"),
            main: main,
            line: line
        )
    }
}

extension String {
    /// The text without surrounding white space (spaces, tabs, line breaks, U+3000, NBSP).
    fileprivate var trimmingWhitespace: String {
        // Most cells start and end with a printable ASCII byte: nothing to trim, and no Unicode
        // property lookup per character (a registry may hold 100,000 rows of 8 cells).
        let utf8 = self.utf8
        if let head = utf8.first, let tail = utf8.last, (0x21...0x7E).contains(head), (0x21...0x7E).contains(tail) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isWhiteSpace($0) }),
            let last = scalars.lastIndex(where: { !Self.isWhiteSpace($0) })
        else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }

    /// Unicode's White_Space property, spelled out: the property lookup of the standard library
    /// costs more than the whole comparison.
    private static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
