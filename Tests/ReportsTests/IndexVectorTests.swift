import Reports
import Testing

/// One published test vector of COUNTS_AND_TARGETS.md §2–§3.
struct IndexVector: Sendable, CustomTestStringConvertible {
    var name: String
    var actual: Double
    var expected: Double
    var decimals: Int

    var testDescription: String { "\(name) = \(expected)" }

    /// Both values rounded half away from zero to `decimals`.
    var matches: Bool {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (actual * scale).rounded() == (expected * scale).rounded()
    }
}

private let wciV2 = WCI.Inputs(
    days: 30,
    articles: 100,
    reads: 10000,
    recommends: 4000,
    maxReads: 300,
    maxRecommends: 60
)
private let wciV14 = WCI.Inputs(
    days: 30,
    articles: 60,
    reads: 300_000,
    recommends: 3000,
    likes: 4500,
    shares: 6000,
    headlineReads: 200_000,
    headlineRecommends: 2000,
    headlineLikes: 3000,
    headlineShares: 4000,
    maxReads: 100_001,
    maxRecommends: 800,
    maxLikes: 1200,
    maxShares: 1500
)
private let eiiLarge = EII(
    EII.Inputs(
        days: 30,
        posts: 60,
        views: 300_000,
        maxViews: 100_001,
        likes: 4500,
        comments: 600,
        shares: 6000,
        followers: 850_000,
        followerChange: 15000
    )
)
private let eiiSmall = EII(
    EII.Inputs(
        days: 30,
        posts: 8,
        views: 4000,
        maxViews: 1200,
        likes: 150,
        comments: 10,
        shares: 40,
        followers: 31000,
        followerChange: 300
    )
)

