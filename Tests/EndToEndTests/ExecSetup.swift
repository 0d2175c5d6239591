/// The setup most command tests start from: a configuration with one exec instance whose
/// command, `./gen.sh`, prints generated samples.
enum ExecSetup {
    /// The SPEC §3 CSV header, without its line break.
    static let header = "time,platform,account,object,metric,value,quality,source"

    /// An exec adapter printing `count` distinct samples over January and February 2026.
    static func generator(count: Int) -> String {
        """
        #!/bin/sh
        awk 'BEGIN { for (i = 0; i < \(count); i++) printf "{\\"time\\":\\"2026-%02d-%02dT00:00:00+08:00\\",\\"account\\":\\"a%d\\",\\"object\\":\\"\\",\\"metric\\":\\"followers\\",\\"value\\":%d}\\n", (i % 2) + 1, (i % 28) + 1, i, i }'
        """
    }

    /// A configuration with `[collector]` and one exec instance running `./gen.sh`.
    static func configuration(dataDirectory: String = "data", interval: String = "1h") -> String {
        """
        [collector]
        data_dir = "\(dataDirectory)"
        state_dir = "state"

        [[adapters.exec]]
        platform = "xiaohongshu"
        command = ["./gen.sh"]
        interval = "\(interval)"
        """
    }

    /// Writes the exec configuration and a generator of `samples` samples into `workspace`.
    static func write(in workspace: Workspace, samples: Int, dataDirectory: String = "data") throws {
        try workspace.write("adapters.conf", configuration(dataDirectory: dataDirectory))
        try workspace.write("gen.sh", generator(count: samples), executable: true)
    }
}
