package import Collector

/// The caps under which ``XLSXTable`` unpacks the parts of a workbook (docs/imports.md,
/// "Size limits of .xlsx files").
///
/// An `.xlsx` file is a ZIP archive, and units send self-report sheets in from outside: a
/// 1.5 MB file can hold a part that inflates to gigabytes. Each part's ZIP entry declares its
/// unpacked size; a part is refused before a byte is inflated when that size is above its cap,
/// or above ``ratio`` times the part's packed size (genuine sheets pack 5 to 20 times; a ZIP
/// bomb of repeated bytes about 1,000 times). The declared size is not trusted alone:
/// ``XLSXTable`` counts the bytes as they are inflated and stops at it.
///
/// The standard caps leave room for a genuine export of Excel's maximum of 1,048,576 rows: a
/// sheet part of about 2 KB a row (some 40 text columns; a 16-column export is about 0.9 KB a
/// row), and a shared-string table of a million distinct titles.
package struct XLSXLimits: Sendable, Hashable {
    /// The most a part read whole into memory (workbook, relationships, styles, shared strings)
    /// may unpack to.
    package var part: UInt64
    /// The most the sheet part may unpack to (into a temporary file when it is large).
    package var sheet: UInt64
    /// The most a part may unpack to per byte packed, above ``ratioFloor``.
    package var ratio: UInt64
    /// Parts that unpack to at most this many bytes are not held to ``ratio`` (a short part of
    /// repeated tags packs tightly and is harmless).
    package var ratioFloor: UInt64

    /// Creates caps.
    package init(part: UInt64, sheet: UInt64, ratio: UInt64, ratioFloor: UInt64) {
        self.part = part
        self.sheet = sheet
        self.ratio = ratio
        self.ratioFloor = ratioFloor
    }

    /// The caps of every import: 256 MiB a part in memory, 2 GiB a sheet part, 100 : 1 above 1 MiB.
    package static let standard = XLSXLimits(part: 256 << 20, sheet: 2 << 30, ratio: 100, ratioFloor: 1 << 20)

    /// Where a part goes when it is unpacked.
    package enum Destination: Sendable {
        /// Read whole into memory.
        case memory
        /// The sheet, scanned from memory or from a temporary file.
        case sheet
    }

    /// The declared unpacked size of `part`, once it passes the cap of `destination` and the
    /// ratio; the caller stops inflating beyond it.
    ///
    /// - Throws: ``ImportError/oversizedPart(_:_:)`` naming `file`, the part and the cap or ratio.
    package func checked(
        part: String,
        declared: UInt64,
        packed: UInt64,
        destination: Destination,
        file: String
    ) throws(ImportError) -> UInt64 {
        let cap = destination == .memory ? self.part : sheet
        if declared > cap {
            let place = destination == .memory ? "into memory" : "from one sheet"
            throw ImportError.oversizedPart(
                file,
                "the .xlsx part \(part) unpacks to \(Self.describe(declared)), more than the \(Self.describe(cap)) "
                    + "the collector unpacks \(place)"
            )
        }
        if declared > ratioFloor, declared / max(packed, 1) > ratio {
            throw ImportError.oversizedPart(
                file,
                "the .xlsx part \(part) would unpack to \(Self.describe(declared)) from \(Self.describe(packed)), "
                    + "more than \(ratio) times its packed size, which no genuine workbook reaches: "
                    + "the file looks like a ZIP bomb"
            )
        }
        return declared
    }

    /// What an error says of a part that unpacks to more than its entry declares.
    package static func overflowDetail(_ part: String, declared: UInt64) -> String {
        "the .xlsx part \(part) unpacks to more than the \(describe(declared)) its ZIP entry declares"
    }

    /// `2 GiB`, `1.5 GiB`, `256 MiB`, `64 KiB`, `100 bytes`.
    package static func describe(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            // In doubles: a crafted entry may declare up to 2^64 - 1 bytes.
            let tenths = Int((Double(bytes) / Double(size) * 10).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10) \(unit)" : "\(tenths / 10).\(tenths % 10) \(unit)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}
