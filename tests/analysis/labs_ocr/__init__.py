"""OCR of lab-report photos and scans, and the readers of their layouts."""
