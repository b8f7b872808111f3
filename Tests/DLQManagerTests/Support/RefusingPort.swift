import Glibc

/// A loopback port that refuses connections: a socket bound to it that never listens.
///
/// Unlike a port found free and closed again, it stays held while the test runs, so no other test's server
/// (the suite runs in parallel) can take it and answer in the meantime.
enum RefusingPort {
    static func with<Result>(_ body: (_ port: Int) async throws -> Result) async throws -> Result {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("binding a loopback port failed: errno \(errno)") }
        return try await body(Int(UInt16(bigEndian: address.sin_port)))
    }
}
