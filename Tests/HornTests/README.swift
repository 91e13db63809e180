// Tests for Horn live in this folder, one file per concern, named as sentences.
