#if canImport(Glibc)
import Glibc
#endif

/// The text of an errno value, e.g. `No such file or directory (errno 2)`.
public func systemErrorText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
