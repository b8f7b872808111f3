import Foundation

/// Waits until `condition` holds, checking every 50 ms, and fails with `description` after `timeout`. This is
/// how tests wait for another process: on a condition, never on a fixed sleep.
func eventually(
    _ description: String,
    timeout: Duration = .seconds(60),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSetupError("timed out after \(timeout) waiting until \(description)")
}
