import Foundation

/// A PostgreSQL server of the test's own, started with `scripts/postgres.sh` on another port and data
/// directory, so that a test can stop and restart it without disturbing the tests sharing the main server.
struct PrivatePostgresServer {
    let port: Int
    let directory: URL

    init(port: Int) {
        self.port = port
        directory = RepositoryPaths.root.appendingPathComponent(".dev/postgres-\(port)")
    }

    /// Starts it (creating it the first time) and returns its URL.
    @discardableResult
    func start() async throws -> String {
        try await script("start").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() async throws {
        _ = try await script("stop")
    }

    private func script(_ command: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [RepositoryPaths.root.appendingPathComponent("scripts/postgres.sh").path, command]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DLQ_PG_DIR": directory.path,
            "DLQ_PG_PORT": String(port),
        ]) { $1 }
        // Output to a file rather than a pipe: the server the script starts must not hold the test's pipe open.
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("postgres-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        var exitStatus: Int32?
        try await eventually("scripts/postgres.sh \(command) finishes", timeout: .seconds(120)) {
            exitStatus = ChildExit.status(of: process)
            return exitStatus != nil
        }
        let data = try Data(contentsOf: outputFile)
        guard exitStatus == 0 else {
            throw TestSetupError("scripts/postgres.sh \(command) failed with status \(exitStatus ?? -1)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
