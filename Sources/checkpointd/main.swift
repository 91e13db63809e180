import Foundation

// Not built yet: say so and fail, rather than pretend.
FileHandle.standardError.write(Data("checkpointd: not built yet (see README.md, Status)\n".utf8))
exit(2)
