/// Step 1 and Step 2 of COUNTS_AND_TARGETS.md §1.2, shared by counts and measures.
///
/// Done by hand on Unicode scalars instead of Foundation's NFKC: only the compatibility forms
/// that occur in display numbers matter, and this runs for millions of export cells.
enum DisplayText {
    /// Step 1.1, 1.2 and 1.4: full-width ASCII (digits, `＋`, `，`, `．`, `％`, letters) becomes
    /// ASCII, every kind of space disappears (ends and inside), Latin letters become lower case.
    static func normalizedScalars(_ raw: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x09...0x0D, 0x20, 0xA0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF:
                // Tabs, line ends, spaces, NBSP, the en/em/thin/hair spaces, zero-width space,
                // narrow NBSP, ideographic space and a stray BOM from a spreadsheet cell.
                continue
            case 0xFF01...0xFF5E:
                // The full-width block mirrors U+0021…U+007E at a fixed offset (what NFKC does).
                scalars.append(lowercased(UInt8(truncatingIfNeeded: value - 0xFEE0)))
            case 0x41...0x5A:
                scalars.append(lowercased(UInt8(truncatingIfNeeded: value)))
            default:
                scalars.append(scalar)
            }
        }
        return scalars
    }

    /// Step 2: the placeholders that mean "no value" (never zero), compared after Step 1.
    /// `——` (two em dashes) is the usual Chinese spelling of the dash and is added to the list.
    static func isMissing(_ scalars: [Unicode.Scalar]) -> Bool {
        missingForms.contains(scalars)
    }

    private static let missingForms: Set<[Unicode.Scalar]> = Set(
        ["", "-", "--", "—", "——", "暂无", "null", "n/a"].map { Array($0.unicodeScalars) }
    )

    /// An ASCII byte as a scalar, upper-case Latin letters lowered.
    private static func lowercased(_ byte: UInt8) -> Unicode.Scalar {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? Unicode.Scalar(byte + 0x20) : Unicode.Scalar(byte)
    }

    /// The digit value of an ASCII digit scalar.
    static func digit(_ scalar: Unicode.Scalar) -> Int64? {
        let value = scalar.value
        guard value >= 0x30 && value <= 0x39 else { return nil }
        return Int64(value - 0x30)
    }

    /// `"1e4"`, quoted and escaped for a one-line error message (`\n`, `\"`), and cut at 64
    /// scalars so a stray page of HTML cannot flood the log.
    static func quoted(_ raw: String) -> String {
        let limit = 64
        var text = "\""
        for (index, scalar) in raw.unicodeScalars.enumerated() {
            guard index < limit else {
                text += "…"
                break
            }
            // An apostrophe is shown as it is: `escaped` would write `\'`, a backslash the
            // cell does not hold.
            text += scalar == "'" ? "'" : scalar.escaped(asASCII: false)
        }
        return text + "\""
    }
}
