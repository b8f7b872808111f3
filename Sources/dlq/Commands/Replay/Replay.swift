import ArgumentParser

/// `dlq replay`: publish selected dead letters again, as jobs that can be watched, stopped and resumed.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay dead letters to their original topic (or another), as resumable jobs.",
        discussion: """
            A replay publishes each selected dead letter's original key and value bytes (for a JSON envelope, the
            original event exactly as it appears in it) with its original headers, minus the DLQ's failure headers
            (kafka_dlt-*, __connect.errors.*, __streams.errors.*, dead-letter-*), plus lineage headers
            (dlq-replay-job, dlq-replay-count, dlq-replay-origin) and a traceparent continuing the failed event's
            trace. An event is marked replayed only when the broker acknowledged it. An event replayed
            replay.max_replays times (default 3), counting the times it came back, is skipped and flagged.

            Examples:
              dlq replay original_topic=orders class=transient --dry-run
              dlq replay fingerprint=3f9a2c --reason "fixed in payments 2.4.1" --rate 500 --yes
              dlq replay id=120-180 --to orders.retry --json --yes
              dlq replay list
              dlq replay status 7
              dlq replay cancel 7
              dlq replay resume 7
            """,
        subcommands: [StartReplay.self, ReplayStatus.self, ReplayList.self, ReplayCancel.self, ReplayResume.self],
        defaultSubcommand: StartReplay.self
    )
}
