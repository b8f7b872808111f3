import ArgumentParser
import DLQManager

/// `dlq replay resume JOB`.
struct ReplayResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted or failed replay job. Nothing it already published is sent again.",
        discussion: """
            When the previous run died without recording some deliveries (kill -9, a crash, a broker failure), the
            job first reads its target topics from where they stood when it started and marks the records carrying
            its lineage as published; only what is not found there is sent again.
            """
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "The job id.") var job: Int64
    @OptionGroup var operatorName: OperatorName
    @Flag(help: "Print the final report as JSON.") var json = false

    func run() async throws {
        let configuration = try options.load()
        let who = operatorName.resolved
        try await withConnection(configuration, label: "dlq.replay") { connection in
            try await connection.withTransaction { transaction in
                try await AuditLog().record(
                    operator: who, action: "replay-resume", reason: nil, selection: nil, eventCount: nil, jobID: job,
                    outcome: "resumed", in: transaction)
            }
            try await runReplayJob(job, operator: who, configuration: configuration, connection: connection, json: json)
        }
    }
}
