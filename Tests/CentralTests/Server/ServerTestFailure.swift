/// A failure of the server tests' own machinery (a process that would not start, a port never reported).
struct ServerTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
