#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The system's tz database (`TZDIR`, else `/usr/share/zoneinfo`): the zone names it has, and
/// the zone each of its aliases stands for.
///
/// Foundation's list of zone names (`TimeZone.knownTimeZoneIdentifiers`) is ICU's selection:
/// it leaves out current names such as `Asia/Kolkata` and the tz database's aliases such as
/// `Asia/Saigon`, which Foundation nevertheless reads correctly. The tz database on the
/// machine is what an operator checks a name against (`ls /usr/share/zoneinfo/Asia`), so a
/// name it has is a zone name too.
package struct SystemZoneDatabase: Sendable {
    /// The folder of the compiled zone files.
    package let directory: String

    /// The machine's database: `TZDIR` when set (as the C library reads it), else
    /// `/usr/share/zoneinfo`.
    package static let system: SystemZoneDatabase = {
        if let value = getenv("TZDIR"), value.pointee != 0 {
            return SystemZoneDatabase(directory: String(cString: value))
        }
        return SystemZoneDatabase(directory: "/usr/share/zoneinfo")
    }()

    /// A database in `directory`.
    package init(directory: String) {
        self.directory = directory
    }

    /// Whether `name` is a zone of the database: a well-formed name (`Asia/Kolkata`,
    /// `America/Argentina/Buenos_Aires`, `Etc/GMT-8`) whose file is a compiled zone (it starts
    /// with `TZif`). The `posix/` and `right/` copies are not names of their own: `right/`
    /// zones count leap seconds, which would shift every time by 27 seconds.
    package func hasZone(_ name: String) -> Bool {
        guard Self.isWellFormed(name) else { return false }
        let descriptor = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4) }
        return count == 4 && magic == Array("TZif".utf8)
    }

    /// The names `tzdata.zi` lists (zones and aliases), and for each alias the zone it links to
    /// (`Japan` → `Asia/Tokyo`, `Asia/Saigon` → `Asia/Ho_Chi_Minh`). Empty when the database
    /// has no `tzdata.zi`: then only ``hasZone(_:)`` knows its names.
    package func listing() -> (names: [String], links: [String: String]) {
        guard let bytes = try? FileSystem.readFileIfPresent(directory + "/tzdata.zi") else { return ([], [:]) }
        var names: [String] = []
        var links: [String: String] = [:]
        // `Z Asia/Kolkata 5:53:28 - LMT 1854 Jun 28`, `L Asia/Tokyo Japan` (target, then alias).
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard line.count > 2, line[line.startIndex + 1] == UInt8(ascii: " ") else { continue }
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3)
            switch line.first {
            case UInt8(ascii: "Z") where fields.count >= 2:
                names.append(String(decoding: fields[1], as: UTF8.self))
            case UInt8(ascii: "L") where fields.count >= 3:
                let alias = String(decoding: fields[2], as: UTF8.self)
                names.append(alias)
                links[alias] = String(decoding: fields[1], as: UTF8.self)
            default:
                continue
            }
        }
        return (names, links)
    }

    /// Letters, digits, `_`, `-` and `+` in `/`-separated parts, none empty or starting with a
    /// dot, and not in the `posix/` or `right/` folders: nothing that could leave the folder.
    private static func isWellFormed(_ name: String) -> Bool {
        let parts = name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard name.utf8.count <= 128, let first = parts.first,
            !first.elementsEqual("posix".utf8), !first.elementsEqual("right".utf8)
        else { return false }
        return parts.allSatisfy { part in
            guard let head = part.first, head != UInt8(ascii: ".") else { return false }
            return part.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            }
        }
    }
}
