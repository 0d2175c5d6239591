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

    /// Whether `id` may be what Excel left of a longer number: 16 or more digits, the first not
    /// 0, and none after the 15th other than 0 (Excel keeps 15 significant digits and writes the
    /// rest as zeros: `5139990000000000`). An id of 15 digits or fewer, one with anything but
    /// digits, one with a leading 0 (Excel drops those) or with a digit other than 0 after the
    /// 15th is as the platform or a person wrote it.
    package static func mayBeRounded(_ id: String) -> Bool {
        let digits = id.utf8
        guard digits.count >= 16, digits.first != UInt8(ascii: "0"), digits.allSatisfy(isDigit) else { return false }
        return digits.dropFirst(15).allSatisfy { $0 == UInt8(ascii: "0") }
    }

    /// Why `cell` is refused, and what to do: `advice` is ``exportAdvice`` for a back-office
    /// export, ``selfReportAdvice`` for the self-report sheet.
    package static func reason(_ cell: String, advice: String = exportAdvice) -> String {
        "\"\(cell)\" is an id Excel rounded into scientific notation (it keeps 15 digits), which can no longer "
            + "tell contents or accounts apart; " + advice
    }

    /// What to do with an export whose ids Excel rounded: the download itself still has them.
    package static let exportAdvice =
        "import the original download, not a copy saved by Excel (to edit it in Excel, open it with Data > From "
        + "Text/CSV (数据 → 从文本/CSV) and set the column to Text; docs/file-format.md, \"Excel\")"

    /// What to do with a self-report sheet whose account ids Excel rounded: a unit filled it in,
    /// so there is no original to import, and the ids must be typed again as text.
    package static let selfReportAdvice =
        "type the account id again as text (the registry has it): fill in the .xlsx template, whose account column "
        + "is text, or in the CSV type the id with a leading apostrophe ('3493000000000001) or set the column to Text "
        + "first (Format Cells > Text, 设置单元格格式 → 文本); docs/imports.md, \"The self-report sheet\""

    /// Why the registry's account cell `cell` is refused, and what to do.
    package static func registryReason(_ cell: String) -> String {
        "\"account\" is \"\(cell)\", an id Excel rounded into scientific notation (it keeps 15 significant digits), "
            + "so the account's id is lost and two accounts may share it: " + registryAdvice
    }

    /// How to put the registry's long ids back.
    package static let registryAdvice =
        "copy the ids again from the platforms or an earlier copy of the registry, and keep them as text (in Excel, "
        + "set the account column to Text before typing or pasting: Format Cells > Text, 设置单元格格式 → 文本, then "
        + "File > Save As > CSV UTF-8, 文件 → 另存为 → CSV UTF-8; or edit the file in a text editor)"

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
