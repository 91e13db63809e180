#!/usr/bin/env python3
"""An independent implementation of the SAM serial framing of ID card readers (GA 467 interface),
for the framing-vector test: builds command and response frames, a base-info text block in UCS-2
little-endian and citizen-number check characters (ISO 7064 MOD 11-2), and prints them as JSON.
"""
import json
import sys

PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])


def frame(body: bytes) -> bytes:
    """Preamble, 2-byte big-endian length (body + checksum), body, XOR of everything after the preamble."""
    length = (len(body) + 1).to_bytes(2, "big")
    check = 0
    for b in length + body:
        check ^= b
    return PREAMBLE + length + body + bytes([check])


def check_character(first17: str) -> str:
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def text_block(fields):
    widths = [30, 2, 4, 16, 70, 36, 30, 16, 16]
    out = b""
    for value, width in zip(fields, widths):
        encoded = value.encode("utf-16-le")[:width]
        out += encoded + " ".encode("utf-16-le") * ((width - len(encoded)) // 2)
    return out + " ".encode("utf-16-le") * ((256 - len(out)) // 2)


def base_info(text: bytes, photo_filler: int) -> bytes:
    photo = bytes([photo_filler]) * 1024
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def response(sw3: int, data: bytes = b"") -> bytes:
    return frame(bytes([0x00, 0x00, sw3]) + data)


def card(name, sex, nation, birth, address, first17, authority, start, end):
    number = first17 + check_character(first17)
    fields = [name, sex, nation, birth, address, number, authority, start, end]
    keys = ["name", "sex", "nation", "birth", "address", "number", "authority", "validFrom", "validUntil"]
    return dict(zip(keys, fields)), fields


def main():
    resident, resident_fields = card("王小明", "1", "01", "19900307", "北京市东城区景山前街4号院2号楼301室",
                                     "11010119900307123", "北京市公安局东城分局", "20150101", "20350101")
    elder, elder_fields = card("李秀英", "2", "03", "19450812", "宁夏回族自治区银川市兴庆区解放东街8号",
                               "64010419450812002", "银川市公安局兴庆区分局", "20100601", "长期")
    wrong = list(resident_fields)
    last = wrong[5][-1]
    wrong[5] = wrong[5][:-1] + ("0" if last != "0" else "1")
    vectors = {
        "commands": {
            "readerStatus": frame(bytes([0x11, 0xFF])).hex(),
            "findCard": frame(bytes([0x20, 0x01])).hex(),
            "selectCard": frame(bytes([0x20, 0x02])).hex(),
            "readBaseInfo": frame(bytes([0x30, 0x01])).hex(),
        },
        "responses": {
            "statusOK": response(0x90).hex(),
            "cardFound": response(0x9F, bytes(4)).hex(),
            "noCard": response(0x80).hex(),
            "selectOK": response(0x90, bytes(8)).hex(),
            "selectFailed": response(0x81).hex(),
            "readFailed": response(0x41).hex(),
            "samFault": response(0x60).hex(),
        },
        "cards": [
            {"fields": resident, "frame": response(0x90, base_info(text_block(resident_fields), 0x11)).hex()},
            {"fields": elder, "frame": response(0x90, base_info(text_block(elder_fields), 0xAA)).hex()},
        ],
        "wrongCheckDigit": response(0x90, base_info(text_block(wrong), 0x22)).hex(),
        "checkCharacters": {d: check_character(d) for d in ["11010519491231002", "44030419800101001", "31011519991231999"]},
    }
    json.dump(vectors, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
