import Adapters
import ArgumentParser
import Collector

/// `collector adapters`: the adapter types, their keys and their metrics.
struct AdaptersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters",
        abstract: "List the adapter types, their configuration keys and the metrics each produces."
    )

    func run() throws {
        var lines: [String] = []
        for type in AdapterRegistry.all {
            lines.append("[[adapters.\(type.type)]]  \(type.summary)")
            lines.append("  keys:")
            // A common key that does nothing for the type is not offered (check warns about it).
            for key in type.configurationKeys + ConfigurationKey.common where type.inertCommonKeys[key.name] == nil {
                var text = "    \(key.name) (\(key.type)\(key.required ? ", required" : ""))"
                // The common `rate` key has no default of its own: each type brings one.
                let defaultValue = key.name == "rate" ? type.defaultRate?.description : key.defaultValue
                if let value = defaultValue { text += " default \(value)" }
                if key.isSecret { text += " [secret: use ${VAR} or @file:]" }
                lines.append(text + ": " + key.help)
            }
            if type.metrics.isEmpty {
                lines.append("  metrics: as the source reports them (SPEC §4 names or <platform>_<name>)")
            } else {
                lines.append("  metrics:")
                for metric in type.metrics {
                    lines.append("    \(metric.name) (\(metric.level.rawValue)): \(metric.help)")
                }
            }
            lines.append("")
        }
        Terminal.writeOutput(lines.joined(separator: "\n"))
    }
}
