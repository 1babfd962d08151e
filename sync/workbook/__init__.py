"""The workbook contract (WORKBOOK.md) and the parsing of grids into typed frames."""
