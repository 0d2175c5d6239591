import Foundation

/// A fresh directory under the system's temporary folder, removed with everything in it by
/// ``remove()`` or when the object goes away.
///
/// ```swift
/// let directory = try TemporaryDirectory()
/// try directory.write("a,b\n", to: "data/x.csv")
/// ```
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory.
    ///
    /// - Parameter prefix: The start of the directory's name, to tell tests apart.
    /// - Throws: `CocoaError` when the temporary folder is not writable.
    public init(prefix: String = "collector-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: base])
        }
        path = String(cString: created)
    }

    deinit {
        remove()
    }

    /// `<path>/<relative>`.
    public func path(_ relative: String) -> String {
        "\(path)/\(relative)"
    }

    /// Writes `text` as UTF-8 to `relative`, creating the folders on the way.
    ///
    /// - Returns: The file's absolute path.
    @discardableResult
    public func write(_ text: String, to relative: String) throws -> String {
        try write(Array(text.utf8), to: relative)
    }

    /// Writes `bytes` to `relative`, creating the folders on the way.
    ///
    /// - Returns: The file's absolute path.
    @discardableResult
    public func write(_ bytes: [UInt8], to relative: String) throws -> String {
        let file = path(relative)
        let folder = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The bytes of `relative`.
    public func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// Creates `relative` and its parents.
    ///
    /// - Returns: The folder's absolute path.
    @discardableResult
    public func createDirectory(_ relative: String) throws -> String {
        let folder = path(relative)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes the directory and its contents; idempotent.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
