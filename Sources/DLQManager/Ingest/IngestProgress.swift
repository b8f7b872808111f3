import Foundation
import Logging
import Synchronization

/// Counts what the daemon stored and logs a summary line every few seconds, so an operator tailing the log
/// sees progress without a line per batch.
final class IngestProgress: Sendable {
    private struct Counts {
        var records = 0
        var inserted = 0
        var sinceLastReport = 0
        var lastReport = ContinuousClock.now
    }

    private static let interval = Duration.seconds(10)
    private let logger: Logger
    private let counts = Mutex(Counts())

    init(logger: Logger) {
        self.logger = logger
    }

    func record(batch: Int, inserted: Int) {
        logger.debug("stored batch", metadata: ["records": "\(batch)", "new": "\(inserted)"])
        let report: (Int, Int, Double)? = counts.withLock { counts in
            counts.records += batch
            counts.inserted += inserted
            counts.sinceLastReport += batch
            let elapsed = counts.lastReport.duration(to: .now)
            guard elapsed >= Self.interval else { return nil }
            let rate = Double(counts.sinceLastReport) / elapsed.seconds
            counts.sinceLastReport = 0
            counts.lastReport = .now
            return (counts.records, counts.inserted, rate)
        }
        if let (records, inserted, rate) = report {
            logger.info("ingest progress", metadata: [
                "records": "\(records)", "new": "\(inserted)", "per_second": "\(Int(rate))",
            ])
        }
    }

    func finish() {
        let (records, inserted) = counts.withLock { ($0.records, $0.inserted) }
        logger.info("ingest stopped", metadata: ["records": "\(records)", "new": "\(inserted)"])
    }
}
