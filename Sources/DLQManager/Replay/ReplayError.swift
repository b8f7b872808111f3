/// Why a replay job could not be created, run, resumed or cancelled.
public enum ReplayError: Error, Sendable, CustomStringConvertible {
    case noSuchJob(Int64)
    case alreadyRunning(Int64)
    case notResumable(Int64, ReplayJobState)
    /// A run found records it had sent with an unknown outcome and could not read the target topics to settle
    /// them; resuming again retries the check.
    case recoveryFailed(Int64, String)

    public var description: String {
        switch self {
        case .noSuchJob(let id): "no replay job \(id)"
        case .alreadyRunning(let id): "replay job \(id) is running in another process"
        case .notResumable(let id, let state): "replay job \(id) is \(state.rawValue) and cannot run again"
        case .recoveryFailed(let id, let why):
            "replay job \(id): could not check the target topics for records of the interrupted run: \(why)"
        }
    }
}
