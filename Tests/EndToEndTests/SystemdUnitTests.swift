import Collector
import Foundation
import Testing

/// The systemd units shipped in `deploy/systemd` and printed in docs/operations.md.
@Suite struct SystemdUnitTests {
    /// A stop must reach the collector alone, so that an `[[adapters.exec]]` command in flight
    /// gets `stop_grace` like any account (ReliabilityTests shows what it then keeps); systemd's
    /// default `KillMode=control-group` signals the command at the same moment. And the stop
    /// timeout must cover `stop_grace`, the kill of a command and the final sync.
    @Test func everyUnitSignalsTheCollectorAloneAndWaitsForItsGracePeriod() throws {
        let root = CLI.repositoryRoot
        var units: [(name: String, text: String)] = try [
            "deploy/systemd/collector.service", "deploy/systemd/collector-once.service",
        ].map { ($0, try String(contentsOfFile: root + "/" + $0, encoding: .utf8)) }
        // The copies in the operations guide: each ```ini block that names a .service file.
        let guide = try String(contentsOfFile: root + "/docs/operations.md", encoding: .utf8)
        for block in guide.components(separatedBy: "```ini\n").dropFirst() {
            let text = block.components(separatedBy: "```")[0]
            guard let first = text.split(separator: "\n").first, first.hasSuffix(".service") else { continue }
            units.append(("docs/operations.md: " + first, text))
        }
        #expect(units.count == 4, "\(units.map(\.name))")
        let grace = CollectorSettings().stopGrace.components.seconds
        for (name, text) in units {
            let settings = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(settings.contains("KillMode=mixed"), "\(name)")
            let timeout = settings.first { $0.hasPrefix("TimeoutStopSec=") }.flatMap { Int64($0.dropFirst(15)) }
            #expect((timeout ?? 0) >= grace + 60, "\(name): TimeoutStopSec=\(timeout ?? 0)")
        }
    }
}
