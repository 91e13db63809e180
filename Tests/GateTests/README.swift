// Tests for Gate live in this folder, one file per concern, named as sentences.
