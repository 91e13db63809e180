// Tests for DeviceCatalog live in this folder, one file per concern, named as sentences.
