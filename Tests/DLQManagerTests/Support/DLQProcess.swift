import Foundation

/// The `dlq` binary run as a separate process, as an operator runs it, so that tests can kill it with SIGKILL
/// and read its exit code. Its standard error goes to a file the test can search.
final class DLQProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; each DLQProcess is driven by one test at a time.
    private let process = Process()
    let logFile: URL
    /// Standard output goes to a file too, read after the exit: a pipe's write end can be inherited by a
    /// daemon another test spawns at the same moment, and a blocking read would then wait for that daemon.
    private let outputFile: URL

    init(_ arguments: [String], environment: [String: String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-test-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = RepositoryPaths.dlqExecutable
        process.arguments = arguments
        // Only what the test gives, plus PATH: a developer's own DLQ_* variables must not leak into a test.
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { $1 }
        // Never the test runner's terminal: a command that asks for confirmation must see "no terminal".
        process.standardInput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        outputFile = logFile.deletingPathExtension().appendingPathExtension("out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
    }

    private var exitStatus: Int32?

    var isRunning: Bool {
        if exitStatus == nil { exitStatus = ChildExit.status(of: process) }
        return exitStatus == nil
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns its exit status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        try await eventually("dlq \(process.arguments?.first ?? "") exits", timeout: timeout) { !isRunning }
        return exitStatus ?? -1
    }

    /// Everything it wrote on standard output so far (all of it once it exited).
    func standardOutput() -> String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    func log() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Runs a command to completion and returns its exit status and standard output.
    static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String, log: String) {
        let process = try DLQProcess(arguments, environment: environment)
        let status = try await process.waitForExit()
        return (status, process.standardOutput(), process.log())
    }

    deinit {
        if isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: outputFile)
    }
}
