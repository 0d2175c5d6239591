/// A mapped import: which header of a sheet holds which metric, time, object or account, so
/// that an export layout the collector has no code for (or a back office that renamed its
/// columns) is a configuration change, not a release (`collector import --mapping FILE`,
/// `[[adapters.import]] columns`).
///
/// ```toml
/// count_profile = "default"          # default | wechat_reads | weibo_display
/// time_stamp    = "published_day"    # time | published_day | import_day
/// [columns]
/// "标题"     = "title"
/// "发布时间" = "published_at"
/// "阅读量"   = "metric:views"
/// "点击率"   = "metric:toutiao_ctr"          # a rate by its name: 7.2% → 0.072
/// "阅读时长" = "metric:toutiao_read_seconds:seconds"
/// ```
///
/// `absent_columns = ["体裁", "2s跳出率"]` names headers the mapped export never has: another
/// platform's export that shares the key and metric columns (a Douyin 作品数据 file read through
/// a Kuaishou mapping) is then refused instead of imported as this platform's data.
///
/// A metric is read as a count (``CountString`` under the profile), unless its name or an
/// explicit `:rate`, `:seconds` or `:count` suffix says otherwise (``ValueKind/implied(by:)``).
/// Several headers may map to the same role: they are the names the column has had.
public struct ColumnMapping: Sendable, Hashable {
    /// What a column holds.
    public enum Role: Sendable, Hashable, CustomStringConvertible {
        /// A metric, read as the given kind.
        case metric(MetricName, ValueKind)
        /// The day (or time) a per-day row describes.
        case time
        /// The content id.
        case object
        /// The account id, when a sheet holds several accounts.
        case account
        /// The content's title (objects.csv).
        case title
        /// The content's link (objects.csv).
        case url
        /// When the content was published (objects.csv).
        case publishedAt

        /// `metric:views`, `time`, `published_at`, ….
        public var description: String {
            switch self {
            case .metric(let name, let kind): "metric:\(name.rawValue):\(kind.rawValue)"
            case .time: "time"
            case .object: "object"
            case .account: "account"
            case .title: "title"
            case .url: "url"
            case .publishedAt: "published_at"
            }
        }
    }

    /// One header and what it holds.
    public struct Column: Sendable, Hashable {
        /// The header as written in the export.
        public var header: String
        /// What the column holds.
        public var role: Role
    }

    /// When the values of a row are stamped (SPEC §3 `time`).
    public enum TimeStamp: String, Sendable, Hashable, CaseIterable {
        /// 00:00 of the day in the `time` column: per-day rows.
        case time
        /// 00:00 of the publishing day in `published_at`: cumulative totals of a post, which a
        /// later export of the same post supersedes (as WeChat 已通知内容).
        case publishedDay = "published_day"
        /// 00:00 of the day of the import: a snapshot export that carries no date.
        case importDay = "import_day"
    }

    /// The keys a mapping file (or the mapping part of `[[adapters.import]]`) may have.
    public static let keys = ["platform", "kind", "columns", "count_profile", "time_stamp", "absent_columns"]
    /// The count profiles by name (COUNTS_AND_TARGETS.md §1.6).
    public static let countProfiles: [(name: String, profile: CountProfile)] = [
        ("default", .default), ("wechat_reads", .wechatReads), ("weibo_display", .weiboDisplay),
    ]

    /// The platform whose exports the mapping reads.
    public var platform: Platform
    /// The kind's name in reports (`kind`, default `mapped`).
    public var kind: String
    /// The columns, by header.
    public var columns: [Column]
    /// `absent_columns`: headers the mapped export never has (``ExportKind/absentColumns``).
    public var absentColumns: [String]
    /// The name of the count profile.
    public var countProfileName: String
    /// The count profile.
    public var countProfile: CountProfile
    /// When values are stamped.
    public var timeStamp: TimeStamp
    /// Where the mapping came from, for messages: a file, or `[[adapters.import]] columns`.
    public var origin: String

