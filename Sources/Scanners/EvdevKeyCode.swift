/// Linux evdev key codes (`linux/input-event-codes.h`) of the keys a scanner types with, and the
/// `KEY_*` names keyboard layout files use for them.
public enum EvdevKeyCode {
    public static let enter: UInt16 = 28
    public static let keypadEnter: UInt16 = 96
    public static let tab: UInt16 = 15
    public static let leftShift: UInt16 = 42
    public static let rightShift: UInt16 = 54
    public static let leftCtrl: UInt16 = 29
    public static let rightCtrl: UInt16 = 97
    public static let leftAlt: UInt16 = 56
    /// AltGr on layouts that have it.
    public static let rightAlt: UInt16 = 100
    public static let capsLock: UInt16 = 58
    public static let numLock: UInt16 = 69
    public static let space: UInt16 = 57

    /// Keypad digit keys: code → digit.
    public static let keypadDigits: [UInt16: UInt8] = [82: 0, 79: 1, 80: 2, 81: 3, 75: 4, 76: 5, 77: 6, 71: 7, 72: 8, 73: 9]
    /// Keypad keys that type the same character on every layout (with Num Lock on).
    public static let keypadCharacters: [UInt16: Character] = [
        82: "0", 79: "1", 80: "2", 81: "3", 75: "4", 76: "5", 77: "6", 71: "7", 72: "8", 73: "9",
        55: "*", 74: "-", 78: "+", 83: ".", 98: "/",
    ]

    /// `KEY_*` names of the keys a layout file may map.
    public static let names: [String: UInt16] = [
        "KEY_1": 2, "KEY_2": 3, "KEY_3": 4, "KEY_4": 5, "KEY_5": 6, "KEY_6": 7, "KEY_7": 8, "KEY_8": 9,
        "KEY_9": 10, "KEY_0": 11, "KEY_MINUS": 12, "KEY_EQUAL": 13,
        "KEY_Q": 16, "KEY_W": 17, "KEY_E": 18, "KEY_R": 19, "KEY_T": 20, "KEY_Y": 21, "KEY_U": 22,
        "KEY_I": 23, "KEY_O": 24, "KEY_P": 25, "KEY_LEFTBRACE": 26, "KEY_RIGHTBRACE": 27,
        "KEY_A": 30, "KEY_S": 31, "KEY_D": 32, "KEY_F": 33, "KEY_G": 34, "KEY_H": 35, "KEY_J": 36,
        "KEY_K": 37, "KEY_L": 38, "KEY_SEMICOLON": 39, "KEY_APOSTROPHE": 40, "KEY_GRAVE": 41,
        "KEY_BACKSLASH": 43, "KEY_Z": 44, "KEY_X": 45, "KEY_C": 46, "KEY_V": 47, "KEY_B": 48,
        "KEY_N": 49, "KEY_M": 50, "KEY_COMMA": 51, "KEY_DOT": 52, "KEY_SLASH": 53,
        "KEY_SPACE": 57, "KEY_102ND": 86,
    ]
}
