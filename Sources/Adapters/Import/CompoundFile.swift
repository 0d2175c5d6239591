#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The directory of an OLE compound file (MS-CFB, the `D0 CF 11 E0` container): an old binary
/// `.xls` workbook is one, and so is a password-protected `.xlsx`, whose encrypted workbook sits
/// in an `EncryptedPackage` stream beside `EncryptionInfo` (MS-OFFCRYPTO). Only the directory is
/// read, to tell the two apart, so that the operator is told what to do with each.
package enum CompoundFile {
    /// Whether the compound file at `path` holds an `EncryptedPackage` stream: a workbook (or
    /// another Office document) encrypted with a password. False when the directory cannot be
    /// read.
    package static func isEncryptedPackage(path: String) -> Bool {
        entryNames(path: path)?.contains("EncryptedPackage") == true
    }

    /// The names of the directory entries (root, storages, streams) of the compound file at
    /// `path`, or nil when its header or directory cannot be read.
    package static func entryNames(path: String) -> [String]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let header = read(fd, at: 0, count: 512), header.count == 512 else { return nil }
        let sectorShift = Int(uint16(header, at: 30))
        // Version 3 files have 512-byte sectors, version 4 ones 4096-byte sectors.
        guard sectorShift == 9 || sectorShift == 12 else { return nil }
        let sectorSize = 1 << sectorShift
        // The FAT sectors the header lists (109 of them): up to 6.8 MB of file with 512-byte
        // sectors, far more than a directory of a few entries needs to be found.
        let fatSectors = (0..<109).map { uint32(header, at: 76 + 4 * $0) }.filter { $0 < 0xFFFF_FFFA }
        func nextSector(_ sector: UInt32) -> UInt32? {
            let perSector = sectorSize / 4
            let index = Int(sector) / perSector
            guard index < fatSectors.count,
                let fat = read(fd, at: (Int(fatSectors[index]) + 1) << sectorShift, count: sectorSize),
                fat.count == sectorSize
            else { return nil }
            return uint32(fat, at: 4 * (Int(sector) % perSector))
        }
        var names: [String] = []
        var sector = uint32(header, at: 48)
        var visited = 0
        // 0xFFFFFFFE ends the chain; a chain longer than the file's sectors loops.
        while sector < 0xFFFF_FFFA, visited < 4096 {
            visited += 1
            guard let entries = read(fd, at: (Int(sector) + 1) << sectorShift, count: sectorSize),
                entries.count == sectorSize
            else { return nil }
            for start in stride(from: 0, to: sectorSize, by: 128) {
                // The name's length in bytes, its UTF-16 terminator included; 0 for an unused entry.
                let length = Int(uint16(entries, at: start + 64))
                guard length >= 2, length <= 64 else { continue }
                let units = (0..<(length / 2 - 1)).map { uint16(entries, at: start + 2 * $0) }
                names.append(String(decoding: units, as: UTF16.self))
            }
            guard let next = nextSector(sector) else { return names }
            sector = next
        }
        return names
    }

    private static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            // `bytes` holds `count` > 0 bytes.
            let got = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[0..<filled])
    }

    private static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(uint16(bytes, at: offset)) | UInt32(uint16(bytes, at: offset + 2)) << 16
    }
}
