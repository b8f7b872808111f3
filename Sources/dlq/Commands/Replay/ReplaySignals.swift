import Dispatch
import Foundation
import Synchronization

/// Turns the first SIGINT/SIGTERM into a request to stop after the records in flight (the job is then
/// resumable), and a second one into an immediate exit (the next resume settles what was in flight).
///
/// `@unchecked Sendable`: `sources` is written only in `init` and kept just to keep the handlers alive.
final class ReplaySignals: @unchecked Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [unowned self] in
                if stopRequested.exchange(true, ordering: .relaxed) {
                    FileHandle.standardError.write(Data("\ndlq: stopping now; `dlq replay resume` settles what was in flight\n".utf8))
                    exit(130)
                }
                FileHandle.standardError.write(Data("\ndlq: stopping after the records in flight (again to stop now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }
}
