import ArgumentParser
import DLQManager
import Foundation

/// `dlq replay cancel JOB`.
struct ReplayCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop a replay job for good: a running one after the records in flight; unpublished items stay unpublished."
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "The job id.") var job: Int64
    @OptionGroup var operatorName: OperatorName
    @Option(help: "Why: recorded in the audit trail.") var reason: String?

    func run() async throws {
        let configuration = try options.load()
        let who = operatorName.resolved
        try await withConnection(configuration, label: "dlq.replay") { connection in
            let store = ReplayJobStore()
            guard let current = try await store.job(job, on: connection) else {
                printError("no replay job \(job)")
                throw ExitCode.failure
            }
            guard current.state.isResumable else {
                printError("replay job \(job) is already \(current.state.rawValue)")
                throw ExitCode.failure
            }
            if try await store.requestCancel(job, on: connection) {
                print("cancel requested; waiting for job \(job)'s runner to settle the records in flight...")
                var state = current.state
                while state == .running || state == .pending {
                    try await Task.sleep(for: .milliseconds(200))
                    guard let now = try await store.job(job, on: connection) else { break }
                    state = now.state
                    if !now.runnerActive && state == .running { break }
                }
                try await connection.withTransaction { transaction in
                    try await AuditLog().record(
                        operator: who, action: "replay-cancel", reason: reason, selection: nil, eventCount: nil,
                        jobID: job, outcome: "cancel requested while running; job is now \(state.rawValue)", in: transaction)
                }
                print("replay job \(job) is \(state.rawValue)")
                return
            }
            let uncertain = try await store.cancelStopped(job, operator: who, reason: reason, on: connection)
            print("replay job \(job) cancelled")
            if uncertain > 0 {
                print("\(uncertain) events were being sent when the job was interrupted and may have been published")
            }
        }
    }
}
