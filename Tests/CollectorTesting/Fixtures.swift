import Foundation

/// Paths of the fixture folders under `Tests/`, found from this file's own path (`#filePath`),
/// so tests need neither `Bundle.module` nor a working directory.
public enum Fixtures {
    /// The repository's `Tests` folder.
    public static let testsDirectory: String = {
        // This file is Tests/CollectorTesting/Fixtures.swift: drop two components.
        var path = Substring(#filePath)
        for _ in 0..<2 {
            guard let slash = path.lastIndex(of: "/") else { break }
            path = path[..<slash]
        }
        return String(path)
    }()

    /// `Tests/<relative>`.
    public static func path(_ relative: String) -> String {
        "\(testsDirectory)/\(relative)"
    }

    /// `Tests/CollectorTests/Fixtures`.
    public static var collectorTests: String { path("CollectorTests/Fixtures") }

    /// `Tests/AdaptersTests/Fixtures`.
    public static var adaptersTests: String { path("AdaptersTests/Fixtures") }

    /// `Tests/CollectorTests/Fixtures/simulator`: the fixture tree the HTTP tests serve.
    public static var simulator: String { path("CollectorTests/Fixtures/simulator") }

    /// The bytes of the file at `absolutePath`.
    public static func bytes(_ absolutePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: absolutePath)))
    }
}
