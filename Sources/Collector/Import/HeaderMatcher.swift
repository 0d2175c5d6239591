/// Finds the header row of an export file and the kind it belongs to (PLATFORMS.md §1.8:
/// "the header row is not always row 1").
///
/// The first ``searchDepth`` rows are tried in order; the first one that has every required
/// column of a kind (under any of its names), and at least two of its columns (a title cell
/// that happens to name one column is no header), is the header; the kind with the most
/// columns present wins when several match. A row that has one of a kind's
/// ``ExportKind/absentColumns`` is not of that kind, whatever else it has. Names are compared after removing all white space
/// (line breaks inside a header cell included), turning full-width brackets into ASCII ones and
/// lower-casing Latin letters; a trailing unit such as `(人)` may be left out (what it means for
/// the column's numbers, `播放量(万)`, is ``HeaderUnit``'s to say, from ``MatchedHeader/cells``).
package enum HeaderMatcher {
    /// How many rows above the header a file may have (titles, export ranges, notes).
    package static let searchDepth = 30

    /// Reads rows from `table` until the header of one of `kinds` is found; the table is then
    /// positioned on the first row after the header.
    ///
    /// - Throws: ``ImportError/empty(_:)`` for a file with no rows, ``ImportError/unknownKind(_:platform:headersFound:kinds:)``
    ///   when no kind matches, ``ImportError/kindMismatch(_:kind:missing:unexpected:headersFound:)`` when
    ///   `kinds` holds just the kind asked for with `--kind` and it does not match, and
    ///   ``ImportError/twoRowHeader(_:upper:lower:kind:requested:)`` (labelled as one of those)
    ///   when two rows would match a kind as one: a header of two rows.
    package static func match(
        _ table: inout some Table,
        kinds: [ExportKind],
        platform: Platform,
        requested: Bool = false
    ) throws(ImportError) -> MatchedHeader {
        var rows: [TableRow] = []
        while rows.count < searchDepth, let row = try table.nextRow() {
            if row.isBlank { continue }
            rows.append(row)
            let normalized = row.cells.map(normalize)
            var best: MatchedHeader?
            for kind in kinds {
                guard let columns = columns(of: kind, in: normalized) else { continue }
                if let current = best, current.columns.count >= columns.count { continue }
                best = MatchedHeader(
                    kind: kind,
                    line: row.number,
                    cells: row.cells,
                    columns: columns,
                    preamble: Array(rows.dropLast())
                )
            }
            if let best { return best }
        }
        guard !rows.isEmpty else { throw ImportError.empty(table.name) }
        if let (upper, lower, kind) = twoRowHeader(in: rows, kinds: kinds) {
            throw ImportError.twoRowHeader(
                table.name,
                upper: upper,
                lower: lower,
                kind: kind.name,
                requested: requested
            )
        }
        let found = likelyHeader(in: rows)
        // A file that ends inside the rows searched, with no line end, was likeliest cut short
        // inside its header: that, not the encoding, is what to say (a cut UTF-8 character).
        let cutLine = (table as? CSVTable)?.unterminatedLine
        // With one kind to match (the one asked for, or the only one: `--platform any`), name
        // what is missing from the row that comes closest.
        let closest = kinds.count == 1 ? closestRow(in: rows, to: kinds[0]) : nil
        if requested, let kind = kinds.first {
            let cells = (closest ?? rows[0]).cells
            throw ImportError.kindMismatch(
                table.name,
                kind: kind,
                missing: missingColumns(of: kind, in: cells),
                unexpected: absent(of: kind, in: cells.map(normalize)),
                headersFound: found,
                cutShortAt: cutLine
            )
        }
        throw ImportError.unknownKind(
            table.name,
            platform: platform,
            headersFound: found,
            kinds: kinds,
            missing: closest.map { missingColumns(of: kinds[0], in: $0.cells) } ?? [],
            readAsGB18030: (table as? CSVTable)?.encoding == .gb18030,
            cutShortAt: cutLine
        )
    }

    /// The row of `rows` that has the most columns of `kind`.
    private static func closestRow(in rows: [TableRow], to kind: ExportKind) -> TableRow? {
        rows.max { present(of: kind, in: $0) < present(of: kind, in: $1) }
    }

    /// The required columns of `kind` that the header row `cells` lacks, named for the one who
    /// reads it: in the sheet's language (a sheet with Chinese headers reads `日期 (date)`, the
    /// column's first Chinese name with its canonical one, when that is not Chinese), with a
    /// header that looks like the column but is not it (`账号 (account; 账号名称 is read as the
    /// name)`: a header that holds one of the column's names but is another column's, or none).
    package static func missingColumns(of kind: ExportKind, in cells: [String]) -> [String] {
        let normalized = cells.map(normalize)
        let chineseSheet = cells.contains(where: hasHan)
        return kind.columns.filter { $0.isRequired && index(of: $0, in: normalized) == nil }.map { column in
            var text = column.name
            var notes: [String] = []
            if chineseSheet, !hasHan(column.name),
                let chinese = column.aliases.first(where: { hasHan($0) && !$0.contains { $0.isASCII && $0.isLetter } })
            {
                text = chinese
                notes.append(column.name)
            }
            let names = column.allNames.map(normalize).filter { $0.count >= 2 }
            for (cell, reduced) in zip(cells, normalized) where !reduced.isEmpty && !names.contains(reduced) {
                guard names.contains(where: { reduced.contains($0) }) else { continue }
                if let other = kind.columns.first(where: { index(of: $0, in: [reduced]) != nil }) {
                    notes.append("\(cell.trimmingSpaces) is read as the \(other.name)")
                } else {
                    notes.append("\(cell.trimmingSpaces) is not one of its names")
                }
            }
            return notes.isEmpty ? text : "\(text) (\(notes.joined(separator: "; ")))"
        }
    }

    /// Whether `text` has a Han character (a Chinese header).
    private static func hasHan(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }

    /// The cell indices of `kind`'s columns in a normalised header row, or nil when a required
    /// column is missing or an absent column is there.
    package static func columns(of kind: ExportKind, in normalizedCells: [String]) -> [String: Int]? {
        if !absent(of: kind, in: normalizedCells).isEmpty { return nil }
        var columns: [String: Int] = [:]
        for column in kind.columns {
            if let index = index(of: column, in: normalizedCells) {
                columns[column.name] = index
            } else if column.isRequired {
                return nil
            }
        }
        return columns.count >= min(2, kind.columns.count) ? columns : nil
    }

    /// `header` reduced for comparison: no white space, ASCII brackets, lower-case Latin letters.
    package static func normalize(_ header: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in header.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000, 0xFEFF, 0x200B: continue
            case 0xFF08: scalars.append("(")
            case 0xFF09: scalars.append(")")
            case 0x41...0x5A: scalars.append(Unicode.Scalar(scalar.value + 0x20)!)  // A–Z: always a scalar
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The absent columns of `kind` that a normalised header row has, as the kind names them.
    package static func absent(of kind: ExportKind, in cells: [String]) -> [String] {
        kind.absentColumns.filter { index(of: ExportColumn($0), in: cells) != nil }
    }

    /// Each of `column`'s names that a normalised header row has, in the column's order, with
    /// its cell: more than one when a file has two headers of one column (the first is read).
    package static func namesPresent(of column: ExportColumn, in cells: [String]) -> [(name: String, cell: Int)] {
        var found: [(name: String, cell: Int)] = []
        for name in column.allNames {
            guard let index = index(of: ExportColumn(name), in: cells), !found.contains(where: { $0.cell == index })
            else { continue }
            found.append((name, index))
        }
        return found
    }

    private static func index(of column: ExportColumn, in cells: [String]) -> Int? {
        for name in column.allNames {
            let wanted = normalize(name)
            if let index = cells.firstIndex(of: wanted) { return index }
            if let index = cells.firstIndex(where: { withoutUnit($0) == wanted }) { return index }
        }
        return nil
    }

    /// `新关注人数(人)` → `新关注人数`.
    private static func withoutUnit(_ cell: String) -> String? {
        guard cell.hasSuffix(")"), let open = cell.lastIndex(of: "("), open != cell.startIndex else { return nil }
        return String(cell[..<open])
    }

    private static func present(of kind: ExportKind, in row: TableRow) -> Int {
        let cells = row.cells.map(normalize)
        return kind.columns.count { index(of: $0, in: cells) != nil }
    }

    /// The filled cells of the row that most looks like a header, for messages: the first with
    /// the most text cells (``isText(_:)``), so that a data row, which has more cells than a
    /// header of group labels, is not shown as the headers; the first with the most cells when
    /// no row has text.
    private static func likelyHeader(in rows: [TableRow]) -> [String] {
        var best: [String] = []
        var bestText = 0
        for row in rows {
            let cells = filled(row)
            let text = cells.count(where: isText)
            if text > bestText || (bestText == 0 && cells.count > best.count) {
                best = cells
                bestText = text
            }
        }
        return best
    }

    /// Two rows, one under the other, that together hold the header of one of `kinds` (the
    /// kind with the most columns): group labels merged above the column names (`基础数据` over
    /// 播放量 and 完播率), with the names that span both rows (作品名称) in the upper one. Each
    /// row has two text cells or more; a cell of the lower row wins over the one above it.
    private static func twoRowHeader(in rows: [TableRow], kinds: [ExportKind]) -> (TableRow, TableRow, ExportKind)? {
        for (upper, lower) in zip(rows, rows.dropFirst()) where lower.number == upper.number + 1 {
            guard filled(upper).count(where: isText) >= 2, filled(lower).count(where: isText) >= 2 else { continue }
            let merged = (0..<max(upper.cells.count, lower.cells.count)).map { index in
                let below = index < lower.cells.count ? lower.cells[index] : ""
                return below.allSatisfy(\.isWhitespace) && index < upper.cells.count ? upper.cells[index] : below
            }
            .map(normalize)
            let matches = kinds.compactMap { kind in columns(of: kind, in: merged).map { (kind, $0.count) } }
            if let best = matches.max(by: { $0.1 < $1.1 }) { return (upper, lower, best.0) }
        }
        return nil
    }

    /// The cells of `row` that are not blank, line breaks as spaces.
    private static func filled(_ row: TableRow) -> [String] {
        row.cells.map { $0.replacing("\n", with: " ") }.filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Whether `cell` is text, as a header's cells are: it has a letter (Han characters
    /// included) and is no count, date or duration (`1.2万`, `2025年3月4日`, `1分23秒` have letters).
    private static func isText(_ cell: String) -> Bool {
        guard cell.contains(where: \.isLetter) else { return false }
        if case .count = CountString.parse(cell) { return false }
        if DateTimeCell(cell) != nil { return false }
        if case .value = MeasureString.seconds(cell) { return false }
        return true
    }
}