    /// Reads and checks a mapping from its keys (``keys``; others are ignored, the caller
    /// checks them).
    ///
    /// - Throws: every problem at once, each naming its key (`columns."播放量"` for a column).
    public init(platform: Platform, values: [String: ConfigValue], origin: String) throws(MappingProblems) {
        var problems: [MappingProblem] = []
        func fail(_ key: String?, _ message: String) { problems.append(MappingProblem(key: key, message: message)) }
        func string(_ key: String) -> String? {
            guard let value = values[key] else { return nil }
            guard case .string(let text) = value else {
                fail(key, "\"\(key)\" must be a string, not \(value.typeName)")
                return nil
            }
            return text
        }

        self.platform = platform
        self.origin = origin
        if let named = string("platform"), named != platform.rawValue {
            fail("platform", "the mapping is for \"\(named)\" exports, not \(platform) ones; use --platform \(named)")
        }
        let kind = string("kind") ?? "mapped"
        self.kind = kind
        if kind.isEmpty || !Platform.isValidName(kind) {
            fail("kind", "\"kind\" must be a snake_case name such as \"works\", not \"\(kind)\"")
        }

        let profileName = string("count_profile") ?? "default"
        countProfileName = profileName
        if let profile = ColumnMapping.countProfiles.first(where: { $0.name == profileName }) {
            countProfile = profile.profile
        } else {
            fail(
                "count_profile",
                "\"count_profile\" = \"\(profileName)\" is not a count profile; use one of: "
                    + ColumnMapping.countProfiles.map(\.name).joined(separator: ", ")
            )
            countProfile = .default
        }

        var columns: [Column] = []
        switch values["columns"] {
        case .table(let table)?:
            for header in table.keys.sorted() {
                let key = "columns.\"\(header)\""
                guard !header.allSatisfy(\.isWhitespace) else {
                    fail(key, "a column of \"columns\" has an empty header")
                    continue
                }
                guard case .string(let text)? = table[header] else {
                    fail(
                        key,
                        "column \"\(header)\" must map to a string such as \"metric:views\", not "
                            + (table[header]?.typeName ?? "nothing")
                    )
                    continue
                }
                switch ColumnMapping.role(text, platform: platform) {
                case .success(let role): columns.append(Column(header: header, role: role))
                case .failure(let problem): fail(key, "column \"\(header)\": \(problem.message)")
                }
            }
        case let other?:
            fail("columns", "\"columns\" must be a table of header = \"role\", not \(other.typeName)")
        case nil:
            fail(
                "columns",
                "the mapping has no \"columns\" table; add one: [columns] \"播放量\" = \"metric:views\""
            )
        }
        self.columns = columns

        var absent: [String] = []
        switch values["absent_columns"] {
        case nil: break
        case .array(let items)?:
            for item in items {
                guard case .string(let header) = item, !header.allSatisfy(\.isWhitespace) else {
                    fail(
                        "absent_columns",
                        "\"absent_columns\" must list headers as strings, such as [\"体裁\", \"2s跳出率\"], none empty"
                    )
                    break
                }
                let normalized = HeaderMatcher.normalize(header)
                if columns.contains(where: { HeaderMatcher.normalize($0.header) == normalized }) {
                    fail(
                        "absent_columns",
                        "\"\(header)\" is both in absent_columns and in columns; a header the export has cannot be absent"
                    )
                }
                absent.append(header)
            }
        case let other?:
            fail(
                "absent_columns",
                "\"absent_columns\" must be a list of headers, such as [\"体裁\", \"2s跳出率\"], not \(other.typeName)"
            )
        }
        absentColumns = absent

        let roles = Set(columns.map(\.role))
        var kindsByMetric: [MetricName: Set<ValueKind>] = [:]
        for case .metric(let name, let kind) in roles { kindsByMetric[name, default: []].insert(kind) }
        for (name, kinds) in kindsByMetric.sorted(by: { $0.key < $1.key }) where kinds.count > 1 {
            fail(
                "columns",
                "metric \(name) is read as " + kinds.map(\.rawValue).sorted().joined(separator: " and ")
                    + " by different columns; give every header of a metric the same kind"
            )
        }
        if values["columns"] != nil && kindsByMetric.isEmpty && problems.isEmpty {
            fail("columns", "no column maps to a metric; map at least one, such as \"播放量\" = \"metric:views\"")
        }
        let hasObject = roles.contains(.object)
        let derives = !hasObject && roles.contains(.title) && roles.contains(.publishedAt)
        if !hasObject && !derives && (roles.contains(.url) || roles.contains(.title) || roles.contains(.publishedAt)) {
            fail(
                "columns",
                "title, url and published_at describe content: map the content id column to \"object\", or map "
                    + "both a title and a published_at column so that the id is derived from them"
            )
        }

        let stampName = string("time_stamp")
        if let stampName {
            if let stamp = TimeStamp(rawValue: stampName) {
                timeStamp = stamp
            } else {
                fail(
                    "time_stamp",
                    "\"time_stamp\" = \"\(stampName)\" is not a rule; use one of: "
                        + TimeStamp.allCases.map(\.rawValue).joined(separator: ", ")
                )
                timeStamp = .importDay
            }
        } else {
            timeStamp = roles.contains(.time) ? .time : roles.contains(.publishedAt) ? .publishedDay : .importDay
        }
        if timeStamp == .time && !roles.contains(.time) && stampName != nil {
            fail("time_stamp", "\"time_stamp\" = \"time\" needs a column mapped to \"time\"")
        }
        if timeStamp == .publishedDay && !roles.contains(.publishedAt) && stampName != nil {
            fail("time_stamp", "\"time_stamp\" = \"published_day\" needs a column mapped to \"published_at\"")
        }
        guard problems.isEmpty else { throw MappingProblems(problems) }
    }

