import ArgumentParser
import DLQManager
import Foundation
import Logging
import Postgres

/// Runs a replay job in this process with progress on standard error, then prints its report (text or JSON)
/// and exits with a code that says how the run ended: 0 completed or cancelled, 1 failed, 130 interrupted.
func runReplayJob(
    _ jobID: Int64,
    operator operatorName: String,
    configuration: DLQConfiguration,
    connection: PostgresConnection,
    json: Bool
) async throws {
    let signals = ReplaySignals()
    let display = ReplayProgressDisplay()
    let tracer = TraceExporter(logger: Logger(label: "dlq.tracing"))
    let runner = ReplayRunner(configuration: configuration, logger: Logger(label: "dlq.replay"), tracer: tracer)
    let job: ReplayJob
    do {
        job = try await runner.run(
            jobID: jobID, operator: operatorName, on: connection,
            shouldStop: { signals.shouldStop },
            progress: { display.show($0) }
        )
        await tracer?.flush()
    } catch let error as ReplayError {
        display.finish()
        printError(error.description)
        throw ExitCode.failure
    } catch {
        display.finish()
        printError("replay job \(jobID) failed: \(error); continue with: dlq replay resume \(jobID)")
        throw ExitCode.failure
    }
    display.finish()
    if json {
        try printJSON(job)
    } else {
        print(ReplayJobReport(job).text)
    }
    switch job.state {
    case .completed, .cancelled: return
    case .interrupted:
        printError("interrupted; continue with: dlq replay resume \(jobID)")
        throw ExitCode(130)
    default:
        printError("replay job \(jobID) \(job.state.rawValue)\(job.lastError.map { ": \($0)" } ?? ""); continue with: dlq replay resume \(jobID)")
        throw ExitCode.failure
    }
}
