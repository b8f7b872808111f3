import Logging
import Synchronization

private let loggingBootstrapped = Mutex(false)

/// Sends logs to standard error, so that standard output stays clean for tables and JSON. The logging system
/// can be bootstrapped once per process; later calls are ignored.
func bootstrapLogging(level: Logger.Level) {
    let first = loggingBootstrapped.withLock { done in
        defer { done = true }
        return !done
    }
    guard first else { return }
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
