import CheckpointConfig
import Scanners

/// Reading a keyboard layout file (the type is in Scanners).
extension KeyboardLayout {
    /// Parses a layout file:
    /// ```toml
    /// name = "de"
    /// base = "us"                       # start from US, then replace the keys listed
    /// [keys]
    /// KEY_Y = ["z", "Z"]                # plain, shifted
    /// KEY_Q = ["q", "Q", "@"]           # plain, shifted, AltGr
    /// KEY_EQUAL = []                    # dead keys: no character
    /// ```
    /// An empty string at a level means "no character at that level".
    public static func parse(text: String, file: String) throws(ConfigError) -> KeyboardLayout {
        let doc = try ConfigDocument(text: text, file: file)
        let root = doc.root
        try root.rejectUnknownKeys(["name", "base", "description", "keys"])
        let name = try root.requiredString("name")
        var layout: KeyboardLayout
        switch try root.string("base") {
        case nil: layout = KeyboardLayout(name: name, keys: [:])
        case "us": layout = .us
        case let other?: throw root.error("base", "unknown base layout \"\(other)\" (only \"us\" is built in)")
        }
        layout.name = name
        guard let keys = try root.table("keys") else { throw root.error("keys", "a layout needs a [keys] table") }
        for keyName in keys.keys.sorted() {
            guard let code = EvdevKeyCode.names[keyName] else {
                throw keys.error(keyName, "unknown key name (use the KEY_* names of linux/input-event-codes.h for the main block)")
            }
            let levels = try keys.strings(keyName) ?? []
            guard levels.count <= 3 else { throw keys.error(keyName, "at most three levels: plain, shifted, AltGr") }
            var chars: [Character?] = []
            for level in levels {
                if level.isEmpty { chars.append(nil); continue }
                guard level.count == 1, let c = level.first else {
                    throw keys.error(keyName, "each level is one character or \"\", not \"\(level)\"")
                }
                chars.append(c)
            }
            while chars.count < 3 { chars.append(nil) }
            if chars.allSatisfy({ $0 == nil }) {
                layout.keys[code] = nil
            } else {
                layout.keys[code] = Key(chars[0], chars[1], altGr: chars[2])
            }
        }
        return layout
    }

    /// Loads a layout file from disk.
    public static func load(path: String) throws(ConfigError) -> KeyboardLayout {
        let doc = try ConfigDocument(contentsOf: path)
        return try parse(text: doc.text, file: path)
    }
}
