"""The working-day calendar: working days, deadlines and office hours of each province (ADR 0040)."""
