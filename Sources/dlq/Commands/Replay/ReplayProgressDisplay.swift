import DLQManager
import Foundation
import Synchronization

/// Shows a running replay: a redrawn bar with rate and ETA when standard error is a terminal, otherwise a plain
/// line every few seconds (for logs and CI).
final class ReplayProgressDisplay: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lastLine = Mutex<ContinuousClock.Instant?>(nil)
    private static let lineInterval: Duration = .seconds(2)

    func show(_ progress: ReplayProgress) {
        let elapsed = Date().timeIntervalSince(progress.runStartedAt)
        let rate = elapsed > 0 ? Double(progress.publishedThisRun) / elapsed : 0
        let remaining = progress.total - progress.done
        let percent = progress.total > 0 ? Int(Double(progress.done) * 100 / Double(progress.total)) : 100
        let eta = rate > 0 ? Self.duration(Double(remaining) / rate) : "?"
        if isTerminal {
            let width = 30
            let filled = progress.total > 0 ? Int(Double(width) * Double(progress.done) / Double(progress.total)) : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r\u{1B}[2Kreplay \(progress.jobID) [\(bar)] \(percent)% \(progress.done)/\(progress.total)  \(Int(rate))/s  ETA \(eta)")
            return
        }
        let now = ContinuousClock.now
        let due = lastLine.withLock { last in
            guard last.map({ now - $0 >= Self.lineInterval }) ?? true else { return false }
            last = now
            return true
        }
        if due || remaining == 0 {
            write("replay \(progress.jobID): \(progress.done)/\(progress.total) done (\(percent)%), \(progress.published) published, \(progress.skipped) skipped, \(Int(rate))/s, ETA \(eta)\n")
        }
    }

    /// Ends the bar's line so what follows starts on a fresh one.
    func finish() {
        if isTerminal { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}
