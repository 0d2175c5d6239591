import Collector
import Foundation

/// Reads the golden fixture set: SPEC §3 sample files, objects.csv and accounts.csv, with a
/// small RFC 4180 reader of its own (the product's readers live in other targets).
enum FixtureReader {
    /// `Tests/ReportsTests/Fixtures`, found from this file's path (no bundle resources).
    static let fixtures: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path + "/Fixtures"
    }()

    /// The repository root (for the shipped `rules/` files).
    static let repository: String = {
        var path = fixtures
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path
    }()

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ReadError(description: "cannot read \(path)")
        }
        return text
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// Rows as dictionaries keyed by the header.
    static func table(_ path: String) throws -> [[String: String]] {
        let records = records(try text(path))
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func registry(_ path: String) throws -> AccountRegistry {
        let rows = try table(path)
        return AccountRegistry(
            entries: rows.enumerated().map { index, row in
                RegistryEntry(
                    unit: row["unit"] ?? "",
                    category: row["category"] ?? "",
                    city: row["city"] ?? "",
                    students: row["students"].flatMap { Int($0) },
                    platform: Platform(rawValue: row["platform"] ?? ""),
                    account: row["account"] ?? "",
                    name: row["name"] ?? "",
                    main: row["main"] == "yes",
                    line: index + 2
                )
            }
        )
    }

    /// Every `data/<platform>/<YYYY-MM>/*.csv`, files in path order, rows in file order.
    static func samples(under data: String) throws -> [Sample] {
        var samples: [Sample] = []
        for file in try files(under: data).filter({ !$0.hasSuffix("/objects.csv") }) {
            for row in try table(file) {
                guard let time = PlatformCalendar.parseRFC3339(row["time"] ?? ""),
                    let value = SampleValue(parsing: row["value"] ?? ""),
                    let quality = Quality(rawValue: row["quality"] ?? ""),
                    let source = Source(rawValue: row["source"] ?? "")
                else { throw ReadError(description: "bad sample row in \(file): \(row)") }
                samples.append(
                    Sample(
                        time: time,
                        platform: Platform(rawValue: row["platform"] ?? ""),
                        account: row["account"] ?? "",
                        object: row["object"] ?? "",
                        metric: MetricName(rawValue: row["metric"] ?? ""),
                        value: value,
                        quality: quality,
                        source: source
                    )
                )
            }
        }
        return samples
    }

    /// Every `data/<platform>/objects.csv`.
    static func objects(under data: String) throws -> [ContentObject] {
        var objects: [ContentObject] = []
        for file in try files(under: data) where file.hasSuffix("/objects.csv") {
            let platform = Platform(rawValue: String(file.split(separator: "/").dropLast().last ?? ""))
            for row in try table(file) {
                let published = row["published_at"].flatMap { $0.isEmpty ? nil : PlatformCalendar.parseRFC3339($0) }
                objects.append(
                    ContentObject(
                        platform: platform,
                        object: row["object"] ?? "",
                        account: row["account"] ?? "",
                        publishedAt: published,
                        title: row["title"] ?? "",
                        url: row["url"] ?? ""
                    )
                )
            }
        }
        return objects
    }

    private static func files(under root: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw ReadError(description: "cannot list \(root)")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".csv") { files.append(root + "/" + relative) }
        }
        return files.sorted()
    }
}
