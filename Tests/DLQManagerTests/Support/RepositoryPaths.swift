import Foundation

/// Paths in the source tree and build folder, found from this file's location.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let migrations = root.appendingPathComponent("Migrations")

    /// The `dlq` binary built beside the test bundle (the test target depends on it, so it is built first).
    static var dlqExecutable: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dlq")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return root.appendingPathComponent(".build/debug/dlq")
    }
}
