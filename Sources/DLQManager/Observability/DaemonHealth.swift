import Synchronization

/// What `/readyz` reports beyond the database: whether the ingestor has its partitions and whether the alert
/// dispatcher (when sinks are configured) is running. Set by those services, read by the HTTP endpoint.
public final class DaemonHealth: Sendable {
    private let state = Mutex(State())

    private struct State {
        var consumerAssigned = false
        var dispatcherExpected = false
        var dispatcherRunning = false
    }

    public init(dispatcherExpected: Bool) {
        state.withLock { $0.dispatcherExpected = dispatcherExpected }
    }

    public func setConsumerAssigned(_ assigned: Bool) {
        state.withLock { $0.consumerAssigned = assigned }
    }

    public func setDispatcherRunning(_ running: Bool) {
        state.withLock { $0.dispatcherRunning = running }
    }

    /// The failing checks' names; empty when ready.
    public var failingChecks: [String] {
        state.withLock { state in
            var failing: [String] = []
            if !state.consumerAssigned { failing.append("consumer has no partitions assigned") }
            if state.dispatcherExpected && !state.dispatcherRunning { failing.append("alert dispatcher not running") }
            return failing
        }
    }
}
