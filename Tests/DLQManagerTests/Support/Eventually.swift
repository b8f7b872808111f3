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

/// Waits until `measure` reaches `target` for as long as it keeps moving, and fails with `description` once it
/// has stood still for `stall`: a slow machine is waited for, a stuck process is not.
func eventually(
    _ description: String,
    reaches target: Int64,
    stall: Duration = .seconds(60),
    _ measure: () async throws -> Int64
) async throws {
    var current = try await measure()
    var lastMoved = ContinuousClock.now
    while current != target {
        guard ContinuousClock.now - lastMoved < stall else {
            throw TestSetupError("\(description): stood at \(current) of \(target) for \(stall)")
        }
        try await Task.sleep(for: .milliseconds(50))
        let next = try await measure()
        if next != current { lastMoved = .now }
        current = next
    }
}
