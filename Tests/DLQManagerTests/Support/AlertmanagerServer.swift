import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port, with clustering off and
/// a receiver that sends nowhere: the test reads what it received through its own API.
final class AlertmanagerServer: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; one test drives it.
    private let process = Process()
    private let directory: URL
    let url: String

    static let executable = "/usr/bin/prometheus-alertmanager"

    init(port: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertmanager-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("alertmanager.yml")
        try """
            route:
              receiver: nowhere
              group_wait: 0s
            receivers:
              - name: nowhere
            """.write(to: configuration, atomically: true, encoding: .utf8)
        url = "http://127.0.0.1:\(port)"
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "--config.file=\(configuration.path)",
            "--storage.path=\(directory.path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=",
        ]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        try process.run()
    }

    /// Alerts Alertmanager currently holds, as its API returns them.
    func alerts() async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/api/v2/alerts")!)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    func waitUntilReady() async throws {
        try await eventually("Alertmanager is ready", timeout: .seconds(30)) {
            guard let (_, response) = try? await URLSession.shared.data(from: URL(string: self.url + "/-/ready")!) else { return false }
            return (response as? HTTPURLResponse)?.statusCode == 200
        }
    }

    func stop() {
        process.terminate()
        _ = try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        if ChildExit.status(of: process) == nil { kill(process.processIdentifier, SIGKILL) }
    }
}
