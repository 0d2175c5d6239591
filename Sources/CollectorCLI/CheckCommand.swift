import ArgumentParser
import Collector

/// `collector check`: validates the configuration and the registry, printing every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and the account registry; print every problem with file and line."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let setup = try Setup.load(options)
        for warning in setup.file.warnings { Terminal.writeError("warning: \(warning)") }
        let accounts = setup.instances.reduce(0) { $0 + $1.accounts.count }
        var line = "\(setup.file.path): OK, \(setup.instances.count) adapter instances, \(accounts) accounts"
        if let registry = setup.registry { line += ", registry with \(registry.entries.count) rows" }
        Terminal.writeOutput(line)
    }
}
