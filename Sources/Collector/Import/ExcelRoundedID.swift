/// An id that Excel rewrote in scientific notation: `5.13999E+15` for the 16-digit 微博ID
/// `5139990000000001`. Excel keeps 15 significant digits and shows a long number that way, and
/// a sheet saved from it keeps what it shows, so the id is lost: two posts may then share one
/// (docs/file-format.md, "Excel"). An import refuses such an id rather than merge contents or
/// accounts under it.
package enum ExcelRoundedID {
    /// Whether `cell` (trimmed) is a number in Excel's scientific notation: digits, an optional
    /// fraction, `E+` (or `e+`) and digits. The `+` is what Excel writes and what no platform's
    /// id holds, so a hexadecimal id such as `5e12` is no match.
    package static func matches(_ cell: String) -> Bool {
        // Checked for every id cell of an import: an id with no `+` (nearly all) costs no copy.
        guard cell.utf8.contains(UInt8(ascii: "+")) else { return false }
        let bytes = Array(cell.utf8)
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
            e > 0, e + 2 < bytes.count, bytes[e + 1] == UInt8(ascii: "+"),
            bytes[(e + 2)...].allSatisfy(isDigit)
        else { return false }
        let mantissa = bytes[..<e]
        let parts = mantissa.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
    }

    /// Why `cell` is refused, and what to do.
    package static func reason(_ cell: String) -> String {
        "\"\(cell)\" is an id Excel rounded into scientific notation (it keeps 15 digits), which can no longer "
            + "tell contents or accounts apart; import the original download, not a copy saved by Excel (to edit it in "
            + "Excel, open it with Data > From Text/CSV and set the column to Text; docs/file-format.md, \"Excel\")"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
