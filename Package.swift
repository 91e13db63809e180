// swift-tools-version:6.2
// checkpoint — the software of an unattended entry checkpoint. See README.md and docs/.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// What `checkpointd` links; `checkpointd-floor` (Benchmarks/Floor) links the same.
let checkpointdDependencies: [Target.Dependency] = [
    "CheckpointCore", "CheckpointConfig", "CredentialDigest", "DeviceIO", "DeviceCatalog", "DeviceFamilies", "DeviceRuntime",
    "Scanners", "IDCards", "Journal", "Uplink", "GateService", "GatePipeline", "Horn", "HornConfig", "Control",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
    .product(name: "CoreMetrics", package: "swift-metrics"),
    .product(name: "Prometheus", package: "swift-prometheus"),
    .product(name: "Hummingbird", package: "hummingbird"),
]

let package = Package(
    name: "checkpoint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "checkpointd", targets: ["checkpointd"]),
        .executable(name: "checkpointctl", targets: ["checkpointctl"]),
        .executable(name: "checkpoint-central", targets: ["checkpoint-central"]),
        .executable(name: "checkpoint-sim", targets: ["checkpoint-sim"]),
        // Libraries exported only for the separate Benchmarks/ and Fuzz/ packages (hot paths, parsers).
        .library(name: "CheckpointCore", targets: ["CheckpointCore"]),
        .library(name: "CheckpointConfig", targets: ["CheckpointConfig"]),
        .library(name: "Thermometers", targets: ["Thermometers"]),
        .library(name: "Scanners", targets: ["Scanners"]),
        .library(name: "DeviceCatalog", targets: ["DeviceCatalog"]),
        .library(name: "IDCards", targets: ["IDCards"]),
        .library(name: "DeviceFamilies", targets: ["DeviceFamilies"]),
        .library(name: "Control", targets: ["Control"]),
        .library(name: "Gate", targets: ["Gate"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "CentralStore", targets: ["CentralStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", exact: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
    ],
    targets: [
        // MARK: C system libraries and Linux shims — nothing else lives here.
        .systemLibrary(name: "CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .target(name: "CLinuxShims"),

        // MARK: Value types and shared contracts (docs/contracts.md). Foundation only.
        .target(name: "CheckpointCore", swiftSettings: swiftSettings),

        // MARK: Gate profiles as values and their merge (docs/fleet.md). CheckpointCore only.
        .target(name: "Profiles", dependencies: ["CheckpointCore"], swiftSettings: swiftSettings),

        // MARK: The one TOML configuration file, with file:line:key errors.
        .target(name: "CheckpointConfig",
                dependencies: ["CheckpointCore", "Profiles", .product(name: "TOMLKit", package: "TOMLKit")],
                swiftSettings: swiftSettings),

        // MARK: The district's keyed digest of credentials (watch list to gates, ledgers kept as digests).
        .target(name: "CredentialDigest",
                dependencies: ["CheckpointCore", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),

        // MARK: The Linux edge: event loop, termios, PTYs, udev, evdev, hidraw, GPIO lines.
        .target(name: "DeviceIO",
                dependencies: ["CheckpointCore", "CGPIOD", "CUdev", "CLinuxShims",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),

        // MARK: The Devices/ catalog: load, validate, match.
        .target(name: "DeviceCatalog",
                dependencies: ["CheckpointCore", "CheckpointConfig"],
                swiftSettings: swiftSettings),

        // MARK: Protocol families — bytes in, readings/scans out, no I/O of their own.
        // They take typed parameters only; DeviceFamilies reads those from the catalog.
        .target(name: "Thermometers", dependencies: ["CheckpointCore"], swiftSettings: swiftSettings),
        .target(name: "Scanners", dependencies: ["CheckpointCore"], swiftSettings: swiftSettings),
        .target(name: "IDCards",
                dependencies: ["CheckpointCore", "CredentialDigest"],
                swiftSettings: swiftSettings),

        // MARK: The families as the catalog sees them: `[protocol]` tables → the families' typed parameters.
        .target(name: "DeviceFamilies",
                dependencies: ["CheckpointCore", "CheckpointConfig", "DeviceCatalog", "Thermometers", "Scanners", "IDCards"],
                swiftSettings: swiftSettings),

        // MARK: Runners: bind the sans-I/O families to DeviceIO ports on the event loop.
        .target(name: "DeviceRuntime",
                dependencies: ["CheckpointCore", "CheckpointConfig", "Control", "DeviceIO", "DeviceCatalog", "DeviceFamilies", "Thermometers", "Scanners", "IDCards",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),

        // MARK: Gate: pairing, policy, decisions — pure, virtual-clock testable.
        .target(name: "Gate", dependencies: ["CheckpointCore"], swiftSettings: swiftSettings),

        // MARK: The gate's durable journal (SQLite, WAL, synchronous=FULL).
        .target(name: "Journal",
                dependencies: ["CheckpointCore", "CLinuxShims", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: swiftSettings),

        // MARK: Client of the central store's API.
        .target(name: "Uplink",
                dependencies: ["CheckpointCore", "CredentialDigest", "Journal",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: swiftSettings),

        // MARK: The gate's entry path: pairing → policy → journal → relay/indicators/horn → uplink.
        .target(name: "GateService",
                dependencies: ["CheckpointCore", "Gate", "Journal",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: swiftSettings),

        // MARK: The gate's pipeline, built in one place: inbox → lanes → entry path → lines → uplink.
        .target(name: "GatePipeline",
                dependencies: ["CheckpointCore", "CheckpointConfig", "CredentialDigest", "DeviceIO", "DeviceRuntime", "Thermometers", "Gate",
                               "GateService", "Journal", "Uplink", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),

        // MARK: The horn: queue, schedules, amplifier sequencing, ALSA output, speech.
        .target(name: "Horn",
                dependencies: ["CheckpointCore", "DeviceIO", "CALSA", "Control",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        // MARK: The `[horn]` section of the configuration file → HornConfiguration.
        .target(name: "HornConfig", dependencies: ["CheckpointCore", "CheckpointConfig", "Horn"], swiftSettings: swiftSettings),

        // MARK: The control socket: protocol and command names shared by checkpointd and checkpointctl,
        // the router, the server on the event loop, the client, `devices.list`.
        .target(name: "Control", dependencies: ["CheckpointCore", "DeviceIO", "CLinuxShims", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),

        // MARK: Central store: storage interface (SQLite, PostgreSQL) and the HTTP API.
        .target(name: "CentralStore",
                dependencies: ["CheckpointCore",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "PostgresNIO", package: "postgres-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        .target(name: "CentralServer",
                dependencies: ["CentralStore", "CheckpointCore", "CheckpointConfig", "CredentialDigest", "Profiles",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "HummingbirdCore", package: "hummingbird"),
                               .product(name: "HummingbirdTLS", package: "hummingbird"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                               .product(name: "Mustache", package: "swift-mustache"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "Logging", package: "swift-log")],
                resources: [.copy("openapi.yaml"), .copy("Web")],
                swiftSettings: swiftSettings),

        // MARK: Protocol-true simulated devices on pseudo-terminals.
        .target(name: "DeviceSimulators",
                dependencies: ["CheckpointCore", "CheckpointConfig", "DeviceIO", "DeviceCatalog", "DeviceFamilies", "Thermometers", "Scanners", "IDCards"],
                swiftSettings: swiftSettings),

        // MARK: Thin executables: wiring and arguments only.
        .executableTarget(name: "checkpointd", dependencies: checkpointdDependencies, swiftSettings: swiftSettings),
        .executableTarget(name: "checkpointctl",
                          dependencies: ["CheckpointCore", "CheckpointConfig", "DeviceIO", "DeviceCatalog", "DeviceFamilies", "DeviceRuntime",
                                         "Scanners", "Horn", "HornConfig", "Control", "Journal", "GateService", "Uplink",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: swiftSettings),
        .executableTarget(name: "checkpoint-central",
                          dependencies: ["CentralStore", "CentralServer", "CheckpointCore", "CredentialDigest", "DeviceIO",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log"),
                                         .product(name: "NIOPosix", package: "swift-nio"),
                                         .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                          swiftSettings: swiftSettings),
        .executableTarget(name: "checkpoint-sim",
                          dependencies: ["DeviceSimulators", "DeviceIO", "DeviceCatalog", "DeviceFamilies", "Thermometers", "DeviceRuntime",
                                         "Journal", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: swiftSettings),

        // MARK: The idle floor of the system benchmark Benchmarks/system/idle.py: the libraries checkpointd
        // links (the same list), started as checkpointd starts them idle, doing nothing. Not a product.
        .executableTarget(name: "checkpointd-floor",
                          dependencies: checkpointdDependencies + [.product(name: "GRDB", package: "GRDB.swift")],
                          path: "Benchmarks/Floor",
                          swiftSettings: swiftSettings),

        // MARK: Test harness: the gate's entry path (GateService → journal → lines → uplink) fed with
        // synthetic device events, run as a child process so that tests can kill -9 it.
        .executableTarget(name: "gate-stream-harness",
                          dependencies: ["CheckpointCore", "CheckpointConfig", "GatePipeline", "GateService", "Journal"],
                          path: "Tests/GateStreamHarness",
                          swiftSettings: swiftSettings),

        // MARK: Tests. TestSupport is the one set of shared helpers (built executables, temp dirs, peers,
        // waiting for a condition, work off the concurrency pool).
        .target(name: "TestSupport",
                dependencies: ["CheckpointCore", "Journal",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio")],
                path: "Tests/TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "CheckpointCoreTests", dependencies: ["CheckpointCore"], swiftSettings: swiftSettings),
        .testTarget(name: "CredentialDigestTests", dependencies: ["CheckpointCore", "CredentialDigest", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "CheckpointConfigTests", dependencies: ["CheckpointCore", "CheckpointConfig", "Profiles"], swiftSettings: swiftSettings),
        .testTarget(name: "DeviceIOTests", dependencies: ["CheckpointCore", "Control", "DeviceIO", "TestSupport",
                                                        .product(name: "Logging", package: "swift-log")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "DeviceCatalogTests", dependencies: ["CheckpointCore", "CheckpointConfig", "DeviceCatalog", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ThermometersTests",
                    dependencies: ["CheckpointCore", "CheckpointConfig", "Thermometers", "DeviceCatalog", "DeviceFamilies", "DeviceIO", "DeviceRuntime",
                                   "DeviceSimulators", "TestSupport"],
                    exclude: ["Peers"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ScannersTests",
                    dependencies: ["CheckpointCore", "CheckpointConfig", "Control", "Scanners", "DeviceCatalog", "DeviceFamilies", "DeviceIO", "DeviceRuntime",
                                   "DeviceSimulators", "TestSupport"],
                    resources: [.copy("Captures")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "IDCardsTests",
                    dependencies: ["CheckpointCore", "IDCards", "DeviceCatalog", "DeviceFamilies", "DeviceIO", "DeviceRuntime", "DeviceSimulators", "TestSupport"],
                    exclude: ["Peers"],
                    swiftSettings: swiftSettings),
        // Pairing, policy and the gate service in process (the timer-sensitive suites run in their own
        // test process: scripts/test.sh).
        .testTarget(name: "GateTests",
                    dependencies: ["CheckpointCore", "CheckpointConfig", "Gate", "Journal", "GateService", "GatePipeline", "DeviceIO",
                                   "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "JournalTests",
                    dependencies: ["CheckpointCore", "Journal", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "UplinkTests",
                    dependencies: ["CheckpointCore", "CheckpointConfig", "CredentialDigest", "Gate", "GatePipeline", "Journal", "Uplink", "TestSupport", .product(name: "NIOHTTP1", package: "swift-nio")],
                    swiftSettings: swiftSettings),
        // checkpointd, checkpointctl and the package end to end: systemd, the Debian package, the demo, kill -9.
        .testTarget(name: "DaemonTests",
                    dependencies: ["CheckpointCore", "Journal", "Uplink", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio")],
                    exclude: ["Peers"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "HornTests", dependencies: ["CheckpointCore", "Horn", "HornConfig", "DeviceIO", "Control", "CheckpointConfig", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CentralTests",
                    dependencies: ["CheckpointCore", "CentralStore", "CentralServer", "CredentialDigest", "TestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "Logging", package: "swift-log"),
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "NIOHTTP1", package: "swift-nio"),
                                   .product(name: "NIOSSL", package: "swift-nio-ssl")],
                    exclude: ["Browser/page_check.py", "Server/openapi_check.py"],
                    swiftSettings: swiftSettings),
    ]
)
