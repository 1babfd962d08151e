"""The bundled demo: a Korean team's workbook with deliberate faults, and its config."""
