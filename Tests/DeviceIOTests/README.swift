// Tests for DeviceIO live in this folder, one file per concern, named as sentences.
