import Foundation

/// HMAC-SHA256 computed by Python's `hmac` module in a child process: a check of the webhook signature that shares
/// no code with the implementation under test (which uses swift-crypto).
enum IndependentHMAC {
    /// Lowercase hex HMAC-SHA256 of `message` under `key`.
    static func sha256Hex(key: String, message: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import hashlib, hmac, sys; "
                + "print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())",
            key,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The message is a few kilobytes at most: well under a pipe's buffer, so writing before reading is safe.
        input.fileHandleForWriting.write(Data(message))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("python3 hmac exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
