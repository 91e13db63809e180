// swift-tools-version:6.2
// Benchmarks of checkpoint's hot paths (ordo-one/benchmark). A separate package so that the
// benchmark dependency never reaches the product. Run: see README.md in this directory.
import PackageDescription

let package = Package(
    name: "CheckpointBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "checkpoint", path: ".."),
        // MallocInterposer only: the default RuntimeInterposer trait needs a package the mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        // The SQLite C API alone (GRDB's system-library product), for the journal's raw-SQLite reference.
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    ],
    targets: []
)

/// One executable target per benchmark suite, sources in Benchmarks/<name>/ as the plugin expects.
func benchmarkTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")]
            + (["CheckpointCore"] + products).map { .product(name: $0, package: "checkpoint") } + extra,
        path: "Benchmarks/\(name)",
        swiftSettings: [.swiftLanguageMode(.v6)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

package.targets += [
    benchmarkTarget("ThermometerFraming", ["Thermometers"]),
    benchmarkTarget("ScannerDecoding", ["Scanners"]),
    benchmarkTarget("JournalAppend", ["Journal"], extra: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
    benchmarkTarget("CentralIngest", ["CentralStore"], extra: [.product(name: "Logging", package: "swift-log")]),
    benchmarkTarget("PolicyDecision", ["Gate", "CheckpointConfig"]),
]
