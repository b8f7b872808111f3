import ArgumentParser
import DLQManager

/// `dlq replay status [JOB]`.
struct ReplayStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a replay job: progress, skipped events and why, recurrences, errors (default: the newest)."
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "The job id (default: the newest job).") var job: Int64?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let configuration = try options.load()
        let found: ReplayJob? = try await withConnection(configuration, label: "dlq.replay") { connection in
            let store = ReplayJobStore()
            var id = job
            if id == nil { id = try await store.latestJobID(on: connection) }
            guard let id else { return nil }
            return try await store.job(id, on: connection)
        }
        guard let found else {
            printError(job.map { "no replay job \($0)" } ?? "no replay jobs yet")
            throw ExitCode.failure
        }
        if json {
            try printJSON(found)
        } else {
            print(ReplayJobReport(found).text)
        }
    }
}