    /// Parses a role: `metric:<name>[:count|rate|seconds]`, `time`, `object`, `account`,
    /// `title`, `url`, `published_at`.
    static func role(_ text: String, platform: Platform) -> Result<Role, MappingProblem> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let fixed: [String: Role] = [
            "time": .time, "object": .object, "account": .account, "title": .title, "url": .url,
            "published_at": .publishedAt,
        ]
        if parts.count == 1, let role = fixed[parts[0]] { return .success(role) }
        guard parts[0] == "metric", parts.count == 2 || parts.count == 3 else {
            return .failure(
                MappingProblem(
                    key: nil,
                    message: "\"\(text)\" is not a role; use metric:<name>, time, object, account, title, url "
                        + "or published_at"
                )
            )
        }
        let name = parts[1]
        guard MetricName.isValid(name, for: platform) else {
            if let owner = MetricName.builtInOwner(of: name) {
                return .failure(
                    MappingProblem(
                        key: nil,
                        message: "\"\(name)\" is a \(owner) metric; a \(platform) mapping writes SPEC §4 names"
                            + " or \(platform)_<name>"
                    )
                )
            }
            return .failure(
                MappingProblem(
                    key: nil,
                    message: "\"\(name)\" is neither a SPEC §4 metric ("
                        + MetricName.standard.map(\.rawValue).sorted().joined(separator: ", ")
                        + ") nor an extension named \(platform)_<name>"
                )
            )
        }
        let metric = MetricName(rawValue: name)
        guard parts.count == 3 else { return .success(.metric(metric, ValueKind.implied(by: metric))) }
        guard let kind = ValueKind(rawValue: parts[2]) else {
            return .failure(
                MappingProblem(
                    key: nil,
                    message: "\"\(parts[2])\" is not a value kind; use count, rate or seconds"
                )
            )
        }
        // A count metric holds integers everywhere (an Influx field keeps one type): a rate or
        // a duration needs a metric whose name says so.
        guard kind == .count || metric.takesDecimals else {
            return .failure(
                MappingProblem(
                    key: nil,
                    message: "\(name) is a count, so it cannot hold \(kind.rawValue) values; name a metric with"
                        + " the word rate, ctr or seconds (\(platform)_<name>_rate, \(platform)_<name>_seconds)"
                )
            )
        }
        return .success(.metric(metric, kind))
    }

    /// Whether rows describe content (an object column, or a title and a publishing time to
    /// derive the id from) rather than the account.
    public var isContentLevel: Bool {
        let roles = Set(columns.map(\.role))
        return roles.contains(.object) || (roles.contains(.title) && roles.contains(.publishedAt))
    }

    /// Whether the object id is derived from the title and the publishing time (``DerivedObjectID``).
    public var derivesObjectID: Bool {
        let roles = Set(columns.map(\.role))
        return !roles.contains(.object) && roles.contains(.title) && roles.contains(.publishedAt)
    }

    /// The canonical column name of `role`: its first header.
    public func columnName(of role: Role) -> String? {
        columns.first { $0.role == role }?.header
    }

    /// The mapping as an export kind: one column per role (the other headers of the role as
    /// aliases); the columns the rows cannot do without are required.
    public var exportKind: ExportKind {
        var order: [Role] = []
        var headers: [Role: [String]] = [:]
        for column in columns {
            if headers[column.role] == nil { order.append(column.role) }
            headers[column.role, default: []].append(column.header)
        }
        let level: MetricDescriptor.Level = isContentLevel ? .content : .account
        var required: Set<Role> = [.object, .account]
        if timeStamp == .time { required.insert(.time) }
        if timeStamp == .publishedDay || derivesObjectID { required.insert(.publishedAt) }
        if derivesObjectID { required.insert(.title) }
        let all = order.map { role in
            let names = headers[role] ?? []
            return ExportColumn(names[0], aliases: Array(names.dropFirst()), required: required.contains(role))
        }
        // Required columns first, as ExportKind wants them; the order within each part stays.
        let exportColumns = all.filter(\.isRequired) + all.filter { !$0.isRequired }
        var metrics: [MetricDescriptor] = []
        for case .metric(let name, let kind) in order {
            let names = (headers[.metric(name, kind)] ?? []).joined(separator: " / ")
            metrics.append(MetricDescriptor(name, level, "\(names), read as a \(kind.rawValue) (\(origin))."))
        }
        return ExportKind(
            name: kind,
            summary: "A \(platform) export read through the column mapping of \(origin).",
            columns: exportColumns,
            metrics: metrics,
            absentColumns: absentColumns
        )
    }
}

/// One problem of a column mapping: the key it concerns and what is wrong.
public struct MappingProblem: Error, Sendable, Hashable {
    /// `columns."播放量"`, `time_stamp`, …; nil for the mapping as a whole.
    public var key: String?
    /// What is wrong and what to do.
    public var message: String

    /// Creates a problem.
    public init(key: String?, message: String) {
        self.key = key
        self.message = message
    }
}

/// Every problem of a column mapping.
public struct MappingProblems: Error, Sendable, Hashable {
    /// The problems, in the order found.
    public var problems: [MappingProblem]

    /// Creates the list.
    public init(_ problems: [MappingProblem]) {
        self.problems = problems
    }
}
