import DLQCore
import DLQManager
import Foundation
import Testing

/// Seeded random configuration files: built from the real keys and shapes, cut and mixed with noise (2,000
/// files, times `DLQ_FUZZ_SCALE` for a long run). Loading
/// either succeeds or fails with a `ConfigurationError` naming a key; it never traps or throws anything else.
@Suite("Configuration loader on random input")
struct ConfigurationRandomInputTests {
    private static let fragments: [String] = [
        "database:\n", "  url: postgresql://x@127.0.0.1/db\n", "kafka:\n", "  topics: [a, b]\n", "  topics: a\n",
        "  properties:\n", "    linger.ms: 5\n", "  secret_property_files:\n", "    sasl.password: /nonexistent\n",
        "ingest:\n", "  batch_size: 2000\n", "  batch_size: -1\n", "  batch_size: 99999999999999999999\n",
        "  poll_timeout_ms: x\n", "replay:\n", "  max_replays: 0\n", "  auto_interval_ms: 100\n",
        "http:\n", "  address: 127.0.0.1:9477\n", "  address: nowhere\n", "  address: off\n", "lag:\n", "  groups:\n",
        "    - group: g\n", "      topics: [t]\n", "      topics: []\n", "    - 7\n", "retention:\n", "  purge_after: 30d\n",
        "  purge_after: forever\n", "classification:\n", "  rules:\n", "    - name: r\n", "      match: {exception_class: '('}\n",
        "      match: {message: 'x'}\n", "      class: c\n", "      action: auto-replay\n", "      action: page\n",
        "      cooldown: 10m\n", "      cooldown: soon\n", "      max_attempts: 3\n", "  default: {class: x, action: auto-replay}\n",
        "alerting:\n", "  sinks:\n", "    - name: s\n", "      type: webhook\n", "      type: carrier-pigeon\n",
        "      url: http://127.0.0.1:9\n", "      hmac_key_env: NOPE\n", "  routes: 5\n", "log:\n", "  level: loud\n",
        "unknown_key: 1\n", "- just a list\n", "{", "}", "[", "]", ":", "\"", "'", "&anchor ", "*anchor\n", "!!binary ", "\t", "\n",
    ]

    @Test("2,000 random configuration files load or fail with a ConfigurationError")
    func randomFiles() throws {
        let seed: UInt64 = 0xC0_F1_65
        var random = SeededGenerator(seed: seed)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-random-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: path) }
        var loaded = 0
        let iterations = 2_000 * max(1, Int(ProcessInfo.processInfo.environment["DLQ_FUZZ_SCALE"] ?? "") ?? 1)
        for iteration in 0..<iterations {
            var text = ""
            for _ in 0..<random.next(below: 16) {
                text += Self.fragments[random.next(below: Self.fragments.count)]
            }
            try text.write(to: path, atomically: true, encoding: .utf8)
            do {
                _ = try DLQConfiguration.load(filePath: path.path, environment: [:])
                loaded += 1
            } catch is ConfigurationError {
                continue
            } catch {
                Issue.record("seed \(seed), iteration \(iteration): \(type(of: error)) instead of a ConfigurationError for:\n\(text)")
            }
        }
        #expect(loaded > 20, "some random files are valid, so both outcomes are exercised")
    }
}
