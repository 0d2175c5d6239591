extension ReportLocalization {
    /// English: the texts of the report as they have always read, and every code named by itself,
    /// so column keys and codes match the CSV and docs/reports.md.
    package static let english = ReportLocalization(
        language: .en,
        texts: [
            .reportTitle: "Report %1: %2",
            .runningBanner: "Period still running.",
            .runningNotice: "The period %1 is still running: figures as of %2 (generated %3), not a final report. "
                + "Posts, hits and followers count only what is known so far; the index keeps d = %4 (%5) "
                + "although %6 of %7 days have passed, so its per-day terms are below what the full period will give.",
            .runningBasisMonth: "the calendar month",
            .runningBasisYear: "the calendar year",
            .runningBasisRange: "the whole range",
            .footer: "Generated %1 · %2",
            .summaryTitle: "Summary",
            .contentProvisional: "Content figures are provisional until %2: a post's reads, likes, comments and "
                + "shares are read at day %1 after publication, and the period's last posts reach that age then. "
                + "Until they do, earlier values stand in, so V, Vmax, likes, comments, shares, EII, the third-party "
                + "indices and the ranking will still change; make the report again after %2 for final figures.",

            .cardPeriod: "Period",
            .cardAsOf: "As of",
            .cardDeadline: "Deadline",
            .cardRunning: "%1 (running)",
            .cardUnitsLackingData: "Units lacking data",
            .cardAccountsLackingData: "Main accounts lacking data",

            .tableReport: "Report",
            .noteReport: "as_of is the last day of the period, or today while the period is running "
                + "(period_state running: a partial report).",
            .tableSummary: "Attainment by category",
            .noteSummary: "Units per status under each rule's aggregation (each main account on its own by default).",
            .tableUnits: "Units",
            .noteUnits: "One row per unit and rule; best and sum are over the unit's main accounts with data in the "
                + "period. ≈: the sum includes an approximate value, ≥: a lower bound.",
            .tableAttainment: "Attainment per main account",
            .noteAttainment: "Latest followers row of the period as an interval: exact [v, v+1), lower_bound [v, inf), "
                + "approx [v - q/2, v + q). MET if lo >= target, NOT_MET if hi <= target, else INDETERMINATE. "
                + "≈ marks figures from an approximate value (99.9万), ≥ and ≤ those from a lower bound (10万+). "
                + "net_30d: trailing 30-day net growth (≈ when extrapolated from fewer than 30 days; none from less than a day); eta: when the target is reached at that pace.",
            .tableRanking: "Composite EII ranking",
            .noteRanking: "EII = sum of w_p * EII_p over the weighted platforms; a platform without a main account "
                + "counts 0. Ranked within category and tier (the follower rule). A unit whose main account has no EII "
                + "(no content data, no per-post data, no followers data: see the note) has no composite and no rank; "
                + "ranks count only the units with one.",
            .tableInfluence: "Influence per account",
            .noteInfluence: "EII components: U1 = ln(10n/d+1); U2 = 0.6 ln(V/d+1) + 0.2 ln(V/n+1) + 0.2 ln(Vmax+1); "
                + "U3 = 0.4 ln(10S/d+1) + 0.4 ln(10C/d+1) + 0.2 ln(10L/d+1); U4 = 0.6 ln(F+1) + 0.4 ln(10 max(dF,0)/d+1); "
                + "points = 100 w U with w = 0.10/0.40/0.25/0.25; EII = 0 without posts. "
                + "Content values are read at day %1; WeChat uses viewers where views are absent. "
                + "Empty cells are unknown: without content data (or with posts_new only, or without followers) "
                + "there is no EII, and the note says why. ≈ or ≥ on EII or the index: an input rests on an "
                + "approximate value or a lower bound (Vmax has its own mark).",
            .tableActivity: "Posting activity",
            .noteActivity: "Posts: objects published in the period (first seen, when published_at is unknown). "
                + "hits_100k: posts of the period with views >= 100001 (10万+ counts; exactly 100000 does not). "
                + "dormant_14d: some 14-day window without a post. "
                + "data_since: set when the account's data begins after the period's first day; the gap counts "
                + "from it (the days before are unknown, not dormant). "
                + "data_until: set when the account's collection stops before the as-of day (or its last files "
                + "are not imported yet); the gap counts up to it (the days after are unknown, not dormant). "
                + "An account with no data at all in the period has no content data.",
            .tableRules: "Rules",
            .noteRules: "Every rule of the rules file and how this report used it.",
            .columnPlatformEII: "eii_%1",

            .selectorCities: "city in {%1}",
            .selectorStudents: "students%1%2",
            .citySeparator: ",",
            .listSeparator: " ",
            .reasonSeparator: "; ",
            .sentenceSeparator: " ",
            .noteSeparator: ", ",
            .labelled: "%1: %2",
            .evaluatedYes: "yes",
            .evaluatedNotInForce: "no: not in force in the period",
            .evaluatedManual: "no: recorded by hand",
            .evaluatedHits: "info: activity.hits_100k",
            .evaluatedInfo: "info",
            .evaluatedNotComputed: "no: %1 is not computed",
            .noteNoMainAccount: "no main account (main = yes) in the registry",
            .noteNoFollowersRow: "no followers row",
            .noteStaleFollowers: "latest followers row is from %1, before the period",
            .noteCannotDecide: "the stored value cannot decide; obtain an exact count",
            .noteNoRuleForCategory: "no follower rule for category %1",
            .noteStudentsUnknown: "students unknown in the registry; the tiers of %1 need it",
            .noteNoRuleForCity: "no follower rule selects this unit (city %1)",
            .noteAccountStatus: "%1 %2",
            .noteCountedZero: "counted 0, as no account of the platform has them: %1",
            .notePlatformUncollected: "%1: no account has %2 collected, so they count 0 in the EII of every %1 "
                + "account alike (%3) and these accounts remain comparable with each other.",
            .notePlatformPartlyCollected: "%1: %2 of the %3 accounts with posts lack %4, which the other accounts "
                + "have: those accounts have no EII and their units are not ranked. Collect the figures: import the "
                + "platform's export that has them (WeChat: the 全部内容 or 单篇图文 export) or have the adapter send them.",
            .platformFigures: "%1 (%2)",
            .noteDataGaps: "%1 main accounts of %2 units lack data in the period: %3 without a followers row, "
                + "%4 without content data%5%6. Without followers an account's attainment is "
                + "NO_DATA; without content its EII is unknown and its unit not ranked; the unit's status does not "
                + "always show either. To fix: import the platform's export "
                + "(collector import), check the adapter's configuration and credentials (collector check), "
                + "or try the account with collector test.",
            .gapAccounts: " Accounts: %1.",
            .gapAccount: "%1 %2 %3 (%4)",
            .gapNoContent: "no content data",
            .gapNoFollowers: "no followers row in the period",
            .gapBoth: " (%1 without either)",
            .gapPartialCount: ", %1 collected for part of the period only (no EII, unit not ranked)",
            .gapCollectedDays: "collected %1 only",
            .collectedSpan: "%1..%2",
            .gapMore: " And %1 more: see the notes of the attainment and influence tables.",
            .notePlatformIndexEmpty: " %1 needs them and is not computed.",

            .dateDay: "%1-%4-%5",
            .dateMonth: "%1-%4",
            .dateYear: "%1",
            .dateMoment: "%4",

            .chartAttainment: "Attainment by category",
            .chartFollowers: "Followers against targets",
            .chartRanking: "Ranking per category and tier",
            .chartUnitsPerStatus: "Units per status",
            .chartUnitsPerStatusLabel: "Units per status by category and tier",
            .chartNoFollowers: "no followers data",
            .chartTarget: "target",
            .chartNotRanked: "not ranked: %1",
            .chartRankingTier: "%1 · %3",
            .legendExact: "exact",
            .legendApprox: "approx (99.9万)",
            .legendLowerBound: "lower bound (10万+)",
            .legendTarget: "target",
        ],
        terms: Dictionary(
            uniqueKeysWithValues: vocabulary.map { key in
                (key, String(key[key.index(after: key.firstIndex(of: ".") ?? key.startIndex)...]))
            }
        ).merging([
            "column.eii_composite": "eii", "component.u2": "U2 reach", "component.u3": "U3 engagement",
            // English calls them views and shares on every platform.
            "metric.views.video": "views", "metric.shares.video": "shares",
        ]) {
            _,
            override in override
        }
    )
}
