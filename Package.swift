// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "collector",
    products: [
        .executable(name: "collector", targets: ["CollectorCLI"]),
        .executable(name: "platform-simulator", targets: ["SimulatorCLI"]),
    ],
    dependencies: [
        // Command line and logs
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Configuration
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // .xlsx import
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C libraries, reached only through typed shims (STYLE §5).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),
        .systemLibrary(name: "CSystem"),

        // The core: model, configuration, HTTP, JSON, storage, scheduling.
        .target(
            name: "Collector",
            dependencies: [
                "CCurl", "CJansson", "CSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // One folder per platform, plus the exec and import adapters and the registry.
        .target(
            name: "Adapters",
            dependencies: [
                "Collector", "CSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Reports: targets, influence indices, rankings (COUNTS_AND_TARGETS.md §2–§5).
        .target(
            name: "Reports",
            dependencies: ["Collector", .product(name: "TOMLKit", package: "TOMLKit")],
            // The shipped rules, built in (`--rules shandong-2022-16`): a server gets the binary
            // alone. A link to rules/, so the checkout keeps one copy.
            resources: [.embedInCode("Rules/BuiltIn/shandong-2022-16.toml")]
        ),
        // The platform simulator: an HTTP/1.1 server on 127.0.0.1 that plays the platforms.
        .target(name: "PlatformSimulator"),
        .executableTarget(name: "SimulatorCLI", dependencies: ["PlatformSimulator"]),
        // The parsers under libFuzzer (Scripts/fuzz.sh builds it with -sanitize=fuzzer); a
        // plain build replays input files through the same entry point.
        .executableTarget(name: "FuzzTargets", dependencies: ["Collector", "Adapters"]),
        .executableTarget(
            name: "CollectorCLI",
            dependencies: [
                "Collector", "Adapters", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test support and tests.
        .target(
            name: "CollectorTesting",
            dependencies: ["Collector", "PlatformSimulator", .product(name: "Logging", package: "swift-log")],
            path: "Tests/CollectorTesting"
        ),
        .testTarget(
            name: "CollectorTests",
            dependencies: ["Collector", "CollectorTesting", .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "AdaptersTests",
            dependencies: [
                "Adapters", "Collector", "CollectorTesting", "PlatformSimulator",
                .product(name: "Logging", package: "swift-log"),
                // Builds crafted .xlsx archives (ZIP bombs) for XLSXLimitsTests.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures", "Cases"]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Collector"], exclude: ["Fixtures"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["CollectorCLI", "SimulatorCLI", "Collector", "CollectorTesting", "PlatformSimulator"]
        ),
    ]
)

// One place for strictness (swift-log, async-http-client and Hummingbird do the same).
for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),  // SE-0335
            .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
            .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409: keeps CCurl/CJansson out of the API
        ]
}
