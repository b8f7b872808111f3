// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The ingest hot path crosses module boundaries (decoding in DLQCore, COPY encoding in Postgres, called per
// record from DLQManager); full cross-module optimization lets release builds specialize and inline there.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "dlq-manager",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dlq", targets: ["dlq"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C behind a wall: only the Kafka and Postgres modules import these.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        // The domain: dead letters and how their envelopes decode. No I/O, no C.
        .target(name: "DLQCore", swiftSettings: hotPath),
        // Storage, ingestion and configuration: where the domain meets Kafka and PostgreSQL.
        .target(
            name: "DLQManager",
            dependencies: [
                "DLQCore",
                "Kafka",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Domain code records with swift-metrics; only the HTTP endpoint knows about Prometheus.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: hotPath
        ),
        .executableTarget(
            name: "dlq",
            dependencies: [
                "DLQManager",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DLQCoreTests", dependencies: ["DLQCore"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"]),
        // What each fuzz target does with one input, shared by the libFuzzer binaries (below) and by the
        // regression tests that replay the committed seeds and crash reproducers without libFuzzer.
        .target(name: "DLQCoreFuzzing", dependencies: ["DLQCore"], path: "Fuzz/DLQCoreFuzzing"),
        .target(name: "DLQManagerFuzzing", dependencies: ["DLQCoreFuzzing", "DLQManager"], path: "Fuzz/DLQManagerFuzzing"),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["DLQCoreFuzzing", "DLQManagerFuzzing"]),
        .testTarget(
            name: "DLQManagerTests",
            dependencies: [
                "DLQManager",
                "dlq",
                // A real HTTP server on loopback stands in for PagerDuty, Slack and webhook receivers.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer binaries (scripts/fuzz). libFuzzer supplies their `main`, so they link only when built with
// `--sanitize=fuzzer`; they are declared only when DLQ_FUZZ=1 so that a plain `swift build` never tries.
if Context.environment["DLQ_FUZZ"] == "1" {
    // In this build DLQManager is only what the configuration loader is made of: its folder and the types it
    // returns. The sanitized build then skips NIO, Hummingbird, AsyncHTTPClient, swift-crypto and Prometheus
    // (a clean build takes about one minute instead of about ten on two cores) and libFuzzer runs about three times
    // as many inputs a second, watching the loader's code rather than theirs. When the loader comes to need
    // another file, the fuzz build says which type it cannot find: add its file here. The regression tests
    // replay the same inputs through the whole DLQManager.
    let loaderSources = [
        "Configuration", "Duration+Units.swift", "Replay/AutoReplayPolicy.swift", "Alerting/Alert.swift",
        "Alerting/Sinks/SinkSettings.swift", "Alerting/Sinks/AlertRedaction.swift", "Alerting/Sinks/AlertJSON.swift",
    ]
    let managerSources = FileManager.default.enumerator(atPath: Context.packageDirectory + "/Sources/DLQManager")?
        .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
    let configurationLoader: Target = .target(
        name: "DLQManager",
        dependencies: [
            "DLQCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ],
        path: "Sources/DLQManager",
        exclude: managerSources.filter { file in !loaderSources.contains { file == $0 || file.hasPrefix($0 + "/") } },
        swiftSettings: hotPath
    )
    package.targets = package.targets.filter { ["DLQCore", "DLQCoreFuzzing", "DLQManagerFuzzing"].contains($0.name) } + [
        configurationLoader,
        .executableTarget(name: "fuzz-envelope", dependencies: ["DLQCoreFuzzing"], path: "Fuzz/Targets/envelope"),
        .executableTarget(name: "fuzz-selection", dependencies: ["DLQCoreFuzzing"], path: "Fuzz/Targets/selection"),
        .executableTarget(name: "fuzz-configuration", dependencies: ["DLQManagerFuzzing"], path: "Fuzz/Targets/configuration"),
    ]
    package.products = []
    package.dependencies = package.dependencies.filter { dependency in
        guard case .sourceControl(_, let location, _) = dependency.kind else { return false }
        return location.hasSuffix("/Yams") || location.hasSuffix("/swift-log")
    }
}
