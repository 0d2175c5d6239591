import ArgumentParser
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The entry point: parses the command line and maps every outcome to SPEC §1's exit codes
/// (0 done, 1 partial, 2 usage or configuration, 3 storage), which ArgumentParser's own
/// `main()` would not (it exits 64 on a usage error).
@main
enum CollectorMain {
    static func main() async {
        // Before anything reads a secret: no other process of this user (an exec command) may
        // read this one's environment or memory, and no core dump holds them (MemoryProtection).
        if let failure = MemoryProtection.protect() {
            Terminal.writeError(
                "warning: could not keep this process's memory from core dumps and other processes: \(failure)"
            )
        }
        let command: any ParsableCommand
        do {
            command = try CollectorCommand.parseAsRoot()
        } catch {
            let code = CollectorCommand.exitCode(for: error)
            if code == .success {
                // --help, --version: ArgumentParser prints them and exits 0.
                CollectorCommand.exit(withError: error)
            }
            Terminal.writeError(CollectorCommand.fullMessage(for: error))
            exit(ExitStatus.usage)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
            exit(ExitStatus.success)
        } catch let status as ExitStatus {
            exit(status.code)
        } catch {
            if CollectorCommand.exitCode(for: error) == .success {
                // `--help` and `help [SUBCOMMAND]` parse to ArgumentParser's own help command,
                // whose `run()` throws the help request: ArgumentParser prints the help, exit 0.
                CollectorCommand.exit(withError: error)
            }
            Terminal.writeError(ExitStatus.message(for: error))
            exit(ExitStatus.code(for: error))
        }
    }
}

/// The root command.
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Collects follower and reading counts of official accounts into flat time-series files.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, TestCommand.self, ImportCommand.self, CheckCommand.self, AdaptersCommand.self,
            ExportCommand.self, CompactCommand.self, ReportCommand.self, AuthCommand.self, TemplateCommand.self,
        ]
    )
}
