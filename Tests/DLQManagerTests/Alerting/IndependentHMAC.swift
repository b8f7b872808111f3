import Foundation

/// HMAC-SHA256 computed by Python's `hmac` module in a child process: a check of the webhook signature that shares
/// no code with the implementation under test (which uses swift-crypto).
enum IndependentHMAC {
    /// Lowercase hex HMAC-SHA256 of `message` under `key`.
    ///
    /// The message and the answer go through files, not pipes, and the exit is polled rather than awaited with
    /// a blocking call: a pipe can be inherited by a daemon another test spawns at the same moment, and a
    /// blocking wait on the cooperative pool could then stall every test.
    static func sha256Hex(key: String, message: [UInt8]) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let messageFile = directory.appendingPathComponent("message")
        let outputFile = directory.appendingPathComponent("output")
        try Data(message).write(to: messageFile)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import hashlib, hmac, sys; "
                + "print(hmac.new(sys.argv[1].encode(), open(sys.argv[2], 'rb').read(), hashlib.sha256).hexdigest())",
            key, messageFile.path,
        ]
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        var status: Int32?
        try await eventually("python3 computes the HMAC", timeout: .seconds(30)) {
            status = ChildExit.status(of: process)
            return status != nil
        }
        guard status == 0 else {
            throw TestSetupError("python3 hmac exited with \(status ?? -1)")
        }
        return try String(contentsOf: outputFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
