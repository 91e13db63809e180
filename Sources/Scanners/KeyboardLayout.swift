/// Which character each key of the main block types, at the plain, Shift and AltGr levels: the
/// host keyboard layout a keyboard-wedge scanner is set to. US is built in; others are data files
/// (`Devices/scanners/layouts/*.layout`, see docs/scanners.md; read by DeviceFamilies). Dead keys
/// are not mapped: a scanner never needs them, and a key without a character is a decoding error,
/// not a guess.
public struct KeyboardLayout: Sendable, Hashable {
    public struct Key: Sendable, Hashable {
        public var plain: Character?
        public var shifted: Character?
        public var altGr: Character?

        public init(_ plain: Character?, _ shifted: Character?, altGr: Character? = nil) {
            self.plain = plain
            self.shifted = shifted
            self.altGr = altGr
        }

        /// Caps Lock acts on letter keys only: those whose Shift level is the upper case of the plain one.
        public var capsLockApplies: Bool {
            guard let p = plain, let s = shifted, p.isLetter else { return false }
            return p.uppercased() == String(s) && p != s
        }
    }

    public var name: String
    /// Evdev key code → characters.
    public var keys: [UInt16: Key]

    public init(name: String, keys: [UInt16: Key]) {
        self.name = name
        self.keys = keys
    }

    /// The character `code` types; nil if the layout has none at that level.
    public func character(for code: UInt16, shift: Bool, capsLock: Bool, altGr: Bool) -> Character? {
        guard let key = keys[code] else { return nil }
        if altGr { return key.altGr }
        let upper = key.capsLockApplies ? (shift != capsLock) : shift
        return upper ? key.shifted : key.plain
    }

    /// How to type `c` on this layout: key code and levels; nil if no key types it.
    public func keystroke(for c: Character) -> (code: UInt16, shift: Bool, altGr: Bool)? {
        for code in keys.keys.sorted() {
            guard let key = keys[code] else { continue }
            if key.plain == c { return (code, false, false) }
            if key.shifted == c { return (code, true, false) }
        }
        for code in keys.keys.sorted() where keys[code]?.altGr == c { return (code, false, true) }
        return nil
    }

    /// The US (ANSI) layout.
    public static let us: KeyboardLayout = {
        let rows: [(String, Character, Character)] = [
            ("KEY_1", "1", "!"), ("KEY_2", "2", "@"), ("KEY_3", "3", "#"), ("KEY_4", "4", "$"),
            ("KEY_5", "5", "%"), ("KEY_6", "6", "^"), ("KEY_7", "7", "&"), ("KEY_8", "8", "*"),
            ("KEY_9", "9", "("), ("KEY_0", "0", ")"), ("KEY_MINUS", "-", "_"), ("KEY_EQUAL", "=", "+"),
            ("KEY_LEFTBRACE", "[", "{"), ("KEY_RIGHTBRACE", "]", "}"), ("KEY_SEMICOLON", ";", ":"),
            ("KEY_APOSTROPHE", "'", "\""), ("KEY_GRAVE", "`", "~"), ("KEY_BACKSLASH", "\\", "|"),
            ("KEY_COMMA", ",", "<"), ("KEY_DOT", ".", ">"), ("KEY_SLASH", "/", "?"), ("KEY_SPACE", " ", " "),
        ]
        var keys: [UInt16: Key] = [:]
        for (name, plain, shifted) in rows {
            if let code = EvdevKeyCode.names[name] { keys[code] = Key(plain, shifted) }
        }
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            if let code = EvdevKeyCode.names["KEY_" + letter.uppercased()] {
                keys[code] = Key(letter, Character(letter.uppercased()))
            }
        }
        return KeyboardLayout(name: "us", keys: keys)
    }()
}
