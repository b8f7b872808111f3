import DLQManager
import Foundation

/// A replay job as text for `dlq replay status` and the end of a run.
struct ReplayJobReport {
    let job: ReplayJob

    init(_ job: ReplayJob) {
        self.job = job
    }

    var text: String {
        let items = job.items
        var state = job.state.rawValue
        if job.state == .running && !job.runnerActive { state += " (no runner: the process died; resume it)" }
        if job.cancelRequested { state += ", cancel requested" }
        var lines = [
            "replay job \(job.id): \(state)",
            "  selection    \(job.selection.isEmpty ? "(everything)" : job.selection)",
            "  operator     \(job.operatorName)\(job.reason.map { " (reason: \($0))" } ?? "")",
            "  created      \(iso8601(job.createdAt))",
            "  target       \(job.targetTopic ?? "original topics"), \(job.preservePartition ? "original partition" : "partitioned by key")",
            "  rate         \(job.rate.map { "\($0)/s" } ?? "unlimited")",
            "  items        \(items.total): \(items.published) published, \(items.skipped) skipped, \(items.pending) pending"
                + (items.cancelled > 0 ? ", \(items.cancelled) cancelled" : ""),
        ]
        for (reason, count) in items.skipReasons.sorted(by: { $0.value > $1.value }) {
            lines.append("    skipped    \(count): \(reason)")
        }
        if job.recovered > 0 {
            lines.append("  recovered    \(job.recovered) found on the target topics after an interrupted run (not sent again)")
        }
        if job.recurrences > 0 {
            lines.append("  recurrences  \(job.recurrences) replayed events failed again and came back (dlq list ... replayed_by_job)")
        }
        lines.append("  runs         \(job.runs)"
            + (job.startedAt.map { ", started \(iso8601($0))" } ?? "")
            + (job.finishedAt.map { ", last ended \(iso8601($0))" } ?? ""))
        if let error = job.lastError {
            lines.append("  last error   \(error)")
        }
        return lines.joined(separator: "\n")
    }
}
