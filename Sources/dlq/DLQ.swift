import ArgumentParser

/// `dlq`: the DLQ Manager command line.
@main
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Drain Kafka dead-letter topics into PostgreSQL, and inspect what failed.",
        discussion: """
            Configuration comes from a YAML file (--config, or $DLQ_CONFIG), overridden by DLQ_* environment
            variables and then by command-line options. See Config/dlq.example.yaml for every key.

            A first run on a development machine:
              dlq dev-broker --topic orders.dlq:4 &      # a Kafka-protocol broker on loopback
              dlq migrate                                 # create the schema
              dlq ingest --topic orders.dlq              # the daemon
              dlq list                                    # what arrived
              dlq replay class=transient --dry-run        # what a replay would send back, and where

            Commands that select dead letters (list, groups, replay, resolve, purge) take field=value terms,
            e.g. original_topic=orders class=transient since=2h; see the README, "Selecting dead letters".
            """,
        subcommands: [
            Ingest.self,
            List.self,
            Show.self,
            Groups.self,
            Replay.self,
            Resolve.self,
            Purge.self,
            Audit.self,
            Stats.self,
            Lag.self,
            Alerts.self,
            Reclassify.self,
            Migrate.self,
            ConfigCommand.self,
            DevBroker.self,
            DevProduce.self,
            DevConsume.self,
        ]
    )
}
