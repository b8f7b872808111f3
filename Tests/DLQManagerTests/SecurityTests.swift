import DLQManager
import Foundation
import Testing

/// The security pass's checks that a grep or a log scan can make: no SQL from string concatenation, no secret
/// in any output, no network exposure by default.
@Suite("Security")
struct SecurityTests {
    /// Every way to put raw text into SQL, and what each place may put there: constants of the code, never data.
    /// A new use fails this test until someone has looked at it and added it here.
    private static let reviewedUnsafeSQL: [String: Set<String>] = [
        "Sources/DLQManager/Storage/DeadLetterStore.swift": ["unsafeRaw: Self.columns", "unsafeRaw: Self.selectColumns"],
        "Sources/DLQManager/Storage/ErrorGroupStore+Operations.swift": ["unsafeRaw: DeadLetterSelection.statusSQL"],
        "Sources/DLQManager/Operations/Resolution.swift": ["unsafeRaw: DeadLetterSelection.statusSQL"],
        "Sources/DLQManager/Operations/DeadLetterStatistics.swift": ["unsafeRaw: DeadLetterSelection.statusSQL"],
        "Sources/DLQManager/Selection/DeadLetterSelection+SQL.swift": ["unsafeRaw: Self.statusSQL"],
        "Sources/DLQManager/Selection/SelectionPreview.swift": ["unsafeRaw: DeadLetterSelection.statusSQL"],
        // The migration files themselves, and the bookkeeping table's constant DDL.
        "Sources/DLQManager/Storage/Migrator.swift": ["executeUnsafe(script: migration.sql", "executeUnsafe(script: \"\"\""],
    ]

    @Test("raw SQL appears only where it was reviewed, and no SQL is built by concatenating strings")
    func noSQLFromConcatenation() throws {
        let unsafe = try NSRegularExpression(pattern: #"(unsafeRaw: [A-Za-z.]+|unsafeSQL: [A-Za-z.]+|executeUnsafe\(script: (?:[A-Za-z.]+|"""))"#)
        // A string literal that starts like a statement, followed by `+`: how injection usually begins.
        let concatenated = try NSRegularExpression(
            pattern: #""\s*(SELECT|INSERT|UPDATE|DELETE|WITH|COPY|CREATE|ALTER|DROP)\b[^"]*"\s*\+"#, options: [.caseInsensitive])
        var found: [String: Set<String>] = [:]
        var concatenations: [String] = []
        for file in try Self.swiftFiles(under: "Sources") where !file.hasPrefix("Sources/Postgres/") {
            let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent(file), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in unsafe.matches(in: text, range: range) {
                found[file, default: []].insert(String(text[Range(match.range, in: text)!]))
            }
            concatenations += concatenated.matches(in: text, range: range).map { "\(file): \(text[Range($0.range, in: text)!])" }
        }
        #expect(found == Self.reviewedUnsafeSQL)
        #expect(concatenations.isEmpty, "\(concatenations)")
    }

    @Test("secret values never appear in the output of config check or of the daemon, even at trace level")
    func secretsNeverLogged() async throws {
        let harness = try await IngestHarness.make()
        _ = try await harness.produceSamples(count: 30)
        let secrets = ["pw-4f1d9c2e", "hmac-7b3e0a91", "sasl-c0ffee42", "routing-5e6f7a8b"]
        let configuration = IngestHarness.writeConfiguration("""
            alerting:
              group_wait_ms: 0
              sinks:
                - name: hooks
                  type: webhook
                  url: http://127.0.0.1:9/hooks
                  hmac_key_env: TEST_HMAC_KEY
                - name: pager
                  type: pagerduty
                  routing_key_env: TEST_ROUTING_KEY
                  url: http://127.0.0.1:9/v2/enqueue
            """)
        let environment = harness.environment([
            "DLQ_CONFIG": configuration, "DLQ_DATABASE_PASSWORD": secrets[0], "TEST_HMAC_KEY": secrets[1],
            "TEST_ROUTING_KEY": secrets[3], "DLQ_LOG_LEVEL": "trace", "DLQ_KAFKA_SECRET_SASL_PASSWORD": secrets[2],
        ])

        let check = try await DLQProcess.run(["config", "check"], environment: environment)
        let daemon = try DLQProcess(["ingest"], environment: environment)
        defer { if daemon.isRunning { daemon.signal(SIGKILL) } }
        try await eventually("the daemon stored the dead letters and tried to alert", timeout: .seconds(60)) {
            guard daemon.isRunning else { throw TestSetupError("the daemon exited:\n\(String(daemon.log().suffix(3000)))") }
            let stored = try await harness.database.count()
            let attempted = try await harness.database.query("SELECT count(*) FROM alert_deliveries WHERE attempts > 0")
            let attempts = try attempted[0].decode(Int64.self, column: 0)
            return stored == 30 && attempts > 0
        }
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()

        let outputs = [check.output, check.log, daemon.standardOutput(), daemon.log()]
        #expect(check.status == 0, "config check log:\n\(check.log)")
        #expect(daemon.log().count > 10_000, "a trace-level log is long enough to be worth scanning")
        for secret in secrets {
            #expect(!outputs.contains { $0.contains(secret) }, "secret \(secret) appeared in the output")
        }
        await harness.database.drop()
    }

    @Test("the HTTP endpoint binds to loopback unless configured otherwise")
    func endpointOnLoopbackByDefault() throws {
        let configuration = try DLQConfiguration.load(filePath: nil, environment: [:])
        #expect(configuration.http.host == "127.0.0.1")
    }

    private static func swiftFiles(under folder: String) throws -> [String] {
        let root = RepositoryPaths.root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .map { folder + "/" + $0.path.dropFirst(root.path.count + 1) }
    }
}
