// Tests for Scanners live in this folder, one file per concern, named as sentences.
