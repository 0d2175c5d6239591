import Collector

extension Report {
    /// The sentences the top of the Markdown and HTML report gives before any table: the main
    /// accounts that lack data, and the figures a platform's accounts lack. Each is also in the
    /// rows or table notes it concerns; here they are said once, where a reader starts.
    func summaryNotes(_ style: TableStyle) -> [String] {
        contentNotes(style) + dataGapNotes(style) + uncollectedNotes(style)
    }

    /// The sentence of a report made before the period's last posts reach `content_age_days`:
    /// its content figures use earlier values and will change, and from when they are final.
    func contentNotes(_ style: TableStyle) -> [String] {
        guard contentProvisional, let contentFinalAt else { return [] }
        return [style.text(.contentProvisional, String(rules.index.contentAgeDays), style.moment(contentFinalAt))]
    }

    /// How many accounts list the summary by name before it refers to the tables.
    static let dataGapsNamed = 10

    /// The units whose main accounts lack data.
    var unitsLackingData: Int { Set(dataGaps.map(\.unit.name)).count }

    /// The main accounts without data, counted and named, with what to do: a unit's status
    /// (`NOT_MET` when its other main account falls short) may not show that one has none.
    func dataGapNotes(_ style: TableStyle) -> [String] {
        guard !dataGaps.isEmpty else { return [] }
        let both = dataGaps.filter { $0.noFollowers && $0.noContent }.count
        let partial = dataGaps.filter { $0.collectedDays != nil }.count
        var sentence = style.text(
            .noteDataGaps,
            style.count(dataGaps.count),
            style.count(unitsLackingData),
            style.count(dataGaps.filter(\.noFollowers).count),
            style.count(dataGaps.filter(\.noContent).count),
            both == 0 ? "" : style.text(.gapBoth, style.count(both)),
            // Said only when there are such accounts, so the sentence of other reports is unchanged.
            partial == 0 ? "" : style.text(.gapPartialCount, style.count(partial))
        )
        let named = dataGaps.prefix(Self.dataGapsNamed).map { gap in
            var lacking: [String] = []
            if gap.noFollowers { lacking.append(style.text(.gapNoFollowers)) }
            if gap.noContent { lacking.append(style.text(.gapNoContent)) }
            if let days = gap.collectedDays {
                lacking.append(style.text(.gapCollectedDays, collectedSpan(days, style)))
            }
            return style.text(
                .gapAccount,
                gap.unit.name,
                style.platform(gap.account.platform),
                gap.account.account,
                lacking.joined(separator: style.text(.noteSeparator))
            )
        }
        sentence += style.text(.gapAccounts, named.joined(separator: style.text(.reasonSeparator)))
        if dataGaps.count > Self.dataGapsNamed {
            sentence += style.text(.gapMore, style.count(dataGaps.count - Self.dataGapsNamed))
        }
        return [sentence]
    }
}
