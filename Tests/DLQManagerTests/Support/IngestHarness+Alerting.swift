extension IngestHarness {
    /// The HMAC key variable the configurations below name; set it in the daemon's environment.
    static let hmacKeyVariable = "DLQ_TEST_HMAC_KEY"

    /// A configuration file alerting every group to one webhook receiver at `url`, with fast retries and an
    /// hour's repeat interval, so that tests see each group's first alert and no second one. `alerting`
    /// overrides `alerting.*` settings; `extra` adds top-level sections.
    static func alertingConfiguration(url: String, alerting overrides: [String: Int] = [:], extra: String = "") -> String {
        let settings = [
            "group_wait_ms": 200, "repeat_interval_ms": 3_600_000, "retry_initial_ms": 100, "retry_max_ms": 1000,
            "poll_interval_ms": 200,
        ].merging(overrides) { $1 }
        return writeConfiguration("""
            alerting:
            \(settings.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: "\n"))
              sinks:
                - name: hook
                  type: webhook
                  url: \(url)/alerts
                  hmac_key_env: \(hmacKeyVariable)
                  rate_limit_per_minute: 10000

            """ + extra)
    }
}
