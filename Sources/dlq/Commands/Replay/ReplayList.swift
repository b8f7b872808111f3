import ArgumentParser
import DLQManager

/// `dlq replay list`.
struct ReplayList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List replay jobs, newest first.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "At most this many jobs.") var limit: Int = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let configuration = try options.load()
        let jobs = try await withConnection(configuration, label: "dlq.replay") { connection in
            try await ReplayJobStore().jobs(limit: limit, on: connection)
        }
        if json {
            try printJSON(jobs)
            return
        }
        guard !jobs.isEmpty else {
            print("no replay jobs")
            return
        }
        var table = Table(headers: ["JOB", "STATE", "CREATED", "OPERATOR", "ITEMS", "PUBLISHED", "SKIPPED", "PENDING", "TARGET", "SELECTION"])
        for job in jobs {
            table.rows.append([
                String(job.id),
                job.state == .running && !job.runnerActive ? "running?" : job.state.rawValue,
                iso8601(job.createdAt),
                job.operatorName.truncated(to: 16),
                String(job.items.total),
                String(job.items.published),
                String(job.items.skipped),
                String(job.items.pending),
                (job.targetTopic ?? "original").truncated(to: 24),
                job.selection.truncated(to: 48),
            ])
        }
        print(table.render())
    }
}
