import Foundation

/// Runs the built `collector` and `platform-simulator` executables as an operator would.
enum CLI {
    /// The folder holding the test bundle, where SwiftPM also puts the executables.
    static let binDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return (executable as NSString).deletingLastPathComponent
    }()

    /// The repository root, for samples/.
    static let repositoryRoot: String = {
        var path = "\(#filePath)"
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `collector` with `arguments` in `directory` and waits for it.
    /// - Parameter user: Runs it as this user id (and group id of the same number) through
    ///   `setpriv`, which takes root: see ``otherUsersCanRun``.
    static func run(
        _ arguments: [String],
        in directory: String,
        environment: [String: String] = [:],
        executable: String = "collector",
        user: UInt32? = nil
    ) throws -> Result {
        let process = try start(arguments, in: directory, environment: environment, executable: executable, user: user)
        let stdout = process.standardOutput as! Pipe
        let stderr = process.standardError as! Pipe
        // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Starts `collector` (or another executable) without waiting.
    static func start(
        _ arguments: [String],
        in directory: String,
        environment: [String: String] = [:],
        executable: String = "collector",
        user: UInt32? = nil
    ) throws -> Process {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments =
                ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binDirectory + "/" + executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binDirectory + "/" + executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var merged = ProcessInfo.processInfo.environment
        merged["COLLECTOR_CONFIG"] = nil
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    /// util-linux's `setpriv`, which runs a program as another user.
    static let setpriv = "/usr/bin/setpriv"

    /// Whether the tests may run `collector` as another user (`user:` of ``run(_:in:environment:executable:user:)``):
    /// they run as root, `setpriv` is there, and every user may reach and run the executables
    /// (every folder above them has `o+x`).
    static let otherUsersCanRun: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) else { return false }
        var path = binDirectory + "/collector"
        while !path.isEmpty && path != "/" {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let mode = attributes[.posixPermissions] as? Int, mode & 0o001 != 0
            else { return false }
            path = (path as NSString).deletingLastPathComponent
        }
        return true
    }()

    /// Starts `platform-simulator` on `fixtures` and waits for its port (its `--port-file`);
    /// terminate the process when done.
    static func startSimulator(fixtures: String, in directory: String) throws -> (process: Process, port: String) {
        let portFile = directory + "/port"
        let simulator = try start(
            ["--fixtures", fixtures, "--port-file", portFile],
            in: directory,
            executable: "platform-simulator"
        )
        let deadline = Date().addingTimeInterval(20)
        while ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let port = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (simulator, port)
    }
}

/// A fresh folder for one test, removed at the end.
struct Workspace {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "collector-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String, executable: Bool = false) throws {
        let full = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
    }

    func read(_ name: String) -> String? {
        try? String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    func files(under folder: String) -> [String] {
        let root = path + "/" + folder
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue
        }.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
