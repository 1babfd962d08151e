"""The workbook contract (docs/WORKBOOK.md) and the parsing of grids into typed frames."""
