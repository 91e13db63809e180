// swift-tools-version:6.2
// Coverage-guided fuzz targets (libFuzzer) for checkpoint's parsers and decoders. A separate package
// built with `-sanitize=fuzzer,address` so the instrumentation never reaches the product.
// Run: scripts/fuzz.sh (see docs/fuzzing.md).
import PackageDescription

let package = Package(
    name: "CheckpointFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "checkpoint", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(
            name: "checkpoint-fuzz",
            dependencies: [
                "CFuzzDriver",
                .product(name: "CheckpointCore", package: "checkpoint"),
                .product(name: "CheckpointConfig", package: "checkpoint"),
                .product(name: "DeviceCatalog", package: "checkpoint"),
                .product(name: "Thermometers", package: "checkpoint"),
                .product(name: "Scanners", package: "checkpoint"),
                .product(name: "IDCards", package: "checkpoint"),
                .product(name: "DeviceFamilies", package: "checkpoint"),
                .product(name: "Gate", package: "checkpoint"),
                .product(name: "Control", package: "checkpoint"),
            ],
            path: "Sources/checkpoint-fuzz",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
