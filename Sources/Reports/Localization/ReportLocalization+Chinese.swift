extension ReportLocalization {
    /// Simplified Chinese for the provincial and city education departments: the notice's own
    /// terms where it has them (市教育（教体）局, 高职高专, 10万+), otherwise the usual terms of
    /// 政务新媒体 reporting.
    package static let chinese = ReportLocalization(
        language: .zh,
        texts: [
            .reportTitle: "政务新媒体统计报告（%1）——依据%2",
            .runningBanner: "统计周期尚未结束。",
            .runningNotice: "统计周期 %1 尚未结束：数据截至 %2（生成于 %3），不是最终报告。发文数、10万+作品数和粉丝数"
                + "只统计目前已知的数据；指数仍按 d = %4（%5）计算，而实际只过去了 %7 天中的 %6 天，"
                + "因此按日计算的分项低于完整周期的结果，不宜与已结束周期的数据比较。",
            .runningBasisMonth: "自然月",
            .runningBasisYear: "自然年",
            .runningBasisRange: "整个区间",
            .footer: "生成于 %1 · %2",
            .summaryTitle: "数据说明",
            .contentProvisional: "内容数据尚未最终确定，%2 之前均为临时数据：单篇内容的阅读（播放）、点赞、评论、转发（分享）"
                + "取发布后第 %1 天的读数，本期最后发布的内容要到 %2 才满 %1 天。在此之前使用较早的读数，阅读（播放）量、最高阅读（播放）量、"
                + "点赞、评论、转发（分享）、"
                + "EII、第三方指数和排名仍会变化；请于 %2 之后重新生成报告，得到最终数据。",

            .cardPeriod: "统计周期",
            .cardAsOf: "数据截至",
            .cardDeadline: "达标期限",
            .cardRunning: "%1（进行中）",
            .cardUnitsLackingData: "缺少数据的单位",
            .cardAccountsLackingData: "缺少数据的主账号",

            .tableReport: "报告信息",
            .noteReport: "数据截至日为统计周期的最后一天；周期尚未结束时为当天（周期状态为“进行中”，报告不完整）。",
            .tableSummary: "分类达标情况",
            .noteSummary: "按各标准的判定方式统计各状态的单位数（默认每个主账号分别判定）。",
            .tableUnits: "单位达标情况",
            .noteUnits: "每个单位、每条标准一行；最高值与合计只计本期有数据的主账号。≈：合计含约数，≥：含下限值。",
            .tableAttainment: "主账号达标明细",
            .noteAttainment: "取本期最新一条粉丝数记录，按区间判定：精确值 v 为 [v, v+1)，下限（如“10万+”）为 [v, ∞)，"
                + "约数（如“99.9万”）为 [v − q/2, v + q)。区间下限 ≥ 目标为达标，区间上限 ≤ 目标为未达标，否则无法判定。"
                + "≈ 表示该数字来自约数，≥、≤ 表示来自下限值。近30天净增：最近30天的粉丝净增长（不足30天按已有天数推算，标 ≈；不足一天不计）；"
                + "预计达标日：按此增速达到目标的日期。",
            .tableRanking: "综合影响力（EII）排名",
            .noteRanking: "综合EII = Σ 平台权重 w_p × 该平台 EII_p；未设主账号的平台计 0。在同一类别、同一档次"
                + "（粉丝数标准）内排名。主账号缺少 EII（无内容数据、无单篇数据、无粉丝数据，见说明）的单位没有综合EII，"
                + "不参与排名；名次只在有综合EII的单位中计算。",
            .tableInfluence: "各账号影响力",
            .noteInfluence: "EII 分项：U1 = ln(10n/d+1)；U2 = 0.6 ln(V/d+1) + 0.2 ln(V/n+1) + 0.2 ln(Vmax+1)；"
                + "U3 = 0.4 ln(10S/d+1) + 0.4 ln(10C/d+1) + 0.2 ln(10L/d+1)；U4 = 0.6 ln(F+1) + 0.4 ln(10 max(ΔF,0)/d+1)；"
                + "得分 = 100 × w × U，w = 0.10/0.40/0.25/0.25；本期无发文时 EII 为 0。"
                + "V 为阅读量（抖音、快手、哔哩哔哩、视频号为播放量），S 为转发数（视频平台为分享数）。"
                + "内容数据取发布后第 %1 天的读数；微信缺少阅读量时用阅读人数。"
                + "空白表示未知：无内容数据（或只有新增发文数、或无粉丝数据）时不计算 EII，说明栏注明原因。"
                + "EII 或指数值前的 ≈、≥ 表示其输入含约数或下限值（最高阅读量单独标注）。",
            .tableActivity: "发文活跃度",
            .noteActivity: "发文数：本期发布的内容（发布时间未知的按首次采集日计）。10万+作品数：本期阅读量（视频为播放量）≥ 100001 的"
                + "文章或视频（“10万+”计入，恰好 100000 不计）。14天未更新：本期存在连续14天没有发文。"
                + "数据始于：账号的数据从期中某日才开始采集时填写，断更天数从该日算起（此前未知，不算断更）。"
                + "数据止于：账号的采集在数据截至日之前停止（或后几天的数据尚未导入）时填写，断更天数只算到该日"
                + "（此后未知，不算断更）；本期没有任何数据的账号按无内容数据处理。",
            .tableRules: "考核标准",
            .noteRules: "规则文件中的全部标准，以及本报告是否、如何使用。",
            .columnPlatformEII: "%1 EII",

            .selectorCities: "城市：%1",
            .selectorStudents: "在校生 %1 %2",
            .citySeparator: "、",
            .listSeparator: "、",
            .reasonSeparator: "；",
            .sentenceSeparator: "",
            .noteSeparator: "，",
            .labelled: "%1：%2",
            .evaluatedYes: "是",
            .evaluatedNotInForce: "否：本期不在有效期内",
            .evaluatedManual: "否：人工填报，不自动评估",
            .evaluatedHits: "仅供参考：见发文活跃度表的10万+作品数",
            .evaluatedInfo: "仅供参考",
            .evaluatedNotComputed: "否：未计算%1",
            .noteNoMainAccount: "登记表中没有主账号（main = yes）",
            .noteNoFollowersRow: "没有粉丝数记录",
            .noteStaleFollowers: "最新粉丝数记录为 %1，早于本期",
            .noteCannotDecide: "现有数值无法判定，请获取精确粉丝数",
            .noteNoRuleForCategory: "“%1”类别没有粉丝数标准",
            .noteStudentsUnknown: "登记表缺少在校生数，“%1”按在校生数分档",
            .noteNoRuleForCity: "没有适用于本单位的粉丝数标准（城市：%1）",
            .noteAccountStatus: "%1 %2",
            .noteCountedZero: "全平台均未采集，按 0 计：%1",
            .notePlatformUncollected: "%1：所有账号均未采集%2，EII 中这些数据一律按 0 计（%3），该平台各账号之间仍可比较。",
            .notePlatformPartlyCollected: "%1：有数据的 %3 个账号中有 %2 个缺少%4（其他账号已采集），这些账号没有 EII，"
                + "所在单位不参与排名。请补充采集：导入含这些数据的平台导出文件（微信公众号：“全部内容”或“单篇图文”导出），"
                + "或让采集器发送这些数据。",
            .platformFigures: "%1（%2）",
            .noteDataGaps: "%2 个单位的 %1 个主账号本期缺少数据：%3 个没有粉丝数记录，%4 个没有内容数据"
                + "%5%6。没有粉丝数记录的账号无法判定是否达标（无数据），没有内容数据的账号没有 EII、"
                + "所在单位不参与排名；单位的状态不一定能反映出来。"
                + "处理办法：导入该平台的导出文件（collector import），检查采集器的配置和凭据（collector check），"
                + "或用 collector test 测试该账号。",
            .gapAccounts: "缺少数据的账号：%1。",
            .gapAccount: "%1 %2 %3（%4）",
            .gapNoContent: "没有内容数据",
            .gapNoFollowers: "本期没有粉丝数记录",
            .gapBoth: "（其中 %1 个两者都没有）",
            .gapPartialCount: "，%1 个只采集到本期部分日期的数据（没有 EII，所在单位不参与排名）",
            .gapCollectedDays: "只采集到 %1 的数据",
            .collectedSpan: "%1至%2",
            .gapMore: "另有 %1 个，见主账号达标明细和各账号影响力表的说明栏。",
            .notePlatformIndexEmpty: "%1 需要这些数据，不予计算。",

            .dateDay: "%1年%2月%3日",
            .dateMonth: "%1年%2月",
            .dateYear: "%1年",
            .dateMoment: "%1 %2:%3",

            .chartAttainment: "分类达标情况",
            .chartFollowers: "粉丝数与目标",
            .chartRanking: "分类分档排名",
            .chartUnitsPerStatus: "各状态单位数",
            .chartUnitsPerStatusLabel: "各类别、档次的各状态单位数",
            .chartNoFollowers: "无粉丝数据",
            .chartTarget: "目标",
            .chartNotRanked: "未排名：%1",
            .chartRankingTier: "%1 · %2档",
            .legendExact: "精确值",
            .legendApprox: "约数（如99.9万）",
            .legendLowerBound: "下限（如10万+）",
            .legendTarget: "目标线",
        ],
        terms: [
            // Columns.
            "column.key": "项目", "column.value": "内容", "column.category": "类别", "column.rule": "标准",
            "column.target": "目标", "column.units": "单位数", "column.unit": "单位", "column.city": "城市",
            "column.students": "在校生数", "column.aggregation": "判定方式", "column.main_accounts": "主账号数",
            "column.best": "最高粉丝数", "column.sum": "粉丝数合计", "column.status": "状态", "column.note": "说明",
            "column.kind": "标准类型", "column.platform": "平台", "column.account": "账号", "column.name": "账号名称",
            "column.as_of": "数据日期", "column.followers": "粉丝数", "column.quality": "数据质量",
            "column.lo": "区间下限", "column.hi": "区间上限", "column.ratio": "完成率", "column.gap": "差额",
            "column.days_left": "剩余天数", "column.required_daily": "日均需增", "column.net_30d": "近30天净增",
            "column.eta": "预计达标日", "column.unit_best": "单位最高", "column.unit_sum": "单位合计",
            "column.tier": "档次", "column.rank": "名次", "column.eii": "EII 指数", "column.eii_composite": "综合EII",
            "column.missing": "未设主账号的平台",
            "column.main": "主账号", "column.n": "发文数 n", "column.v": "阅读（播放）量 V",
            "column.v_max": "最高阅读（播放）量 Vmax",
            "column.likes": "点赞 L", "column.comments": "评论 C", "column.shares": "转发（分享） S",
            "column.followers_change": "粉丝净增 ΔF", "column.u1": "U1 活跃度", "column.u2": "U2 传播力",
            "column.u3": "U3 互动力", "column.u4": "U4 覆盖力", "column.points_u1": "U1 得分",
            "column.points_u2": "U2 得分", "column.points_u3": "U3 得分", "column.points_u4": "U4 得分",
            "column.index": "第三方指数", "column.index_value": "指数值", "column.posts": "发文数",
            "column.posts_basis": "发文数依据", "column.hits_100k": "10万+作品数", "column.hit_metric": "阅读指标",
            "column.longest_gap_days": "最长断更天数", "column.dormant_14d": "14天未更新", "column.data_since": "数据始于",
            "column.data_until": "数据止于",
            "column.label": "名称",
            "column.selector": "适用范围", "column.metric": "指标", "column.op": "比较", "column.threshold": "门槛",
            "column.deadline": "截止日期", "column.effective_from": "生效日期", "column.effective_to": "失效日期",
            "column.basis": "依据", "column.evaluated": "是否评估", "column.met": "达标", "column.not_met": "未达标",
            "column.indeterminate": "无法判定", "column.no_data": "无数据", "column.missing_account": "未设主账号",
            "column.no_rule": "无适用标准",
            // The quality columns are the CSV's; Markdown and HTML mark the figures instead.
            "column.best_quality": "最高粉丝数质量", "column.sum_quality": "粉丝数合计质量",
            "column.net_30d_quality": "近30天净增质量", "column.unit_best_quality": "单位最高质量",
            "column.unit_sum_quality": "单位合计质量", "column.v_quality": "阅读（播放）量质量",
            "column.likes_quality": "点赞质量", "column.comments_quality": "评论质量",
            "column.shares_quality": "转发（分享）质量", "column.followers_quality": "粉丝数质量",
            "column.followers_change_quality": "粉丝净增质量", "column.v_max_quality": "最高阅读（播放）量质量",
            "column.eii_quality": "EII 质量", "column.index_value_quality": "指数值质量",
            // The CSV's last columns, the `report` table's period (its `as_of` is `column.as_of`).
            "column.period": "统计周期",
            // Keys of the report table.
            "key.rules": "依据文件", "key.region": "地区", "key.period": "统计周期", "key.period_from": "起始日期",
            "key.period_to": "结束日期", "key.index_days": "指数天数 d", "key.as_of": "数据截至",
            "key.period_state": "周期状态", "key.deadline": "达标期限", "key.days_left": "距期限天数",
            "key.generated_at": "生成时间", "key.wci_variant": "WCI 算法", "key.content_age_days": "内容读数日龄（天）",
            "key.platform_weights": "平台权重", "key.figures_counted_zero": "全平台未采集、按 0 计的数据",
            "key.figures_partly_collected": "部分账号未采集的数据",
            "key.units_lacking_data": "缺少数据的单位数", "key.main_accounts_without_followers": "没有粉丝数记录的主账号数",
            "key.main_accounts_without_content": "没有内容数据的主账号数", "key.units": "单位数", "key.main_accounts": "主账号数",
            "key.content_state": "内容数据状态", "key.content_final_at": "内容数据最终确定时间",
            "key.main_accounts_partly_collected": "只采集到部分日期的主账号数",
            // Statuses.
            "status.MET": "达标", "status.NOT_MET": "未达标", "status.INDETERMINATE": "无法判定",
            "status.NO_DATA": "无数据", "status.MISSING_ACCOUNT": "未设主账号", "status.NO_RULE": "无适用标准",
            // SPEC §6 categories.
            "category.city_bureau": "市教育局", "category.county_bureau": "县（市、区）教育局",
            "category.undergraduate": "本科高校", "category.vocational": "高职高专", "category.high_school": "高中",
            "category.middle_school": "初中", "category.primary_school": "小学", "category.other": "其他",
            "category.any": "全部",
            // Platforms.
            "platform.wechat": "微信公众号", "platform.channels": "视频号", "platform.weibo": "微博",
            "platform.douyin": "抖音", "platform.kuaishou": "快手", "platform.bilibili": "哔哩哔哩",
            "platform.toutiao": "今日头条",
            // Cell codes.
            "quality.exact": "精确", "quality.approx": "约数", "quality.lower_bound": "下限",
            "kind.target": "达标目标", "kind.report_threshold": "报送门槛", "kind.info": "信息",
            "aggregation.each": "逐个账号", "aggregation.any": "任一账号", "aggregation.sum": "合计",
            "basis.published_at": "发布时间", "basis.first_seen": "首次采集", "basis.mixed": "混合",
            "basis.posts_new": "新增发文数", "basis.none": "无内容数据",
            "metric.views": "阅读量", "metric.viewers": "阅读人数", "metric.followers": "粉丝数",
            "metric.hits_100k": "10万+作品数", "metric.mainstream_media_pieces": "主流媒体发稿篇数",
            "unavailable.no content data": "无内容数据", "unavailable.no per-post data": "无单篇数据",
            "unavailable.no followers data": "无粉丝数据", "unavailable.figures not collected": "未采集的数据",
            "unavailable.part of the period collected": "本期只采集到部分日期",
            "metric.likes": "点赞", "metric.comments": "评论", "metric.shares": "转发", "metric.recommends": "在看",
            // What the video platforms (抖音、快手、哔哩哔哩、视频号) call views and shares.
            "metric.views.video": "播放量", "metric.shares.video": "分享",
            // The WCI variants, as Qingbo names them.
            "wci.classic": "V14.2 经典版（阅读、在看、点赞）", "wci.shares": "V14.2 含转发", "wci.v2": "V2.0",
            "wci.oap": "O/A/P 版",
            // A rule's `basis`: `notice` is stated in the notice's text (other values are free text).
            "rule_basis.notice": "通知原文",
            "component.u2": "U2 传播力", "component.u3": "U3 互动力",
            "bool.yes": "是", "bool.no": "否",
            "eta.reached": "已达标", "eta.never": "按当前增速无法达标",
            "state.running": "进行中", "state.complete": "已结束", "state.provisional": "临时",
            "state.final": "最终",
            // Operators read as the notice writes them.
            "op.>=": "≥", "op.<=": "≤", "op.==": "=", "op.≥": "≥", "op.≤": "≤",
            // Full-width, as Chinese text writes them: a Markdown escaper never needs `&lt;` for them.
            "op.>": "＞", "op.<": "＜",
        ]
    )
}