/// Every numeric test vector of the spec, to 2 decimals (components to 4, as printed there).
let indexVectors: [IndexVector] = [
    IndexVector(name: "WCI V2.0 Read", actual: WCI.v2(wciV2).read, expected: 6.6170, decimals: 4),
    IndexVector(name: "WCI V2.0 Like", actual: WCI.v2(wciV2).like, expected: 5.6055, decimals: 4),
    IndexVector(name: "WCI V2.0", actual: WCI.v2(wciV2).wci, expected: 411.4875, decimals: 2),
    IndexVector(name: "WCI V14.2 classic O", actual: WCI.v14Classic(wciV14).o, expected: 8.8895, decimals: 4),
    IndexVector(name: "WCI V14.2 classic A", actual: WCI.v14Classic(wciV14).a, expected: 8.1966, decimals: 4),
    IndexVector(name: "WCI V14.2 classic H", actual: WCI.v14Classic(wciV14).h, expected: 8.4841, decimals: 4),
    IndexVector(name: "WCI V14.2 classic P", actual: WCI.v14Classic(wciV14).p, expected: 11.1584, decimals: 4),
    IndexVector(name: "WCI V14.2 classic", actual: WCI.v14Classic(wciV14).wci, expected: 958.50, decimals: 2),
    IndexVector(name: "WCI V14.2 with shares", actual: WCI.v14Shares(wciV14), expected: 906.53, decimals: 2),
    IndexVector(name: "WCI O/A/P O", actual: WCI.oap(wciV14).o, expected: 8.8652, decimals: 4),
    IndexVector(name: "WCI O/A/P A", actual: WCI.oap(wciV14).a, expected: 8.1723, decimals: 4),
    IndexVector(name: "WCI O/A/P P", actual: WCI.oap(wciV14).p, expected: 11.1341, decimals: 4),
    IndexVector(name: "WCI O/A/P", actual: WCI.oap(wciV14).wci, expected: 798.73, decimals: 2),
    IndexVector(
        name: "WCI variant classic",
        actual: WCI.value(wciV14, variant: .classic),
        expected: 958.50,
        decimals: 2
    ),
    IndexVector(name: "WCI variant shares", actual: WCI.value(wciV14, variant: .shares), expected: 906.53, decimals: 2),
    IndexVector(name: "WCI variant oap", actual: WCI.value(wciV14, variant: .oap), expected: 798.73, decimals: 2),
    IndexVector(name: "WCI variant v2", actual: WCI.value(wciV2, variant: .v2), expected: 411.4875, decimals: 2),
    IndexVector(
        name: "BCI",
        actual: PublishedIndices.bci(posts: 120, reposts: 5000, comments: 3000, likes: 20000),
        expected: 1253.03,
        decimals: 2
    ),
    IndexVector(
        name: "VCI",
        actual: PublishedIndices.vci(posts: 120, shares: 5000, comments: 3000, likes: 20000),
        expected: 1253.03,
        decimals: 2
    ),
    IndexVector(
        name: "BVCI V2.0",
        actual: PublishedIndices.bvci(
            videos: 20,
            playsPerDay: 10000,
            commentsPerDay: 30,
            followers: 50000,
            followerIncrease: 2000
        ),
        expected: 664.92,
        decimals: 2
    ),
    IndexVector(name: "EII 867 U1", actual: eiiLarge.components[0], expected: 3.0445, decimals: 4),
    IndexVector(name: "EII 867 U2", actual: eiiLarge.components[1], expected: 9.5323, decimals: 4),
    IndexVector(name: "EII 867 U3", actual: eiiLarge.components[2], expected: 6.6247, decimals: 4),
    IndexVector(name: "EII 867 U4", actual: eiiLarge.components[3], expected: 11.5988, decimals: 4),
    IndexVector(name: "EII 867 points U1", actual: eiiLarge.points[0], expected: 30.4, decimals: 1),
    IndexVector(name: "EII 867 points U2", actual: eiiLarge.points[1], expected: 381.3, decimals: 1),
    IndexVector(name: "EII 867 points U3", actual: eiiLarge.points[2], expected: 165.6, decimals: 1),
    IndexVector(name: "EII 867 points U4", actual: eiiLarge.points[3], expected: 290.0, decimals: 1),
    IndexVector(name: "EII 867", actual: eiiLarge.value, expected: 867.32, decimals: 2),
    IndexVector(name: "EII 499 U1", actual: eiiSmall.components[0], expected: 1.2993, decimals: 4),
    IndexVector(name: "EII 499 U2", actual: eiiSmall.components[1], expected: 5.6017, decimals: 4),
    IndexVector(name: "EII 499 U3", actual: eiiSmall.components[2], expected: 2.4379, decimals: 4),
    IndexVector(name: "EII 499 U4", actual: eiiSmall.components[3], expected: 8.0511, decimals: 4),
    IndexVector(name: "EII 499 points U1", actual: eiiSmall.points[0], expected: 13.0, decimals: 1),
    IndexVector(name: "EII 499 points U2", actual: eiiSmall.points[1], expected: 224.1, decimals: 1),
    IndexVector(name: "EII 499 points U3", actual: eiiSmall.points[2], expected: 60.9, decimals: 1),
    IndexVector(name: "EII 499 points U4", actual: eiiSmall.points[3], expected: 201.3, decimals: 1),
    IndexVector(name: "EII 499", actual: eiiSmall.value, expected: 499.29, decimals: 2),
    IndexVector(
        name: "EII n = 0",
        actual: EII(
            EII.Inputs(
                days: 30,
                posts: 0,
                views: 300_000,
                maxViews: 100_001,
                likes: 4500,
                comments: 600,
                shares: 6000,
                followers: 850_000,
                followerChange: 15000
            )
        ).value,
        expected: 0,
        decimals: 2
    ),
]

struct IndexVectorTests {
    @Test(arguments: indexVectors)
    func reproducesPublishedVector(_ vector: IndexVector) {
        #expect(vector.matches, "\(vector.name): got \(vector.actual), expected \(vector.expected)")
    }

    @Test func eiiPointsAddUpToTheIndex() {
        #expect((eiiLarge.points.reduce(0, +) * 1e6).rounded() == (eiiLarge.value * 1e6).rounded())
        #expect(EII.weights == [0.10, 0.40, 0.25, 0.25])
    }

    @Test func compositeWeighsEachPlatformAndCountsAMissingOneAsZero() {
        #expect(EII.composite([(0.30, 800), (0.25, 400), (0.15, 0)]) == 0.30 * 800 + 0.25 * 400)
        #expect(EII.composite([]) == 0)
    }

    @Test func wciOfAnAccountWithoutArticlesIsZero() {
        let empty = WCI.Inputs(days: 30, articles: 0, reads: 0, recommends: 0, maxReads: 0, maxRecommends: 0)
        for variant in WCI.Variant.allCases { #expect(WCI.value(empty, variant: variant) == 0) }
    }
}
