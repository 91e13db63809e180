// Tests for Central live in this folder, one file per concern, named as sentences.
