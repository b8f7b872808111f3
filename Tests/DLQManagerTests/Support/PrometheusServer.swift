import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus (Debian's `prometheus`) on a free loopback port, scraping one target every second: the
/// test asks its query API what it scraped.
final class PrometheusServer: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; one test drives it.
    private let process = Process()
    private let directory: URL
    let url: String

    static let executable = "/usr/bin/prometheus"

    init(port: Int, scraping target: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = directory.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: dlq
                static_configs:
                  - targets: ["\(target)"]
            """.write(to: configuration, atomically: true, encoding: .utf8)
        url = "http://127.0.0.1:\(port)"
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "--config.file=\(configuration.path)",
            "--storage.tsdb.path=\(directory.path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        try process.run()
    }

    /// The instant vector of a PromQL query: each result's labels (without `__name__`) and value.
    func query(_ promQL: String) async throws -> [(labels: [String: String], value: Double)] {
        var components = URLComponents(string: url + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promQL)]
        let (data, _) = try await URLSession.shared.data(from: components.url!)
        let document = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let results = (document?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        return results.compactMap { result in
            guard var labels = result["metric"] as? [String: String],
                  let sample = result["value"] as? [Any], sample.count == 2,
                  let text = sample[1] as? String, let value = Double(text)
            else { return nil }
            labels["__name__"] = nil
            return (labels, value)
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
