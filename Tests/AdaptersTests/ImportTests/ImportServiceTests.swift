import Adapters
import Collector
import CollectorTesting
import Testing

struct ImportServiceTests {
    private func failure(
        _ file: String,
        platform: Platform = .wechat,
        kind: String? = nil,
        account: String? = "gh_test"
    ) -> ImportError? {
        ImportFixtures.importError {
            _ = try ImportFixtures.importFile(file, platform: platform, kind: kind, account: account)
        }
    }

    @Test func namesTheHeadersAndKnownKindsForAnUnknownExport() throws {
        let path = ImportFixtures.wechat("exports/unknown_frequent_readers.csv")
        let error = try #require(failure(path))
        #expect(error.label == "unknownKind")
        #expect(
            error.description
                == "\(path): no known export kind matches; headers found: 时间, 常读用户数, 常读用户比例; kinds known for wechat: "
                + "user_growth (用户分析 → 用户增长 \"下载表格\"; 时间, 累积关注人数, …), "
                + "notified_articles (内容分析 → 已通知内容; 内容url, 发表时间, 总阅读人数, …), "
                + "content_trend (内容分析 → 数据趋势 \"下载数据明细\"; 日期, 渠道, 阅读人数, …), "
                + "article_detail (单篇详情 \"下载数据明细\"; 阅读次数, 完读率, …)"
        )
    }

    /// Big5 passes for GB18030 without an error, into valid but wrong characters: the message
    /// says how the file was read. A file that is one long "header" is cut down to size.
    @Test func hintsAtTheEncodingWhenTheHeadersMayBeMisDecoded() throws {
        let directory = try TemporaryDirectory()
        // "時間,累積關注人數" in Big5.
        let big5: [UInt8] = [
            0xAE, 0xC9, 0xB6, 0xA1, 0x2C, 0xB2, 0xD6, 0xBF, 0x6E, 0xC3, 0xF6, 0xAA, 0x60, 0xA4, 0x48, 0xBC, 0xC6,
        ]
        let path = try directory.write(big5 + Array("\r\n2025-05-03,182344\r\n".utf8), to: "big5.csv")
        let error = try #require(failure(path))
        #expect(
            error.message.contains(
                " (read as GB18030: if these look garbled, the file is in another encoding such as Big5; save it as"
                    + " UTF-8 and import it again); kinds known for wechat:"
            ),
            "\(error.message)"
        )

        let wide = try directory.write(
            (0..<50).map { "列\($0)" + String(repeating: "x", count: 50) }.joined(separator: ",") + "\n1\n",
            to: "wide.csv"
        )
        let message = try #require(failure(wide)).message
        #expect(message.contains("列0" + String(repeating: "x", count: 38) + "…, "), "\(message)")
        #expect(message.contains(", … (50 in all); kinds known"), "\(message)")
        #expect(!message.contains("列30"))
    }

    @Test func asksForTheAccountWhenTheFileDoesNotNameIt() throws {
        let path = ImportFixtures.wechat("export_user_growth.csv")
        let error = try #require(failure(path, account: nil))
        #expect(error.label == "missingAccount")
        #expect(
            error.description
                == "\(path): the file does not name its account; pass --account (or set account in [[adapters.import]])"
        )
    }

    @Test func importsOnlyAsTheKindAskedFor() throws {
        let path = ImportFixtures.wechat("export_user_growth.csv")
        let (report, _, _) = try ImportFixtures.importFile(path, kind: "user_growth")
        #expect(report.kind == "user_growth")
        let mismatch = try #require(failure(path, kind: "notified_articles"))
        #expect(mismatch.label == "kindMismatch")
        #expect(
            mismatch.message.hasPrefix("the headers do not match kind notified_articles: missing 内容url, 发表时间, 总阅读人数")
        )
        let unknown = try #require(failure(path, kind: "followers"))
        #expect(
            unknown.message
                == "\"followers\" is not an export kind of wechat; use one of: user_growth, notified_articles, "
                + "content_trend, article_detail"
        )
    }

    @Test func refusesAPlatformWithoutImporter() throws {
        let error = try #require(failure(ImportFixtures.wechat("export_user_growth.csv"), platform: .bilibili))
        #expect(
            error.message
                == "no importer reads bilibili exports; importers exist for: wechat, channels, douyin, any; read the file "
                + "through a column mapping instead: --mapping FILE (samples/mappings has examples)"
        )
    }

    @Test func refusesAPasswordProtectedWorkbookSayingHowToRemoveThePassword() throws {
        // An .xlsx encrypted with a password is an OLE container, as an old .xls is; the
        // .xls advice (save it as .xlsx) would keep the password.
        let path = ImportFixtures.path("douyin/exports/works_password.xlsx")
        let error = try #require(failure(path, platform: .douyin))
        #expect(error.label == "passwordProtected")
        #expect(
            error.description
                == "\(path): the workbook is password-protected (encrypted), so it cannot be read, and saving it again "
                + "keeps the password; open it with the password, remove the password (Excel: 文件 → 信息 → 保护工作簿 → "
                + "用密码进行加密, clear the box and click 确定 (File > Info > Protect Workbook > Encrypt with Password); "
                + "WPS: 文件 → 文档加密 → 密码加密, clear the passwords), save it, and import it again"
        )
        #expect(CompoundFile.entryNames(path: path)?.contains("EncryptionInfo") == true)
        #expect(CompoundFile.entryNames(path: ImportFixtures.wechat("old_excel.xls")) == nil)
    }

    @Test func refusesAnOldExcelFileWithAdvice() throws {
        let path = ImportFixtures.wechat("old_excel.xls")
        let error = try #require(failure(path))
        #expect(error.label == "oldExcel")
        #expect(
            error.description
                == "\(path): this is an old Excel .xls workbook, which cannot be imported; re-save it as .xlsx "
                + "(Excel: File > Save As > Excel Workbook, 文件 → 另存为 → Excel 工作簿; WPS: 文件 → 另存为 → Excel "
                + "文件 *.xlsx) and import that file"
        )
        // WPS's own binary workbook is called by its name.
        let directory = try TemporaryDirectory()
        let wps = try directory.write(try FileSystem.readFileIfPresent(path) ?? [], to: "用户增长.et")
        #expect(try #require(failure(wps)).message.hasPrefix("this is a WPS .et workbook, which cannot be imported"))
    }

    @Test func refusesAWebPageNamedXls() throws {
        let error = try #require(failure(ImportFixtures.wechat("html_export.xls")))
        #expect(error.message.hasPrefix("this is a web page (HTML or XML), not a table"))
    }

    @Test func refusesEmptyMissingAndTruncatedFiles() throws {
        let empty = ImportFixtures.wechat("empty.csv")
        #expect(
            try #require(failure(empty)).description
                == "\(empty): the file is empty; export it again from the back office"
        )
        let missing = ImportFixtures.wechat("no_such_file.csv")
        #expect(
            try #require(failure(missing)).description == "\(missing): cannot open the file: No such file or directory"
        )
        #expect(try #require(failure(ImportFixtures.wechat("user_growth_truncated.xlsx"))).label == "damagedArchive")
    }

    @Test func describesWhatItDid() throws {
        let (report, _, _) = try ImportFixtures.importFile(ImportFixtures.wechat("user_growth_preamble.csv"))
        #expect(
            report.description.hasSuffix(
                "user_growth_preamble.csv: wechat user_growth, csv (UTF-8), account gh_test: 5 rows after the header "
                    + "on line 4, 15 samples, 0 failures"
            )
        )
    }

    @Test func findsTheDataOnALaterSheetOfAWorkbook() throws {
        let path = ImportFixtures.wechat("exports/user_growth_second_sheet.xlsx")
        let (report, sink, _) = try ImportFixtures.importFile(path)
        #expect(report.format == "xlsx (sheet 用户增长)")
        #expect(report.kind == "user_growth")
        #expect(sink.samples.count == 6)
        // Asked for a kind no sheet has, it names the first sheet's headers.
        let error = try #require(failure(path, kind: "content_trend"))
        #expect(error.label == "kindMismatch")
        #expect(error.message.hasSuffix("headers found: 本表由运营人员整理，数据来自公众号后台。"))
    }

    @Test func asksForTheArticleOfASingleArticleExport() throws {
        let path = ImportFixtures.wechat("exports/article_detail_no_id.csv")
        let error = try #require(failure(path))
        #expect(error.label == "missingObject")
        #expect(
            error.message
                == "the 单篇详情 export does not say which article it describes; name the file after the article's msgid, "
                + "the mid and idx of its link (for …&mid=2247501234&idx=1&…: 2247501234_1.xlsx), or add a column 内容url "
                + "with the article's link to the 数据概况 sheet"
        )
    }

    /// A WeChat export dropped where a Douyin or Channels file was expected: the message says
    /// whose export it looks like, and how to import it there.
    @Test(arguments: [Platform.channels, .douyin])
    func namesThePlatformWhoseExportAFileLooksLike(platform: Platform) throws {
        let path = ImportFixtures.wechat("exports/user_growth_part1.csv")
        let error = try #require(failure(path, platform: platform, account: "someone"))
        #expect(error.label == "unknownKind")
        #expect(
            error.message.hasSuffix(
                "; this file looks like a wechat user_growth export: import it with --platform wechat, or drop it "
                    + "into the folder of a wechat [[adapters.import]] section"
            ),
            "\(error.message)"
        )
        // A file no platform knows gets no such hint.
        let unknown = try #require(
            failure(ImportFixtures.wechat("exports/unknown_frequent_readers.csv"), platform: platform)
        )
        #expect(!unknown.message.contains("looks like"))
    }

    /// A Kuaishou 作品数据 sheet (the shipped mapping's columns) saved into the Douyin folder, or
    /// imported as Channels: the Douyin kind refuses it by Kuaishou's own columns (涨粉量,
    /// 平均观看时长), and the message sends it to Kuaishou with a mapping, never to Douyin.
    @Test(arguments: [Platform.douyin, .channels])
    func refusesAKuaishouWorksSheetAsDouyinAndSaysItIsKuaishous(platform: Platform) throws {
        let path = ImportFixtures.path("kuaishou/exports/works_EXAMPLE.csv")
        let error = try #require(failure(path, platform: platform, account: "dy1"))
        #expect(error.label == "unknownKind")
        #expect(
            error.message.hasSuffix(
                "; it has 涨粉量, 平均观看时长, which a douyin works export never has: 涨粉量 and 平均观看时长 are the "
                    + "columns of Kuaishou's 作品数据, which has no built-in kind: import it with --platform kuaishou "
                    + "and a column mapping, such as samples/mappings/kuaishou_works_UNVERIFIED.toml (docs/imports.md, "
                    + "\"The mapping file\")"
            ),
            "\(error.message)"
        )
        #expect(!error.message.contains("--platform douyin"))
        // Through the shipped mapping, as what it is, it imports.
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        _ = try ImportService.importFile(
            path: path,
            platform: .kuaishou,
            options: ImportOptions(
                account: "ks1",
                mapping: try ColumnMapping.load(
                    path: ImportFixtures.mapping("kuaishou_works_UNVERIFIED.toml"),
                    platform: .kuaishou
                )
            ),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        #expect(sink.samples.contains { $0.metric.rawValue == "kuaishou_follows_gained" })
    }

    @Test(arguments: [Platform.channels, .douyin, SelfReportImporter.platform])
    func refusesOldExcelAndUnknownFilesOnEveryPlatform(platform: Platform) throws {
        #expect(try #require(failure(ImportFixtures.wechat("old_excel.xls"), platform: platform)).label == "oldExcel")
        let unknown = try #require(
            failure(ImportFixtures.wechat("exports/unknown_frequent_readers.csv"), platform: platform)
        )
        #expect(unknown.label == "unknownKind")
        #expect(
            unknown.message.hasPrefix(
                "no known export kind matches; headers found: 时间, 常读用户数, 常读用户比例; kinds known for \(platform): "
            )
        )
    }
}
