// Tests for Thermometers live in this folder, one file per concern, named as sentences.
