extension RuleSet {
    /// The rules files built into the binary, by name: the checkout's `rules/` folder, embedded
    /// (Package.swift) so that a server that got the binary alone can build a report with
    /// `--rules shandong-2022-16`, from any working directory.
    private static let builtInFiles: [String: [UInt8]] = [
        "shandong-2022-16": PackageResources.shandong_2022_16_toml
    ]

    /// The names of the built-in rule sets, sorted: `shandong-2022-16`.
    public static var builtInNames: [String] { builtInFiles.keys.sorted() }

    /// The built-in rule set `name`, or nil when none has that name.
    ///
    /// - Throws: ``ReportError`` when the built-in file does not validate (a test keeps it valid).
    public static func builtIn(named name: String) throws(ReportError) -> RuleSet? {
        guard let bytes = builtInFiles[name] else { return nil }
        return try parse(text: String(decoding: bytes, as: UTF8.self), path: "\(name) (built in)")
    }

    /// The rules a user named: a built-in rule set's name (`shandong-2022-16`), else the path of
    /// a rules file, a relative one taken from the working directory.
    ///
    /// A built-in name has no folder and no `.toml`, so any path still reads the file it names
    /// (an edited copy `./shandong-2022-16.toml` too).
    ///
    /// - Throws: ``ReportError`` as ``load(path:)`` does.
    public static func load(named argument: String) throws(ReportError) -> RuleSet {
        if let ruleSet = try builtIn(named: argument) { return ruleSet }
        return try load(path: argument)
    }
}
