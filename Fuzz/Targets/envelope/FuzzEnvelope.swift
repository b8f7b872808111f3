import DLQCoreFuzzing

/// libFuzzer's entry point: one input through ``EnvelopeFuzzTarget``. A broken invariant traps, so libFuzzer saves the input
/// as a crash reproducer. libFuzzer supplies `main`: the binary is linked with `-sanitize=fuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do {
        try EnvelopeFuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError(error.description)
    }
    return 0
}
